import { Rng } from '../prng';
import { parseIntParam, type SimReply } from '../server';
import { Table } from '../table';
import type { SeedAgent, SeedChannel, SeedTenant } from '../tenant';
import type { SeedResult } from '../types';
import {
  UDESK_CODES,
  fail,
  type UdeskAgentDetailWire,
  type UdeskAgentFlags,
  type UdeskAgentInput,
  type UdeskAgentPutWire,
  type UdeskAgentWire,
  type UdeskDepartmentWire,
  type UdeskProfile,
  type UdeskReadings,
  type UdeskState,
  type UdeskUserGroupWire,
} from './types';

// The Udesk tenant's data, its seed and reset, and the wire views of it.

export interface UAgent {
  id: number;
  email: string;
  loginPassword: string;
  nick_name: string | null;
  profile: UdeskProfile;
  aliase: string | null;
  cellphone: string | null;
  duty: string | null;
  im_ability_value: number;
  number: string;
  sipPassword: string;
  avatar: string | null;
  work_id: string | null;
  agent_callout_display_number: string | null;
  disable_status: 'enable' | 'disable';
  availability: boolean;
  im_welcomes: string | null;
  lang: 'zh-cn' | 'en-us' | null;
  roleIds: number[];
  groupIds: Set<number>;
  departmentIds: number[];
  customFields: Record<string, unknown>;
  flags: UdeskAgentFlags;
}
export interface UGroup {
  id: number;
  name: string;
  members: Set<number>;
}
export interface UDept {
  id: number;
  name: string;
  parent_id: number;
}

function profileFromChannels(ch: readonly SeedChannel[]): UdeskProfile {
  const im = ch.includes('chat');
  const call = ch.includes('voice') || ch.includes('video');
  const ticket = ch.includes('ticket');
  const dial = ch.includes('outbound');
  const n = [im, call, ticket, dial].filter(Boolean).length;
  if (n !== 1) return 'all';
  if (im) return 'im';
  if (call) return 'call';
  if (ticket) return 'ticket';
  return 'dial';
}

function sipFor(id: number): { number: string; password: string } {
  const rng = new Rng((id * 2654435761) >>> 0);
  return { number: `9${rng.digits(13)}`, password: rng.hex(16) };
}

export function strOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : String(v);
}

export class UdeskStore {
  constructor(private readonly readings: UdeskReadings = {}) {}
  agents = new Table<number, UAgent>((a) => a.id);
  byEmail = new Map<string, number>();
  groups = new Table<number, UGroup>((g) => g.id);
  roles = new Table<number, { id: number; name: string; description: string }>((r) => r.id);
  depts = new Table<number, UDept>((d) => d.id);
  nextAgentId = 1;
  nextGroupId = 1;
  nextRoleId = 1;
  nextDeptId = 1;

  reset(): void {
    this.agents.clear();
    this.byEmail.clear();
    this.groups.clear();
    this.roles.clear();
    this.depts.clear();
    this.nextAgentId = this.nextGroupId = this.nextRoleId = this.nextDeptId = 1;
  }

  // --- wire views ---
  listWire(a: UAgent): UdeskAgentWire {
    const departments = this.deptRefs(a.departmentIds);
    return {
      id: a.id,
      email: a.email,
      nick_name: a.nick_name,
      profile: a.profile,
      aliase: a.aliase,
      cellphone: a.cellphone,
      // as the docs print it: a role kind, not the name of one of the agent's roles
      role_name: 'agent',
      duty: a.duty,
      im_ability_value: a.im_ability_value,
      user_group_ids: [...a.groupIds],
      number: a.number,
      password: a.sipPassword,
      avatar: a.avatar,
      work_id: a.work_id,
      departments: this.readings.departmentsForm === 'object' ? (departments[0] ?? null) : departments,
      agent_callout_display_number: a.agent_callout_display_number,
      disable_status: a.disable_status,
      availability: a.availability,
      im_welcomes: a.im_welcomes,
      lang: a.lang,
    };
  }
  detailWire(a: UAgent): UdeskAgentDetailWire {
    const user_groups: Array<{ id: number; name: string }> = [];
    for (const gid of a.groupIds) {
      const g = this.groups.get(gid);
      if (g) user_groups.push({ id: g.id, name: g.name });
    }
    const agent_roles: Array<{ id: number; name: string }> = [];
    for (const rid of a.roleIds) {
      const r = this.roles.get(rid);
      if (r) agent_roles.push({ id: r.id, name: r.name });
    }
    return { ...this.listWire(a), user_groups, agent_roles };
  }
  putWire(a: UAgent): UdeskAgentPutWire {
    const { role_name: _roleName, user_group_ids: _groupIds, ...rest } = this.detailWire(a);
    return rest;
  }
  deptRefs(ids: readonly number[]): Array<{ id: number; name: string }> {
    const out: Array<{ id: number; name: string }> = [];
    for (const id of ids) {
      const d = this.depts.get(id);
      if (d) out.push({ id: d.id, name: d.name });
    }
    return out;
  }
  groupWire(g: UGroup): UdeskUserGroupWire {
    const agents: Array<{ id: number; nick_name: string | null }> = [];
    for (const id of g.members) {
      const a = this.agents.get(id);
      if (a) agents.push({ id: a.id, nick_name: a.nick_name });
    }
    return { id: g.id, name: g.name, agents };
  }
  deptTree(): UdeskDepartmentWire[] {
    const children = new Map<number, UDept[]>();
    for (const d of this.depts.values()) {
      const parent = this.depts.has(d.parent_id) ? d.parent_id : 0;
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(d);
    }
    const build = (parent: number): UdeskDepartmentWire[] =>
      (children.get(parent) ?? []).map((d) => ({ id: d.id, name: d.name, sub_department: build(d.id) }));
    return build(0);
  }

