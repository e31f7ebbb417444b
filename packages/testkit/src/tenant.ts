import { Rng } from './prng';

/** Contact channels of the ContactKit model. */
export type SeedChannel = 'chat' | 'voice' | 'video' | 'ticket' | 'outbound';

/** What a role is for; each simulator maps it to its own role concept. */
export type SeedRoleKind = 'agent' | 'supervisor' | 'inspector' | 'outbound' | 'admin' | 'custom';

export interface SeedRole {
  /** Stable key inside the tenant (`role-1` …); simulators map keys to their own ids. */
  key: string;
  kind: SeedRoleKind;
  name: string;
  description: string;
}

export interface SeedDepartment {
  key: string;
  name: string;
  /** `null` for the root department. */
  parentKey: string | null;
}

export interface SeedGroup {
  key: string;
  name: string;
}

export interface SeedAgent {
  key: string;
  /** Display name: Chinese (王伟) or English (Emily Chen). */
  name: string;
  /** External nickname (udesk `aliase`, kf5 `agent_display_name`), sometimes absent. */
  nickname: string | null;
  /** Unique, lower case. */
  email: string;
  /** Chinese mobile number `1[3-9]xxxxxxxxx`, unique; sometimes absent. */
  phone: string | null;
  employeeNo: string;
  status: 'active' | 'disabled';
  /** Never empty. */
  channels: SeedChannel[];
  locale: 'zh-CN' | 'en-US';
  /** Concurrent chat capacity (udesk `im_ability_value`). */
  maxChats: number;
  /** A password valid under every vendor's rules (≥8, upper, lower, digit, special). */
  password: string;
  roleKeys: string[];
  groupKeys: string[];
  departmentKeys: string[];
}

/** A vendor-neutral tenant: what every simulator can be seeded with. */
export interface SeedTenant {
  seed: number;
  roles: SeedRole[];
  departments: SeedDepartment[];
  groups: SeedGroup[];
  agents: SeedAgent[];
}

export interface GenerateTenantOptions {
  /** PRNG seed; same seed and options → byte-identical tenant. Default 1. */
  seed?: number;
  /** Number of agents (default 20). */
  agents?: number;
  /** Number of groups (default 5). */
  groups?: number;
  /** Number of roles (default 4, at least 1). */
  roles?: number;
  /** Number of departments (default 6, at least 1): a tree under one root. */
  departments?: number;
  /** Share of agents with status `disabled`, 0..1 (default 0.1). */
  disabledShare?: number;
}

