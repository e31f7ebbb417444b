import { ScimError } from './errors';

/** The schema URNs this server knows; a path may be prefixed with one (RFC 7644 §3.10). */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const KNOWN_URNS = [ENTERPRISE_SCHEMA, USER_SCHEMA, GROUP_SCHEMA];

/** `urn:…:User:name.givenName` → { urn, attribute: 'name', sub: 'givenName' } (no filter). */
export interface AttributePath {
  /** the extension URN holding the attribute, or undefined for a core attribute */
  extension: string | undefined;
  attribute: string;
  sub: string | undefined;
}

export function parseAttributePath(text: string): AttributePath {
  let rest = text.trim();
  let extension: string | undefined;
  const lower = rest.toLowerCase();
  const urn = KNOWN_URNS.find((u) => lower.startsWith(`${u.toLowerCase()}:`));
  if (urn) {
    rest = rest.slice(urn.length + 1);
    if (urn === ENTERPRISE_SCHEMA) extension = ENTERPRISE_SCHEMA;
  } else if (lower.startsWith('urn:')) {
    throw new ScimError(400, `unknown schema in path ${text}`, 'invalidPath');
  }
  const [attribute, sub, extra] = rest.split('.');
  if (!attribute || extra !== undefined || !/^[A-Za-z$][\w$-]*$/.test(attribute) || (sub !== undefined && !/^[A-Za-z$][\w$-]*$/.test(sub))) {
    throw new ScimError(400, `invalid attribute path ${text}`, 'invalidPath');
  }
  return { extension, attribute, sub };
}

/** The key of `obj` that matches `name` case-insensitively (SCIM attribute names are). */
export function findKey(obj: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** The container object an attribute path lives in: the resource, or its extension object. */
export function containerOf(resource: Record<string, unknown>, path: AttributePath, create: boolean): Record<string, unknown> | undefined {
  if (!path.extension) return resource;
  const key = findKey(resource, path.extension) ?? path.extension;
  let ext = resource[key];
  if (ext === undefined && create) {
    ext = {};
    resource[key] = ext;
  }
  return isObject(ext) ? ext : undefined;
}

/** Every value an attribute path reaches (multi-valued attributes flattened). */
export function valuesAt(resource: Record<string, unknown>, path: AttributePath): unknown[] {
  const container = containerOf(resource, path, false);
  if (!container) return [];
  const key = findKey(container, path.attribute);
  const top = key === undefined ? undefined : container[key];
  const items = Array.isArray(top) ? top : top === undefined || top === null ? [] : [top];
  if (path.sub === undefined) return items;
  return items.flatMap((item) => {
    if (!isObject(item)) return [];
    const k = findKey(item, path.sub!);
    const v = k === undefined ? undefined : item[k];
    return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
