import {
  AgentInputSchema,
  AgentPatchSchema,
  EmailSchema,
  GroupInputSchema,
  GroupPatchSchema,
  InvalidResponseError,
  IssueCollector,
  NotFoundError,
  REDACTED,
  ValidationError,
  createAdapterTransport,
  transportMembers,
  paginate,
  parseInput,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type AgentsResource,
  type CallOptions,
  type Capabilities,
  type CommonClientOptions,
  type ContactCenterClient,
  type DeleteOptions,
  type Group,
  type GroupInput,
  type GroupPatch,
  type GroupsResource,
  type HttpMethod,
  type HttpTransport,
  type ListOptions,
  type MappingWarning,
  type PagedIterable,
  type PasswordRules,
  type QueryValue,
  type RolesResource,
  type WritePreview,
} from '@contactkit/core';
import type { z } from 'zod';
import { createKf5Auth, type Kf5AuthMode, type Kf5Credentials } from './auth';
import { classifyKf5Response } from './errors';
import {
  DEFAULT_KF5_TIMEZONE,
  agentInputToKf5User,
  groupInputToKf5Group,
  isKf5AgentRole,
  kf5GroupToGroup,
  kf5Roles,
  kf5UserToAgent,
  parseKf5RoleId,
  parseTimezoneOffset,
} from './mapping';
import {
  KF5_USER_VENDOR_FIELDS,
  Kf5DeleteReplySchema,
  Kf5GroupListReplySchema,
  Kf5GroupReplySchema,
  Kf5UserListReplySchema,
  Kf5UserReplySchema,
  Kf5UserVendorFieldsSchema,
  type Kf5Group,
  type Kf5User,
  type Kf5UserWriteBody,
  type Kf5GroupWriteBody,
} from './wire';

export interface Kf5ClientOptions extends CommonClientOptions, Kf5Credentials {
  /** `demo` → `https://demo.kf5.com/apiv2`; `baseUrl` overrides it */
  subdomain?: string | undefined;
  /** the UTC offset KF5 timestamps are read in, e.g. '+08:00' (default) or 'Z' */
  timezone?: string | undefined;
}

export interface Kf5AgentsResource extends AgentsResource {
  /** the groups one agent belongs to (`GET /users/{id}/groups.json`) */
  groupsOf(id: string, options?: CallOptions): Promise<Group[]>;
}

export interface Kf5Client extends ContactCenterClient {
  readonly vendor: 'kf5';
  readonly agents: Kf5AgentsResource;
  /** which credential the client signs with: 'token' (`email/token:apiToken`) or 'password' */
  readonly authMode: Kf5AuthMode;
  /** the API root requests go to */
  readonly baseUrl: string;
}

/** KF5 caps `per_page` at 100 (the simulator clamps larger values; we never ask for more). */
export const KF5_MAX_PAGE_SIZE = 100;

export const KF5_CAPABILITIES: Capabilities = Object.freeze({
  agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true, groupsInCreate: false },
  groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
  roles: { list: true, create: false },
}) as Capabilities;

/** Our choice: KF5 publishes no password rules (unconfirmed; see README). */
export const KF5_PASSWORD_RULES: PasswordRules = Object.freeze({
  minLength: 6,
  maxLength: 128,
  requiredClasses: [],
  specials: '!@#$%^&*()-_=+[]{};:,.?',
}) as PasswordRules;

const VENDOR = 'kf5' as const;

interface Cursor {
  path: string;
  query?: Record<string, QueryValue>;
  /** wire items read before this page (compared with the reply's `count`) */
  read?: number;
}