const SURNAMES: ReadonlyArray<readonly [string, string]> = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'],
  ['黄', 'huang'], ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'],
  ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['高', 'gao'],
  ['林', 'lin'], ['罗', 'luo'], ['郑', 'zheng'], ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'],
];
const GIVEN: ReadonlyArray<readonly [string, string]> = [
  ['伟', 'wei'], ['娜', 'na'], ['芳', 'fang'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'],
  ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'],
  ['杰', 'jie'], ['娟', 'juan'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀英', 'xiuying'],
  ['华', 'hua'], ['平', 'ping'], ['刚', 'gang'], ['桂英', 'guiying'], ['建华', 'jianhua'], ['文', 'wen'],
  ['斌', 'bin'], ['婷', 'ting'], ['晨', 'chen'], ['雪', 'xue'], ['宇轩', 'yuxuan'], ['浩然', 'haoran'],
  ['子涵', 'zihan'], ['欣怡', 'xinyi'], ['思远', 'siyuan'], ['佳怡', 'jiayi'],
];
const EN_FIRST = [
  'Emily', 'James', 'Olivia', 'Liam', 'Sophia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan',
  'Grace', 'Daniel', 'Chloe', 'Ryan', 'Hannah', 'Kevin', 'Amy', 'Jason', 'Lily', 'David',
] as const;
const EN_LAST = [
  'Chen', 'Smith', 'Wong', 'Johnson', 'Lee', 'Brown', 'Taylor', 'Lin', 'Miller', 'Davis',
  'Tan', 'Wilson', 'Moore', 'Clark', 'Ng', 'Walker', 'Young', 'Hall', 'Allen', 'King',
] as const;

const ROLE_TEMPLATES: ReadonlyArray<Omit<SeedRole, 'key'>> = [
  { kind: 'agent', name: '客服', description: 'Front-line customer service agent' },
  { kind: 'supervisor', name: '客服主管', description: 'Supervises a team of agents' },
  { kind: 'inspector', name: '质检员', description: 'Quality inspection' },
  { kind: 'outbound', name: '外呼专员', description: 'Outbound calls' },
  { kind: 'admin', name: '管理员', description: 'Tenant administrator' },
  { kind: 'custom', name: '培训师', description: 'Trains new agents' },
];
const DEPARTMENT_NAMES = [
  '客户服务中心', '售前咨询部', '售后服务部', '技术支持部', '华东区', '华南区', '华北区',
  'VIP服务部', '投诉处理部', '质检部', '培训部', '海外支持部',
] as const;
const GROUP_NAMES = [
  '售前咨询组', '售后支持组', 'VIP客户组', '技术支持组', '投诉处理组', 'English Support',
  '夜班组', '电话回访组', '订单问题组', '物流查询组', '退换货组', '会员服务组',
] as const;

/** Roles picked for agents, by weight; admin and custom roles are rarer. */
const ROLE_WEIGHTS: Record<SeedRoleKind, number> = {
  agent: 80, supervisor: 8, inspector: 5, outbound: 5, admin: 1, custom: 1,
};

/**
 * Deterministic tenant generator: the same options give byte-identical output
 * (`JSON.stringify(generateTenant(o)) === JSON.stringify(generateTenant(o))`).
 */
export function generateTenant(opts: GenerateTenantOptions = {}): SeedTenant {
  const seed = opts.seed ?? 1;
  const agentCount = Math.max(0, Math.floor(opts.agents ?? 20));
  const groupCount = Math.max(0, Math.floor(opts.groups ?? 5));
  const roleCount = Math.max(1, Math.floor(opts.roles ?? 4));
  const deptCount = Math.max(1, Math.floor(opts.departments ?? 6));
  const disabledShare = Math.min(1, Math.max(0, opts.disabledShare ?? 0.1));
  const rng = new Rng(seed);

  const roles: SeedRole[] = [];
  for (let i = 0; i < roleCount; i++) {
    const t = ROLE_TEMPLATES[i];
    roles.push(
      t
        ? { key: `role-${i + 1}`, ...t }
        : { key: `role-${i + 1}`, kind: 'custom', name: `自定义角色${i + 1}`, description: `Custom role ${i + 1}` },
    );
  }

  const departments: SeedDepartment[] = [];
  for (let i = 0; i < deptCount; i++) {
    departments.push({
      key: `dept-${i + 1}`,
      name: DEPARTMENT_NAMES[i] ?? `部门${i + 1}`,
      // a small tree: 1 is the root, 2..4 under it, then three children per node
      parentKey: i === 0 ? null : `dept-${Math.floor((i - 1) / 3) + 1}`,
    });
  }

  const groups: SeedGroup[] = [];
  for (let i = 0; i < groupCount; i++) {
    groups.push({ key: `group-${i + 1}`, name: GROUP_NAMES[i] ?? `客服组${i + 1}` });
  }

  // weighted role choice over the roles that exist
  const roleTable: Array<{ key: string; w: number }> = roles.map((r) => ({ key: r.key, w: ROLE_WEIGHTS[r.kind] }));
  const roleTotal = roleTable.reduce((s, r) => s + r.w, 0);
  const pickRole = (): string => {
    let x = rng.next() * roleTotal;
    for (const r of roleTable) {
      x -= r.w;
      if (x < 0) return r.key;
    }
    return roleTable[0]!.key;
  };

  const emails = new Set<string>();
  const phones = new Set<string>();
  const agents: SeedAgent[] = [];
  const pad = String(Math.max(agentCount, 1)).length;
  for (let i = 0; i < agentCount; i++) {
    const chinese = rng.chance(0.7);
    let name: string;
    let local: string;
    let nickname: string | null = null;
    if (chinese) {
      const [sn, spy] = rng.pick(SURNAMES);
      const [gn, gpy] = rng.pick(GIVEN);
      name = sn + gn;
      local = `${gpy}.${spy}`;
      if (rng.chance(0.3)) nickname = `小${gn.slice(-1)}`;
    } else {
      const first = rng.pick(EN_FIRST);
      const last = rng.pick(EN_LAST);
      name = `${first} ${last}`;
      local = `${first}.${last}`.toLowerCase();
      if (rng.chance(0.3)) nickname = first;
    }
    const domain = chinese ? 'example.cn' : 'example.com';
    let email = `${local}@${domain}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
    emails.add(email);

    let phone: string | null = null;
    if (rng.chance(0.9)) {
      do phone = `1${rng.int(3, 9)}${rng.digits(9)}`;
      while (phones.has(phone));
      phones.add(phone);
    }

    const channels: SeedChannel[] = [];
    if (rng.chance(0.8)) channels.push('chat');
    if (rng.chance(0.5)) channels.push('voice');
    if (rng.chance(0.1)) channels.push('video');
    if (rng.chance(0.4)) channels.push('ticket');
    if (rng.chance(0.15)) channels.push('outbound');
    if (channels.length === 0) channels.push('chat');

    const roleKeys = [pickRole()];
    const groupKeys: string[] = [];
    if (groups.length > 0) {
      const n = rng.chance(0.15) ? 0 : rng.chance(0.25) ? 2 : 1;
      for (let g = 0; g < n; g++) {
        const key = rng.pick(groups).key;
        if (!groupKeys.includes(key)) groupKeys.push(key);
      }
    }
    const departmentKeys = [rng.pick(departments).key];

    agents.push({
      key: `agent-${String(i + 1).padStart(pad, '0')}`,
      name,
      nickname,
      email,
      phone,
      employeeNo: `E${String(i + 1).padStart(6, '0')}`,
      status: rng.chance(disabledShare) ? 'disabled' : 'active',
      channels,
      locale: chinese ? (rng.chance(0.95) ? 'zh-CN' : 'en-US') : rng.chance(0.8) ? 'en-US' : 'zh-CN',
      maxChats: rng.int(1, 10),
      password: `Ck#${rng.hex(6)}A${i}`,
      roleKeys,
      groupKeys,
      departmentKeys,
    });
  }

  return { seed, roles, departments, groups, agents };
}
