import { ScimError } from './errors';
import { matches, parseFilter, type Filter } from './filter';
import { ENTERPRISE_SCHEMA, containerOf, findKey, isObject, parseAttributePath, type AttributePath } from './path';

export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string | undefined;
  value: unknown;
}

/** Reads a PatchOp body; op names are case-insensitive (Entra ID sends "Replace", "Add"). */
export function parsePatchBody(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw new ScimError(400, 'the body must be a PatchOp object', 'invalidSyntax');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(PATCH_SCHEMA)) throw new ScimError(400, `schemas must contain ${PATCH_SCHEMA}`, 'invalidSyntax');
  const ops = body[findKey(body, 'Operations') ?? 'Operations'];
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimError(400, 'Operations must be a non-empty array', 'invalidSyntax');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw new ScimError(400, `Operations[${i}] must be an object`, 'invalidSyntax');
    const op = String(raw[findKey(raw, 'op') ?? 'op'] ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new ScimError(400, `Operations[${i}].op must be add, replace or remove`, 'invalidSyntax');
    const path = raw[findKey(raw, 'path') ?? 'path'];
    if (path !== undefined && typeof path !== 'string') throw new ScimError(400, `Operations[${i}].path must be a string`, 'invalidPath');
    return { op, path: path === '' ? undefined : path, value: raw[findKey(raw, 'value') ?? 'value'] };
  });
}

interface PatchPath {
  attr: AttributePath;
  filter: Filter | undefined;
}

function parsePatchPath(text: string): PatchPath {
  const open = text.indexOf('[');
  if (open < 0) return { attr: parseAttributePath(text), filter: undefined };
  const close = text.lastIndexOf(']');
  if (close < open) throw new ScimError(400, `invalid path ${text}`, 'invalidPath');
  const after = text.slice(close + 1);
  if (after !== '' && !/^\.[A-Za-z$][\w$-]*$/.test(after)) throw new ScimError(400, `invalid path ${text}`, 'invalidPath');
  const base = parseAttributePath(text.slice(0, open));
  if (base.sub !== undefined) throw new ScimError(400, `invalid path ${text}`, 'invalidPath');
  return { attr: { ...base, sub: after ? after.slice(1) : undefined }, filter: parseFilter(text.slice(open + 1, close)) };
}

/**
 * Applies PATCH operations to a copy of a SCIM resource (RFC 7644 §3.5.2) and returns it.
 * `readOnly` holds lower-case attribute names the client may not change (answered 400 mutability).
 */
export function applyPatch(resource: Record<string, unknown>, ops: PatchOperation[], readOnly: ReadonlySet<string>): Record<string, unknown> {
  const result = structuredClone(resource);
  for (const op of ops) {
    if (op.path !== undefined) {
      applyAt(result, parsePatchPath(op.path), op, readOnly);
    } else if (op.op === 'remove') {
      throw new ScimError(400, 'a remove operation needs a path', 'noTarget');
    } else {
      if (!isObject(op.value)) throw new ScimError(400, `${op.op} without a path needs an object value`, 'invalidValue');
      for (const [key, value] of Object.entries(op.value)) {
        if (key.toLowerCase() === ENTERPRISE_SCHEMA.toLowerCase() && isObject(value)) {
          for (const [k, v] of Object.entries(value)) applyAt(result, { attr: { extension: ENTERPRISE_SCHEMA, attribute: k, sub: undefined }, filter: undefined }, { ...op, value: v }, readOnly);
        } else if (key.toLowerCase() !== 'schemas') {
          applyAt(result, parsePatchPath(key), { ...op, value }, readOnly);
        }
      }
    }
  }
  return result;
}

