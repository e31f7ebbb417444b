import { createHash } from 'node:crypto';
import { Rng } from './prng';
import {
  SimServer,
  isRecord,
  parseIntParam,
  emailValid,
  type AfterRequestsHandle,
  type CommonSimulatorOptions,
  type FaultController,
  type RateLimitOptions,
  type RouteDef,
  type SimReply,
  type SimRequest,
  type SimulatorStats,
} from './server';
import { Table } from './table';
import type { SeedAgent, SeedChannel, SeedTenant } from './tenant';
import type { SeedResult } from './types';

// ---------------------------------------------------------------------------------------------
// Wire types (what the Udesk Open API sends)
// ---------------------------------------------------------------------------------------------

export type UdeskProfile = 'all' | 'im' | 'call' | 'ticket' | 'dial';

/** An agent as `GET /agents` lists it. */
export interface UdeskAgentWire {
  id: number;
  email: string;
  nick_name: string | null;
  profile: UdeskProfile;
  aliase: string | null;
  cellphone: string | null;
  /** Not a role's name: the docs print "agent" here for an agent whose role 11 is "Customer Service". */
  role_name: string | null;
  duty: string | null;
  im_ability_value: number;
  user_group_ids: number[];
  /** SIP account (secret). */
  number: string;
  /** SIP password (secret). */
  password: string;
  avatar: string | null;
  work_id: string | null;
  /** An array (the docs' example), or the first department as an object (`departmentsForm: 'object'`, the table's type). */
  departments: Array<{ id: number; name: string }> | { id: number; name: string } | null;
  agent_callout_display_number: string | null;
  disable_status: 'enable' | 'disable';
  availability: boolean;
  im_welcomes: string | null;
  lang: 'zh-cn' | 'en-us' | null;
}

/** An agent as `GET /agents/get_agent` and `PUT /agents/:id` return it. */
export interface UdeskAgentDetailWire extends UdeskAgentWire {
  user_groups: Array<{ id: number; name: string }>;
  agent_roles: Array<{ id: number; name: string }>;
}

/** An agent as `PUT /agents/:id` returns it: the documented reply fields only. */
export type UdeskAgentPutWire = Omit<UdeskAgentDetailWire, 'role_name' | 'user_group_ids'>;

export interface UdeskUserGroupWire {
  id: number;
  name: string;
  agents: Array<{ id: number; nick_name: string | null }>;
}
export interface UdeskRoleWire {
  id: number;
  name: string;
  description: string;
}
export interface UdeskDepartmentWire {
  id: number;
  name: string;
  sub_department: UdeskDepartmentWire[];
}

/** What `state.addAgent` takes: create-body fields plus optional fixed values. */
export interface UdeskAgentInput {
  email: string;
  /** Log-in password (never returned). Default 'Passw0rd!'. */
  password?: string;
  id?: number;
  nick_name?: string | null;
  aliase?: string | null;
  cellphone?: string | null;
  profile?: UdeskProfile;
  duty?: string | null;
  im_ability_value?: number;
  avatar?: string | null;
  work_id?: string | null;
  im_welcomes?: string | null;
  availability?: boolean;
  lang?: 'zh-cn' | 'en-us' | null;
  disable_status?: 'enable' | 'disable';
  agent_callout_display_number?: string | null;
  agent_role_ids?: number[];
  user_group_ids?: number[];
  department_ids?: number[];
  /** SIP credentials; generated when absent. */
  number?: string;
  sip_password?: string;
  custom_fields?: Record<string, unknown>;
}

export interface UdeskCredentials {
  /** Super-administrator email: the `email` query parameter. */
  email: string;
  /** `open_api_token`: the signing secret. */
  apiToken: string;
  /** Log-in password for `POST /log_in`. */
  password: string;
}

/**
 * The readings of what the docs leave open. Defaults are the strictest reading; the adapter's
 * e2e suite runs against each.
 */
