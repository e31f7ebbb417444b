import {
  AgentInputSchema,
  AgentPatchSchema,
  EmailSchema,
  GroupInputSchema,
  GroupPatchSchema,
  IssueCollector,
  NotFoundError,
  ValidationError,
  checkPassword,
  createAdapterTransport,
  transportMembers,
  paginate,
  pageNumberCursor,
  parseInput,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type AgentsResource,
  type CallOptions,
  type CreateOptions,
  agentAsWritten,
  type Capabilities,
  type CommonClientOptions,
  type ContactCenterClient,
  type DeleteOptions,
  type Group,
  type GroupInput,
  type GroupPatch,
  type GroupsResource,
  type HttpTransport,
  type ListOptions,
  type MappingWarning,
  type PageTotals,
  type PagedIterable,
  type PasswordRules,
  type RolesResource,
  type TransportResponse,
  type ValidationIssue,
  type WritePreview,
} from '@contactkit/core';
import type { z } from 'zod';
import { UdeskAuth } from './auth';
import { createUdeskClassifier } from './errors';
import {
  AGENT_VENDOR_FIELDS,
  DEFAULT_IM_ABILITY_VALUE,
  UDESK_REQUIRED_ID_FIELDS,
  agentFromWire,
  agentToWire,
  flattenDepartments,
  groupFromWire,
  groupToWire,
  requiredIds,
  roleFromWire,
  type Department,
  type UdeskCreateDefaults,
  type UdeskRequiredIdField,
} from './mapping';
import {
  UdeskAgentCreateReplySchema,
  UdeskAgentListReplySchema,
  UdeskAgentReplySchema,
  UdeskDepartmentListReplySchema,
  UdeskMessageReplySchema,
  UdeskRoleListReplySchema,
  UdeskUserGroupAgentsReplySchema,
  UdeskUserGroupListReplySchema,
  UdeskUserGroupReplySchema,
  type UdeskAgent,
  type UdeskAgentDeleteBody,
  type UdeskMeta,
  type UdeskAgentWrite,
} from './wire';

export interface UdeskClientOptions extends CommonClientOptions {
  /** `demo` for https://demo.udesk.cn/open_api_v1 (or give `baseUrl`) */
  subdomain?: string | undefined;
  /** the super-administrator email */
  email: string;
  /** the `open_api_token`; give it, or `password` (or both: the password then re-logs in when the token is rejected) */
  apiToken?: string | undefined;
  /** the administrator password: `POST /log_in` fetches the token */
  password?: string | undefined;
  /** keep the SIP `number`/`password` of agents in `remoteData` (default false: they are removed) */
  exposeSipCredentials?: boolean | undefined;
  /** `im_ability_value` sent on create when `vendorFields.im_ability_value` is absent (default 1) */
  defaultImAbilityValue?: number | undefined;
  /**
   * Ids sent on create when the input's `roleIds` / `groupIds` / `departmentIds` is absent or empty:
   * Udesk requires all three, non-empty. Without a default such an input is a ValidationError naming
   * the field, and nothing is sent. `missingDefaults()` tells which are not configured.
   */
  defaults?: UdeskCreateDefaults | undefined;
  /**
   * `GET /agents` items carry no role ids. 'unknown' (default): listed agents have `roleIds: []`
   * meaning unknown (`roleIdsKnown(agent)` false). 'get_agent': each listed agent is read again
   * with `get_agent` for its real role ids: one more request per agent (60 per minute by default).
   */
  roleIdsOnList?: 'unknown' | 'get_agent' | undefined;
  /** clock in ms for the sign's timestamp (tests) */
  now?: (() => number) | undefined;
  /** nonce source for the sign (tests); must return a new value every call */
  nonce?: (() => string) | undefined;
}

export interface DepartmentsResource {
  /** the department tree flattened, parents before children */
  list(options?: CallOptions): Promise<Department[]>;
}

export interface UdeskClient extends ContactCenterClient {
  readonly vendor: 'udesk';
  readonly departments: DepartmentsResource;
  /**
   * The required create fields (of UDESK_REQUIRED_ID_FIELDS) with no configured `defaults` entry:
   * an agent input that leaves one of them empty cannot be created by this client.
   */
  missingDefaults(): UdeskRequiredIdField[];
}

