import {
  LocaleSchema,
  isSecretKey,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type Group,
  type GroupInput,
  type GroupPatch,
  type MappingWarning,
  type Role,
  type Mapped,
} from '@contactkit/core';
import type { Kf5Group, Kf5GroupWrite, Kf5Id, Kf5User, Kf5UserWrite } from './wire';

/*
 * KF5 wire ⇄ ContactKit model. Pure functions: no I/O, no clock. Whatever cannot be carried over is
 * returned as a warning, never dropped silently.
 */

export interface Kf5ReadOptions {
  /** the offset KF5 timestamps are read in (they carry none): '+08:00' by default */
  timezone?: string | undefined;
  /**
   * The caller hands the wire object over (fresh from its schema parse, used nowhere else): it becomes
   * `remoteData` itself, credential keys dropped, instead of being copied — the copy was most of a
   * listed page's mapping time. Default false: the input is left untouched.
   */
  owned?: boolean | undefined;
}

/** What ContactKit adds next to the vendor's own fields in `remoteData.contactkit`. */
export interface Kf5RemoteExtras {
  /** `created_at` read in `timezone`, as ISO 8601 UTC (null when absent or unreadable) */
  createdAt: string | null;
  updatedAt: string | null;
  /** the offset the timestamps were read in */
  timezone: string;
}

export const DEFAULT_KF5_TIMEZONE = '+08:00';
export const KF5_BASE_ROLES = ['agent', 'admin'] as const;
export const KF5_CUSTOM_ROLE_PREFIX = 'custom:';

const id = (value: Kf5Id): string => String(value);

// ---- time --------------------------------------------------------------------------------------

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** '+08:00' → 480 minutes; 'Z'/'UTC' → 0; undefined when unreadable. */
const offsets = new Map<string, number | undefined>();

/** parseTimezoneOffset, remembered per zone: every timestamp of every listed user asks for it */
function offsetOf(timezone: string): number | undefined {
  if (!offsets.has(timezone)) offsets.set(timezone, parseTimezoneOffset(timezone));
  return offsets.get(timezone);
}