export interface UdeskReadings {
  /** Serve at most n items per page whatever `per_page` says (meta stays correct): real replies do. */
  pageCap?: number | undefined;
  /** `departments` on agents: an array (the example, default) or an object (the table's type). */
  departmentsForm?: 'array' | 'object' | undefined;
  /** `meta` total field: `total_count` (default) or `count` (older replies). */
  metaTotalField?: 'total_count' | 'count' | undefined;
  /**
   * `DELETE /agents/:id` `owner_group_id`: 'required' (the table, default) or 'optional' (the
   * note: without it the agent's customers are left with no owner).
   */
  deleteOwnerGroup?: 'required' | 'optional' | undefined;
  /** The text field of error bodies: `message` (the seed's table, default) or `code_message` (a client reads that). */
  errorMessageField?: 'message' | 'code_message' | undefined;
  /** `GET /user_groups/:id/agents` with `meta` (default, our choice) or without (the notes show none). */
  groupMembersMeta?: boolean | undefined;
}

export interface UdeskSimulatorOptions extends CommonSimulatorOptions, UdeskReadings {
  tenant?: SeedTenant;
  credentials?: Partial<UdeskCredentials>;
  /** custom field keys the tenant marks required: a create without them is refused (code 2000) */
  requiredCustomFields?: readonly string[] | undefined;
  /** trunk number ids a `callout_number_id` may take (default none: any id is invalid) */
  calloutNumberIds?: readonly number[] | undefined;
  /** the company's limit of agents per employee type: beyond it "The current type of employee has reached the limit" */
  profileLimits?: Partial<Record<UdeskProfile, number>> | undefined;
}

/** Agent states the API cannot set but refuses writes for (the seed's 11006, 11007 and delete rows). */
export interface UdeskAgentFlags {
  /** 11006: the employee IM is online, cannot be updated */
  imOnline?: boolean;
  /** 11007: the employee has IM sessions not closed, cannot be updated */
  openImSessions?: boolean;
  /** 2000 "…has responsible customers and cannot be deleted" */
  responsibleTickets?: boolean;
}

export interface UdeskState {
  listAgents(): UdeskAgentDetailWire[];
  getAgent(id: number): UdeskAgentDetailWire | undefined;
  findAgentByEmail(email: string): UdeskAgentDetailWire | undefined;
  listGroups(): UdeskUserGroupWire[];
  getGroup(id: number): UdeskUserGroupWire | undefined;
  listRoles(): UdeskRoleWire[];
  listDepartments(): UdeskDepartmentWire[];
  addAgent(input: UdeskAgentInput): UdeskAgentDetailWire;
  addGroup(input: { name: string; agent_ids?: number[] }): UdeskUserGroupWire;
  addRole(input: { name: string; description?: string }): UdeskRoleWire;
  addDepartment(input: { name: string; parent_id?: number }): { id: number; name: string; parent_id: number };
  /** The log-in password of an agent (for tests of create/update). */
  agentLoginPassword(id: number): string | undefined;
  /** The SIP password of an agent (what replies print as `password`). */
  agentSipPassword(id: number): string | undefined;
  /** The custom_fields last written for an agent (replies do not print them). */
  agentCustomFields(id: number): Record<string, unknown> | undefined;
  /** Sets the states that make PUT/DELETE refuse (IM online, open sessions, responsible tickets). */
  setAgentFlags(id: number, flags: UdeskAgentFlags): void;
  counts(): { agents: number; groups: number; roles: number; departments: number };
  seed(tenant: SeedTenant): SeedResult<number>;
  reset(): void;
}