function applyAt(resource: Record<string, unknown>, path: PatchPath, op: PatchOperation, readOnly: ReadonlySet<string>): void {
  const name = path.attr.attribute;
  if (op.op !== 'remove' && op.value === undefined) throw new ScimError(400, `${op.op} ${name} needs a value`, 'invalidValue');
  if (readOnly.has(name.toLowerCase()) && !path.attr.extension) {
    // Okta repeats the id in a no-path replace: the same value is no change
    const same = !path.filter && path.attr.sub === undefined && op.op !== 'remove' && JSON.stringify(resource[findKey(resource, name) ?? name]) === JSON.stringify(op.value);
    if (same) return;
    throw new ScimError(400, `${name} is read-only`, 'mutability');
  }
  const container = containerOf(resource, path.attr, op.op !== 'remove');
  if (!container) return;
  const key = findKey(container, name) ?? name;
  if (path.filter) return applyFiltered(container, key, path, op);
  const current = container[key];
  const sub = path.attr.sub;
  if (sub !== undefined) return applySub(container, key, sub, op);
  if (op.op === 'remove') {
    const removed = op.value;
    if (Array.isArray(current) && Array.isArray(removed)) {
      // Entra ID removes members as {path: "members", value: [{value: id}]}
      container[key] = current.filter((item) => !removed.some((v) => sameValue(item, v)));
    } else {
      delete container[key];
    }
    return;
  }
  if (op.op === 'add' && Array.isArray(current)) {
    const added = (Array.isArray(op.value) ? op.value : [op.value]).filter((v) => !current.some((item) => sameValue(item, v)));
    container[key] = [...current, ...added];
  } else if (isObject(current) && isObject(op.value)) {
    container[key] = { ...current, ...op.value };
  } else {
    container[key] = op.value;
  }
}

function applySub(container: Record<string, unknown>, key: string, sub: string, op: PatchOperation): void {
  const current = container[key];
  const targets = Array.isArray(current) ? current.filter(isObject) : isObject(current) ? [current] : [];
  if (targets.length === 0) {
    if (op.op === 'remove') return;
    container[key] = Array.isArray(current) ? [{ [sub]: op.value }] : { [sub]: op.value };
    return;
  }
  for (const target of targets) setOrRemove(target, sub, op);
}

function applyFiltered(container: Record<string, unknown>, key: string, path: PatchPath, op: PatchOperation): void {
  const current = container[key];
  const items = Array.isArray(current) ? current : [];
  const hits = items.filter((item) => isObject(item) && matches(item, path.filter!, key));
  const sub = path.attr.sub;
  if (op.op === 'remove') {
    container[key] = sub === undefined ? items.filter((item) => !hits.includes(item)) : items;
    if (sub !== undefined) for (const hit of hits) delete (hit as Record<string, unknown>)[findKey(hit as Record<string, unknown>, sub) ?? sub];
    return;
  }
  if (hits.length === 0) {
    // emails[type eq "work"].value on a resource without a work email: the filter's equalities make the new item
    const seed = equalities(path.filter!);
    if (!seed) throw new ScimError(400, `no ${key} value matches the filter`, 'noTarget');
    const item = sub === undefined ? { ...seed, ...(isObject(op.value) ? op.value : { value: op.value }) } : { ...seed, [sub]: op.value };
    container[key] = [...items, item];
    return;
  }
  for (const hit of hits as Array<Record<string, unknown>>) {
    if (sub !== undefined) setOrRemove(hit, sub, op);
    else if (isObject(op.value)) Object.assign(hit, op.value);
    else throw new ScimError(400, `the value for ${key}[…] must be an object`, 'invalidValue');
  }
}

function setOrRemove(target: Record<string, unknown>, sub: string, op: PatchOperation): void {
  const k = findKey(target, sub) ?? sub;
  if (op.op === 'remove') delete target[k];
  else target[k] = op.value;
}

/** `type eq "work" and primary eq true` → { type: 'work', primary: true }; undefined for anything else. */
function equalities(filter: Filter): Record<string, unknown> | undefined {
  if (filter.op === 'eq' && filter.path.sub === undefined && !filter.path.extension) return { [filter.path.attribute]: filter.value };
  if (filter.op === 'and') {
    const left = equalities(filter.left);
    const right = equalities(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  const va = isObject(a) ? a[findKey(a, 'value') ?? 'value'] : a;
  const vb = isObject(b) ? b[findKey(b, 'value') ?? 'value'] : b;
  return va !== undefined && String(va) === String(vb);
}
