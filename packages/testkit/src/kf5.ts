import {
  SimServer,
  isRecord,
  parseIntParam,
  emailValid,
  formatChinaTime,
  type CommonSimulatorOptions,
  type FaultController,
  type RateLimitOptions,
  type RouteDef,
  type SimReply,
  type SimRequest,
  type SimulatorStats,
} from './server';
import { Table } from './table';
import type { SeedTenant } from './tenant';
import type { SeedResult } from './types';

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

export type Kf5Role = 'end_user' | 'agent' | 'admin';
export type Kf5Status = 'active' | 'suspended' | 'unverified';

export interface Kf5UserWire {
  id: number;
  url: string;
  email: string;
  name: string;
  remark_name: string | null;
  agent_display_name: string | null;
  mark_star: 0 | 1;
  role: Kf5Role;
  phone: string | null;
  phone_bind: boolean;
  landline: string | null;
  signature: string | null;
  details: string | null;
  notes: string | null;
  organization_id: number | null;
  language: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  status: Kf5Status;
  groups_info: Array<{ id: number; name: string; display_name: string }>;
  photo: string | null;
  moderator: boolean;
  public_comments: boolean;
  manage_people: boolean;
  ticket_restriction: 'all' | 'groups' | 'assigned';
  custom_role_id: number | null;
  wechat_appid: string | null;
  wechat_openid: string | null;
  tags: string[];
  user_fields: Array<{ name: string; value: string }>;
}

export interface Kf5GroupWire {
  id: number;
  url: string;
  name: string;
  created_at: string;
  agents: Array<{ id: number; url: string; username: string; name: string }>;
}

/** A KF5 custom role (`custom_role_id`); KF5 has no role API, so these exist only in state. */
export interface Kf5CustomRole {
  id: number;
  name: string;
  description: string;
}

export interface Kf5UserInput {
  email: string;
  name: string;
  id?: number;
  role?: Kf5Role;
  phone?: string | null;
  agent_display_name?: string | null;
  language?: string;
  status?: Kf5Status;
  custom_role_id?: number | null;
  password?: string | null;
  /** Group ids to join (agents and admins only). */
  group_ids?: number[];
}

export interface Kf5Credentials {
  email: string;
  password: string;
  apiToken: string;
}

export interface Kf5SimulatorOptions extends CommonSimulatorOptions {
  tenant?: SeedTenant;
  credentials?: Partial<Kf5Credentials>;
  /** Status of `DELETE /users/{id}.json` and `DELETE /groups/{id}.json`: 200 `{}` (default) or 204 no body. */
  deleteStatus?: 200 | 204;
  /**
   * How `next_page` links are written. 'same' (default): the origin the request came to. 'http': as a
   * tenant behind a TLS-terminating proxy prints them, `http://<host>/…` with the port dropped (same
   * host, scheme and port differ from what the client called).
   */
  nextPageOrigin?: Kf5NextPageOrigin;
  /** Serve at most this many items per page whatever `per_page` asks (`count`/`next_page` still say more). */
  pageCap?: number;
  /**
   * What an `email/token:apiToken` login may do. 'agent' (default): agent calls only, admin calls
   * (group writes, user delete) answer 403 — the official PHP SDK says calls needing agent or more use
   * the password. 'admin': everything. 'end_user': every agent/admin call answers 403.
   */
  tokenRole?: Kf5TokenRole;
  /**
   * Group write bodies. 'strict' (default): only `name` and `agents` (what the examples and the note
   * write); `id`, `url`, `created_at` (read-only in the field table) or any other key answer 422.
   * 'lenient': other keys are ignored.
   */
  groupWriteFields?: 'strict' | 'lenient';
}

export type Kf5NextPageOrigin = 'same' | 'http';
export type Kf5TokenRole = 'end_user' | 'agent' | 'admin';