/** One reply as the walk reads it: the wire items, the `next_page` link and the `count` total. */
interface PageRead<W> {
  items: W[];
  nextPage: string | null | undefined;
  count?: number | null | undefined;
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

export function createKf5Client(options: Kf5ClientOptions): Kf5Client {
  const timezone = options.timezone ?? DEFAULT_KF5_TIMEZONE;
  if (parseTimezoneOffset(timezone) === undefined) {
    throw new ValidationError([{ path: 'timezone', message: "must be a UTC offset such as '+08:00' or 'Z'" }], { vendor: VENDOR });
  }
  const auth = createKf5Auth(options);
  // eslint-disable-next-line prefer-const
  let transport: HttpTransport;
  transport = createAdapterTransport({
    vendor: VENDOR,
    options,
    baseUrlFromSubdomain: (s) => `https://${s}.kf5.com/apiv2`,
    auth: auth.strategy,
    account: options.email,
    classify: (response) => (response.status >= 200 && response.status < 300 ? undefined : classifyKf5Response(response, transport.errorOptions(response))),
    defaultHeaders: { Accept: 'application/json', 'Content-Type': 'application/json' },
    secrets: auth.secrets,
  });
  const base = new URL(transport.baseUrl + '/');
  const readOptions = { timezone };

  // ---- plumbing --------------------------------------------------------------------------------

  async function call<T>(
    operation: string,
    method: HttpMethod,
    path: string,
    schema: z.ZodType<T>,
    extra: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal | undefined } = {},
  ): Promise<{ status: number; headers: Record<string, string>; data: T }> {
    return transport.request({ method, path, schema, operation, query: extra.query, body: extra.body, signal: extra.signal });
  }

  function warnWrite(operation: string, warnings: MappingWarning[]): void {
    if (warnings.length === 0) return;
    options.logger?.warn('contactkit: kf5 mapping could not carry every field', transport.redactor.redact({ vendor: VENDOR, operation, warnings }));
  }

  function noteRead(operation: string, warnings: MappingWarning[]): void {
    if (warnings.length === 0) return;
    options.logger?.debug('contactkit: kf5 mapping notes', transport.redactor.redact({ vendor: VENDOR, operation, warnings }));
  }

  /**
   * `next_page` → the next cursor. A link to the API host is followed whatever its scheme (a tenant
   * behind a TLS proxy prints `http://`), but always sent to our own origin, so credentials never
   * leave TLS; a link to another host, port or path is refused.
   */
  function nextCursor(nextPage: string | null | undefined, operation: string): Cursor | undefined {
    if (typeof nextPage !== 'string' || nextPage.trim() === '') return undefined;
    let url: URL;
    try {
      url = new URL(nextPage.trim(), base);
    } catch {
      throw new InvalidResponseError(`kf5 reply to ${operation} has an unreadable next_page`, { vendor: VENDOR });
    }
    if (!isSameApiHost(url) || !url.pathname.startsWith(base.pathname)) {
      throw new InvalidResponseError(`kf5 reply to ${operation} points next_page outside the API root (${url.origin}); not followed`, {
        vendor: VENDOR,
        secrets: transport.redactor.values(),
      });
    }
    return { path: new URL(url.pathname + url.search, base.origin).toString() };
  }

  /** Same hostname, http(s), and the same port or the link scheme's default one. */
  function isSameApiHost(url: URL): boolean {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (url.hostname.toLowerCase() !== base.hostname.toLowerCase()) return false;
    return url.port === '' || effectivePort(url) === effectivePort(base);
  }

  /**
   * The next cursor after a page: the `next_page` link; without one, the next page number while
   * `count` says more items exist than were read (a short page is not the end of the list).
   */
  function afterPage(cursor: Cursor, page: PageRead<unknown>, read: number, operation: string): Cursor | undefined {
    if (page.items.length === 0) return undefined;
    const linked = nextCursor(page.nextPage, operation);
    if (linked) return { ...linked, read };
    if (typeof page.count !== 'number' || read >= page.count) return undefined;
    const url = new URL(cursor.path, base);
    const query: Record<string, QueryValue> = { ...Object.fromEntries(url.searchParams), ...cursor.query };
    const current = Number(query.page ?? 1);
    if (!Number.isInteger(current) || current < 1) return undefined;
    url.search = '';
    return { path: url.toString(), query: { ...query, page: current + 1 }, read };
  }

