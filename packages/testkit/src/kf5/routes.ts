import { formatChinaTime, isRecord, parseIntParam, type RouteDef, type SimReply, type SimRequest } from '../server';
import { invalid, notFound } from './replies';
import { checkGroup, checkUser, fieldOf, KF5_SEARCH_FIELDS, sameValue, searchFields } from './rules';
import { isStaff, type KGroup, type KUser, type Kf5Store } from './store';
import type { Kf5GroupWire, Kf5NextPageOrigin, Kf5Role, Kf5Status } from './types';

/** What the handlers need, all made before the server: the store, the clock and the option readings. */
export interface Kf5RouteContext {
  store: Kf5Store;
  now: () => number;
  deleteStatus: 200 | 204;
  groupWriteFields: 'strict' | 'lenient';
  page: PageStyle;
}

export interface PageStyle {
  nextPageOrigin: Kf5NextPageOrigin;
  pageCap: number | undefined;
}

type Handler = (ctx: Kf5RouteContext, req: SimRequest) => SimReply;

// ---------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------

function pageParams(q: URLSearchParams): { page: number; perPage: number } {
  let page = parseIntParam(q.get('page') ?? undefined) ?? 1;
  let perPage = parseIntParam(q.get('per_page') ?? undefined) ?? 100;
  if (Number.isNaN(page) || page < 1) page = 1;
  if (Number.isNaN(perPage) || perPage < 1) perPage = 100;
  return { page, perPage: Math.min(perPage, 100) };
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

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/** The object under `key` in a `{user: {...}}` / `{group: {...}}` body; null when missing. */
const wrapped = (req: SimRequest, key: string): Record<string, unknown> | null =>
  isRecord(req.body) && isRecord(req.body[key]) ? (req.body[key] as Record<string, unknown>) : null;

const hasErrors = (errors: Record<string, string[]>) => Object.keys(errors).length > 0;

const deleted = (ctx: Kf5RouteContext): SimReply => (ctx.deleteStatus === 204 ? { status: 204 } : { status: 200, body: {} });

const listUsers: Handler = (ctx, req) => {
  const { store } = ctx;
  const roleParam = req.query.get('role');
  let list: readonly KUser[] = store.users.values();
  if (roleParam) {
    const wanted = [...new Set(roleParam.split(',').map((r) => r.trim()).filter(Boolean))].sort();
    list = store.users.view(`role:${wanted.join(',')}`, (u) => wanted.includes(u.role));
  }
  return pageReply(req, 'users', list, (u) => store.userWire(u), ctx.page);
};

const searchUsers: Handler = (ctx, req) => {
  const q = req.query;
  const query = q.get('query') ?? '';
  // strictest reading: `query` is always required (the javadoc's "unless exact_query_fields" names no other value)
  if (query.trim() === '') return invalid({ query: ["can't be blank"] });
  const fields = searchFields(q, 'query_fields');
  const exact = searchFields(q, 'exact_query_fields');
  const errors: Record<string, string[]> = {};
  if (!fields.ok) errors.query_fields = [`is not included in the list (${KF5_SEARCH_FIELDS.join(', ')})`];
  if (!exact.ok) errors.exact_query_fields = [`is not included in the list (${KF5_SEARCH_FIELDS.join(', ')})`];
  if (hasErrors(errors)) return invalid(errors);
  // any other parameter (e.g. `email=`) is not documented: ignored
  const lower = query.toLowerCase();
  const contains = fields.fields.length ? fields.fields : KF5_SEARCH_FIELDS;
  const list = ctx.store.users.values().filter((u) =>
    exact.fields.length > 0
      ? exact.fields.some((f) => sameValue(f, fieldOf(u, f), query))
      : contains.some((f) => (fieldOf(u, f) ?? '').toLowerCase().includes(lower)),
  );
  return pageReply(req, 'users', list, (u) => ctx.store.userWire(u), ctx.page);
};

const userGroups: Handler = ({ store }, req) => {
  const u = store.userByParam(req.params[0]);
  if (!u) return notFound('user');
  const groups: Kf5GroupWire[] = [];
  for (const gid of u.groupIds) {
    const g = store.groups.get(gid);
    if (g) groups.push(store.groupWire(g));
  }
  return { status: 200, body: { groups } };
};

const getUser: Handler = ({ store }, req) => {
  const u = store.userByParam(req.params[0]);
  return u ? { status: 200, body: { user: store.userWire(u) } } : notFound('user');
};

const createUser: Handler = ({ store }, req) => {
  const u = wrapped(req, 'user');
  if (!u) return invalid({ user: ["can't be blank"] });
  const errors = checkUser(store, u, true);
  if (hasErrors(errors)) return invalid(errors);
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
    body: { user: store.userWire(created) },
  };
};