export interface UdeskSimulator {
  /** `http://127.0.0.1:PORT/open_api_v1` */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Current credentials (apiToken changes on `rotateToken`). */
  readonly credentials: UdeskCredentials;
  readonly state: UdeskState;
  readonly faults: FaultController;
  /** Issue a new open_api_token; the old one stops working at once. Returns the new one. */
  rotateToken(): string;
  setRateLimit(r: RateLimitOptions | false): void;
  stats(): SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

export type { AfterRequestsHandle };

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

export const UDESK_CODES = {
  OK: 1000,
  INVALID: 2000,
  NOT_FOUND: 2005,
  BAD_SIGN: 2059,
  TIMESTAMP_INVALID: 20621,
  TIMESTAMP_EXPIRED: 20622,
  NONCE_REUSED: 20623,
  NONCE_EMPTY: 20624,
} as const;

interface UAgent {
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
interface UGroup {
  id: number;
  name: string;
  members: Set<number>;
}
interface UDept {
  id: number;
  name: string;
  parent_id: number;
}

const PROFILES: readonly UdeskProfile[] = ['all', 'im', 'call', 'ticket', 'dial'];
const NONCE_TTL_MS = 15 * 60_000;
const TIMESTAMP_WINDOW_S = 300;
const DEFAULT_CREDENTIALS: UdeskCredentials = {
  email: 'admin@udesk-sim.example.com',
  apiToken: '8a1f3c52-6d0e-4b7a-9e21-5c4d7b9f0a13',
  password: 'Udesk-Sim-2024!',
};

function ok(body: Record<string, unknown>): SimReply {
  return { status: 200, body: { code: UDESK_CODES.OK, ...body } };
}
function fail(code: number, message: string, extra?: Record<string, unknown>): SimReply {
  return { status: 200, body: { code, message, ...extra } };
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

function strOrNull(v: unknown): string | null {
  return v === undefined || v === null ? null : String(v);
}

class UdeskStore {
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
function pageOf<T>(query: URLSearchParams, all: readonly T[], readings: UdeskReadings): PageWindow<T> | SimReply {
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

const ID_ARRAYS = ['agent_role_ids', 'user_group_ids', 'department_ids'] as const;
const STRING_FIELDS = ['nick_name', 'aliase', 'cellphone', 'profile', 'duty'] as const;

/** Validates and normalises the optional agent fields shared by create and update. */
function checkAgentFields(agent: Record<string, unknown>): string | null {
  if (agent.email !== undefined) {
    if (typeof agent.email !== 'string' || !emailValid(agent.email)) return 'The email format is invalid';
    if (agent.email.length > 255) return 'email is too long (maximum is 255 characters)';
  }
  if (agent.password !== undefined) {
    if (typeof agent.password !== 'string' || agent.password.length === 0) return 'password is invalid';
    if (agent.password.length > 255) return 'password is too long (maximum is 255 characters)';
  }
  for (const f of STRING_FIELDS) {
    const v = agent[f];
    if (v !== undefined && v !== null && String(v).length > 255) return `${f} is too long (maximum is 255 characters)`;
  }
  if (agent.profile !== undefined && agent.profile !== null && !PROFILES.includes(agent.profile as UdeskProfile)) {
    return 'The employee type cannot be assigned this permission';
  }
  for (const f of ID_ARRAYS) {
    const v = agent[f];
    if (v === undefined || v === null) continue; // "not filled in": required on create, checked there
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(Number(x)))) return `${f} must be an array of integers`;
    if (v.length > 10) return `${f} can contain at most 10 ids`;
  }
  if (agent.im_ability_value !== undefined && !Number.isInteger(Number(agent.im_ability_value))) {
    return 'im_ability_value must be an integer';
  }
  if (agent.availability !== undefined && typeof agent.availability !== 'boolean') return 'availability must be true or false';
  if (agent.lang !== undefined && agent.lang !== null && agent.lang !== 'zh-cn' && agent.lang !== 'en-us') {
    return 'lang must be zh-cn or en-us';
  }
  if (agent.disable_status !== undefined && agent.disable_status !== 'enable' && agent.disable_status !== 'disable') {
    return 'disable_status must be enable or disable';
  }
  if (agent.custom_fields !== undefined && !isRecord(agent.custom_fields)) return CUSTOM_FIELDS_INVALID;
  return null;
}

/** The documented message for custom_fields that are missing or do not meet the tenant's rules. */
const CUSTOM_FIELDS_INVALID = 'The resource does not exist, please check the input parameters';
const PROFILE_LIMIT = 'The current type of employee has reached the limit';
/** The create fields the docs mark required; missing, null, '' or [] is "XXX is required". */
const CREATE_REQUIRED = ['email', 'password', 'agent_role_ids', 'user_group_ids', 'department_ids', 'im_ability_value'] as const;
const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const required = (fields: readonly string[]) => fail(UDESK_CODES.INVALID, fields.map((f) => `${f} is required`).join(', '));

const ids = (v: unknown): number[] => (Array.isArray(v) ? v.map((x) => Number(x)) : []);

export async function startUdeskSimulator(opts: UdeskSimulatorOptions = {}): Promise<UdeskSimulator> {
  const creds: UdeskCredentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  if (opts.pageCap !== undefined && (!Number.isInteger(opts.pageCap) || opts.pageCap < 1)) throw new Error('pageCap must be a positive integer');
  const readings: UdeskReadings = {
    pageCap: opts.pageCap,
    departmentsForm: opts.departmentsForm,
    metaTotalField: opts.metaTotalField,
    deleteOwnerGroup: opts.deleteOwnerGroup,
    errorMessageField: opts.errorMessageField,
    groupMembersMeta: opts.groupMembersMeta,
  };
  const store = new UdeskStore(readings);
  const nonces = new Map<string, number>(); // nonce → expiry ms
  const nonceQueue: Array<[string, number]> = [];
  let nonceHead = 0;
  let rotations = 0;
  const prefix = '/open_api_v1';

  // eslint-disable-next-line prefer-const
  let server: SimServer;
  const now = () => server.now();

  function authenticate(req: SimRequest): SimReply | null {
    const q = req.query;
    const email = q.get('email') ?? '';
    const tsRaw = q.get('timestamp');
    const nonce = q.get('nonce') ?? '';
    const sign = q.get('sign') ?? '';
    const version = q.get('sign_version') ?? '';
    if (tsRaw === null || !/^\d+$/.test(tsRaw.trim())) {
      return fail(UDESK_CODES.TIMESTAMP_INVALID, 'timestamp is missing or not a number');
    }
    if (nonce === '') return fail(UDESK_CODES.NONCE_EMPTY, 'nonce cannot be empty');
    const expected = createHash('sha256')
      .update(`${creds.email}&${creds.apiToken}&${tsRaw}&${nonce}&v2`, 'utf8')
      .digest('hex');
    if (email !== creds.email || version !== 'v2' || sign.toLowerCase() !== expected) {
      return fail(UDESK_CODES.BAD_SIGN, 'The open api signature is incorrect');
    }
    const t = now();
    if (Math.abs(Number(tsRaw) - t / 1000) > TIMESTAMP_WINDOW_S) {
      return fail(UDESK_CODES.TIMESTAMP_EXPIRED, 'timestamp is more than 5 minutes away from server time');
    }
    // expire old nonces
    while (nonceHead < nonceQueue.length && nonceQueue[nonceHead]![1] <= t) {
      const [n, exp] = nonceQueue[nonceHead++]!;
      if (nonces.get(n) === exp) nonces.delete(n);
    }
    if (nonceHead > 4096 && nonceHead * 2 > nonceQueue.length) {
      nonceQueue.splice(0, nonceHead);
      nonceHead = 0;
    }
    const seen = nonces.get(nonce);
    if (seen !== undefined && seen > t) {
      return fail(UDESK_CODES.NONCE_REUSED, 'nonce has already been used within 15 minutes');
    }
    nonces.set(nonce, t + NONCE_TTL_MS);
    nonceQueue.push([nonce, t + NONCE_TTL_MS]);
    return null;
  }

  const bodyAgent = (req: SimRequest): Record<string, unknown> | null =>
    isRecord(req.body) && isRecord(req.body.agent) ? req.body.agent : null;

  const findAgent = (raw: string | undefined): UAgent | undefined => {
    const id = parseIntParam(raw);
    return id === undefined || Number.isNaN(id) ? undefined : store.agents.get(id);
  };
  const findGroup = (raw: string | undefined): UGroup | undefined => {
    const id = parseIntParam(raw);
    return id === undefined || Number.isNaN(id) ? undefined : store.groups.get(id);
  };

  const routes: RouteDef[] = [
    {
      method: 'POST',
      pattern: /^\/open_api_v1\/log_in$/,
      key: 'POST /log_in',
      auth: false,
      authEndpoint: true,
      handler: (req) => {
        server.extra.logins = (server.extra.logins ?? 0) + 1;
        const b = isRecord(req.body) ? req.body : {};
        if (b.email !== creds.email || b.password !== creds.password) {
          return fail(UDESK_CODES.NOT_FOUND, 'The email or password is incorrect');
        }
        return ok({ open_api_auth_token: creds.apiToken });
      },
    },
    {
      method: 'GET',
      pattern: /^\/open_api_v1\/agents$/,
      key: 'GET /agents',
      handler: (req) => {
        const withDisabled = req.query.get('with_disabled');
        if (withDisabled !== null && withDisabled !== 'true' && withDisabled !== 'false') return fail(UDESK_CODES.INVALID, 'with_disabled must be true or false');
        const list = withDisabled === 'true' ? store.agents.values() : store.agents.view('enabled', (a) => a.disable_status === 'enable');
        const p = pageOf(req.query, list, readings);
        if ('status' in p) return p;
        return ok({ meta: p.meta, agents: p.items.map((a) => store.listWire(a)) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/open_api_v1\/agents\/get_agent$/,
      key: 'GET /agents/get_agent',
      handler: (req) => {
        const type = req.query.get('type');
        const content = req.query.get('content') ?? '';
        const missing = (['type', 'content'] as const).filter((f) => isBlank(req.query.get(f)));
        if (missing.length) return required(missing);
        let a: UAgent | undefined;
        if (type === 'id') a = findAgent(content);
        else if (type === 'email') {
          const id = store.byEmail.get(content.toLowerCase());
          a = id === undefined ? undefined : store.agents.get(id);
        }
        if (!a) return fail(UDESK_CODES.NOT_FOUND, 'The resource does not exist, please check the input parameters');
        return ok({ agent: store.detailWire(a) });
      },
    },
    {
      method: 'POST',
      pattern: /^\/open_api_v1\/agents$/,
      key: 'POST /agents',
      handler: (req) => {
        const agent = bodyAgent(req);
        if (!agent) {
          return fail(UDESK_CODES.INVALID, 'Unknown error', {
            exception: { message: 'param is missing or the value is empty: agent' },
          });
        }
        const bad = checkAgentFields(agent);
        if (bad) return fail(UDESK_CODES.INVALID, bad);
        // "non-company ids will be removed in the request": what is left must not be empty
        const companyIds = {
          agent_role_ids: ids(agent.agent_role_ids).filter((r) => store.roles.has(r)),
          user_group_ids: ids(agent.user_group_ids).filter((g) => store.groups.has(g)),
          department_ids: ids(agent.department_ids).filter((d) => store.depts.has(d)),
        };
        const missing = CREATE_REQUIRED.filter((f) => isBlank(f in companyIds ? companyIds[f as keyof typeof companyIds] : agent[f]));
        if (missing.length) return required(missing);
        const customFields = isRecord(agent.custom_fields) ? agent.custom_fields : {};
        if ((opts.requiredCustomFields ?? []).some((k) => isBlank(customFields[k]))) return fail(UDESK_CODES.INVALID, CUSTOM_FIELDS_INVALID);
        if (!calloutValid(agent.callout_number_id)) return fail(UDESK_CODES.INVALID, 'The callout_number_id value is invalid');
        if (profileFull((agent.profile as UdeskProfile | undefined) ?? 'im')) return fail(UDESK_CODES.INVALID, PROFILE_LIMIT);
        const email = agent.email as string;
        if (store.byEmail.has(email.toLowerCase())) return fail(UDESK_CODES.INVALID, 'The email has been occupied');
        if (agent.password === email) {
          return fail(UDESK_CODES.INVALID, 'Verification failed: the password must be different from the email address');
        }
        const a = store.insertAgent({
          email,
          password: agent.password as string,
          nick_name: strOrNull(agent.nick_name),
          aliase: strOrNull(agent.aliase),
          cellphone: strOrNull(agent.cellphone),
          profile: (agent.profile as UdeskProfile | undefined) ?? 'im',
          duty: strOrNull(agent.duty),
          im_ability_value: Number(agent.im_ability_value),
          im_welcomes: strOrNull(agent.im_welcomes),
          availability: (agent.availability as boolean | undefined) ?? true,
          avatar: strOrNull(agent.avatar),
          work_id: strOrNull(agent.work_id),
          lang: (agent.lang as 'zh-cn' | 'en-us' | null | undefined) ?? null,
          ...companyIds,
          custom_fields: customFields,
        });
        return ok({ agent_id: a.id });
      },
    },
    {
      method: 'PUT',
      pattern: /^\/open_api_v1\/agents\/([^/]+)$/,
      key: 'PUT /agents/:id',
      handler: (req) => {
        const a = findAgent(req.params[0]);
        // with_disabled (URL parameter): without it a disabled agent is not found
        if (!a || (a.disable_status === 'disable' && req.query.get('with_disabled') !== 'true')) {
          return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
        }
        const agent = bodyAgent(req);
        if (!agent) {
          return fail(UDESK_CODES.INVALID, 'Unknown error', {
            exception: { message: 'param is missing or the value is empty: agent' },
          });
        }
        if (a.flags.imOnline) return { status: 200, body: { code: 11006 } };
        if (a.flags.openImSessions) return { status: 200, body: { code: 11007 } };
        const bad = checkAgentFields(agent);
        if (bad) return fail(UDESK_CODES.INVALID, bad);
        if (!calloutValid(agent.callout_number_id)) return fail(UDESK_CODES.INVALID, 'The callout_number_id value is invalid');
        if (agent.profile !== undefined && agent.profile !== a.profile && profileFull(agent.profile as UdeskProfile)) return fail(UDESK_CODES.INVALID, PROFILE_LIMIT);
        const email = (agent.email as string | undefined) ?? a.email;
        if (agent.email !== undefined) {
          const other = store.byEmail.get(email.toLowerCase());
          if (other !== undefined && other !== a.id) return fail(UDESK_CODES.INVALID, 'The email has been occupied');
        }
        const password = (agent.password as string | undefined) ?? a.loginPassword;
        if ((agent.password !== undefined || agent.email !== undefined) && password === email) {
          return fail(UDESK_CODES.INVALID, 'Verification failed: the password must be different from the email address');
        }
        if (email !== a.email) {
          store.byEmail.delete(a.email.toLowerCase());
          store.byEmail.set(email.toLowerCase(), a.id);
          a.email = email;
        }
        // the request table's `password` is the log-in password; the SIP pair (`number`/`password`
        // in replies) is not writable here, so the example's `number` is ignored
        a.loginPassword = password;
        if (isRecord(agent.custom_fields)) a.customFields = { ...a.customFields, ...agent.custom_fields };
        if (agent.nick_name !== undefined) a.nick_name = strOrNull(agent.nick_name);
        if (agent.aliase !== undefined) a.aliase = strOrNull(agent.aliase);
        if (agent.cellphone !== undefined) a.cellphone = strOrNull(agent.cellphone);
        if (agent.profile !== undefined && agent.profile !== null) a.profile = agent.profile as UdeskProfile;
        if (agent.duty !== undefined) a.duty = strOrNull(agent.duty);
        if (agent.im_welcomes !== undefined) a.im_welcomes = strOrNull(agent.im_welcomes);
        if (agent.avatar !== undefined) a.avatar = strOrNull(agent.avatar);
        if (agent.work_id !== undefined) a.work_id = strOrNull(agent.work_id);
        if (agent.im_ability_value !== undefined) a.im_ability_value = Number(agent.im_ability_value);
        if (agent.availability !== undefined) a.availability = agent.availability as boolean;
        if (agent.lang !== undefined) a.lang = agent.lang as 'zh-cn' | 'en-us' | null;
        if (agent.disable_status !== undefined) {
          a.disable_status = agent.disable_status as 'enable' | 'disable';
          store.agents.touch();
        }
        if (agent.agent_role_ids !== undefined) a.roleIds = ids(agent.agent_role_ids).filter((r) => store.roles.has(r));
        if (agent.department_ids !== undefined) {
          a.departmentIds = ids(agent.department_ids).filter((d) => store.depts.has(d));
        }
        if (agent.user_group_ids !== undefined) store.setAgentGroups(a, ids(agent.user_group_ids));
        return ok({ agent: store.putWire(a) });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/open_api_v1\/agents\/([^/]+)$/,
      key: 'DELETE /agents/:id',
      handler: (req) => {
        const a = findAgent(req.params[0]);
        if (!a) return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
        const refused = checkOwner(isRecord(req.body) ? req.body : {});
        if (refused) return refused;
        if (a.flags.responsibleTickets) return fail(UDESK_CODES.INVALID, 'The customer service agent has responsible customers and cannot be deleted');
        store.deleteAgent(a);
        return ok({ message: `The customer service agent with ID ${a.id} has been successfully deleted` });
      },
    },
    {
      method: 'GET',
      pattern: /^\/open_api_v1\/user_groups$/,
      key: 'GET /user_groups',
      handler: (req) => {
        const p = pageOf(req.query, store.groups.values(), readings);
        if ('status' in p) return p;
        return ok({ meta: p.meta, user_groups: p.items.map((g) => store.groupWire(g)) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/open_api_v1\/user_groups\/([^/]+)\/agents$/,
      key: 'GET /user_groups/:id/agents',
      handler: (req) => {
        const g = findGroup(req.params[0]);
        if (!g) return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
        const p = pageOf(req.query, [...g.members], readings);
        if ('status' in p) return p;
        const agents = p.items.map((id) => {
          const a = store.agents.get(id)!;
          return { id: a.id, nick_name: a.nick_name, email: a.email, cellphone: a.cellphone };
        });
        const group = { user_group: { id: g.id, name: g.name, agents } };
        return ok(readings.groupMembersMeta === false ? group : { meta: p.meta, ...group });
      },
    },
    {
      method: 'POST',
      pattern: /^\/open_api_v1\/user_groups$/,
      key: 'POST /user_groups',
      handler: (req) => {
        const b = isRecord(req.body) ? req.body : {};
        const bad = checkGroupBody(b, true);
        if (bad) return fail(UDESK_CODES.INVALID, bad);
        const g = store.insertGroup(String(b.name), ids(b.agent_ids));
        return ok({ user_group: store.groupWire(g) });
      },
    },
    {
      method: 'PUT',
      pattern: /^\/open_api_v1\/user_groups\/([^/]+)$/,
      key: 'PUT /user_groups/:id',
      handler: (req) => {
        const g = findGroup(req.params[0]);
        if (!g) return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
        const b = isRecord(req.body) ? req.body : {};
        const bad = checkGroupBody(b, false);
        if (bad) return fail(UDESK_CODES.INVALID, bad);
        if (b.name !== undefined) g.name = String(b.name);
        if (b.agent_ids !== undefined) store.setGroupMembers(g, ids(b.agent_ids));
        return ok({ user_group: store.groupWire(g) });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/open_api_v1\/user_groups\/([^/]+)$/,
      key: 'DELETE /user_groups/:id',
      handler: (req) => {
        const g = findGroup(req.params[0]);
        if (!g) return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
        store.deleteGroup(g);
        return ok({ message: `The customer service group with ID ${g.id} has been successfully deleted` });
      },
    },
    {
      method: 'GET',
      pattern: /^\/open_api_v1\/agent_roles$/,
      key: 'GET /agent_roles',
      handler: () => ok({ agent_roles: store.roles.values().map((r) => ({ ...r })) }),
    },
    {
      method: 'GET',
      pattern: /^\/open_api_v1\/departments$/,
      key: 'GET /departments',
      handler: () => ok({ departments: store.deptTree() }),
    },
    {
      method: 'POST',
      pattern: /^\/open_api_v1\/departments$/,
      key: 'POST /departments',
      handler: (req) => {
        const b = isRecord(req.body) ? req.body : {};
        if (typeof b.name !== 'string' || b.name.trim() === '') return fail(UDESK_CODES.INVALID, 'name is required');
        if (b.name.length > 255) return fail(UDESK_CODES.INVALID, 'name is too long (maximum is 255 characters)');
        const parent = parseIntParam(b.parent_id) ?? 0;
        if (Number.isNaN(parent) || (parent !== 0 && !store.depts.has(parent))) {
          return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
        }
        return ok({ id: store.insertDept(b.name, parent).id });
      },
    },
  ];

  function profileFull(profile: UdeskProfile): boolean {
    const limit = opts.profileLimits?.[profile];
    return limit !== undefined && store.agents.values().filter((x) => x.profile === profile).length >= limit;
  }

  /** `errorMessageField: 'code_message'`: error bodies name their text `code_message` (one client reads that). */
  function errorForm(reply: SimReply): SimReply {
    if (readings.errorMessageField !== 'code_message' || !isRecord(reply.body) || reply.body.code === UDESK_CODES.OK || !('message' in reply.body)) return reply;
    const { message, ...rest } = reply.body;
    return { ...reply, body: { ...rest, code_message: message } };
  }

  function calloutValid(v: unknown): boolean {
    return v === undefined || v === null || (opts.calloutNumberIds ?? []).includes(Number(v));
  }

  /** DELETE /agents/:id body: owner_group_id (required by the table) and owner_id within that group. */
  function checkOwner(b: Record<string, unknown>): SimReply | null {
    if (isBlank(b.owner_group_id)) {
      return readings.deleteOwnerGroup === 'optional' && isBlank(b.owner_id) ? null : required(['owner_group_id']);
    }
    const g = findGroup(String(b.owner_group_id));
    if (!g) return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
    if (!isBlank(b.owner_id) && !g.members.has(Number(b.owner_id))) return fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
    return null;
  }

  function checkGroupBody(b: Record<string, unknown>, create: boolean): string | null {
    if (create || b.name !== undefined) {
      if (typeof b.name !== 'string' || b.name.trim() === '') return 'name is required';
      if (b.name.length > 255) return 'name is too long (maximum is 255 characters)';
    }
    if (b.agent_ids !== undefined) {
      if (!Array.isArray(b.agent_ids) || !b.agent_ids.every((x) => Number.isInteger(Number(x)))) {
        return 'agent_ids must be an array of integers';
      }
    }
    return null;
  }

  server = new SimServer(
    {
      apiPrefix: prefix,
      routes: routes.map((r) => ({ ...r, handler: (req: SimRequest) => errorForm(r.handler(req)) })),
      authenticate: (req: SimRequest) => {
        const refused = authenticate(req);
        return refused && errorForm(refused);
      },
      notFound: () => ({ status: 404, body: { code: 404, message: 'Not Found' } }),
      badRequest: (message) => fail(UDESK_CODES.INVALID, 'Unknown error', { exception: { message } }),
      tooManyRequests: () => ({ status: 429, body: { code: 429, message: 'Too many requests' } }),
      serverError: (status) => ({ status, body: { code: status, message: 'Internal Server Error' } }),
      malformedBody: '{"code":1000,"agents":[{"id":1,"email":"trunc',
    },
    opts,
  );
  server.extra.logins = 0;
  if (opts.tenant) store.seed(opts.tenant);
  await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);

  const state: UdeskState = {
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

  return {
    baseUrl: `${server.origin}${prefix}`,
    origin: server.origin,
    port: server.port,
    get credentials() {
      return { ...creds };
    },
    state,
    faults: server.faults,
    rotateToken: () => {
      rotations++;
      const h = createHash('sha256').update(`${creds.apiToken}:${rotations}`).digest('hex');
      creds.apiToken = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
      return creds.apiToken;
    },
    setRateLimit: (r) => server.setRateLimit(r),
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    close: () => server.close(),
  };
}
