import { formatChinaTime, parseIntParam } from '../server';
import { Table } from '../table';
import type { SeedTenant } from '../tenant';
import type { SeedResult } from '../types';
import type { Kf5CustomRole, Kf5GroupWire, Kf5Role, Kf5State, Kf5Status, Kf5UserInput, Kf5UserWire } from './types';

/** A user as the store keeps it; `userWire` renders what the API returns. */
export interface KUser {
  id: number;
  email: string;
  name: string;
  agent_display_name: string | null;
  role: Kf5Role;
  phone: string | null;
  language: string;
  status: Kf5Status;
  custom_role_id: number | null;
  password: string | null;
  created_at: string;
  updated_at: string;
  groupIds: Set<number>;
}
export interface KGroup {
  id: number;
  name: string;
  created_at: string;
  members: Set<number>;
}

export const isStaff = (u: KUser): boolean => u.role === 'agent' || u.role === 'admin';

export class Kf5Store {
  users = new Table<number, KUser>((u) => u.id);
  byEmail = new Map<string, number>();
  groups = new Table<number, KGroup>((g) => g.id);
  roles = new Table<number, Kf5CustomRole>((r) => r.id);
  nextUserId = 1001;
  nextGroupId = 101;
  nextRoleId = 1;
  /** origin used for `url` fields (the server's own). */
  origin = '';

  constructor(private readonly now: () => number) {}

  reset(): void {
    this.users.clear();
    this.byEmail.clear();
    this.groups.clear();
    this.roles.clear();
    this.nextUserId = 1001;
    this.nextGroupId = 101;
    this.nextRoleId = 1;
  }

  userWire(u: KUser): Kf5UserWire {
    const groups_info: Kf5UserWire['groups_info'] = [];
    for (const gid of u.groupIds) {
      const g = this.groups.get(gid);
      if (g) groups_info.push({ id: g.id, name: g.name, display_name: g.name });
    }
    const staff = isStaff(u);
    return {
      id: u.id,
      url: `${this.origin}/apiv2/users/${u.id}.json`,
      email: u.email,
      name: u.name,
      remark_name: null,
      agent_display_name: u.agent_display_name,
      mark_star: 0,
      role: u.role,
      phone: u.phone,
      phone_bind: false,
      landline: null,
      signature: null,
      details: null,
      notes: null,
      organization_id: null,
      language: u.language,
      created_at: u.created_at,
      updated_at: u.updated_at,
      last_login_at: null,
      status: u.status,
      groups_info,
      photo: null,
      moderator: u.role === 'admin',
      public_comments: staff,
      manage_people: u.role === 'admin',
      ticket_restriction: 'all',
      custom_role_id: u.custom_role_id,
      wechat_appid: null,
      wechat_openid: null,
      tags: [],
      user_fields: [],
    };
  }
  groupWire(g: KGroup): Kf5GroupWire {
    const agents: Kf5GroupWire['agents'] = [];
    for (const id of g.members) {
      const u = this.users.get(id);
      if (u) agents.push({ id: u.id, url: `${this.origin}/apiv2/users/${u.id}.json`, username: u.email, name: u.name });
    }
    return { id: g.id, url: `${this.origin}/apiv2/groups/${g.id}.json`, name: g.name, created_at: g.created_at, agents };
  }

