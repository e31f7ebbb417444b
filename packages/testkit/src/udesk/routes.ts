import { emailValid, isRecord, parseIntParam, type RouteDef, type SimReply, type SimRequest, type SimServer, type VendorProfile } from '../server';
import type { UdeskAuth } from './auth';
import { pageOf, strOrNull, type UAgent, type UGroup, type UdeskStore } from './store';
import { PROFILES, UDESK_API_PREFIX, UDESK_CODES, fail, ok, type UdeskProfile, type UdeskReadings, type UdeskSimulatorOptions } from './types';

/** What the route handlers work on. */
export interface UdeskRouteContext {
  store: UdeskStore;
  auth: UdeskAuth;
  readings: UdeskReadings;
  /** The tenant's rules (required custom fields, trunk numbers, limits per employee type). */
  rules: Pick<UdeskSimulatorOptions, 'requiredCustomFields' | 'calloutNumberIds' | 'profileLimits'>;
  /** The clock (`now()`) and the `logins` counter. */
  server: SimServer;
}

type Handler = (ctx: UdeskRouteContext, req: SimRequest) => SimReply;
type UdeskRoute = Omit<RouteDef, 'handler'> & { handler: Handler };

/** The vendor profile SimServer serves: the routes, sign-v2 auth and Udesk's error bodies. */
export function udeskProfile(ctx: UdeskRouteContext): VendorProfile {
  const form = (reply: SimReply) => errorForm(ctx.readings, reply);
  return {
    apiPrefix: UDESK_API_PREFIX,
    routes: ROUTES.map((r) => ({ ...r, handler: (req: SimRequest) => form(r.handler(ctx, req)) })),
    authenticate: (req) => {
      const refused = ctx.auth.authenticate(req, ctx.server.now());
      return refused && form(refused);
    },
    notFound: () => ({ status: 404, body: { code: 404, message: 'Not Found' } }),
    badRequest: (message) => fail(UDESK_CODES.INVALID, 'Unknown error', { exception: { message } }),
    tooManyRequests: () => ({ status: 429, body: { code: 429, message: 'Too many requests' } }),
    serverError: (status) => ({ status, body: { code: status, message: 'Internal Server Error' } }),
    malformedBody: '{"code":1000,"agents":[{"id":1,"email":"trunc',
  };
}