  // --- mutations ---
  insertAgent(input: UdeskAgentInput): UAgent {
    const email = input.email;
    const key = email.toLowerCase();
    if (this.byEmail.has(key)) throw new Error(`email ${email} is already taken`);
    const id = input.id ?? this.nextAgentId;
    if (this.agents.has(id)) throw new Error(`agent id ${id} is already taken`);
    this.nextAgentId = Math.max(this.nextAgentId, id + 1);
    const sip = sipFor(id);
    const a: UAgent = {
      id,
      email,
      loginPassword: input.password ?? 'Passw0rd!',
      nick_name: input.nick_name ?? null,
      profile: input.profile ?? 'im',
      aliase: input.aliase ?? null,
      cellphone: input.cellphone ?? null,
      duty: input.duty ?? null,
      im_ability_value: input.im_ability_value ?? 1,
      number: input.number ?? sip.number,
      sipPassword: input.sip_password ?? sip.password,
      avatar: input.avatar ?? null,
      work_id: input.work_id ?? null,
      agent_callout_display_number: input.agent_callout_display_number ?? null,
      disable_status: input.disable_status ?? 'enable',
      availability: input.availability ?? true,
      im_welcomes: input.im_welcomes ?? null,
      lang: input.lang ?? null,
      roleIds: (input.agent_role_ids ?? []).filter((r) => this.roles.has(r)),
      groupIds: new Set(),
      departmentIds: (input.department_ids ?? []).filter((d) => this.depts.has(d)),
      customFields: { ...input.custom_fields },
      flags: {},
    };
    this.agents.insert(a);
    this.byEmail.set(key, id);
    this.setAgentGroups(a, input.user_group_ids ?? []);
    return a;
  }
  setAgentGroups(a: UAgent, ids: readonly number[]): void {
    const next = new Set(ids.filter((g) => this.groups.has(g)));
    for (const gid of a.groupIds) {
      if (!next.has(gid)) this.groups.get(gid)?.members.delete(a.id);
    }
    for (const gid of next) this.groups.get(gid)?.members.add(a.id);
    a.groupIds = next;
  }
  setGroupMembers(g: UGroup, ids: readonly number[]): void {
    const next = new Set(ids.filter((id) => this.agents.has(id)));
    for (const id of g.members) {
      if (!next.has(id)) this.agents.get(id)?.groupIds.delete(g.id);
    }
    for (const id of next) this.agents.get(id)?.groupIds.add(g.id);
    g.members = next;
  }
  deleteAgent(a: UAgent): void {
    for (const gid of a.groupIds) this.groups.get(gid)?.members.delete(a.id);
    this.agents.delete(a.id);
    this.byEmail.delete(a.email.toLowerCase());
  }
  insertGroup(name: string, agentIds: readonly number[], id?: number): UGroup {
    const gid = id ?? this.nextGroupId;
    this.nextGroupId = Math.max(this.nextGroupId, gid + 1);
    const g: UGroup = { id: gid, name, members: new Set() };
    this.groups.insert(g);
    this.setGroupMembers(g, agentIds);
    return g;
  }
  deleteGroup(g: UGroup): void {
    for (const id of g.members) this.agents.get(id)?.groupIds.delete(g.id);
    this.groups.delete(g.id);
  }
  insertRole(name: string, description: string): { id: number; name: string; description: string } {
    const r = { id: this.nextRoleId++, name, description };
    this.roles.insert(r);
    return r;
  }
  insertDept(name: string, parent_id: number): UDept {
    const d = { id: this.nextDeptId++, name, parent_id };
    this.depts.insert(d);
    return d;
  }

