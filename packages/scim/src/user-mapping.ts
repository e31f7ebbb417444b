import type { Agent, VendorId } from '@contactkit/core';
import { ENTERPRISE_SCHEMA, USER_SCHEMA, findKey, isObject } from './path';

/** The model fields a SCIM User carries, read from its JSON; undefined = not given. */
export interface UserFields {
  email?: string | undefined;
  /** Huawei only: the userAccount (SCIM userName) */
  loginName?: string | undefined;
  name?: string | undefined;
  nickname?: string | null | undefined;
  phone?: string | null | undefined;
  status?: 'active' | 'disabled' | undefined;
  /** role ids or names, as the IdP sent them */
  roles?: string[] | undefined;
  departmentIds?: string[] | undefined;
  employeeNo?: string | null | undefined;
  locale?: string | null | undefined;
  password?: string | undefined;
}

/** Where a group or role reference points on the User. */
export interface Ref {
  value: string;
  display?: string | undefined;
  $ref?: string | undefined;
}

/** Whether the vendor's login is the email (Udesk, KF5) or a separate account name (Huawei userAccount). */
export const loginIsEmail = (vendor: VendorId): boolean => vendor !== 'huawei-aicc';

/** The SCIM userName of an agent: the vendor's login. */
export function userNameOf(agent: Agent): string {
  return loginIsEmail(agent.vendor) ? agent.email : (agent.loginName ?? agent.id);
}

/** Agent → SCIM User core + enterprise attributes (no id, externalId, meta: the server adds them). */
export function agentToScimUser(agent: Agent, refs: { groups: Ref[]; roles: Ref[] }): Record<string, unknown> {
  const enterprise: Record<string, unknown> = {};
  if (agent.employeeNo) enterprise.employeeNumber = agent.employeeNo;
  if (agent.departmentIds[0]) enterprise.department = agent.departmentIds[0];
  const user: Record<string, unknown> = {
    schemas: Object.keys(enterprise).length > 0 ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    userName: userNameOf(agent),
    name: { formatted: agent.name },
    displayName: agent.name,
    ...(agent.nickname ? { nickName: agent.nickname } : {}),
    active: agent.status === 'active',
    emails: agent.email ? [{ value: agent.email, type: 'work', primary: true }] : [],
    ...(agent.phone ? { phoneNumbers: [{ value: agent.phone, type: 'work' }] } : {}),
    ...(agent.locale ? { preferredLanguage: agent.locale, locale: agent.locale } : {}),
    ...(refs.roles.length > 0 ? { roles: refs.roles } : {}),
    groups: refs.groups,
  };
  if (Object.keys(enterprise).length > 0) user[ENTERPRISE_SCHEMA] = enterprise;
  return user;
}

const get = (obj: Record<string, unknown>, name: string): unknown => {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
};

/** SCIM User JSON → the model fields it carries, for `vendor`. Pure; unknown shapes are left to the adapter to reject. */
export function scimUserToFields(user: Record<string, unknown>, vendor: VendorId): UserFields {
  const userName = str(get(user, 'userName'));
  const email = pickMulti(get(user, 'emails'));
  const name = isObject(get(user, 'name')) ? (get(user, 'name') as Record<string, unknown>) : {};
  const given = str(get(name, 'givenName'));
  const family = str(get(name, 'familyName'));
  const joined = [given, family].filter(Boolean).join(' ') || undefined;
  const ext = get(user, ENTERPRISE_SCHEMA);
  const enterprise = isObject(ext) ? ext : {};
  const fields: UserFields = {
    email: loginIsEmail(vendor) ? (userName ?? email ?? undefined) : (email ?? (userName?.includes('@') ? userName : undefined)),
    loginName: loginIsEmail(vendor) ? undefined : userName,
    name: str(get(user, 'displayName')) ?? str(get(name, 'formatted')) ?? joined ?? userName,
    nickname: nullable(get(user, 'nickName')),
    phone: pickMulti(get(user, 'phoneNumbers')),
    status: activeOf(get(user, 'active')),
    roles: refValues(get(user, 'roles')),
    departmentIds: departmentOf(get(enterprise, 'department')),
    employeeNo: nullable(get(enterprise, 'employeeNumber')),
    locale: localeOf(get(user, 'locale') ?? get(user, 'preferredLanguage')),
    password: str(get(user, 'password')),
  };
  return fields;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function nullable(v: unknown): string | null {
  return str(v) ?? null;
}

/** The primary value of a multi-valued attribute, else the last one given (an IdP adds the new one last). */
function pickMulti(v: unknown): string | null {
  if (!Array.isArray(v)) return str(v) ?? null;
  const items = v.filter(isObject);
  const primary = items.find((i) => get(i, 'primary') === true || get(i, 'primary') === 'true');
  return str(get(primary ?? items[items.length - 1] ?? {}, 'value')) ?? null;
}

/** Entra ID sends active as "False"/"True" strings in PATCH. */
function activeOf(v: unknown): 'active' | 'disabled' | undefined {
  if (v === undefined || v === null) return 'active';
  if (typeof v === 'boolean') return v ? 'active' : 'disabled';
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true' ? 'active' : 'disabled';
  return undefined;
}

function refValues(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((r) => (isObject(r) ? (str(get(r, 'value')) ?? str(get(r, 'display'))) : str(r))).filter((r): r is string => r !== undefined);
}

function departmentOf(v: unknown): string[] {
  const d = str(v);
  return d === undefined ? [] : [d];
}

/** "en_US", "en-US,en;q=0.9" → "en-US" (the first tag; the language in lower case as BCP 47 writes it). */
function localeOf(v: unknown): string | null {
  const s = str(v);
  if (!s) return null;
  const first = s.split(',')[0]!.split(';')[0]!.trim().replace(/_/g, '-');
  const [lang, ...rest] = first.split('-');
  return [lang!.toLowerCase(), ...rest].join('-');
}

/** The model field a ValidationIssue path names → the SCIM attribute the IdP sent. */
export function scimAttributeOf(modelPath: string, vendor: VendorId): string {
  const field = modelPath.split('.')[0] ?? '';
  const table: Record<string, string> = {
    email: loginIsEmail(vendor) ? 'userName' : 'emails',
    loginName: 'userName',
    name: 'displayName',
    nickname: 'nickName',
    phone: 'phoneNumbers',
    status: 'active',
    roleIds: 'roles',
    groupIds: 'groups',
    departmentIds: `${ENTERPRISE_SCHEMA}:department`,
    employeeNo: `${ENTERPRISE_SCHEMA}:employeeNumber`,
    locale: 'locale',
    password: 'password',
    channels: 'channels (server defaults)',
    memberIds: 'members',
  };
  if (field === 'vendorFields') return modelPath.slice('vendorFields.'.length) || 'vendorFields';
  return table[field] ?? modelPath;
}