  /**
   * Follows `next_page` links (or `count`, see afterPage). Items the caller filters out (end users,
   * suspended agents) may empty a whole page: such pages are skipped here, because core's
   * `paginate` ends on an empty page.
   */
  function listPaged<W, T>(config: {
    operation: string;
    first: Cursor;
    fetch: (cursor: Cursor) => Promise<PageRead<W>>;
    map: (wire: W) => T | undefined;
  }): PagedIterable<T> {
    const visited = new Set<string>();
    return paginate<T, Cursor>(config.first, async (cursor) => {
      if (cursor === config.first) visited.clear(); // a new walk of the same iterable
      let current: Cursor | undefined = cursor;
      while (current) {
        visited.add(pageKey(current));
        const page = await config.fetch(current);
        const items = page.items.map(config.map).filter((x): x is T => x !== undefined);
        const next = afterPage(current, page, (current.read ?? 0) + page.items.length, config.operation);
        if (next && visited.has(pageKey(next))) {
          throw new InvalidResponseError(`kf5 reply to ${config.operation} points next_page at a page already read; not followed`, { vendor: VENDOR });
        }
        if (items.length > 0 || !next) return { items, next };
        current = next;
      }
      return { items: [], next: undefined };
    });
  }

  /** One page's identity: its absolute URL with the query sorted, wherever the parameters came from. */
  function pageKey(cursor: Cursor): string {
    const url = new URL(cursor.path, base);
    for (const [k, v] of Object.entries(cursor.query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    url.searchParams.sort();
    return url.pathname + '?' + url.searchParams.toString();
  }

  function pageSizeOf(list: ListOptions | undefined): number {
    const n = list?.pageSize;
    if (n === undefined) return KF5_MAX_PAGE_SIZE;
    if (!Number.isInteger(n) || n < 1) {
      throw new ValidationError([{ path: 'pageSize', message: 'must be a positive integer' }], { vendor: VENDOR });
    }
    return Math.min(n, KF5_MAX_PAGE_SIZE);
  }

  function checkId(value: unknown, path = 'id'): string {
    if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
      throw new ValidationError([{ path, message: 'must be a KF5 numeric id (a digit string)' }], { vendor: VENDOR });
    }
    return value;
  }

  function checkIds(collector: IssueCollector, ids: string[] | undefined, field: string): void {
    ids?.forEach((v, i) => collector.check(/^\d{1,15}$/.test(v), `${field}.${i}`, 'must be a KF5 numeric id (a digit string)'));
  }

  function checkVendorFields(collector: IssueCollector, fields: Record<string, unknown> | undefined, allowed: readonly string[]): void {
    if (!fields) return;
    const known: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (allowed.includes(key)) known[key] = value;
      else collector.add(`vendorFields.${key}`, allowed.length ? `not a writable KF5 field here (allowed: ${allowed.join(', ')})` : 'KF5 takes no vendor fields here');
    }
    if (allowed.length === 0) return;
    const result = Kf5UserVendorFieldsSchema.safeParse(known);
    if (!result.success) {
      for (const issue of result.error.issues) collector.add(['vendorFields', ...issue.path.map(String)].join('.'), issue.message);
    }
  }

  function validateAgent(input: unknown, mode: 'create' | 'update'): AgentInput | AgentPatch {
    const parsed: AgentInput | AgentPatch =
      mode === 'create' ? parseInput(AgentInputSchema, input, { vendor: VENDOR }) : parseInput(AgentPatchSchema, input, { vendor: VENDOR });
    const c = new IssueCollector();
    let customs = 0;
    parsed.roleIds?.forEach((r, i) => {
      const ref = parseKf5RoleId(r);
      if (!ref) c.add(`roleIds.${i}`, "not a KF5 agent role: use 'agent', 'admin' or 'custom:<n>'");
      else if (ref.kind === 'custom' && ++customs > 1) c.add(`roleIds.${i}`, 'a KF5 agent has at most one custom role');
    });
    checkIds(c, parsed.groupIds, 'groupIds');
    checkVendorFields(c, parsed.vendorFields, KF5_USER_VENDOR_FIELDS);
    c.throwIfAny(VENDOR);
    return parsed;
  }

