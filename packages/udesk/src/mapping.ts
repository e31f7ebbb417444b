import type { Agent, AgentInput, AgentPatch, Channel, Group, GroupInput, GroupPatch, Mapped, MappingWarning, Role } from '@contactkit/core';
import { LocaleSchema } from '@contactkit/core';
import type {
  UdeskAgent,
  UdeskAgentWrite,
  UdeskDepartment,
  UdeskProfile,
  UdeskRole,
  UdeskUserGroup,
  UdeskUserGroupWrite,
} from './wire';

/**
 * Udesk ⇄ model mapping: pure functions (no I/O, no clock). Whatever cannot be carried over is
 * returned as a MappingWarning, never dropped silently.
 */


// ---------------------------------------------------------------------------------------------
// profile ⇄ channels
// ---------------------------------------------------------------------------------------------

/** The documented table: Udesk employee type (`profile`) → the channels it serves. */
export const PROFILE_CHANNELS: Readonly<Record<UdeskProfile, readonly Channel[]>> = {
  im: ['chat'],
  call: ['voice'],
  ticket: ['ticket'],
  dial: ['outbound'],
  all: ['chat', 'voice', 'ticket', 'outbound'],
};

const PROFILES = Object.keys(PROFILE_CHANNELS) as UdeskProfile[];

export function profileToChannels(profile: string | null | undefined): Mapped<Channel[]> {
  if (profile === null || profile === undefined || profile === '') return { value: [], warnings: [] };
  // own properties only: a reply saying "constructor" must not find Object.prototype's
  const channels = Object.hasOwn(PROFILE_CHANNELS, profile) ? PROFILE_CHANNELS[profile as UdeskProfile] : undefined;
  if (!channels) {
    return { value: [], warnings: [{ field: 'channels', message: `unknown Udesk profile "${profile}": no channels mapped`, value: profile }] };
  }
  return { value: [...channels], warnings: [] };
}

/**
 * channels → the single profile that covers exactly those channels; several channels with no exact
 * match → 'all' (a warning: it grants more than asked); 'video' has no Udesk profile (a warning);
 * an empty list → no profile (a warning; Udesk defaults new agents to 'im').
 */
export function channelsToProfile(channels: readonly Channel[]): Mapped<UdeskProfile | undefined> {
  const warnings: MappingWarning[] = [];
  const wanted = new Set(channels);
  if (wanted.has('video')) {
    warnings.push({ field: 'channels', message: 'Udesk has no profile for video: the video channel is not carried over', value: 'video' });
    wanted.delete('video');
  }
  if (wanted.size === 0) {
    warnings.push({ field: 'channels', message: 'no channel Udesk can serve: profile left unset (Udesk defaults to im)', value: [...channels] });
    return { value: undefined, warnings };
  }
  const exact = PROFILES.find((p) => {
    const has = PROFILE_CHANNELS[p];
    return has.length === wanted.size && has.every((c) => wanted.has(c));
  });
  if (exact) return { value: exact, warnings };
  warnings.push({
    field: 'channels',
    message: `no Udesk profile serves exactly [${[...wanted].join(', ')}]: using "all", which also serves the other channels`,
    value: [...wanted],
  });
  return { value: 'all', warnings };
}

// ---------------------------------------------------------------------------------------------
// lang ⇄ locale, status
// ---------------------------------------------------------------------------------------------

const LANG_TO_LOCALE: Readonly<Record<string, string>> = { 'zh-cn': 'zh-CN', 'en-us': 'en-US' };

export function langToLocale(lang: string | null | undefined): Mapped<string | null> {
  if (lang === null || lang === undefined || lang === '') return { value: null, warnings: [] };
  const key = lang.toLowerCase();
  const known = Object.hasOwn(LANG_TO_LOCALE, key) ? LANG_TO_LOCALE[key] : undefined;
  if (known) return { value: known, warnings: [] };
  // not in the seed's table: carried over as a BCP 47 tag (region upper-cased) when it is one, reported
  const [language, ...rest] = lang.trim().replace(/_/g, '-').split('-');
  const value = [language!.toLowerCase(), ...rest.map((r) => (r.length === 2 ? r.toUpperCase() : r))].join('-');
  if (!LocaleSchema.safeParse(value).success) {
    return { value: null, warnings: [{ field: 'locale', message: `Udesk lang "${lang}" is not a language tag: locale left null`, value: lang }] };
  }
  return { value, warnings: [{ field: 'locale', message: `Udesk lang "${lang}" is not in the documented table (zh-cn, en-us)`, value: lang }] };
}

