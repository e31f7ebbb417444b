import { Table } from '../table';
import type { SeedChannel, SeedTenant } from '../tenant';
import type { SeedResult } from '../types';
import { huaweiMediaFits, seedDescription, seedSkillParam, toInt } from './rules';
import type { HuaweiAgentInput, HuaweiAgentType, HuaweiAgentWire, HuaweiAiccState, HuaweiRoleWire, HuaweiSkillBinding, HuaweiSkillInput, HuaweiSkillWire } from './types';

/** The fixed ccRole table: AICC has no role API, only these three ids. */
const ROLES: readonly HuaweiRoleWire[] = [
  { ccRoleId: 2, name: 'agent', description: '话务员 (agent)' },
  { ccRoleId: 3, name: 'inspector', description: '质检员 (inspector)' },
  { ccRoleId: 4, name: 'outbound call agent', description: '外呼座席 (outbound call agent)' },
];

/** An agent as the store keeps it; `agentWire` renders what `agentAccount/query` returns. */
export interface HAgent {
  userAccount: string;
  userName: string;
  password: string;
  email: string;
  phone: string | null;
  agentType: number;
  ccRoleId: number;
  sipAccount: string;
  workNo: number;
  skills: Map<number, { agentWeight: number; skillWeight: number }>;
}
/** A skill queue as stored: its wire fields and its members. */
export interface HSkill extends HuaweiSkillWire {
  members: Set<string>;
}

function agentTypeFromChannels(ch: readonly SeedChannel[]): HuaweiAgentType {
  const audio = ch.includes('voice') || ch.includes('outbound');
  const video = ch.includes('video');
  const multi = ch.includes('chat') || ch.includes('ticket');
  if (multi && (audio || video)) return 99;
  if (multi) return 5;
  if (audio && video) return 99;
  if (video) return 11;
  return 4;
}

export class HuaweiStore {
  agents = new Table<string, HAgent>((a) => a.userAccount);
  byEmail = new Map<string, string>(); // lower email → userAccount (first holder)
  skills = new Table<number, HSkill>((s) => s.skillId);
  nextWorkNo = 101;
  nextSkillId = 1;

  reset(): void {
    this.agents.clear();
    this.byEmail.clear();
    this.skills.clear();
    this.nextWorkNo = 101;
    this.nextSkillId = 1;
  }

  agentWire(a: HAgent): HuaweiAgentWire {
    const skills: HuaweiSkillBinding[] = [];
    for (const [skillId, w] of a.skills) skills.push({ skillId, agentWeight: w.agentWeight, skillWeight: w.skillWeight });
    return {
      userAccount: a.userAccount,
      userName: a.userName,
      phone: a.phone,
      email: a.email,
      agentType: a.agentType,
      ccRoleId: a.ccRoleId,
      sipAccount: a.sipAccount,
      skills,
      workNo: a.workNo,
      transparentDisplayFlag: false,
    };
  }
  skillWire(s: HSkill): HuaweiSkillWire {
    return {
      skillId: s.skillId,
      name: s.name,
      description: s.description,
      mediaTypeId: s.mediaTypeId,
      maxWaitTime: s.maxWaitTime,
      maxWaitNum: s.maxWaitNum,
      maxAgentWrapupTime: s.maxAgentWrapupTime,
      skillParam: structuredClone(s.skillParam),
    };
  }

  insertAgent(input: HuaweiAgentInput): HAgent {
    if (this.agents.has(input.userAccount)) throw new Error(`userAccount ${input.userAccount} already exists`);
    const workNo = input.workNo ?? this.nextWorkNo;
    this.nextWorkNo = Math.max(this.nextWorkNo, workNo + 1);
    const a: HAgent = {
      userAccount: input.userAccount,
      userName: input.userName,
      password: input.password ?? 'Aicc@2024pwd',
      email: input.email,
      phone: input.phone ?? null,
      agentType: input.agentType ?? 5,
      ccRoleId: input.ccRoleId ?? 2,
      sipAccount: `88${String(workNo).padStart(6, '0')}`,
      workNo,
      skills: new Map(),
    };
    this.agents.insert(a);
    const ek = a.email.toLowerCase();
    if (!this.byEmail.has(ek)) this.byEmail.set(ek, a.userAccount);
    for (const b of input.skills ?? []) this.bind(a, b.skillId, b.agentWeight, b.skillWeight);
    return a;
  }
  bind(a: HAgent, skillId: number, agentWeight: number, skillWeight: number): void {
    const s = this.skills.get(skillId);
    if (!s) return;
    a.skills.set(skillId, { agentWeight, skillWeight });
    s.members.add(a.userAccount);
  }
  unbind(a: HAgent, skillId: number): void {
    a.skills.delete(skillId);
    this.skills.get(skillId)?.members.delete(a.userAccount);
  }
  replaceSkills(a: HAgent, skills: readonly HuaweiSkillBinding[]): void {
    for (const id of [...a.skills.keys()]) this.unbind(a, id);
    for (const b of skills) this.bind(a, b.skillId, b.agentWeight, b.skillWeight);
  }
  setEmail(a: HAgent, email: string): void {
    const old = a.email.toLowerCase();
    if (this.byEmail.get(old) === a.userAccount) this.byEmail.delete(old);
    a.email = email;
    const ek = email.toLowerCase();
    if (!this.byEmail.has(ek)) this.byEmail.set(ek, a.userAccount);
  }
  agentByEmail(email: string): HAgent | undefined {
    const ua = this.byEmail.get(email.toLowerCase());
    return ua === undefined ? undefined : this.agents.get(ua);
  }
  /** The skill a body's `skillId` (number or digit string) names. */
  skillByParam(id: unknown): HSkill | undefined {
    const skillId = toInt(id);
    return skillId === undefined ? undefined : this.skills.get(skillId);
  }
  deleteAgent(a: HAgent): void {
    for (const id of a.skills.keys()) this.skills.get(id)?.members.delete(a.userAccount);
    this.agents.delete(a.userAccount);
    const ek = a.email.toLowerCase();
    if (this.byEmail.get(ek) === a.userAccount) this.byEmail.delete(ek);
  }
  insertSkill(input: HuaweiSkillInput): HSkill {
    const s: HSkill = {
      skillId: this.nextSkillId++,
      name: input.name,
      description: input.description ?? seedDescription(input.name),
      mediaTypeId: input.mediaTypeId ?? 53,
      maxWaitTime: input.maxWaitTime ?? 60,
      maxWaitNum: input.maxWaitNum ?? 100,
      maxAgentWrapupTime: input.maxAgentWrapupTime ?? 30,
      skillParam: input.skillParam ?? seedSkillParam(input.mediaTypeId ?? 53),
      members: new Set(),
    };
    this.skills.insert(s);
    return s;
  }
  deleteSkill(s: HSkill): void {
    for (const ua of s.members) this.agents.get(ua)?.skills.delete(s.skillId);
    this.skills.delete(s.skillId);
  }

