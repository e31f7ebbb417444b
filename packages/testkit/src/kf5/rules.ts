/**
 * The KF5 field rules for user and group writes and for `users/search.json`. Each checker returns
 * field errors as KF5's 422 `errors` object carries them (empty when the input is fine).
 */
import { emailValid, parseIntParam } from '../server';
import { isStaff, type KUser, type Kf5Store } from './store';
import type { Kf5Role, Kf5SimulatorOptions, Kf5Status } from './types';

type FieldErrors = Record<string, string[]>;

const ROLES: readonly Kf5Role[] = ['end_user', 'agent', 'admin'];
const STATUSES: readonly Kf5Status[] = ['active', 'suspended', 'unverified'];

/** The fields `users/search.json` documents for `query_fields` and `exact_query_fields` (Java SDK javadoc). */
export const KF5_SEARCH_FIELDS = ['name', 'email', 'phone', 'landline', 'wechat_openid'] as const;

/** Validates user fields (all required ones on create, those present on update). */
export function checkUser(store: Kf5Store, u: Record<string, unknown>, create: boolean, selfId?: number): FieldErrors {
  const errors: FieldErrors = {};
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

/** Validates a group body; `fields` is the simulator's `groupWriteFields` reading. */
export function checkGroup(
  store: Kf5Store,
  g: Record<string, unknown>,
  create: boolean,
  fields: NonNullable<Kf5SimulatorOptions['groupWriteFields']>,
): FieldErrors {
  const errors: FieldErrors = {};
  if (fields === 'strict') {
    for (const key of Object.keys(g)) if (key !== 'name' && key !== 'agents') errors[key] = ['is not a writable group field'];
  }
  if (create || g.name !== undefined) {
    if (typeof g.name !== 'string' || g.name.trim() === '') errors.name = ["can't be blank"];
    else if (g.name.length > 100) errors.name = ['is too long (maximum is 100 characters)'];
  }
  if (g.agents !== undefined) {
    const msgs = checkGroupAgents(store, g.agents);
    if (msgs.length) errors.agents = msgs;
  }
  return errors;
}

function checkGroupAgents(store: Kf5Store, agents: unknown): string[] {
  if (!Array.isArray(agents)) return ['must be an array of user ids'];
  const msgs: string[] = [];
  for (const raw of agents) {
    // the doc's note: 元素值为客服id (`[123,232]`); the PHP SDK sends digit strings (`['733','1010']`)
    const isId = (typeof raw === 'number' && Number.isInteger(raw)) || (typeof raw === 'string' && /^\d+$/.test(raw));
    const u = isId ? store.userByParam(String(raw)) : undefined;
    if (!u) msgs.push(`user ${String(raw)} does not exist`);
    else if (!isStaff(u)) msgs.push(`user ${u.id} is not an agent or admin`);
  }
  return msgs;
}

/** A comma list of documented search fields; `ok: false` when it names any other. */
export function searchFields(q: URLSearchParams, param: string): { ok: boolean; fields: string[] } {
  const raw = q.get(param);
  if (raw === null) return { ok: true, fields: [] };
  const fields = raw.split(',').map((f) => f.trim()).filter(Boolean);
  return { ok: fields.length > 0 && fields.every((f) => (KF5_SEARCH_FIELDS as readonly string[]).includes(f)), fields };
}

export function fieldOf(u: KUser, f: string): string | null {
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

/** Exact match; emails compare case-insensitively (the simulator keeps them unique that way). */
export function sameValue(field: string, value: string | null, query: string): boolean {
  if (value === null) return false;
  return field === 'email' ? value.toLowerCase() === query.toLowerCase() : value === query;
}