  function validateGroup(input: unknown, mode: 'create' | 'update'): GroupInput | GroupPatch {
    const parsed: GroupInput | GroupPatch =
      mode === 'create' ? parseInput(GroupInputSchema, input, { vendor: VENDOR }) : parseInput(GroupPatchSchema, input, { vendor: VENDOR });
    const c = new IssueCollector();
    checkIds(c, parsed.memberIds, 'memberIds');
    checkVendorFields(c, parsed.vendorFields, []);
    c.throwIfAny(VENDOR);
    return parsed;
  }

  function notAnAgent(id: string, role: string): NotFoundError {
    return new NotFoundError(`kf5 user ${id} is not an agent (role ${role})`, { vendor: VENDOR, status: 200 });
  }

  function toAgent(operation: string, user: Kf5User): Agent {
    const { value, warnings } = kf5UserToAgent(user, readOptions);
    noteRead(operation, warnings);
    return value;
  }

  function toGroup(group: Kf5Group): Group {
    return kf5GroupToGroup(group, readOptions).value;
  }

  // ---- agents ----------------------------------------------------------------------------------

  async function getUser(operation: string, id: string, signal: AbortSignal | undefined): Promise<Kf5User> {
    const { data } = await call(operation, 'GET', `users/${id}.json`, Kf5UserReplySchema, { signal });
    return data.user;
  }

  async function getAgentUser(operation: string, id: string, signal: AbortSignal | undefined): Promise<Kf5User> {
    const user = await getUser(operation, checkId(id), signal);
    if (!isKf5AgentRole(user.role)) throw notAnAgent(id, user.role);
    return user;
  }

  async function getGroupWire(operation: string, id: string, signal: AbortSignal | undefined): Promise<Kf5Group> {
    const { data } = await call(operation, 'GET', `groups/${id}.json`, Kf5GroupReplySchema, { signal });
    return data.group;
  }

  /**
   * KF5 users have no writable group field: an agent's groups are changed through each group's member
   * list (read it, then PUT `agents` with the agent added or removed). Not atomic: see README.
   */
  async function syncAgentGroups(operation: string, agentId: string, target: string[], current: string[], signal: AbortSignal | undefined): Promise<void> {
    const add = [...new Set(target)].filter((g) => !current.includes(g));
    const remove = current.filter((g) => !target.includes(g));
    for (const [groupId, join] of [...add.map((g) => [g, true] as const), ...remove.map((g) => [g, false] as const)]) {
      const group = await getGroupWire(operation, groupId, signal);
      if (!Array.isArray(group.agents)) {
        throw new InvalidResponseError(`kf5 group ${groupId} reply does not list its agents; membership not changed`, { vendor: VENDOR });
      }
      const members = group.agents.map((a) => String(a.id));
      const next = join ? (members.includes(agentId) ? members : [...members, agentId]) : members.filter((m) => m !== agentId);
      if (next.length === members.length && next.every((m, i) => m === members[i])) continue;
      const body: Kf5GroupWriteBody = { group: { agents: next.map(Number) } };
      await call(operation, 'PUT', `groups/${groupId}.json`, Kf5GroupReplySchema, { body, signal });
    }
  }