/** The documented limit: 60 requests per minute. */
export const UDESK_DEFAULT_RATE_LIMIT = { requestsPerMinute: 60 } as const;
export const UDESK_MAX_PAGE_SIZE = 100;
/** Udesk's limit on its strings (email, password, nick_name, aliase, cellphone, duty, …). */
export const UDESK_MAX_STRING = 255;
/** Udesk's limit on agent_role_ids / user_group_ids / department_ids. */
export const UDESK_MAX_IDS = 10;

export const UDESK_CAPABILITIES: Capabilities = {
  agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true, groupsInCreate: true },
  groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
  roles: { list: true, create: false },
};

/** minLength 6 is our choice (Udesk documents only "not more than 255 characters"). */
export const UDESK_PASSWORD_RULES: PasswordRules = {
  minLength: 6,
  maxLength: 255,
  requiredClasses: [],
  specials: '!@#$%^&*()-_=+[]{};:,.?',
};

const NUMERIC_ID = /^\d{1,15}$/;

// ---------------------------------------------------------------------------------------------
// validation (before anything is sent)
// ---------------------------------------------------------------------------------------------

function checkId(id: unknown, path = 'id'): number {
  if (typeof id !== 'string' || !NUMERIC_ID.test(id)) {
    throw new ValidationError([{ path, message: 'must be a numeric Udesk id' }], { vendor: 'udesk' });
  }
  return Number(id);
}

function checkIds(issues: IssueCollector, values: readonly string[] | undefined, path: string, max?: number): void {
  if (values === undefined) return;
  if (max !== undefined && values.length > max) issues.add(path, `must hold at most ${max} ids`);
  values.forEach((v, i) => issues.check(NUMERIC_ID.test(v), `${path}.${i}`, 'must be a numeric Udesk id'));
}

function checkLength(issues: IssueCollector, value: unknown, path: string): void {
  if (typeof value === 'string' && value.length > UDESK_MAX_STRING) issues.add(path, `must be at most ${UDESK_MAX_STRING} characters`);
}

const isInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
const isNullableString = (v: unknown) => v === null || typeof v === 'string';

