import { ScimError } from './errors';
import { containerOf, findKey, isObject, parseAttributePath, type AttributePath } from './path';

/** Parses `attributes`/`excludedAttributes` (comma-separated, URN-qualified or not). */
export function parseAttributeList(value: string | null | undefined): AttributePath[] | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  try {
    return value.split(',').map((p) => parseAttributePath(p));
  } catch {
    throw new ScimError(400, `invalid attribute list ${value}`, 'invalidPath');
  }
}

const ALWAYS = ['schemas', 'id'];

/** Applies RFC 7644 §3.9: only `attributes` (plus id and schemas), or all but `excludedAttributes`. */
export function project(resource: Record<string, unknown>, attributes: AttributePath[] | undefined, excluded: AttributePath[] | undefined): Record<string, unknown> {
  if (attributes) {
    const out: Record<string, unknown> = {};
    for (const k of ALWAYS) if (k in resource) out[k] = resource[k];
    for (const path of attributes) copy(resource, out, path);
    return out;
  }
  if (!excluded) return resource;
  const out = structuredClone(resource);
  for (const path of excluded) {
    if (ALWAYS.includes(path.attribute.toLowerCase()) && !path.extension) continue;
    const container = containerOf(out, path, false);
    const key = container && findKey(container, path.attribute);
    if (!container || key === undefined) continue;
    if (path.sub === undefined) delete container[key];
    else for (const item of [container[key]].flat()) if (isObject(item)) delete item[findKey(item, path.sub) ?? path.sub];
  }
  return out;
}

function copy(from: Record<string, unknown>, to: Record<string, unknown>, path: AttributePath): void {
  const source = containerOf(from, path, false);
  const key = source && findKey(source, path.attribute);
  if (!source || key === undefined) return;
  const target = path.extension ? ((to[findKey(from, path.extension)!] ??= {}) as Record<string, unknown>) : to;
  const value = source[key];
  if (path.sub === undefined) {
    target[key] = value;
    return;
  }
  const pick = (item: unknown) => {
    if (!isObject(item)) return undefined;
    const sub = findKey(item, path.sub!);
    return sub === undefined ? undefined : { [sub]: item[sub] };
  };
  if (Array.isArray(value)) {
    const prior = Array.isArray(target[key]) ? (target[key] as Record<string, unknown>[]) : value.map(() => ({}));
    target[key] = value.map((item, i) => ({ ...prior[i], ...pick(item) }));
  } else if (isObject(value)) {
    target[key] = { ...(isObject(target[key]) ? target[key] : {}), ...pick(value) };
  }
}