/** `errorMessageField: 'code_message'`: error bodies name their text `code_message` (one client reads that). */
function errorForm(readings: UdeskReadings, reply: SimReply): SimReply {
  if (readings.errorMessageField !== 'code_message' || !isRecord(reply.body) || reply.body.code === UDESK_CODES.OK || !('message' in reply.body)) return reply;
  const { message, ...rest } = reply.body;
  return { ...reply, body: { ...rest, code_message: message } };
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

const NOT_FOUND = () => fail(UDESK_CODES.NOT_FOUND, 'No such resource was found');
const MISSING_AGENT = () =>
  fail(UDESK_CODES.INVALID, 'Unknown error', { exception: { message: 'param is missing or the value is empty: agent' } });
const EMAIL_TAKEN = 'The email has been occupied';
const PASSWORD_IS_EMAIL = 'Verification failed: the password must be different from the email address';
const bodyOf = (req: SimRequest): Record<string, unknown> => (isRecord(req.body) ? req.body : {});
const bodyAgent = (req: SimRequest): Record<string, unknown> | null =>
  isRecord(req.body) && isRecord(req.body.agent) ? req.body.agent : null;

function findAgent(store: UdeskStore, raw: string | undefined): UAgent | undefined {
  const id = parseIntParam(raw);
  return id === undefined || Number.isNaN(id) ? undefined : store.agents.get(id);
}
function findGroup(store: UdeskStore, raw: string | undefined): UGroup | undefined {
  const id = parseIntParam(raw);
  return id === undefined || Number.isNaN(id) ? undefined : store.groups.get(id);
}

function logIn(ctx: UdeskRouteContext, req: SimRequest): SimReply {
  ctx.server.extra.logins = (ctx.server.extra.logins ?? 0) + 1;
  const b = bodyOf(req);
  if (!ctx.auth.passwordMatches(b.email, b.password)) return fail(UDESK_CODES.NOT_FOUND, 'The email or password is incorrect');
  return ok({ open_api_auth_token: ctx.auth.credentials().apiToken });
}

function listAgents({ store, readings }: UdeskRouteContext, req: SimRequest): SimReply {
  const withDisabled = req.query.get('with_disabled');
  if (withDisabled !== null && withDisabled !== 'true' && withDisabled !== 'false') return fail(UDESK_CODES.INVALID, 'with_disabled must be true or false');
  const list = withDisabled === 'true' ? store.agents.values() : store.agents.view('enabled', (a) => a.disable_status === 'enable');
  const p = pageOf(req.query, list, readings);
  if ('status' in p) return p;
  return ok({ meta: p.meta, agents: p.items.map((a) => store.listWire(a)) });
}

function getAgent({ store }: UdeskRouteContext, req: SimRequest): SimReply {
  const type = req.query.get('type');
  const content = req.query.get('content') ?? '';
  const missing = (['type', 'content'] as const).filter((f) => isBlank(req.query.get(f)));
  if (missing.length) return required(missing);
  let a: UAgent | undefined;
  if (type === 'id') a = findAgent(store, content);
  else if (type === 'email') {
    const id = store.byEmail.get(content.toLowerCase());
    a = id === undefined ? undefined : store.agents.get(id);
  }
  if (!a) return fail(UDESK_CODES.NOT_FOUND, 'The resource does not exist, please check the input parameters');
  return ok({ agent: store.detailWire(a) });
}

function createAgent(ctx: UdeskRouteContext, req: SimRequest): SimReply {
  const { store, rules } = ctx;
  const agent = bodyAgent(req);
  if (!agent) return MISSING_AGENT();
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
  if ((rules.requiredCustomFields ?? []).some((k) => isBlank(customFields[k]))) return fail(UDESK_CODES.INVALID, CUSTOM_FIELDS_INVALID);
  if (!calloutValid(ctx, agent.callout_number_id)) return fail(UDESK_CODES.INVALID, 'The callout_number_id value is invalid');
  if (profileFull(ctx, (agent.profile as UdeskProfile | undefined) ?? 'im')) return fail(UDESK_CODES.INVALID, PROFILE_LIMIT);
  const email = agent.email as string;
  if (store.byEmail.has(email.toLowerCase())) return fail(UDESK_CODES.INVALID, EMAIL_TAKEN);
  if (agent.password === email) return fail(UDESK_CODES.INVALID, PASSWORD_IS_EMAIL);
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
}

function updateAgent(ctx: UdeskRouteContext, req: SimRequest): SimReply {
  const { store } = ctx;
  const a = findAgent(store, req.params[0]);
  // with_disabled (URL parameter): without it a disabled agent is not found
  if (!a || (a.disable_status === 'disable' && req.query.get('with_disabled') !== 'true')) return NOT_FOUND();
  const agent = bodyAgent(req);
  if (!agent) return MISSING_AGENT();
  if (a.flags.imOnline) return { status: 200, body: { code: 11006 } };
  if (a.flags.openImSessions) return { status: 200, body: { code: 11007 } };
  const refused = checkUpdate(ctx, a, agent);
  if (refused) return fail(UDESK_CODES.INVALID, refused);
  applyUpdate(store, a, agent);
  return ok({ agent: store.putWire(a) });
}

/** The refusal message for a PUT body, or null. */
function checkUpdate(ctx: UdeskRouteContext, a: UAgent, agent: Record<string, unknown>): string | null {
  const bad = checkAgentFields(agent);
  if (bad) return bad;
  if (!calloutValid(ctx, agent.callout_number_id)) return 'The callout_number_id value is invalid';
  if (agent.profile !== undefined && agent.profile !== a.profile && profileFull(ctx, agent.profile as UdeskProfile)) return PROFILE_LIMIT;
  const email = (agent.email as string | undefined) ?? a.email;
  if (agent.email !== undefined) {
    const other = ctx.store.byEmail.get(email.toLowerCase());
    if (other !== undefined && other !== a.id) return EMAIL_TAKEN;
  }
  const password = (agent.password as string | undefined) ?? a.loginPassword;
  if ((agent.password !== undefined || agent.email !== undefined) && password === email) return PASSWORD_IS_EMAIL;
  return null;
}

/** Writes a checked PUT body onto the agent. */
function applyUpdate(store: UdeskStore, a: UAgent, agent: Record<string, unknown>): void {
  const email = (agent.email as string | undefined) ?? a.email;
  if (email !== a.email) {
    store.byEmail.delete(a.email.toLowerCase());
    store.byEmail.set(email.toLowerCase(), a.id);
    a.email = email;
  }
  // the request table's `password` is the log-in password; the SIP pair (`number`/`password`
  // in replies) is not writable here, so the example's `number` is ignored
  a.loginPassword = (agent.password as string | undefined) ?? a.loginPassword;
  if (isRecord(agent.custom_fields)) a.customFields = { ...a.customFields, ...agent.custom_fields };
  for (const f of NULLABLE_STRINGS) if (agent[f] !== undefined) a[f] = strOrNull(agent[f]);
  if (agent.profile !== undefined && agent.profile !== null) a.profile = agent.profile as UdeskProfile;
  if (agent.im_ability_value !== undefined) a.im_ability_value = Number(agent.im_ability_value);
  if (agent.availability !== undefined) a.availability = agent.availability as boolean;
  if (agent.lang !== undefined) a.lang = agent.lang as 'zh-cn' | 'en-us' | null;
  if (agent.disable_status !== undefined) {
    a.disable_status = agent.disable_status as 'enable' | 'disable';
    store.agents.touch();
  }
  if (agent.agent_role_ids !== undefined) a.roleIds = ids(agent.agent_role_ids).filter((r) => store.roles.has(r));
  if (agent.department_ids !== undefined) a.departmentIds = ids(agent.department_ids).filter((d) => store.depts.has(d));
  if (agent.user_group_ids !== undefined) store.setAgentGroups(a, ids(agent.user_group_ids));
}

function deleteAgent(ctx: UdeskRouteContext, req: SimRequest): SimReply {
  const a = findAgent(ctx.store, req.params[0]);
  if (!a) return NOT_FOUND();
  const refused = checkOwner(ctx, bodyOf(req));
  if (refused) return refused;
  if (a.flags.responsibleTickets) return fail(UDESK_CODES.INVALID, 'The customer service agent has responsible customers and cannot be deleted');
  ctx.store.deleteAgent(a);
  return ok({ message: `The customer service agent with ID ${a.id} has been successfully deleted` });
}

function listGroups({ store, readings }: UdeskRouteContext, req: SimRequest): SimReply {
  const p = pageOf(req.query, store.groups.values(), readings);
  if ('status' in p) return p;
  return ok({ meta: p.meta, user_groups: p.items.map((g) => store.groupWire(g)) });
}

function groupMembers({ store, readings }: UdeskRouteContext, req: SimRequest): SimReply {
  const g = findGroup(store, req.params[0]);
  if (!g) return NOT_FOUND();
  const p = pageOf(req.query, [...g.members], readings);
  if ('status' in p) return p;
  const agents = p.items.map((id) => {
    const a = store.agents.get(id)!;
    return { id: a.id, nick_name: a.nick_name, email: a.email, cellphone: a.cellphone };
  });
  const group = { user_group: { id: g.id, name: g.name, agents } };
  return ok(readings.groupMembersMeta === false ? group : { meta: p.meta, ...group });
}

function createGroup({ store }: UdeskRouteContext, req: SimRequest): SimReply {
  const b = bodyOf(req);
  const bad = checkGroupBody(b, true);
  if (bad) return fail(UDESK_CODES.INVALID, bad);
  const g = store.insertGroup(String(b.name), ids(b.agent_ids));
  return ok({ user_group: store.groupWire(g) });
}

function updateGroup({ store }: UdeskRouteContext, req: SimRequest): SimReply {
  const g = findGroup(store, req.params[0]);
  if (!g) return NOT_FOUND();
  const b = bodyOf(req);
  const bad = checkGroupBody(b, false);
  if (bad) return fail(UDESK_CODES.INVALID, bad);
  if (b.name !== undefined) g.name = String(b.name);
  if (b.agent_ids !== undefined) store.setGroupMembers(g, ids(b.agent_ids));
  return ok({ user_group: store.groupWire(g) });
}

function deleteGroup({ store }: UdeskRouteContext, req: SimRequest): SimReply {
  const g = findGroup(store, req.params[0]);
  if (!g) return NOT_FOUND();
  store.deleteGroup(g);
  return ok({ message: `The customer service group with ID ${g.id} has been successfully deleted` });
}

function createDepartment({ store }: UdeskRouteContext, req: SimRequest): SimReply {
  const b = bodyOf(req);
  if (typeof b.name !== 'string' || b.name.trim() === '') return fail(UDESK_CODES.INVALID, 'name is required');
  if (b.name.length > 255) return fail(UDESK_CODES.INVALID, 'name is too long (maximum is 255 characters)');
  const parent = parseIntParam(b.parent_id) ?? 0;
  if (Number.isNaN(parent) || (parent !== 0 && !store.depts.has(parent))) return NOT_FOUND();
  return ok({ id: store.insertDept(b.name, parent).id });
}

const ROUTES: UdeskRoute[] = [
  { method: 'POST', pattern: /^\/open_api_v1\/log_in$/, key: 'POST /log_in', auth: false, authEndpoint: true, handler: logIn },
  { method: 'GET', pattern: /^\/open_api_v1\/agents$/, key: 'GET /agents', handler: listAgents },
  { method: 'GET', pattern: /^\/open_api_v1\/agents\/get_agent$/, key: 'GET /agents/get_agent', handler: getAgent },
  { method: 'POST', pattern: /^\/open_api_v1\/agents$/, key: 'POST /agents', handler: createAgent },
  { method: 'PUT', pattern: /^\/open_api_v1\/agents\/([^/]+)$/, key: 'PUT /agents/:id', handler: updateAgent },
  { method: 'DELETE', pattern: /^\/open_api_v1\/agents\/([^/]+)$/, key: 'DELETE /agents/:id', handler: deleteAgent },
  { method: 'GET', pattern: /^\/open_api_v1\/user_groups$/, key: 'GET /user_groups', handler: listGroups },
  { method: 'GET', pattern: /^\/open_api_v1\/user_groups\/([^/]+)\/agents$/, key: 'GET /user_groups/:id/agents', handler: groupMembers },
  { method: 'POST', pattern: /^\/open_api_v1\/user_groups$/, key: 'POST /user_groups', handler: createGroup },
  { method: 'PUT', pattern: /^\/open_api_v1\/user_groups\/([^/]+)$/, key: 'PUT /user_groups/:id', handler: updateGroup },
  { method: 'DELETE', pattern: /^\/open_api_v1\/user_groups\/([^/]+)$/, key: 'DELETE /user_groups/:id', handler: deleteGroup },
  { method: 'GET', pattern: /^\/open_api_v1\/agent_roles$/, key: 'GET /agent_roles', handler: ({ store }) => ok({ agent_roles: store.roles.values().map((r) => ({ ...r })) }) },
  { method: 'GET', pattern: /^\/open_api_v1\/departments$/, key: 'GET /departments', handler: ({ store }) => ok({ departments: store.deptTree() }) },
  { method: 'POST', pattern: /^\/open_api_v1\/departments$/, key: 'POST /departments', handler: createDepartment },
];

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/** Fields a PUT writes as string-or-null. */
const NULLABLE_STRINGS = ['nick_name', 'aliase', 'cellphone', 'duty', 'im_welcomes', 'avatar', 'work_id'] as const;

function profileFull({ store, rules }: UdeskRouteContext, profile: UdeskProfile): boolean {
  const limit = rules.profileLimits?.[profile];
  return limit !== undefined && store.agents.values().filter((x) => x.profile === profile).length >= limit;
}

function calloutValid({ rules }: UdeskRouteContext, v: unknown): boolean {
  return v === undefined || v === null || (rules.calloutNumberIds ?? []).includes(Number(v));
}

/** DELETE /agents/:id body: owner_group_id (required by the table) and owner_id within that group. */
function checkOwner(ctx: UdeskRouteContext, b: Record<string, unknown>): SimReply | null {
  if (isBlank(b.owner_group_id)) {
    return ctx.readings.deleteOwnerGroup === 'optional' && isBlank(b.owner_id) ? null : required(['owner_group_id']);
  }
  const g = findGroup(ctx.store, String(b.owner_group_id));
  if (!g) return NOT_FOUND();
  if (!isBlank(b.owner_id) && !g.members.has(Number(b.owner_id))) return NOT_FOUND();
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