export function localeToLang(locale: string | null): Mapped<'zh-cn' | 'en-us' | null | undefined> {
  if (locale === null) return { value: null, warnings: [] };
  const lower = locale.toLowerCase();
  if (lower === 'zh-cn') return { value: 'zh-cn', warnings: [] };
  if (lower === 'en-us') return { value: 'en-us', warnings: [] };
  return {
    value: undefined,
    warnings: [{ field: 'locale', message: `Udesk only knows zh-CN and en-US: locale "${locale}" is not carried over`, value: locale }],
  };
}

export function statusFromWire(status: string | null | undefined): Mapped<Agent['status']> {
  if (status === 'disable') return { value: 'disabled', warnings: [] };
  if (status === 'enable' || status === null || status === undefined) return { value: 'active', warnings: [] };
  return { value: 'active', warnings: [{ field: 'status', message: `unknown Udesk disable_status "${status}": read as active`, value: status }] };
}

export function statusToWire(status: Agent['status']): 'enable' | 'disable' {
  return status === 'disabled' ? 'disable' : 'enable';
}

// ---------------------------------------------------------------------------------------------
// agents
// ---------------------------------------------------------------------------------------------

/** The SIP credential fields of a Udesk agent (secret): kept out of remoteData unless asked for. */
export const SIP_FIELDS = ['number', 'password', 'ucpapp_subaccount'] as const;

export function sanitizeRemoteData<T extends Record<string, unknown>>(wire: T, exposeSipCredentials = false, owned = false): Record<string, unknown> {
  if (exposeSipCredentials) return owned ? wire : { ...wire };
  // a copy without them (SIP_FIELDS), owned or not: deleting from the wire object cost more (V8 turns
  // an object with a deleted field into a slow dictionary), and a rest copy is V8's fastest copy
  const { number: _number, password: _password, ucpapp_subaccount: _subaccount, ...rest } = wire as Record<string, unknown>;
  return rest;
}

export interface AgentFromWireOptions {
  /** keep the SIP `number`/`password` in remoteData (default false) */
  exposeSipCredentials?: boolean | undefined;
  /**
   * The caller hands the wire object over (fresh from its schema parse, used nowhere else): with
   * `exposeSipCredentials` it becomes `remoteData` itself instead of being copied (without, it is
   * copied less its SIP credentials either way). The input is never changed.
   */
  owned?: boolean | undefined;
}

/**
 * Whether an Agent read from Udesk carries its real role ids. Only `get_agent` and `PUT` replies
 * carry them (`agent_roles`); a `GET /agents` item has `role_name`, which is not a role's name
 * (the docs show "agent" on the list and role 11 "Customer Service" from get_agent for the same
 * agent). Such an agent has `roleIds: []` meaning UNKNOWN, not "no role": compare its roles only
 * after `agents.get(id)`.
 */
export function roleIdsKnown(agent: Pick<Agent, 'remoteData'>): boolean {
  const data = agent.remoteData;
  return typeof data === 'object' && data !== null && Array.isArray((data as Record<string, unknown>).agent_roles);
}

/** The warning of a reply without role ids (field `roleIds`): roleIds is then [] meaning unknown. */
export const ROLE_IDS_UNKNOWN = 'the reply carries no role ids (role_name is not a role name): roleIds unknown, read agents.get(id)';

/** `departments` is documented as an object (the table) and printed as an array (the example). */
function departmentRefs(departments: UdeskAgent['departments']): Array<{ id: number }> {
  if (departments === null || departments === undefined) return [];
  return Array.isArray(departments) ? departments : [departments];
}

/** A Udesk agent (list, get_agent or PUT reply) → the model's Agent. */
export function agentFromWire(wire: UdeskAgent, options: AgentFromWireOptions = {}): Mapped<Agent> {
  const warnings: MappingWarning[] = [];
  const take = <T>(m: Mapped<T>): T => {
    warnings.push(...m.warnings);
    return m.value;
  };
  // never guessed from role_name: without agent_roles the ids are unknown (see roleIdsKnown)
  const roleIds = wire.agent_roles ? wire.agent_roles.map((r) => String(r.id)) : [];
  if (!wire.agent_roles) warnings.push({ field: 'roleIds', message: ROLE_IDS_UNKNOWN, value: wire.role_name ?? null });
  const groupIds = wire.user_group_ids
    ? wire.user_group_ids.map(String)
    : wire.user_groups
      ? wire.user_groups.map((g) => String(g.id))
      : [];
  const value: Agent = {
    id: String(wire.id),
    vendor: 'udesk',
    email: wire.email,
    loginName: null,
    name: wire.nick_name ?? '',
    nickname: wire.aliase ?? null,
    phone: wire.cellphone ?? null,
    status: take(statusFromWire(wire.disable_status)),
    channels: take(profileToChannels(wire.profile)),
    roleIds,
    groupIds,
    departmentIds: departmentRefs(wire.departments).map((d) => String(d.id)),
    employeeNo: wire.work_id ?? null,
    locale: take(langToLocale(wire.lang)),
    remoteData: sanitizeRemoteData(wire, options.exposeSipCredentials, options.owned),
  };
  return { value, warnings };
}