/** Applies the fields present in a validated `user` body to `target`. */
function applyUserFields(store: Kf5Store, target: KUser, u: Record<string, unknown>): void {
  if (u.email !== undefined && String(u.email) !== target.email) store.setEmail(target, String(u.email));
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
}

const updateUser: Handler = ({ store, now }, req) => {
  const target = store.userByParam(req.params[0]);
  if (!target) return notFound('user');
  const u = wrapped(req, 'user');
  if (!u) return invalid({ user: ["can't be blank"] });
  const errors = checkUser(store, u, false, target.id);
  if (hasErrors(errors)) return invalid(errors);
  applyUserFields(store, target, u);
  target.updated_at = formatChinaTime(now());
  store.users.touch();
  return { status: 200, body: { user: store.userWire(target) } };
};

const deleteUser: Handler = (ctx, req) => {
  const u = ctx.store.userByParam(req.params[0]);
  if (!u) return notFound('user');
  ctx.store.deleteUser(u);
  return deleted(ctx);
};

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

const listGroups: Handler = (ctx, req) => pageReply(req, 'groups', ctx.store.groups.values(), (g: KGroup) => ctx.store.groupWire(g), ctx.page);

const getGroup: Handler = ({ store }, req) => {
  const g = store.groupByParam(req.params[0]);
  return g ? { status: 200, body: { group: store.groupWire(g) } } : notFound('group');
};

const createGroup: Handler = ({ store, groupWriteFields }, req) => {
  const g = wrapped(req, 'group');
  if (!g) return invalid({ group: ["can't be blank"] });
  const errors = checkGroup(store, g, true, groupWriteFields);
  if (hasErrors(errors)) return invalid(errors);
  const members = Array.isArray(g.agents) ? g.agents.map(Number) : [];
  const created = store.insertGroup(String(g.name), members);
  return {
    status: 201,
    headers: { location: `${store.origin}/apiv2/groups/${created.id}.json` },
    body: { group: store.groupWire(created) },
  };
};

const updateGroup: Handler = ({ store, groupWriteFields }, req) => {
  const target = store.groupByParam(req.params[0]);
  if (!target) return notFound('group');
  const g = wrapped(req, 'group');
  if (!g) return invalid({ group: ["can't be blank"] });
  const errors = checkGroup(store, g, false, groupWriteFields);
  if (hasErrors(errors)) return invalid(errors);
  if (g.name !== undefined) target.name = String(g.name);
  if (Array.isArray(g.agents)) store.setMembers(target, g.agents.map(Number));
  return { status: 200, body: { group: store.groupWire(target) } };
};

const deleteGroup: Handler = (ctx, req) => {
  const g = ctx.store.groupByParam(req.params[0]);
  if (!g) return notFound('group');
  ctx.store.deleteGroup(g);
  return deleted(ctx);
};

// ---------------------------------------------------------------------------------------------
// The table (first match wins: `users/search.json` before `users/{id}.json`)
// ---------------------------------------------------------------------------------------------

const TABLE: ReadonlyArray<[method: string, pattern: RegExp, key: string, handler: Handler]> = [
  ['GET', /^\/apiv2\/users\.json$/, 'GET /users.json', listUsers],
  ['GET', /^\/apiv2\/users\/search\.json$/, 'GET /users/search.json', searchUsers],
  ['GET', /^\/apiv2\/users\/([^/]+)\/groups\.json$/, 'GET /users/:id/groups.json', userGroups],
  ['GET', /^\/apiv2\/users\/([^/]+)\.json$/, 'GET /users/:id.json', getUser],
  ['POST', /^\/apiv2\/users\.json$/, 'POST /users.json', createUser],
  ['PUT', /^\/apiv2\/users\/([^/]+)\.json$/, 'PUT /users/:id.json', updateUser],
  ['DELETE', /^\/apiv2\/users\/([^/]+)\.json$/, 'DELETE /users/:id.json', deleteUser],
  ['GET', /^\/apiv2\/groups\.json$/, 'GET /groups.json', listGroups],
  ['GET', /^\/apiv2\/groups\/([^/]+)\.json$/, 'GET /groups/:id.json', getGroup],
  ['POST', /^\/apiv2\/groups\.json$/, 'POST /groups.json', createGroup],
  ['PUT', /^\/apiv2\/groups\/([^/]+)\.json$/, 'PUT /groups/:id.json', updateGroup],
  ['DELETE', /^\/apiv2\/groups\/([^/]+)\.json$/, 'DELETE /groups/:id.json', deleteGroup],
];

export function kf5Routes(ctx: Kf5RouteContext): RouteDef[] {
  return TABLE.map(([method, pattern, key, handler]) => ({ method, pattern, key, handler: (req) => handler(ctx, req) }));
}