  insertUser(input: Kf5UserInput): KUser {
    const key = input.email.toLowerCase();
    if (this.byEmail.has(key)) throw new Error(`email ${input.email} is already taken`);
    const id = input.id ?? this.nextUserId;
    if (this.users.has(id)) throw new Error(`user id ${id} is already taken`);
    this.nextUserId = Math.max(this.nextUserId, id + 1);
    const ts = formatChinaTime(this.now());
    const u: KUser = {
      id,
      email: input.email,
      name: input.name,
      agent_display_name: input.agent_display_name ?? null,
      role: input.role ?? 'end_user',
      phone: input.phone ?? null,
      language: input.language ?? 'zh_cn',
      status: input.status ?? 'active',
      custom_role_id: input.custom_role_id ?? null,
      password: input.password ?? null,
      created_at: ts,
      updated_at: ts,
      groupIds: new Set(),
    };
    this.users.insert(u);
    this.byEmail.set(key, id);
    if (input.group_ids && isStaff(u)) {
      for (const gid of input.group_ids) {
        const g = this.groups.get(gid);
        if (g) {
          g.members.add(u.id);
          u.groupIds.add(gid);
        }
      }
    }
    return u;
  }
  /** The user a path segment names (`/users/{id}.json`); undefined when absent or not an integer. */
  userByParam(raw: string | undefined): KUser | undefined {
    const id = parseIntParam(raw);
    return id === undefined || Number.isNaN(id) ? undefined : this.users.get(id);
  }
  groupByParam(raw: string | undefined): KGroup | undefined {
    const id = parseIntParam(raw);
    return id === undefined || Number.isNaN(id) ? undefined : this.groups.get(id);
  }
  userByEmail(email: string): KUser | undefined {
    const id = this.byEmail.get(email.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }
  setEmail(u: KUser, email: string): void {
    this.byEmail.delete(u.email.toLowerCase());
    u.email = email;
    this.byEmail.set(email.toLowerCase(), u.id);
  }
  deleteUser(u: KUser): void {
    for (const gid of u.groupIds) this.groups.get(gid)?.members.delete(u.id);
    this.users.delete(u.id);
    this.byEmail.delete(u.email.toLowerCase());
  }
  leaveAllGroups(u: KUser): void {
    for (const gid of u.groupIds) this.groups.get(gid)?.members.delete(u.id);
    u.groupIds = new Set();
  }
  insertGroup(name: string, members: readonly number[], id?: number): KGroup {
    const gid = id ?? this.nextGroupId;
    this.nextGroupId = Math.max(this.nextGroupId, gid + 1);
    const g: KGroup = { id: gid, name, created_at: formatChinaTime(this.now()), members: new Set() };
    this.groups.insert(g);
    this.setMembers(g, members);
    return g;
  }
  setMembers(g: KGroup, ids: readonly number[]): void {
    const next = new Set(ids.filter((id) => this.users.has(id)));
    for (const id of g.members) if (!next.has(id)) this.users.get(id)?.groupIds.delete(g.id);
    for (const id of next) this.users.get(id)?.groupIds.add(g.id);
    g.members = next;
  }
  deleteGroup(g: KGroup): void {
    for (const id of g.members) this.users.get(id)?.groupIds.delete(g.id);
    this.groups.delete(g.id);
  }
  insertRole(name: string, description: string): Kf5CustomRole {
    const r = { id: this.nextRoleId++, name, description };
    this.roles.insert(r);
    return r;
  }

  seed(tenant: SeedTenant): SeedResult<number> {
    // all or nothing: refuse before inserting anything when an email is already taken
    for (const s of tenant.agents) {
      if (this.byEmail.has(s.email.toLowerCase())) throw new Error(`seed: email ${s.email} is already taken`);
    }
    const result: SeedResult<number> = { roles: {}, departments: {}, groups: {}, agents: {} };
    const kindOf = new Map(tenant.roles.map((r) => [r.key, r.kind]));
    // KF5 base roles cover 'agent' and 'admin'; every other role becomes a custom role
    for (const r of tenant.roles) {
      if (r.kind !== 'agent' && r.kind !== 'admin') result.roles[r.key] = this.insertRole(r.name, r.description).id;
    }
    for (const g of tenant.groups) result.groups[g.key] = this.insertGroup(g.name, []).id;
    for (const s of tenant.agents) {
      const admin = s.roleKeys.some((k) => kindOf.get(k) === 'admin');
      const customKey = s.roleKeys.find((k) => result.roles[k] !== undefined);
      const u = this.insertUser({
        email: s.email,
        name: s.name,
        role: admin ? 'admin' : 'agent',
        phone: s.phone,
        agent_display_name: s.nickname,
        language: s.locale === 'zh-CN' ? 'zh_cn' : 'en_us',
        status: s.status === 'active' ? 'active' : 'suspended',
        custom_role_id: customKey === undefined ? null : (result.roles[customKey] ?? null),
        password: s.password,
        group_ids: s.groupKeys.map((k) => result.groups[k]).filter((v): v is number => v !== undefined),
      });
      result.agents[s.key] = u.id;
    }
    return result;
  }
}

/** The test-side view of the store: wire shapes out, plain inputs in. */
export function kf5State(store: Kf5Store): Kf5State {
  const userW = (u: KUser | undefined) => u && store.userWire(u);
  const groupW = (g: KGroup | undefined) => g && store.groupWire(g);
  return {
    listAgents: () => store.users.view('staff', isStaff).map((u) => store.userWire(u)),
    listUsers: () => store.users.values().map((u) => store.userWire(u)),
    getAgent: (id) => userW(store.users.get(id)),
    findUserByEmail: (email) => userW(store.userByEmail(email)),
    listGroups: () => store.groups.values().map((g) => store.groupWire(g)),
    getGroup: (id) => groupW(store.groups.get(id)),
    listRoles: () => store.roles.values().map((r) => ({ ...r })),
    addUser: (input) => store.userWire(store.insertUser(input)),
    addGroup: (input) => store.groupWire(store.insertGroup(input.name, input.agents ?? [])),
    addRole: (input) => ({ ...store.insertRole(input.name, input.description ?? '') }),
    userPassword: (id) => store.users.get(id)?.password,
    counts: () => ({
      users: store.users.size,
      agents: store.users.view('staff', isStaff).length,
      groups: store.groups.size,
      roles: store.roles.size,
    }),
    seed: (tenant) => store.seed(tenant),
    reset: () => store.reset(),
  };
}