  /** A userAccount the create rule allows, from an email's local part, not yet taken (`_2`, `_3`… when it is). */
  private freeAccount(email: string): string {
    let base = email.split('@')[0]!.replace(/[^A-Za-z0-9@._-]/g, '_');
    while (base.length < 6) base += '0';
    base = base.slice(0, 50);
    let account = base;
    for (let n = 2; this.agents.has(account); n++) {
      const suffix = `_${n}`;
      account = base.slice(0, 50 - suffix.length) + suffix;
    }
    return account;
  }

  seed(tenant: SeedTenant): SeedResult<string, number> {
    const result: SeedResult<string, number> = { roles: {}, departments: {}, groups: {}, agents: {} };
    const roleKind = new Map(tenant.roles.map((r) => [r.key, r.kind]));
    for (const r of tenant.roles) result.roles[r.key] = r.kind === 'inspector' ? 3 : r.kind === 'outbound' ? 4 : 2;

    // agent types first, then each skill's media type from its members (promoting misfits to 99)
    const types = tenant.agents.map((s) => agentTypeFromChannels(s.channels) as number);
    const membersOf = new Map<string, number[]>();
    tenant.agents.forEach((s, i) => {
      for (const g of s.groupKeys) {
        let list = membersOf.get(g);
        if (!list) membersOf.set(g, (list = []));
        list.push(i);
      }
    });
    for (const g of tenant.groups) {
      const members = membersOf.get(g.key) ?? [];
      const hasMulti = members.some((i) => types[i] === 5);
      const hasVoice = members.some((i) => types[i] === 4 || types[i] === 11);
      const media = hasMulti || !hasVoice ? 53 : 5;
      for (const i of members) if (!huaweiMediaFits(types[i]!, media)) types[i] = 99;
      const name = Buffer.byteLength(g.name) > 100 ? g.name.slice(0, 30) : g.name;
      result.groups[g.key] = this.insertSkill({ name, mediaTypeId: media, description: seedDescription(g.name) }).skillId;
    }

    tenant.agents.forEach((s, i) => {
      const account = this.freeAccount(s.email);
      const userName = [...s.name.replace(/["[\]'&()=;<>,]/g, '')].slice(0, 20).join('') || account.slice(0, 20);
      const kind = s.roleKeys.map((k) => roleKind.get(k)).find((k) => k !== undefined);
      const a = this.insertAgent({
        userAccount: account,
        userName,
        email: s.email,
        password: s.password,
        phone: s.phone,
        agentType: types[i]!,
        ccRoleId: kind === 'inspector' ? 3 : kind === 'outbound' ? 4 : 2,
        skills: s.groupKeys
          .map((k) => result.groups[k])
          .filter((v): v is number => v !== undefined)
          .map((skillId) => ({ skillId, agentWeight: 1, skillWeight: 1 })),
      });
      result.agents[s.key] = a.userAccount;
    });
    return result;
  }
}

/** The test-side view of the store: wire shapes out, plain inputs in. */
export function huaweiState(store: HuaweiStore): HuaweiAiccState {
  const agentW = (a: HAgent | undefined) => a && store.agentWire(a);
  const skillW = (s: HSkill | undefined) => s && store.skillWire(s);
  return {
    listAgents: () => store.agents.values().map((a) => store.agentWire(a)),
    getAgent: (ua) => agentW(store.agents.get(ua)),
    findAgentByEmail: (email) => agentW(store.agentByEmail(email)),
    listGroups: () => store.skills.values().map((s) => store.skillWire(s)),
    getGroup: (id) => skillW(store.skills.get(id)),
    skillMembers: (id) => [...(store.skills.get(id)?.members ?? [])],
    listRoles: () => ROLES.map((r) => ({ ...r })),
    addAgent: (input) => store.agentWire(store.insertAgent(input)),
    addSkill: (input) => store.skillWire(store.insertSkill(input)),
    agentPassword: (ua) => store.agents.get(ua)?.password,
    counts: () => ({ agents: store.agents.size, skills: store.skills.size }),
    seed: (tenant) => store.seed(tenant),
    reset: () => store.reset(),
  };
}