  const agents: Kf5AgentsResource = {
    list(list?: ListOptions): PagedIterable<Agent> {
      const perPage = pageSizeOf(list);
      const includeDisabled = list?.includeDisabled ?? false;
      return listPaged({
        operation: 'agents.list',
        first: { path: 'users.json', query: { role: 'agent,admin', page: 1, per_page: perPage } },
        fetch: async (cursor) => {
          const { data } = await call('agents.list', 'GET', cursor.path, Kf5UserListReplySchema, { query: cursor.query, signal: list?.signal });
          return { items: data.users, nextPage: data.next_page, count: data.count };
        },
        map: (user) => {
          if (!isKf5AgentRole(user.role)) return undefined;
          if (!includeDisabled && user.status === 'suspended') return undefined;
          return toAgent('agents.list', user);
        },
      });
    },

    async get(id, callOptions?: CallOptions) {
      return toAgent('agents.get', await getAgentUser('agents.get', id, callOptions?.signal));
    },

    async findByEmail(email, callOptions?: CallOptions) {
      const address = parseInput(EmailSchema, email, { vendor: VENDOR, prefix: 'email' }).trim();
      const wanted = address.toLowerCase();
      const found = await listPaged({
        operation: 'agents.findByEmail',
        first: { path: 'users/search.json', query: { query: address, exact_query_fields: 'email', page: 1, per_page: KF5_MAX_PAGE_SIZE } },
        fetch: async (cursor) => {
          const { data } = await call('agents.findByEmail', 'GET', cursor.path, Kf5UserListReplySchema, { query: cursor.query, signal: callOptions?.signal });
          return { items: data.users, nextPage: data.next_page, count: data.count };
        },
        map: (user) => (isKf5AgentRole(user.role) && (user.email ?? '').trim().toLowerCase() === wanted ? user : undefined),
      }).toArray({ limit: 1 });
      return found[0] ? toAgent('agents.findByEmail', found[0]) : null;
    },

    async create(input, callOptions?: CallOptions) {
      const parsed = validateAgent(input, 'create') as AgentInput;
      const { value, warnings } = agentInputToKf5User(parsed, 'create');
      warnWrite('agents.create', warnings);
      const body: Kf5UserWriteBody = { user: value };
      const { data } = await call('agents.create', 'POST', 'users.json', Kf5UserReplySchema, { body, signal: callOptions?.signal });
      let user = data.user;
      if (parsed.groupIds && parsed.groupIds.length > 0) {
        const id = String(user.id);
        await syncAgentGroups('agents.create', id, parsed.groupIds, (user.groups_info ?? []).map((g) => String(g.id)), callOptions?.signal);
        user = await getUser('agents.create', id, callOptions?.signal);
      }
      return toAgent('agents.create', user);
    },

    async update(id, patch, callOptions?: CallOptions) {
      checkId(id);
      const parsed = validateAgent(patch, 'update');
      const { value, warnings } = agentInputToKf5User(parsed, 'update');
      warnWrite('agents.update', warnings);
      // read first: an end user's id must not be written through agents.update
      let user = await getAgentUser('agents.update', id, callOptions?.signal);
      if (Object.keys(value).length > 0) {
        const body: Kf5UserWriteBody = { user: value };
        const { data } = await call('agents.update', 'PUT', `users/${id}.json`, Kf5UserReplySchema, { body, signal: callOptions?.signal });
        user = data.user;
      }
      if (parsed.groupIds !== undefined) {
        const current = (user.groups_info ?? []).map((g) => String(g.id));
        const target = [...new Set(parsed.groupIds)];
        if (target.length !== current.length || target.some((g) => !current.includes(g))) {
          await syncAgentGroups('agents.update', id, target, current, callOptions?.signal);
          user = await getUser('agents.update', id, callOptions?.signal);
        }
      }
      return toAgent('agents.update', user);
    },

    async delete(id, deleteOptions?: DeleteOptions) {
      checkId(id);
      const c = new IssueCollector();
      checkVendorFields(c, deleteOptions?.vendorFields, []);
      c.throwIfAny(VENDOR);
      // read first: agents.delete must never remove an end user (a customer)
      await getAgentUser('agents.delete', id, deleteOptions?.signal);
      await call('agents.delete', 'DELETE', `users/${id}.json`, Kf5DeleteReplySchema, { signal: deleteOptions?.signal });
    },

    preview(input) {
      const parsed = validateAgent(input, 'create') as AgentInput;
      const { value, warnings } = agentInputToKf5User(parsed, 'create');
      // password replaced by hand: the redactor would also blank `signature` (a KF5 reply signature, not a secret)
      const user = value.password === undefined ? value : { ...value, password: REDACTED };
      return { body: { user }, warnings } satisfies WritePreview;
    },

    async groupsOf(id, callOptions?: CallOptions) {
      checkId(id);
      return listPaged({
        operation: 'agents.groupsOf',
        first: { path: `users/${id}/groups.json` },
        fetch: async (cursor) => {
          const { data } = await call('agents.groupsOf', 'GET', cursor.path, Kf5GroupListReplySchema, { query: cursor.query, signal: callOptions?.signal });
          return { items: data.groups, nextPage: data.next_page, count: data.count };
        },
        map: toGroup,
      }).toArray();
    },
  };