export interface Kf5State {
  /** Users with role agent or admin. */
  listAgents(): Kf5UserWire[];
  /** Every user, end users included. */
  listUsers(): Kf5UserWire[];
  getAgent(id: number): Kf5UserWire | undefined;
  findUserByEmail(email: string): Kf5UserWire | undefined;
  listGroups(): Kf5GroupWire[];
  getGroup(id: number): Kf5GroupWire | undefined;
  listRoles(): Kf5CustomRole[];
  addUser(input: Kf5UserInput): Kf5UserWire;
  addGroup(input: { name: string; agents?: number[] }): Kf5GroupWire;
  addRole(input: { name: string; description?: string }): Kf5CustomRole;
  userPassword(id: number): string | null | undefined;
  counts(): { users: number; agents: number; groups: number; roles: number };
  seed(tenant: SeedTenant): SeedResult<number>;
  reset(): void;
}

export interface Kf5Simulator {
  /** `http://127.0.0.1:PORT/apiv2` */
  readonly baseUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly credentials: Kf5Credentials;
  readonly state: Kf5State;
  readonly faults: FaultController;
  setRateLimit(r: RateLimitOptions | false): void;
  stats(): SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

interface KUser {
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
interface KGroup {
  id: number;
  name: string;
  created_at: string;
  members: Set<number>;
}

const ROLES: readonly Kf5Role[] = ['end_user', 'agent', 'admin'];
const STATUSES: readonly Kf5Status[] = ['active', 'suspended', 'unverified'];
const DEFAULT_CREDENTIALS: Kf5Credentials = {
  email: 'admin@kf5-sim.example.com',
  password: 'Kf5-Sim-2024!',
  apiToken: 'c3f9a1d27e4b48b6a0e5d1f83b7c9a42',
};

const isStaff = (u: KUser) => u.role === 'agent' || u.role === 'admin';

function err(status: number, error: string, message: string, extra?: Record<string, unknown>): SimReply {
  return { status, body: { error, message, ...extra } };
}
function invalid(errors: Record<string, string[]>): SimReply {
  return err(422, 'RecordInvalid', 'Record validation errors', { errors });
}
const notFound = (what = 'resource') => err(404, 'NotFound', `The requested ${what} could not be found`);
const forbidden = () => err(403, 'Forbidden', 'You do not have access to this resource');

class Kf5Store {
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

/** The fields `users/search.json` documents for `query_fields` and `exact_query_fields` (Java SDK javadoc). */
export const KF5_SEARCH_FIELDS = ['name', 'email', 'phone', 'landline', 'wechat_openid'] as const;

/** 调用权限 of each route we serve, from the seed doc (groups) and the Java SDK javadoc (users). */
function requiredRole(method: string, relPath: string): 'agent' | 'admin' {
  if (method === 'GET') return 'agent';
  if (/^\/groups(\/[^/]+)?\.json$/.test(relPath)) return 'admin';
  if (method === 'DELETE' && /^\/users\/[^/]+\.json$/.test(relPath)) return 'admin';
  return 'agent';
}

const ROLE_RANK: Record<Kf5TokenRole, number> = { end_user: 0, agent: 1, admin: 2 };

function pageParams(q: URLSearchParams): { page: number; perPage: number } {
  let page = parseIntParam(q.get('page') ?? undefined) ?? 1;
  let perPage = parseIntParam(q.get('per_page') ?? undefined) ?? 100;
  if (Number.isNaN(page) || page < 1) page = 1;
  if (Number.isNaN(perPage) || perPage < 1) perPage = 100;
  return { page, perPage: Math.min(perPage, 100) };
}

interface PageStyle {
  nextPageOrigin: Kf5NextPageOrigin;
  pageCap: number | undefined;
}

/** The origin page links carry: the one asked ('same') or a proxy's `http://host` without the port. */
function linkOrigin(req: SimRequest, style: PageStyle): string {
  if (style.nextPageOrigin === 'same') return `http://${req.host}`;
  return `http://${new URL(`http://${req.host}`).hostname}`;
}

/** Builds `{<key>: items, count, next_page, previous_page}` with absolute page URLs from the Host header. */
function pageReply<T, W>(req: SimRequest, key: string, list: readonly T[], wire: (t: T) => W, style: PageStyle): SimReply {
  const { page, perPage: asked } = pageParams(req.query);
  const perPage = style.pageCap === undefined ? asked : Math.min(asked, style.pageCap);
  const start = (page - 1) * perPage;
  const items = list.slice(start, start + perPage).map(wire);
  const link = (p: number) => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(p));
    return `${linkOrigin(req, style)}${req.pathname}?${q.toString()}`;
  };
  const lastPage = Math.ceil(list.length / perPage);
  return {
    status: 200,
    body: {
      [key]: items,
      count: list.length,
      next_page: page < lastPage ? link(page + 1) : null,
      previous_page: page > 1 ? link(Math.min(page - 1, Math.max(lastPage, 1))) : null,
    },
  };
}

export async function startKf5Simulator(opts: Kf5SimulatorOptions = {}): Promise<Kf5Simulator> {
  const creds: Kf5Credentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  const deleteStatus = opts.deleteStatus ?? 200;
  const tokenRole = opts.tokenRole ?? 'agent';
  const groupWriteFields = opts.groupWriteFields ?? 'strict';
  if (opts.pageCap !== undefined && (!Number.isInteger(opts.pageCap) || opts.pageCap < 1)) throw new Error('pageCap must be a positive integer');
  const style: PageStyle = { nextPageOrigin: opts.nextPageOrigin ?? 'same', pageCap: opts.pageCap };
  // eslint-disable-next-line prefer-const
  let server: SimServer;
  const store = new Kf5Store(() => server.now());
  const prefix = '/apiv2';

  function authenticate(req: SimRequest): SimReply | null {
    const h = req.headers.authorization ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h);
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        const user = decoded.slice(0, i);
        const secret = decoded.slice(i + 1);
        if (user === creds.email && secret === creds.password) return null;
        if (user === `${creds.email}/token` && secret === creds.apiToken) {
          return ROLE_RANK[tokenRole] >= ROLE_RANK[requiredRole(req.method, req.relPath)] ? null : forbidden();
        }
      }
    }
    return {
      ...err(401, 'Unauthorized', "Couldn't authenticate you"),
      headers: { 'www-authenticate': 'Basic realm="KF5 API"' },
    };
  }

  const userById = (raw: string | undefined) => {
    const id = parseIntParam(raw);
    return id === undefined || Number.isNaN(id) ? undefined : store.users.get(id);
  };
  const groupById = (raw: string | undefined) => {
    const id = parseIntParam(raw);
    return id === undefined || Number.isNaN(id) ? undefined : store.groups.get(id);
  };
  const deleted = (): SimReply => (deleteStatus === 204 ? { status: 204 } : { status: 200, body: {} });

  /** Validates user fields; returns field errors (empty when fine). */
  function checkUser(u: Record<string, unknown>, create: boolean, selfId?: number): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    const add = (f: string, m: string) => (errors[f] ??= []).push(m);
    if (create || u.email !== undefined) {
      if (typeof u.email !== 'string' || u.email.trim() === '') add('email', "can't be blank");
      else if (!emailValid(u.email)) add('email', 'is invalid');
      else {
        const other = store.byEmail.get(u.email.toLowerCase());
        if (other !== undefined && other !== selfId) add('email', 'has already been taken');
      }
    }
    if (create || u.name !== undefined) {
      if (typeof u.name !== 'string' || u.name.trim() === '') add('name', "can't be blank");
      else if (u.name.length > 100) add('name', 'is too long (maximum is 100 characters)');
    }
    if (u.role !== undefined && !ROLES.includes(u.role as Kf5Role)) add('role', 'is not included in the list');
    if (u.status !== undefined && !STATUSES.includes(u.status as Kf5Status)) add('status', 'is not included in the list');
    if (u.phone !== undefined && u.phone !== null && !/^[0-9+\-() ]{3,30}$/.test(String(u.phone))) add('phone', 'is invalid');
    if (u.language !== undefined && !/^[a-z]{2}(_[a-z]{2})?$/.test(String(u.language))) add('language', 'is invalid');
    if (u.custom_role_id !== undefined && u.custom_role_id !== null) {
      const id = parseIntParam(u.custom_role_id);
      if (id === undefined || Number.isNaN(id) || !store.roles.has(id)) add('custom_role_id', 'is invalid');
    }
    if (u.password !== undefined && u.password !== null && (typeof u.password !== 'string' || u.password.length < 6)) {
      add('password', 'is too short (minimum is 6 characters)');
    }
    if (u.agent_display_name !== undefined && u.agent_display_name !== null && String(u.agent_display_name).length > 100) {
      add('agent_display_name', 'is too long (maximum is 100 characters)');
    }
    return errors;
  }

  function checkGroup(g: Record<string, unknown>, create: boolean): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    if (groupWriteFields === 'strict') {
      for (const key of Object.keys(g)) if (key !== 'name' && key !== 'agents') errors[key] = ['is not a writable group field'];
    }
    if (create || g.name !== undefined) {
      if (typeof g.name !== 'string' || g.name.trim() === '') errors.name = ["can't be blank"];
      else if (g.name.length > 100) errors.name = ['is too long (maximum is 100 characters)'];
    }
    if (g.agents !== undefined) {
      if (!Array.isArray(g.agents)) errors.agents = ['must be an array of user ids'];
      else {
        const msgs: string[] = [];
        for (const raw of g.agents) {
          // the doc's note: 元素值为客服id (`[123,232]`); the PHP SDK sends digit strings (`['733','1010']`)
          const isId = (typeof raw === 'number' && Number.isInteger(raw)) || (typeof raw === 'string' && /^\d+$/.test(raw));
          const u = isId ? userById(String(raw)) : undefined;
          if (!u) msgs.push(`user ${String(raw)} does not exist`);
          else if (!isStaff(u)) msgs.push(`user ${u.id} is not an agent or admin`);
        }
        if (msgs.length) errors.agents = msgs;
      }
    }
    return errors;
  }

  const wrapped = (req: SimRequest, key: string): Record<string, unknown> | null =>
    isRecord(req.body) && isRecord(req.body[key]) ? (req.body[key] as Record<string, unknown>) : null;

  const userW = (u: KUser) => store.userWire(u);
  const groupW = (g: KGroup) => store.groupWire(g);

  const routes: RouteDef[] = [
    {
      method: 'GET',
      pattern: /^\/apiv2\/users\.json$/,
      key: 'GET /users.json',
      handler: (req) => {
        const roleParam = req.query.get('role');
        let list: readonly KUser[] = store.users.values();
        if (roleParam) {
          const wanted = [...new Set(roleParam.split(',').map((r) => r.trim()).filter(Boolean))].sort();
          list = store.users.view(`role:${wanted.join(',')}`, (u) => wanted.includes(u.role));
        }
        return pageReply(req, 'users', list, userW, style);
      },
    },
    {
      method: 'GET',
      pattern: /^\/apiv2\/users\/search\.json$/,
      key: 'GET /users/search.json',
      handler: (req) => {
        const q = req.query;
        const query = q.get('query') ?? '';
        // strictest reading: `query` is always required (the javadoc's "unless exact_query_fields" names no other value)
        if (query.trim() === '') return invalid({ query: ["can't be blank"] });
        const fields = searchFields(q, 'query_fields');
        const exact = searchFields(q, 'exact_query_fields');
        const errors: Record<string, string[]> = {};
        if (!fields.ok) errors.query_fields = [`is not included in the list (${KF5_SEARCH_FIELDS.join(', ')})`];
        if (!exact.ok) errors.exact_query_fields = [`is not included in the list (${KF5_SEARCH_FIELDS.join(', ')})`];
        if (Object.keys(errors).length) return invalid(errors);
        // any other parameter (e.g. `email=`) is not documented: ignored
        const list = store.users.values().filter((u) =>
          exact.fields.length > 0
            ? exact.fields.some((f) => sameValue(f, fieldOf(u, f), query))
            : (fields.fields.length ? fields.fields : KF5_SEARCH_FIELDS).some((f) => (fieldOf(u, f) ?? '').toLowerCase().includes(query.toLowerCase())),
        );
        return pageReply(req, 'users', list, userW, style);
      },
    },
    {
      method: 'GET',
      pattern: /^\/apiv2\/users\/([^/]+)\/groups\.json$/,
      key: 'GET /users/:id/groups.json',
      handler: (req) => {
        const u = userById(req.params[0]);
        if (!u) return notFound('user');
        const groups: Kf5GroupWire[] = [];
        for (const gid of u.groupIds) {
          const g = store.groups.get(gid);
          if (g) groups.push(store.groupWire(g));
        }
        return { status: 200, body: { groups } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/apiv2\/users\/([^/]+)\.json$/,
      key: 'GET /users/:id.json',
      handler: (req) => {
        const u = userById(req.params[0]);
        return u ? { status: 200, body: { user: userW(u) } } : notFound('user');
      },
    },
    {
      method: 'POST',
      pattern: /^\/apiv2\/users\.json$/,
      key: 'POST /users.json',
      handler: (req) => {
        const u = wrapped(req, 'user');
        if (!u) return invalid({ user: ["can't be blank"] });
        const errors = checkUser(u, true);
        if (Object.keys(errors).length) return invalid(errors);
        const created = store.insertUser({
          email: String(u.email),
          name: String(u.name),
          role: (u.role as Kf5Role | undefined) ?? 'end_user',
          phone: u.phone == null ? null : String(u.phone),
          agent_display_name: u.agent_display_name == null ? null : String(u.agent_display_name),
          language: u.language === undefined ? 'zh_cn' : String(u.language),
          status: (u.status as Kf5Status | undefined) ?? 'active',
          custom_role_id: u.custom_role_id == null ? null : Number(u.custom_role_id),
          password: typeof u.password === 'string' ? u.password : null,
        });
        return {
          status: 201,
          headers: { location: `http://${req.host}/apiv2/users/${created.id}.json` },
          body: { user: userW(created) },
        };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/apiv2\/users\/([^/]+)\.json$/,
      key: 'PUT /users/:id.json',
      handler: (req) => {
        const target = userById(req.params[0]);
        if (!target) return notFound('user');
        const u = wrapped(req, 'user');
        if (!u) return invalid({ user: ["can't be blank"] });
        const errors = checkUser(u, false, target.id);
        if (Object.keys(errors).length) return invalid(errors);
        if (u.email !== undefined && String(u.email) !== target.email) {
          store.byEmail.delete(target.email.toLowerCase());
          target.email = String(u.email);
          store.byEmail.set(target.email.toLowerCase(), target.id);
        }
        if (u.name !== undefined) target.name = String(u.name);
        if (u.phone !== undefined) target.phone = u.phone === null ? null : String(u.phone);
        if (u.agent_display_name !== undefined) {
          target.agent_display_name = u.agent_display_name === null ? null : String(u.agent_display_name);
        }
        if (u.language !== undefined) target.language = String(u.language);
        if (u.status !== undefined) target.status = u.status as Kf5Status;
        if (u.custom_role_id !== undefined) target.custom_role_id = u.custom_role_id === null ? null : Number(u.custom_role_id);
        if (typeof u.password === 'string') target.password = u.password;
        if (u.role !== undefined && u.role !== target.role) {
          target.role = u.role as Kf5Role;
          if (!isStaff(target)) store.leaveAllGroups(target); // end users cannot be group members
        }
        target.updated_at = formatChinaTime(server.now());
        store.users.touch();
        return { status: 200, body: { user: userW(target) } };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/apiv2\/users\/([^/]+)\.json$/,
      key: 'DELETE /users/:id.json',
      handler: (req) => {
        const u = userById(req.params[0]);
        if (!u) return notFound('user');
        store.deleteUser(u);
        return deleted();
      },
    },
    {
      method: 'GET',
      pattern: /^\/apiv2\/groups\.json$/,
      key: 'GET /groups.json',
      handler: (req) => pageReply(req, 'groups', store.groups.values(), groupW, style),
    },
    {
      method: 'GET',
      pattern: /^\/apiv2\/groups\/([^/]+)\.json$/,
      key: 'GET /groups/:id.json',
      handler: (req) => {
        const g = groupById(req.params[0]);
        return g ? { status: 200, body: { group: groupW(g) } } : notFound('group');
      },
    },
    {
      method: 'POST',
      pattern: /^\/apiv2\/groups\.json$/,
      key: 'POST /groups.json',
      handler: (req) => {
        const g = wrapped(req, 'group');
        if (!g) return invalid({ group: ["can't be blank"] });
        const errors = checkGroup(g, true);
        if (Object.keys(errors).length) return invalid(errors);
        const members = Array.isArray(g.agents) ? g.agents.map(Number) : [];
        const created = store.insertGroup(String(g.name), members);
        return {
          status: 201,
          headers: { location: `${store.origin}/apiv2/groups/${created.id}.json` },
          body: { group: groupW(created) },
        };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/apiv2\/groups\/([^/]+)\.json$/,
      key: 'PUT /groups/:id.json',
      handler: (req) => {
        const target = groupById(req.params[0]);
        if (!target) return notFound('group');
        const g = wrapped(req, 'group');
        if (!g) return invalid({ group: ["can't be blank"] });
        const errors = checkGroup(g, false);
        if (Object.keys(errors).length) return invalid(errors);
        if (g.name !== undefined) target.name = String(g.name);
        if (Array.isArray(g.agents)) store.setMembers(target, g.agents.map(Number));
        return { status: 200, body: { group: groupW(target) } };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/apiv2\/groups\/([^/]+)\.json$/,
      key: 'DELETE /groups/:id.json',
      handler: (req) => {
        const g = groupById(req.params[0]);
        if (!g) return notFound('group');
        store.deleteGroup(g);
        return deleted();
      },
    },
  ];

  server = new SimServer(
    {
      apiPrefix: prefix,
      routes,
      authenticate,
      notFound: () => notFound(),
      badRequest: (message) => err(400, 'BadRequest', message),
      tooManyRequests: (s) => err(429, 'TooManyRequests', `Rate limit exceeded, retry in ${s} seconds`),
      serverError: (status) => err(status, 'InternalServerError', 'Something went wrong on our side'),
      malformedBody: '{"users":[{"id":1001,"url":"http://',
    },
    opts,
  );
  if (opts.tenant) store.seed(opts.tenant);
  await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  store.origin = server.origin;

  const state: Kf5State = {
    listAgents: () => store.users.view('staff', isStaff).map(userW),
    listUsers: () => store.users.values().map(userW),
    getAgent: (id) => {
      const u = store.users.get(id);
      return u && userW(u);
    },
    findUserByEmail: (email) => {
      const id = store.byEmail.get(email.toLowerCase());
      const u = id === undefined ? undefined : store.users.get(id);
      return u && userW(u);
    },
    listGroups: () => store.groups.values().map(groupW),
    getGroup: (id) => {
      const g = store.groups.get(id);
      return g && groupW(g);
    },
    listRoles: () => store.roles.values().map((r) => ({ ...r })),
    addUser: (input) => userW(store.insertUser(input)),
    addGroup: (input) => groupW(store.insertGroup(input.name, input.agents ?? [])),
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

  return {
    baseUrl: `${server.origin}${prefix}`,
    origin: server.origin,
    port: server.port,
    get credentials() {
      return { ...creds };
    },
    state,
    faults: server.faults,
    setRateLimit: (r) => server.setRateLimit(r),
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    close: () => server.close(),
  };
}

function fieldOf(u: KUser, f: string): string | null {
  switch (f) {
    case 'email':
      return u.email;
    case 'name':
      return u.name;
    case 'phone':
      return u.phone;
    default:
      return null; // landline and wechat_openid: the simulator stores none
  }
}

/** A comma list of documented search fields; `ok: false` when it names any other. */
function searchFields(q: URLSearchParams, param: string): { ok: boolean; fields: string[] } {
  const raw = q.get(param);
  if (raw === null) return { ok: true, fields: [] };
  const fields = raw.split(',').map((f) => f.trim()).filter(Boolean);
  return { ok: fields.length > 0 && fields.every((f) => (KF5_SEARCH_FIELDS as readonly string[]).includes(f)), fields };
}

/** Exact match; emails compare case-insensitively (the simulator keeps them unique that way). */
function sameValue(field: string, value: string | null, query: string): boolean {
  if (value === null) return false;
  return field === 'email' ? value.toLowerCase() === query.toLowerCase() : value === query;
}