/** The vendor-only agent fields a caller may pass in `vendorFields` (allow-list). */
export const AGENT_VENDOR_FIELDS = ['im_ability_value', 'availability', 'im_welcomes', 'avatar', 'callout_number_id', 'duty', 'custom_fields'] as const;
export type AgentVendorField = (typeof AGENT_VENDOR_FIELDS)[number];

/** The value sent as `im_ability_value` on create when vendorFields has none (our choice). */
export const DEFAULT_IM_ABILITY_VALUE = 1;

/** The id arrays Udesk requires (non-empty) to create an agent, by model field. */
export const UDESK_REQUIRED_ID_FIELDS = ['roleIds', 'groupIds', 'departmentIds'] as const;
export type UdeskRequiredIdField = (typeof UDESK_REQUIRED_ID_FIELDS)[number];
/** Ids used on create for a required array the input leaves empty (`defaults` option). */
export type UdeskCreateDefaults = Partial<Record<UdeskRequiredIdField, readonly string[]>>;

export interface AgentToWireOptions {
  /** im_ability_value on create when vendorFields has none (default 1) */
  defaultImAbilityValue?: number | undefined;
  /** ids for a required array the create input leaves empty or absent (a warning says so) */
  defaults?: UdeskCreateDefaults | undefined;
}

/** The ids a create sends for a required field: the input's, else the default (warned), else none. */
export function requiredIds(input: AgentInput | AgentPatch, field: UdeskRequiredIdField, defaults: UdeskCreateDefaults = {}): Mapped<readonly string[]> {
  const given = input[field];
  if (given !== undefined && given.length > 0) return { value: given, warnings: [] };
  const fallback = defaults[field];
  if (fallback === undefined || fallback.length === 0) return { value: [], warnings: [] };
  return { value: fallback, warnings: [{ field, message: `none given: Udesk requires one, the configured defaults.${field} is used`, value: [...fallback] }] };
}

/** Model ids → wire ids; a string that is not a Udesk id becomes NaN, which the wire schema refuses (naming it). */
const ids = (values: readonly string[]): number[] => values.map((v) => (/^\d{1,15}$/.test(v) ? Number(v) : Number.NaN));

/** The wire array of each required id field. */
const ID_FIELDS = { roleIds: 'agent_role_ids', groupIds: 'user_group_ids', departmentIds: 'department_ids' } as const;

/** The fields an input and a patch map alike; `disable_status` from `status` (a create sends it by PUT). */
function agentFieldsToWire(input: AgentInput | AgentPatch): Mapped<UdeskAgentWrite> {
  const warnings: MappingWarning[] = [];
  const out: UdeskAgentWrite = {};
  if (input.email !== undefined) out.email = input.email;
  if (input.password !== undefined) out.password = input.password;
  if (input.name !== undefined) out.nick_name = input.name;
  if (input.nickname !== undefined) out.aliase = input.nickname;
  if (input.phone !== undefined) out.cellphone = input.phone;
  if (input.employeeNo !== undefined) out.work_id = input.employeeNo;
  if (input.status !== undefined) out.disable_status = statusToWire(input.status);
  if (input.channels !== undefined) {
    const m = channelsToProfile(input.channels);
    warnings.push(...m.warnings);
    if (m.value !== undefined) out.profile = m.value;
  }
  if (input.locale !== undefined) {
    const m = localeToLang(input.locale);
    warnings.push(...m.warnings);
    if (m.value !== undefined) out.lang = m.value;
  }
  if (input.loginName !== undefined && input.loginName !== null) {
    warnings.push({ field: 'loginName', message: 'Udesk agents sign in with their email: loginName is not carried over', value: input.loginName });
  }
  const vf = (input.vendorFields ?? {}) as Partial<Record<AgentVendorField, unknown>>;
  for (const key of AGENT_VENDOR_FIELDS) {
    if (vf[key] !== undefined) (out as Record<string, unknown>)[key] = vf[key];
  }
  return { value: out, warnings };
}

/**
 * A model AgentInput → the `{agent:{…}}` fields of `POST /agents`. Assumes the input has been
 * validated (ids numeric, vendorFields allow-listed). An empty or absent id array takes its
 * `defaults` entry (warned) and is otherwise left out (the client refuses that input before
 * sending: Udesk rejects it); im_ability_value defaults.
 */