const VENDOR_FIELD_CHECKS: Record<(typeof AGENT_VENDOR_FIELDS)[number], [(v: unknown) => boolean, string]> = {
  im_ability_value: [isInt, 'must be an integer'],
  availability: [(v) => typeof v === 'boolean', 'must be a boolean'],
  im_welcomes: [isNullableString, 'must be a string or null'],
  avatar: [isNullableString, 'must be a string or null'],
  callout_number_id: [(v) => v === null || (isInt(v) && (v as number) >= 0), 'must be a numeric id or null'],
  duty: [isNullableString, 'must be a string or null'],
  custom_fields: [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object of custom field keys to values'],
};

function checkAgentVendorFields(issues: IssueCollector, vendorFields: Record<string, unknown> | undefined): void {
  if (!vendorFields) return;
  for (const [key, value] of Object.entries(vendorFields)) {
    const check = Object.hasOwn(VENDOR_FIELD_CHECKS, key) ? VENDOR_FIELD_CHECKS[key as keyof typeof VENDOR_FIELD_CHECKS] : undefined;
    if (!check) {
      issues.add(`vendorFields.${key}`, `unknown Udesk agent field (allowed: ${AGENT_VENDOR_FIELDS.join(', ')})`);
      continue;
    }
    if (value === undefined) continue;
    if (!check[0](value)) issues.add(`vendorFields.${key}`, check[1]);
    checkLength(issues, value, `vendorFields.${key}`);
  }
}

/** The vendor's own rules on an agent input (create) or patch (update). */
function checkAgent(input: AgentInput | AgentPatch, mode: 'create' | 'update', defaults: UdeskCreateDefaults): void {
  const issues = new IssueCollector();
  if (mode === 'create') {
    issues.check(input.password !== undefined, 'password', 'is required by Udesk to create an agent');
    for (const field of UDESK_REQUIRED_ID_FIELDS) {
      if (requiredIds(input, field, defaults).value.length === 0) issues.add(field, `Udesk requires at least one id to create an agent: give it, or configure defaults.${field}`);
    }
  }
  checkLength(issues, input.email, 'email');
  checkLength(issues, input.name, 'name');
  checkLength(issues, input.nickname, 'nickname');
  checkLength(issues, input.phone, 'phone');
  checkLength(issues, input.employeeNo, 'employeeNo');
  if (input.password !== undefined) {
    for (const problem of checkPassword(input.password, UDESK_PASSWORD_RULES)) issues.add('password', problem);
    if (input.email !== undefined && input.password.toLowerCase() === input.email.toLowerCase()) {
      issues.add('password', 'must be different from the email address');
    }
  }
  checkIds(issues, input.roleIds, 'roleIds', UDESK_MAX_IDS);
  checkIds(issues, input.groupIds, 'groupIds', UDESK_MAX_IDS);
  checkIds(issues, input.departmentIds, 'departmentIds', UDESK_MAX_IDS);
  checkAgentVendorFields(issues, input.vendorFields);
  issues.throwIfAny('udesk');
}

function checkGroup(input: GroupInput | GroupPatch): void {
  const issues = new IssueCollector();
  checkLength(issues, input.name, 'name');
  checkIds(issues, input.memberIds, 'memberIds');
  for (const key of Object.keys(input.vendorFields ?? {})) issues.add(`vendorFields.${key}`, 'Udesk user groups take no vendor fields');
  issues.throwIfAny('udesk');
}

function checkDeleteFields(vendorFields: Record<string, unknown> | undefined, allowed: readonly string[]): Partial<UdeskAgentDeleteBody> | undefined {
  if (!vendorFields) return undefined;
  const issues = new IssueCollector();
  const body: Record<string, number> = {};
  for (const [key, value] of Object.entries(vendorFields)) {
    if (!allowed.includes(key)) {
      issues.add(`vendorFields.${key}`, allowed.length ? `unknown field (allowed: ${allowed.join(', ')})` : 'takes no vendor fields');
      continue;
    }
    if (value === undefined) continue;
    const n = typeof value === 'string' && NUMERIC_ID.test(value) ? Number(value) : value;
    if (!isInt(n) || (n as number) < 0) issues.add(`vendorFields.${key}`, 'must be a numeric Udesk id');
    else body[key] = n as number;
  }
  issues.throwIfAny('udesk');
  return Object.keys(body).length ? body : undefined;
}

/** `DELETE /agents/:id` requires `owner_group_id` (the group taking over the agent's customers). */
function checkAgentDelete(vendorFields: Record<string, unknown> | undefined): UdeskAgentDeleteBody {
  const body = checkDeleteFields(vendorFields, ['owner_group_id', 'owner_id']);
  if (body?.owner_group_id === undefined) {
    throw new ValidationError(
      [{ path: 'vendorFields.owner_group_id', message: 'is required by Udesk to delete an agent: the customer service group that takes over its customers' }],
      { vendor: 'udesk' },
    );
  }
  return body as UdeskAgentDeleteBody;
}

function checkDefaults(issues: ValidationIssue[], defaults: UdeskCreateDefaults | undefined): void {
  if (defaults === undefined) return;
  const collector = new IssueCollector();
  for (const [field, values] of Object.entries(defaults)) {
    if (!(UDESK_REQUIRED_ID_FIELDS as readonly string[]).includes(field)) {
      collector.add(`defaults.${field}`, `unknown default (allowed: ${UDESK_REQUIRED_ID_FIELDS.join(', ')})`);
    } else if (values !== undefined && (!Array.isArray(values) || values.length === 0)) {
      collector.add(`defaults.${field}`, 'must be a non-empty array of Udesk ids');
    } else checkIds(collector, values, `defaults.${field}`, UDESK_MAX_IDS);
  }
  issues.push(...collector.issues);
}

/** Udesk's own totals (`meta.count` in older replies): they decide the walk, a short page does not end it. */
function totalsOf(meta: UdeskMeta | null | undefined): PageTotals {
  return { pages: meta?.total_pages ?? undefined, items: meta?.total_count ?? meta?.count ?? undefined };
}

/** A list walk's position: the page to ask for and the items read before it. */
interface PageCursor {
  page: number;
  seen: number;
}

function nextCursor(page: number, seen: number, got: number, perPage: number, total: PageTotals): PageCursor | undefined {
  const next = pageNumberCursor(page, got, perPage, total, seen + got);
  return next === undefined ? undefined : { page: next, seen: seen + got };
}

function checkPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined) return UDESK_MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new ValidationError([{ path: 'pageSize', message: 'must be a positive integer' }], { vendor: 'udesk' });
  }
  return Math.min(pageSize, UDESK_MAX_PAGE_SIZE);
}