  seed(tenant: SeedTenant): SeedResult<number> {
    // all or nothing: refuse before inserting anything when an email is already taken
    for (const s of tenant.agents) {
      if (this.byEmail.has(s.email.toLowerCase())) throw new Error(`seed: email ${s.email} is already taken`);
    }
    const result: SeedResult<number> = { roles: {}, departments: {}, groups: {}, agents: {} };
    for (const r of tenant.roles) result.roles[r.key] = this.insertRole(r.name, r.description).id;
    for (const d of tenant.departments) {
      const parent = d.parentKey ? (result.departments[d.parentKey] ?? 0) : 0;
      result.departments[d.key] = this.insertDept(d.name, parent).id;
    }
    for (const g of tenant.groups) result.groups[g.key] = this.insertGroup(g.name, []).id;
    for (const s of tenant.agents) {
      const a = this.insertAgent(this.fromSeed(s, result));
      result.agents[s.key] = a.id;
    }
    return result;
  }
  private fromSeed(s: SeedAgent, ids: SeedResult<number>): UdeskAgentInput {
    const map = (keys: string[], table: Record<string, number>) =>
      keys.map((k) => table[k]).filter((v): v is number => v !== undefined);
    const voice = s.channels.includes('voice') || s.channels.includes('outbound');
    return {
      email: s.email,
      password: s.password,
      nick_name: s.name,
      aliase: s.nickname,
      cellphone: s.phone,
      profile: profileFromChannels(s.channels),
      im_ability_value: s.maxChats,
      work_id: s.employeeNo,
      disable_status: s.status === 'active' ? 'enable' : 'disable',
      lang: s.locale === 'zh-CN' ? 'zh-cn' : 'en-us',
      agent_callout_display_number: voice ? `0571${s.employeeNo.slice(-6).padStart(8, '8')}` : null,
      agent_role_ids: map(s.roleKeys, ids.roles),
      user_group_ids: map(s.groupKeys, ids.groups),
      department_ids: map(s.departmentKeys, ids.departments),
    };
  }
}

interface PageWindow<T> {
  items: T[];
  meta: Record<string, number>;
}

/** page/per_page (documented: from 1, default 20, max 100), served as a window of `all`. */
export function pageOf<T>(query: URLSearchParams, all: readonly T[], readings: UdeskReadings): PageWindow<T> | SimReply {
  const page = parseIntParam(query.get('page') ?? undefined) ?? 1;
  const perPage = parseIntParam(query.get('per_page') ?? undefined) ?? 20;
  if (Number.isNaN(page) || page < 1) return fail(UDESK_CODES.INVALID, 'page must be a positive integer');
  if (Number.isNaN(perPage) || perPage < 1) return fail(UDESK_CODES.INVALID, 'per_page must be a positive integer');
  if (perPage > 100) return fail(UDESK_CODES.INVALID, 'per_page must be at most 100');
  // pageCap: the server's own page size wins, and its meta says so
  const size = readings.pageCap ? Math.min(perPage, readings.pageCap) : perPage;
  const start = (page - 1) * size;
  const totalField = readings.metaTotalField ?? 'total_count';
  return {
    items: all.slice(start, start + size),
    meta: { current_page: page, total_pages: Math.ceil(all.length / size), [totalField]: all.length },
  };
}

/** The `state` of the handle: what tests read and arrange directly. */
export function udeskStateView(store: UdeskStore): UdeskState {
  return {
    listAgents: () => store.agents.values().map((a) => store.detailWire(a)),
    getAgent: (id) => {
      const a = store.agents.get(id);
      return a && store.detailWire(a);
    },
    findAgentByEmail: (email) => {
      const id = store.byEmail.get(email.toLowerCase());
      const a = id === undefined ? undefined : store.agents.get(id);
      return a && store.detailWire(a);
    },
    listGroups: () => store.groups.values().map((g) => store.groupWire(g)),
    getGroup: (id) => {
      const g = store.groups.get(id);
      return g && store.groupWire(g);
    },
    listRoles: () => store.roles.values().map((r) => ({ ...r })),
    listDepartments: () => store.deptTree(),
    addAgent: (input) => store.detailWire(store.insertAgent(input)),
    addGroup: (input) => store.groupWire(store.insertGroup(input.name, input.agent_ids ?? [])),
    addRole: (input) => ({ ...store.insertRole(input.name, input.description ?? '') }),
    addDepartment: (input) => ({ ...store.insertDept(input.name, input.parent_id ?? 0) }),
    agentLoginPassword: (id) => store.agents.get(id)?.loginPassword,
    agentSipPassword: (id) => store.agents.get(id)?.sipPassword,
    setAgentFlags: (id, flags) => {
      const a = store.agents.get(id);
      if (!a) throw new Error(`no agent ${id}`);
      a.flags = { ...a.flags, ...flags };
    },
    agentCustomFields: (id) => {
      const a = store.agents.get(id);
      return a && { ...a.customFields };
    },
    counts: () => ({
      agents: store.agents.size,
      groups: store.groups.size,
      roles: store.roles.size,
      departments: store.depts.size,
    }),
    seed: (tenant) => store.seed(tenant),
    reset: () => store.reset(),
  };
}

/** What `GET /__control/state` shows. */
export function udeskSnapshot(state: UdeskState): { counts: Record<string, number> } & Record<string, unknown> {
  return {
    counts: state.counts(),
    agents: state.listAgents(),
    groups: state.listGroups(),
    roles: state.listRoles(),
    departments: state.listDepartments(),
  };
}