export function agentInputToWire(input: AgentInput, options: AgentToWireOptions = {}): Mapped<UdeskAgentWrite> {
  const { value: out, warnings } = agentFieldsToWire(input);
  for (const field of UDESK_REQUIRED_ID_FIELDS) {
    const m = requiredIds(input, field, options.defaults);
    warnings.push(...m.warnings);
    if (m.value.length > 0) out[ID_FIELDS[field]] = ids(m.value);
  }
  out.im_ability_value ??= options.defaultImAbilityValue ?? DEFAULT_IM_ABILITY_VALUE;
  return { value: out, warnings };
}

/** A model AgentPatch → the `{agent:{…}}` fields of `PUT /agents/:id`: only what the patch names. */
export function agentPatchToWire(patch: AgentPatch): Mapped<UdeskAgentWrite> {
  const { value: out, warnings } = agentFieldsToWire(patch);
  for (const field of UDESK_REQUIRED_ID_FIELDS) {
    const given = patch[field];
    if (given !== undefined) out[ID_FIELDS[field]] = ids(given);
  }
  return { value: out, warnings };
}

/** The model field each wire key of an agent or group write carries; any other key is a vendor field. */
const MODEL_FIELD_OF_WIRE: Readonly<Record<string, string>> = {
  email: 'email',
  password: 'password',
  nick_name: 'name',
  aliase: 'nickname',
  cellphone: 'phone',
  work_id: 'employeeNo',
  profile: 'channels',
  lang: 'locale',
  disable_status: 'status',
  agent_role_ids: 'roleIds',
  user_group_ids: 'groupIds',
  department_ids: 'departmentIds',
  name: 'name',
  agent_ids: 'memberIds',
};

/**
 * A wire body's issue path → the model field the caller gave (`agent_role_ids.2` → `roleIds.2`,
 * `duty` → `vendorFields.duty`); a path already in the model's terms (`vendorFields.x`) is kept.
 */
export function modelFieldOf(wirePath: readonly PropertyKey[]): string {
  const [head, ...rest] = wirePath.map(String);
  if (head === undefined) return '';
  const field = head === 'vendorFields' ? head : Object.hasOwn(MODEL_FIELD_OF_WIRE, head) ? MODEL_FIELD_OF_WIRE[head]! : `vendorFields.${head}`;
  return [field, ...rest].join('.');
}

// ---------------------------------------------------------------------------------------------
// groups, roles, departments
// ---------------------------------------------------------------------------------------------

/** A user group → Group. `memberIds` from its `agents` (null when the reply carries none). Lossless. */
export function groupFromWire(wire: UdeskUserGroup, memberIds?: readonly string[]): Mapped<Group> {
  const value: Group = {
    id: String(wire.id),
    vendor: 'udesk',
    name: wire.name,
    memberIds: memberIds ? [...memberIds] : wire.agents ? wire.agents.map((a) => String(a.id)) : null,
    remoteData: { ...wire },
  };
  return { value, warnings: [] };
}

/** `{name, agent_ids}` (our choice: flat body, members replace). Lossless. */
function groupFieldsToWire(input: GroupInput | GroupPatch): Mapped<UdeskUserGroupWrite> {
  const out: UdeskUserGroupWrite = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.memberIds !== undefined) out.agent_ids = ids(input.memberIds);
  return { value: out, warnings: [] };
}

/** GroupInput → the body of `POST /user_groups`. */
export function groupInputToWire(input: GroupInput): Mapped<UdeskUserGroupWrite> {
  return groupFieldsToWire(input);
}

/** GroupPatch → the body of `PUT /user_groups/:id`: only what the patch names. */
export function groupPatchToWire(patch: GroupPatch): Mapped<UdeskUserGroupWrite> {
  return groupFieldsToWire(patch);
}

/** An `agent_roles` item → Role. Lossless. */
export function roleFromWire(wire: UdeskRole): Mapped<Role> {
  const value: Role = {
    id: String(wire.id),
    vendor: 'udesk',
    name: wire.name,
    description: wire.description === undefined || wire.description === null || wire.description === '' ? null : wire.description,
    remoteData: { ...wire },
  };
  return { value, warnings: [] };
}

export interface Department {
  id: string;
  name: string;
  /** null at the top level */
  parentId: string | null;
  /** names from the top level down to this department (inclusive) */
  path: string[];
}

/** The department tree (`sub_department`, recursive) → a flat list, parents before children. */
export function flattenDepartments(tree: readonly UdeskDepartment[]): Department[] {
  const out: Department[] = [];
  const walk = (nodes: readonly UdeskDepartment[], parent: Department | null) => {
    for (const node of nodes) {
      const dep: Department = {
        id: String(node.id),
        name: node.name,
        parentId: parent ? parent.id : null,
        path: [...(parent ? parent.path : []), node.name],
      };
      out.push(dep);
      if (node.sub_department) walk(node.sub_department, dep);
    }
  };
  walk(tree, null);
  return out;
}