  // ---- groups ----------------------------------------------------------------------------------

  const groups: GroupsResource = {
    list(list?: ListOptions) {
      const perPage = pageSizeOf(list);
      return listPaged({
        operation: 'groups.list',
        first: { path: 'groups.json', query: { page: 1, per_page: perPage } },
        fetch: async (cursor) => {
          const { data } = await call('groups.list', 'GET', cursor.path, Kf5GroupListReplySchema, { query: cursor.query, signal: list?.signal });
          return { items: data.groups, nextPage: data.next_page, count: data.count };
        },
        map: toGroup,
      });
    },

    async get(id, callOptions?: CallOptions) {
      return toGroup(await getGroupWire('groups.get', checkId(id), callOptions?.signal));
    },

    async create(input, callOptions?: CallOptions) {
      const parsed = validateGroup(input, 'create');
      const body: Kf5GroupWriteBody = { group: groupInputToKf5Group(parsed).value };
      const { data } = await call('groups.create', 'POST', 'groups.json', Kf5GroupReplySchema, { body, signal: callOptions?.signal });
      return toGroup(data.group);
    },

    async update(id, patch, callOptions?: CallOptions) {
      checkId(id);
      const parsed = validateGroup(patch, 'update');
      const group = groupInputToKf5Group(parsed).value;
      if (Object.keys(group).length === 0) return toGroup(await getGroupWire('groups.update', id, callOptions?.signal));
      const body: Kf5GroupWriteBody = { group };
      const { data } = await call('groups.update', 'PUT', `groups/${id}.json`, Kf5GroupReplySchema, { body, signal: callOptions?.signal });
      return toGroup(data.group);
    },

    async delete(id, deleteOptions?: DeleteOptions) {
      checkId(id);
      const c = new IssueCollector();
      checkVendorFields(c, deleteOptions?.vendorFields, []);
      c.throwIfAny(VENDOR);
      await call('groups.delete', 'DELETE', `groups/${id}.json`, Kf5DeleteReplySchema, { signal: deleteOptions?.signal });
    },

    preview(input) {
      const parsed = validateGroup(input, 'create');
      const { value, warnings } = groupInputToKf5Group(parsed);
      return { body: { group: value }, warnings };
    },
  };

  // ---- roles -----------------------------------------------------------------------------------

  const roles: RolesResource = {
    /** agent, admin, and every custom_role_id carried by an agent (one walk of the agents list) */
    async list(callOptions?: CallOptions) {
      const customs = new Set<string>();
      const pages = listPaged({
        operation: 'roles.list',
        first: { path: 'users.json', query: { role: 'agent,admin', page: 1, per_page: KF5_MAX_PAGE_SIZE } },
        fetch: async (cursor) => {
          const { data } = await call('roles.list', 'GET', cursor.path, Kf5UserListReplySchema, { query: cursor.query, signal: callOptions?.signal });
          return { items: data.users, nextPage: data.next_page, count: data.count };
        },
        map: (user) => user,
      });
      for await (const user of pages) {
        if (isKf5AgentRole(user.role) && user.custom_role_id !== null && user.custom_role_id !== undefined) customs.add(String(user.custom_role_id));
      }
      return kf5Roles(customs);
    },
  };

  return {
    vendor: VENDOR,
    capabilities: KF5_CAPABILITIES,
    passwordRules: KF5_PASSWORD_RULES,
    authMode: auth.mode,
    baseUrl: transport.baseUrl,
    agents,
    groups,
    roles,
    ...transportMembers(transport),
  };
}