function checkOptions(options: UdeskClientOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options?.email !== 'string' || !EmailSchema.safeParse(options.email).success) {
    issues.push({ path: 'email', message: 'must be the administrator email address' });
  }
  const has = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (!has(options?.apiToken) && !has(options?.password)) issues.push({ path: 'apiToken', message: 'give apiToken or password' });
  if (options?.defaultImAbilityValue !== undefined && !isInt(options.defaultImAbilityValue)) {
    issues.push({ path: 'defaultImAbilityValue', message: 'must be an integer' });
  }
  checkDefaults(issues, options?.defaults);
  if (options?.roleIdsOnList !== undefined && options.roleIdsOnList !== 'unknown' && options.roleIdsOnList !== 'get_agent') {
    issues.push({ path: 'roleIdsOnList', message: "must be 'unknown' or 'get_agent'" });
  }
  if (issues.length) throw new ValidationError(issues, { vendor: 'udesk', secrets: [options?.apiToken ?? '', options?.password ?? ''] });
}

// ---------------------------------------------------------------------------------------------
// the client
// ---------------------------------------------------------------------------------------------

export function createUdeskClient(options: UdeskClientOptions): UdeskClient {
  checkOptions(options);
  const auth = new UdeskAuth({
    email: options.email,
    apiToken: options.apiToken || undefined,
    password: options.password || undefined,
    now: options.now,
    nonce: options.nonce,
  });
  // eslint-disable-next-line prefer-const
  let transport: HttpTransport;
  transport = createAdapterTransport({
    vendor: 'udesk',
    options,
    baseUrlFromSubdomain: (s) => `https://${s}.udesk.cn/open_api_v1`,
    defaultRateLimit: UDESK_DEFAULT_RATE_LIMIT,
    auth,
    account: options.email,
    classify: createUdeskClassifier(() => transport),
    defaultHeaders: { Accept: 'application/json' },
    secrets: [options.apiToken, options.password],
  });
  auth.attach(transport);

  const expose = options.exposeSipCredentials === true;
  const defaultImAbilityValue = options.defaultImAbilityValue ?? DEFAULT_IM_ABILITY_VALUE;
  const createDefaults: UdeskCreateDefaults = { ...options.defaults };
  const roleIdsOnList = options.roleIdsOnList ?? 'unknown';

  const warn = (operation: string, warnings: MappingWarning[]) => {
    if (warnings.length) options.logger?.warn('contactkit: udesk mapping warnings', transport.redactor.redact({ vendor: 'udesk', operation, warnings }));
  };

  const fetchRoles = async (signal?: AbortSignal) => {
    const res = await transport.request({ method: 'GET', path: 'agent_roles', schema: UdeskRoleListReplySchema, signal, operation: 'roles.list' });
    return res.data.agent_roles;
  };

  const mapAgent = (wire: UdeskAgent, operation: string): Agent => {
    const { value, warnings } = agentFromWire(wire, { exposeSipCredentials: expose });
    warn(operation, warnings);
    return value;
  };

  /** List items as read: role ids unknown. One log line per page (every item warns). */
  const mapListPage = (wire: UdeskAgent[]): Agent[] => {
    const warnings: MappingWarning[] = [];
    const items = wire.map((a) => {
      const mapped = agentFromWire(a, { exposeSipCredentials: expose });
      warnings.push(...mapped.warnings.map((w) => ({ ...w, field: `${a.id}.${w.field}` })));
      return mapped.value;
    });
    warn('agents.list', warnings);
    return items;
  };

  /** `roleIdsOnList: 'get_agent'`: each item read again by id, one at a time (the rate limit applies). */
  const detailsOf = async (wire: UdeskAgent[], signal: AbortSignal | undefined): Promise<Agent[]> => {
    const out: Agent[] = [];
    for (const a of wire) {
      try {
        out.push(await getAgent('id', String(a.id), signal, 'agents.list'));
      } catch (error) {
        // deleted since the page was read: kept as listed, its role ids unknown
        if (!(error instanceof NotFoundError)) throw error;
        out.push(...mapListPage([a]));
      }
    }
    return out;
  };

  const getAgent = async (type: 'id' | 'email', content: string, signal: AbortSignal | undefined, operation: string): Promise<Agent> => {
    const res = await transport.request({
      method: 'GET',
      path: 'agents/get_agent',
      query: { type, content },
      schema: UdeskAgentReplySchema,
      signal,
      operation,
    });
    return mapAgent(res.data.agent, operation);
  };

  const prepareAgent = (input: AgentInput | AgentPatch, mode: 'create' | 'update') => {
    const parsed = mode === 'create' ? parseInput(AgentInputSchema, input, { vendor: 'udesk' }) : parseInput(AgentPatchSchema, input, { vendor: 'udesk' });
    checkAgent(parsed, mode, createDefaults);
    return agentToWire(parsed, mode, { defaultImAbilityValue, defaults: createDefaults });
  };

  const putAgent = async (id: number, body: UdeskAgentWrite, signal: AbortSignal | undefined, operation: string): Promise<Agent> => {
    // with_disabled (a URL parameter of PUT): without it a disabled agent cannot be edited
    const res = await transport.request({
      method: 'PUT',
      path: `agents/${id}`,
      query: { with_disabled: 'true' },
      body: { agent: body },
      schema: UdeskAgentReplySchema,
      signal,
      operation,
    });
    return mapAgent(res.data.agent, operation);
  };

  const agents: AgentsResource = {
    list(opts: ListOptions = {}): PagedIterable<Agent> {
      const perPage = checkPageSize(opts.pageSize);
      return paginate<Agent, PageCursor>({ page: 1, seen: 0 }, async ({ page, seen }) => {
        const res = await transport.request({
          method: 'GET',
          path: 'agents',
          query: { page, per_page: perPage, with_disabled: opts.includeDisabled ? 'true' : undefined },
          schema: UdeskAgentListReplySchema,
          signal: opts.signal,
          operation: 'agents.list',
        });
        const wire = res.data.agents;
        const items = roleIdsOnList === 'get_agent' ? await detailsOf(wire, opts.signal) : mapListPage(wire);
        const total = totalsOf(res.data.meta);
        return { items, total, next: nextCursor(page, seen, wire.length, perPage, total) };
      }, { vendor: 'udesk', operation: 'agents.list' });
    },
    async get(id: string, opts: CallOptions = {}): Promise<Agent> {
      checkId(id);
      return getAgent('id', id, opts.signal, 'agents.get');
    },
    async findByEmail(email: string, opts: CallOptions = {}): Promise<Agent | null> {
      parseInput(EmailSchema, email, { vendor: 'udesk', prefix: 'email' });
      try {
        return await getAgent('email', email, opts.signal, 'agents.findByEmail');
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
    async create(input: AgentInput, opts: CreateOptions = {}): Promise<Agent> {
      const { value, warnings } = prepareAgent(input, 'create');
      warn('agents.create', warnings);
      const { disable_status: disableStatus, ...body } = value;
      const res = await transport.request({
        method: 'POST',
        path: 'agents',
        body: { agent: body },
        schema: UdeskAgentCreateReplySchema,
        signal: opts.signal,
        operation: 'agents.create',
      });
      const id = res.data.agent_id;
      // POST /agents takes no disable_status: a disabled agent is disabled right after, by PUT
      if (disableStatus === 'disable') return putAgent(id, { disable_status: 'disable' }, opts.signal, 'agents.create');
      if (opts.readBack === false) {
        // the ids as sent (defaults included), the rest as given
        const ids = (list: number[] | undefined) => (list ?? []).map(String);
        return agentAsWritten('udesk', String(id), { ...input, roleIds: ids(body.agent_role_ids), groupIds: ids(body.user_group_ids), departmentIds: ids(body.department_ids) });
      }
      return getAgent('id', String(id), opts.signal, 'agents.create');
    },
    async update(id: string, patch: AgentPatch, opts: CallOptions = {}): Promise<Agent> {
      const numericId = checkId(id);
      const { value, warnings } = prepareAgent(patch, 'update');
      warn('agents.update', warnings);
      // nothing Udesk can change: no PUT, the current agent is returned
      if (Object.keys(value).length === 0) return getAgent('id', id, opts.signal, 'agents.update');
      return putAgent(numericId, value, opts.signal, 'agents.update');
    },
    async delete(id: string, opts: DeleteOptions = {}): Promise<void> {
      const numericId = checkId(id);
      const body = checkAgentDelete(opts.vendorFields);
      await transport.request({
        method: 'DELETE',
        path: `agents/${numericId}`,
        body,
        schema: UdeskMessageReplySchema,
        signal: opts.signal,
        operation: 'agents.delete',
      });
    },
    preview(input: AgentInput): WritePreview {
      const { value, warnings } = prepareAgent(input, 'create');
      return { body: transport.redactor.redact({ agent: value }), warnings };
    },
  };

  const groupMembers = async (id: number, signal: AbortSignal | undefined) => {
    let base: Group | undefined;
    const members: string[] = [];
    const seen = new Set<string>();
    let page: number | undefined = 1;
    while (page !== undefined) {
      const current: number = page;
      const res: TransportResponse<z.infer<typeof UdeskUserGroupAgentsReplySchema>> = await transport.request({
        method: 'GET',
        path: `user_groups/${id}/agents`,
        query: { page: current, per_page: UDESK_MAX_PAGE_SIZE },
        schema: UdeskUserGroupAgentsReplySchema,
        signal,
        operation: 'groups.get',
      });
      const group = res.data.user_group;
      base ??= groupFromWire({ ...group, agents: undefined });
      const wire = group.agents ?? [];
      let added = 0;
      for (const a of wire) {
        const key = String(a.id);
        if (!seen.has(key)) {
          seen.add(key);
          members.push(key);
          added++;
        }
      }
      const meta = res.data.meta;
      // a page that adds nobody new means the server ignores paging: stop rather than loop
      page = added === 0 ? undefined : pageNumberCursor(current, wire.length, UDESK_MAX_PAGE_SIZE, totalsOf(meta), members.length);
    }
    return { ...base!, memberIds: members };
  };

  const groups: GroupsResource = {
    list(opts: ListOptions = {}): PagedIterable<Group> {
      const perPage = checkPageSize(opts.pageSize);
      return paginate<Group, PageCursor>({ page: 1, seen: 0 }, async ({ page, seen }) => {
        const res = await transport.request({
          method: 'GET',
          path: 'user_groups',
          query: { page, per_page: perPage },
          schema: UdeskUserGroupListReplySchema,
          signal: opts.signal,
          operation: 'groups.list',
        });
        const wire = res.data.user_groups;
        const total = totalsOf(res.data.meta);
        return { items: wire.map((g) => groupFromWire(g)), total, next: nextCursor(page, seen, wire.length, perPage, total) };
      }, { vendor: 'udesk', operation: 'groups.list' });
    },
    async get(id: string, opts: CallOptions = {}): Promise<Group> {
      return groupMembers(checkId(id), opts.signal);
    },
    async create(input: GroupInput, opts: CallOptions = {}): Promise<Group> {
      const parsed = parseInput(GroupInputSchema, input, { vendor: 'udesk' });
      checkGroup(parsed);
      const { value } = groupToWire(parsed);
      const res = await transport.request({
        method: 'POST',
        path: 'user_groups',
        body: value,
        schema: UdeskUserGroupReplySchema,
        signal: opts.signal,
        operation: 'groups.create',
      });
      return groupFromWire(res.data.user_group);
    },
    async update(id: string, patch: GroupPatch, opts: CallOptions = {}): Promise<Group> {
      const numericId = checkId(id);
      const parsed = parseInput(GroupPatchSchema, patch, { vendor: 'udesk' });
      checkGroup(parsed);
      const { value } = groupToWire(parsed);
      if (Object.keys(value).length === 0) return groupMembers(numericId, opts.signal);
      const res = await transport.request({
        method: 'PUT',
        path: `user_groups/${numericId}`,
        body: value,
        schema: UdeskUserGroupReplySchema,
        signal: opts.signal,
        operation: 'groups.update',
      });
      return groupFromWire(res.data.user_group);
    },
    async delete(id: string, opts: DeleteOptions = {}): Promise<void> {
      const numericId = checkId(id);
      checkDeleteFields(opts.vendorFields, []);
      await transport.request({ method: 'DELETE', path: `user_groups/${numericId}`, schema: UdeskMessageReplySchema, signal: opts.signal, operation: 'groups.delete' });
    },
    preview(input: GroupInput): WritePreview {
      const parsed = parseInput(GroupInputSchema, input, { vendor: 'udesk' });
      checkGroup(parsed);
      const { value, warnings } = groupToWire(parsed);
      return { body: transport.redactor.redact(value), warnings };
    },
  };

  const roles: RolesResource = {
    async list(opts: CallOptions = {}) {
      return (await fetchRoles(opts.signal)).map(roleFromWire);
    },
  };

  const departments: DepartmentsResource = {
    async list(opts: CallOptions = {}) {
      const res = await transport.request({ method: 'GET', path: 'departments', schema: UdeskDepartmentListReplySchema, signal: opts.signal, operation: 'departments.list' });
      return flattenDepartments(res.data.departments);
    },
  };

  return {
    vendor: 'udesk',
    capabilities: UDESK_CAPABILITIES,
    passwordRules: UDESK_PASSWORD_RULES,
    agents,
    groups,
    roles,
    departments,
    missingDefaults: () => UDESK_REQUIRED_ID_FIELDS.filter((field) => !createDefaults[field]?.length),
    ...transportMembers(transport),
  };
}