export function parseTimezoneOffset(timezone: string): number | undefined {
  const t = timezone.trim();
  if (/^(z|utc)$/i.test(t)) return 0;
  const m = OFFSET.exec(t);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * `YYYY-MM-DD HH:MM:SS` (or `T` between) → its six numbers, read by character code: a regex with
 * six captures and six Number() calls was the larger part of a listed user's mapping (two per user).
 */
function kf5DateTimeParts(v: string): [number, number, number, number, number, number] | undefined {
  if (v.length !== 19) return undefined;
  const between = v.charCodeAt(10);
  if (v[4] !== '-' || v[7] !== '-' || (between !== 32 && between !== 84) || v[13] !== ':' || v[16] !== ':') return undefined;
  const parts = [digits(v, 0, 4), digits(v, 5, 2), digits(v, 8, 2), digits(v, 11, 2), digits(v, 14, 2), digits(v, 17, 2)] as [number, number, number, number, number, number];
  return parts.every((n) => n >= 0) ? parts : undefined;
}

/** the decimal number written at v[from, from + count), or -1 if any of them is not a digit */
function digits(v: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A KF5 timestamp (`YYYY-MM-DD HH:MM:SS`, no zone) read in `timezone` → ISO 8601 UTC.
 * A value that already carries a zone is read as is. null when absent or unreadable.
 */
export function parseKf5DateTime(value: string | null | undefined, timezone: string = DEFAULT_KF5_TIMEZONE): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.length === 19 ? value : value.trim();
  if (trimmed === '') return null;
  const parts = kf5DateTimeParts(trimmed);
  if (parts) {
    const offset = offsetOf(timezone);
    if (offset === undefined) return null;
    const [y, mo, d, h, mi, s] = parts;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
    return isoFromEpoch(Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60_000);
  }
  if (/(z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) {
    const t = Date.parse(trimmed);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}

const DAY_MS = 86_400_000;
/** `YYYY-MM-DDT` by day number */
const days = new Map<number, string>();
/** '00' … '59' */
const TWO = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

/**
 * `new Date(ms).toISOString()` for whole seconds, the calendar day remembered: a Date per timestamp
 * was most of a listed page's mapping time (two per user).
 */
function isoFromEpoch(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = days.get(day);
  if (date === undefined) {
    if (days.size >= 10_000) days.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, -13);
    days.set(day, date);
  }
  const secondOfDay = Math.floor((ms - day * DAY_MS) / 1000);
  return date + TWO[Math.floor(secondOfDay / 3600)] + ':' + TWO[Math.floor(secondOfDay / 60) % 60] + ':' + TWO[secondOfDay % 60] + '.000Z';
}

// ---- locale ------------------------------------------------------------------------------------

/** KF5 `zh_cn` → BCP 47 `zh-CN`: underscores become hyphens, a 2-letter region is upper-cased, a script title-cased. */
export function kf5LanguageToLocale(language: string | null | undefined): Mapped<string | null> {
  const known = rememberedLocale(language);
  // a fresh result each time: the remembered one stays as it was whatever the caller does with it
  return { value: known.value, warnings: known.warnings.map((w) => ({ ...w })) };
}

const NO_LANGUAGE: Mapped<string | null> = Object.freeze({ value: null, warnings: Object.freeze([]) as unknown as MappingWarning[] });

/** The shared, remembered reading of a language (not to be changed: agentFromWire only reads it). */
function rememberedLocale(language: string | null | undefined): Mapped<string | null> {
  if (typeof language !== 'string' || language.trim() === '') return NO_LANGUAGE;
  let known = locales.get(language);
  if (!known) {
    if (locales.size >= 1000) locales.clear();
    known = languageToLocale(language);
    locales.set(language, known);
  }
  return known;
}

/** a tenant's users speak a handful of languages: each is read once (the check is a zod parse) */
const locales = new Map<string, Mapped<string | null>>();

function languageToLocale(language: string): Mapped<string | null> {
  const parts = language.trim().split(/[_-]/);
  const tag = parts
    .map((p, i) => {
      if (i === 0) return p.toLowerCase();
      if (/^[a-z]{2}$/i.test(p)) return p.toUpperCase();
      if (/^[a-z]{4}$/i.test(p)) return p[0]!.toUpperCase() + p.slice(1).toLowerCase();
      return p.toLowerCase();
    })
    .join('-');
  if (!LocaleSchema.safeParse(tag).success) {
    return { value: null, warnings: [{ field: 'locale', message: 'KF5 language is not a readable language tag; locale left null', value: language }] };
  }
  return { value: tag, warnings: [] };
}

/** BCP 47 `zh-CN` → KF5 `zh_cn` (lower case, underscores). */
export function localeToKf5Language(locale: string): string {
  return locale.trim().toLowerCase().replace(/-/g, '_');
}

// ---- roles -------------------------------------------------------------------------------------

export type Kf5RoleRef = { kind: 'base'; role: 'agent' | 'admin' } | { kind: 'custom'; customRoleId: number };

/** 'agent' | 'admin' | 'custom:<n>' → what it means on the wire; undefined for anything else. */
export function parseKf5RoleId(roleId: string): Kf5RoleRef | undefined {
  if (roleId === 'agent' || roleId === 'admin') return { kind: 'base', role: roleId };
  const m = /^custom:(\d{1,15})$/.exec(roleId);
  if (m) return { kind: 'custom', customRoleId: Number(m[1]) };
  return undefined;
}

export function customRoleId(n: Kf5Id): string {
  return `${KF5_CUSTOM_ROLE_PREFIX}${id(n)}`;
}

/** roleIds of a user: [role] plus 'custom:<n>' when `custom_role_id` is set. */
export function kf5UserRoleIds(user: Pick<Kf5User, 'role' | 'custom_role_id'>): string[] {
  const out = [user.role];
  if (user.custom_role_id !== null && user.custom_role_id !== undefined) out.push(customRoleId(user.custom_role_id));
  return out;
}

const ROLE_DESCRIPTIONS: Record<'agent' | 'admin', { name: string; description: string }> = {
  agent: { name: 'Agent', description: 'KF5 agent (客服)' },
  admin: { name: 'Administrator', description: 'KF5 administrator (管理员)' },
};

/**
 * A KF5 role → Role. KF5 has no role objects on the wire: a base role is the user's `role`, a custom
 * role only its `custom_role_id` (no API reads custom roles, so their names are not known).
 */
export function roleFromWire(ref: Kf5RoleRef): Mapped<Role> {
  if (ref.kind === 'base') {
    const { name, description } = ROLE_DESCRIPTIONS[ref.role];
    return { value: { id: ref.role, vendor: 'kf5', name, description, remoteData: { role: ref.role } }, warnings: [] };
  }
  const n = id(ref.customRoleId);
  return {
    value: {
      id: customRoleId(n),
      vendor: 'kf5',
      name: `Custom role ${n}`,
      description: `KF5 custom role ${n} (premium plan); its name is not readable through the API`,
      remoteData: { custom_role_id: ref.customRoleId },
    },
    warnings: [],
  };
}

/** The roles list: the two fixed KF5 roles, then one role per `custom_role_id` value given, in number order. */
export function kf5Roles(customRoleIds: Iterable<Kf5Id> = []): Role[] {
  const customs = [...new Set([...customRoleIds].map((n) => id(n)))].sort((a, b) => Number(a) - Number(b));
  const refs: Kf5RoleRef[] = [...KF5_BASE_ROLES.map((role) => ({ kind: 'base' as const, role })), ...customs.map((n) => ({ kind: 'custom' as const, customRoleId: Number(n) }))];
  return refs.map((ref) => roleFromWire(ref).value);
}

// ---- agents ------------------------------------------------------------------------------------

/** true for the roles ContactKit treats as agents. */
export function isKf5AgentRole(role: string): role is 'agent' | 'admin' {
  return role === 'agent' || role === 'admin';
}

function text(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value);
  return s === '' ? null : s;
}

/** The vendor object without credential keys, plus our parsed timestamps under `contactkit`. */
function remoteUser(user: Kf5User, extras: Kf5RemoteExtras, owned: boolean): Record<string, unknown> {
  if (owned) {
    const own = user as unknown as Record<string, unknown>;
    for (const k in own) if (isSecretKey(k)) delete own[k];
    own.contactkit = extras;
    return own;
  }
  const out: Record<string, unknown> = {};
  // hot on every listed user: a for-in over own keys, no entries array
  for (const k in user) if (Object.hasOwn(user, k) && !isSecretKey(k)) out[k] = (user as Record<string, unknown>)[k];
  out.contactkit = extras;
  return out;
}

/** A KF5 user (agent or admin) → Agent. */
export function agentFromWire(user: Kf5User, options: Kf5ReadOptions = {}): Mapped<Agent> {
  const timezone = options.timezone ?? DEFAULT_KF5_TIMEZONE;
  const warnings: MappingWarning[] = [];
  let status: Agent['status'];
  switch (user.status ?? 'active') {
    case 'active':
      status = 'active';
      break;
    case 'suspended':
      status = 'disabled';
      break;
    case 'unverified':
      status = 'active';
      warnings.push({ field: 'status', message: 'KF5 status "unverified" (email not confirmed yet) read as active', value: 'unverified' });
      break;
    default:
      status = 'active';
      warnings.push({ field: 'status', message: 'unknown KF5 status read as active', value: user.status });
  }
  if (!isKf5AgentRole(user.role)) {
    warnings.push({ field: 'roleIds', message: 'KF5 user is not an agent or admin', value: user.role });
  }
  if (!user.email) warnings.push({ field: 'email', message: 'KF5 user has no email; read as an empty string' });
  const locale = rememberedLocale(user.language);
  for (const w of locale.warnings) warnings.push({ ...w });
  const createdAt = parseKf5DateTime(user.created_at, timezone);
  if (user.created_at && createdAt === null) {
    warnings.push({ field: 'remoteData.contactkit.createdAt', message: 'KF5 created_at is not a readable timestamp', value: user.created_at });
  }
  const agent: Agent = {
    id: id(user.id),
    vendor: 'kf5',
    email: user.email ?? '',
    loginName: null,
    name: user.name ?? '',
    nickname: text(user.agent_display_name),
    phone: text(user.phone),
    status,
    channels: [],
    roleIds: kf5UserRoleIds(user),
    groupIds: (user.groups_info ?? []).map((g) => id(g.id)),
    departmentIds: [],
    employeeNo: null,
    locale: locale.value,
    remoteData: remoteUser(user, { createdAt, updatedAt: parseKf5DateTime(user.updated_at, timezone), timezone }, options.owned === true),
  };
  return { value: agent, warnings };
}

/**
 * An agent input → the KF5 `user` body of a create. The input must already be validated (see
 * resources/agents.ts). `groupIds` is not part of the user body: KF5 users have no writable
 * membership field, so memberships are written through the groups. `role` is `agent` unless
 * roleIds contains `admin`.
 */
export function agentInputToWire(input: AgentInput): Mapped<Kf5UserWrite> {
  return userBody(input, 'create');
}

/** An agent patch → the KF5 `user` body of an update: `role` and `custom_role_id` are sent only when roleIds is given (then they replace). */
export function agentPatchToWire(patch: AgentPatch): Mapped<Kf5UserWrite> {
  return userBody(patch, 'update');
}

function userBody(input: AgentInput | AgentPatch, mode: 'create' | 'update'): Mapped<Kf5UserWrite> {
  const warnings: MappingWarning[] = [];
  const user: Kf5UserWrite = {};
  if (input.email !== undefined) user.email = input.email;
  if (input.name !== undefined) user.name = input.name.trim();
  if (input.nickname !== undefined) user.agent_display_name = input.nickname;
  if (input.phone !== undefined) user.phone = input.phone;
  // every KF5 user has a language: a null locale leaves it to KF5 (its default on create, unchanged on update)
  if (input.locale) user.language = localeToKf5Language(input.locale);
  if (input.status !== undefined) user.status = input.status === 'disabled' ? 'suspended' : 'active';
  if (input.password !== undefined) user.password = input.password;
  if (input.roleIds !== undefined || mode === 'create') {
    const refs = (input.roleIds ?? []).map(parseKf5RoleId);
    user.role = refs.some((r) => r?.kind === 'base' && r.role === 'admin') ? 'admin' : 'agent';
    const custom = refs.find((r): r is Extract<Kf5RoleRef, { kind: 'custom' }> => r?.kind === 'custom');
    if (custom) user.custom_role_id = custom.customRoleId;
    else if (mode === 'update') user.custom_role_id = null;
    (input.roleIds ?? []).forEach((r, i) => {
      if (!parseKf5RoleId(r)) warnings.push({ field: `roleIds.${i}`, message: 'not a KF5 role (agent, admin, custom:<n>); not carried', value: r });
    });
  }
  if (input.channels !== undefined && input.channels.length > 0) {
    warnings.push({ field: 'channels', message: 'KF5 has no per-agent channel field; not carried', value: input.channels });
  }
  if (input.employeeNo !== undefined && input.employeeNo !== null) {
    warnings.push({ field: 'employeeNo', message: 'KF5 has no employee number field; not carried', value: input.employeeNo });
  }
  if (input.departmentIds !== undefined && input.departmentIds.length > 0) {
    warnings.push({ field: 'departmentIds', message: 'KF5 has no departments for agents; not carried', value: input.departmentIds });
  }
  if (input.loginName !== undefined && input.loginName !== null) {
    warnings.push({ field: 'loginName', message: 'KF5 agents sign in with their email; loginName not carried', value: input.loginName });
  }
  if (input.vendorFields) Object.assign(user, input.vendorFields);
  return { value: user, warnings };
}

// ---- groups ------------------------------------------------------------------------------------

/** A KF5 group → Group; `memberIds` is null when the reply does not carry `agents`. */
export function groupFromWire(group: Kf5Group, options: Kf5ReadOptions = {}): Mapped<Group> {
  const timezone = options.timezone ?? DEFAULT_KF5_TIMEZONE;
  return {
    value: {
      id: id(group.id),
      vendor: 'kf5',
      name: group.name,
      memberIds: Array.isArray(group.agents) ? group.agents.map((a) => id(a.id)) : null,
      remoteData: { ...group, contactkit: { createdAt: parseKf5DateTime(group.created_at, timezone), updatedAt: null, timezone } },
    },
    warnings: [],
  };
}

/** A group input → the KF5 `group` body; `memberIds` → `agents` (integers). */
export function groupInputToWire(input: GroupInput): Mapped<Kf5GroupWrite> {
  return groupBody(input);
}

/** A group patch → the KF5 `group` body; `agents` REPLACES the members ([] clears them). */
export function groupPatchToWire(patch: GroupPatch): Mapped<Kf5GroupWrite> {
  return groupBody(patch);
}

function groupBody(input: GroupInput | GroupPatch): Mapped<Kf5GroupWrite> {
  const group: Kf5GroupWrite = {};
  if (input.name !== undefined) group.name = input.name.trim();
  if (input.memberIds !== undefined) group.agents = input.memberIds.map(Number);
  return { value: group, warnings: [] };
}
