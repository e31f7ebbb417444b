import { z } from 'zod';

/**
 * A vendor reply checked where it lies: it is validated as `schema` validates it, and the reply itself
 * is passed on, undeclared fields included (what loose objects keep for `remoteData`), not a copy.
 * zod's loose objects copy every field of every item, and its per-field result objects made the
 * checks of a 100-agent page the largest part of the SDK's own time on it.
 *
 * A valid reply is accepted by a predicate compiled once from the schema (`compileCheck`); anything it
 * does not accept goes through zod, whose verdict and issues are the ones reported (and whose parsed
 * copy is passed on). Only for schemas that check and never change what they parse (no transform,
 * default, coercion or trim), which is asserted here, once.
 */
export function inPlace<S extends z.ZodType>(schema: S): z.ZodType<z.output<S>, z.input<S>> {
  assertChecksOnly(schema, 'schema');
  const accepts = compileCheck(schema);
  const checked = z.unknown().transform((value, ctx) => {
    if (accepts?.(value)) return value as z.output<S>;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }) as unknown as z.ZodType<z.output<S>, z.input<S>>;
  if (accepts) Object.defineProperty(checked, ACCEPTS, { value: accepts });
  return checked;
}

const ACCEPTS = Symbol('contactkit.inPlace');

/**
 * Whether an inPlace schema's compiled check accepts `value` as it is (false for any other schema, or
 * a value it declines: parse those). The transport asks this before parsing a reply: a page it accepts
 * never enters zod's parse, whose per-parse objects V8 may come to allocate in the old generation
 * (allocation-site pretenuring), where each one pointing at a reply kept the whole page alive through
 * young collections.
 */
export function acceptedInPlace(schema: z.ZodType, value: unknown): boolean {
  return (schema as { [ACCEPTS]?: Check })[ACCEPTS]?.(value) === true;
}

/** Kinds whose parse returns its input unchanged (an overwriting check on one, such as trim, is refused in assertChecksOnly). */
const CHECKING_KINDS = new Set(['string', 'number', 'int', 'boolean', 'bigint', 'null', 'undefined', 'any', 'unknown', 'literal', 'enum', 'nan', 'never']);

interface AnyCheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
}

interface AnyDef {
  type: string;
  coerce?: boolean;
  checks?: Array<{ _zod: { def: AnyCheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
}

const defOf = (schema: z.core.$ZodType) => schema._zod.def as unknown as AnyDef;

function assertChecksOnly(schema: z.core.$ZodType, path: string): void {
  const def = defOf(schema);
  const changes = def.coerce === true || (def.checks ?? []).some((c) => c._zod.def.check === 'overwrite');
  if (changes) throw new TypeError(`inPlace: ${path} changes what it parses (a coercion or an overwriting check such as trim)`);
  const children = childrenOf(def);
  if (children === undefined) throw new TypeError(`inPlace: ${path} is a ${def.type}, which may change what it parses`);
  for (const [name, child] of children) assertChecksOnly(child, `${path}.${name}`);
}

function childrenOf(def: AnyDef): Array<[string, z.core.$ZodType]> | undefined {
  switch (def.type) {
    case 'object':
      return [...Object.entries(def.shape ?? {}), ...(def.catchall ? [['*', def.catchall] as [string, z.ZodType]] : [])];
    case 'array':
      return [['[]', def.element!]];
    case 'union':
      return def.options!.map((option, i) => [`|${i}`, option]);
    case 'optional':
    case 'nullable':
      return [['', def.innerType!]];
    case 'record':
      return [
        ['key', def.keyType!],
        ['value', def.valueType!],
      ];
    default:
      return CHECKING_KINDS.has(def.type) ? [] : undefined;
  }
}

type Check = (value: unknown) => boolean;

/**
 * A predicate that accepts only what `schema` accepts (never more; it may decline what zod would
 * accept, which then goes to zod), or undefined where the schema uses something it does not know.
 * It is compiled to one function with each field read by its own name, as zod's own parser is:
 * without zod's per-field result objects it costs a fraction of a parse, and the checks of a listed
 * page were the largest part of the SDK's own time on it.
 */
export function compileCheck(schema: z.core.$ZodType): Check | undefined {
  const helpers: unknown[] = [];
  const body = emit(schema, 'v', helpers);
  if (body === undefined) return undefined;
  try {
    // the source holds no value of the schema's: keys are JSON string literals, the rest is in `h`
    return new Function('h', `return function check(v) { return ${body}; };`)(helpers) as Check;
  } catch {
    return undefined; // no code generation here (a locked-down runtime): zod decides
  }
}

/** A JavaScript boolean expression saying whether `at` is valid, or undefined for what is not known here. */
function emit(schema: z.core.$ZodType, at: string, h: unknown[]): string | undefined {
  const def = defOf(schema);
  const base = emitBase(def, at, h);
  if (base === undefined) return undefined;
  const checks = (def.checks ?? []).map((c) => emitRefinement(c._zod.def, at, h));
  if (checks.some((c) => c === undefined)) return undefined;
  return checks.length === 0 ? `(${base})` : `((${base}) && ${checks.join(' && ')})`;
}

function helper(h: unknown[], value: unknown): string {
  h.push(value);
  return `h[${h.length - 1}]`;
}

function emitBase(def: AnyDef, at: string, h: unknown[]): string | undefined {
  switch (def.type) {
    case 'string':
    case 'boolean':
      return `typeof ${at} === '${def.type}'`;
    case 'number':
      return `typeof ${at} === 'number' && Number.isFinite(${at})`;
    case 'null':
      return `${at} === null`;
    case 'undefined':
      return `${at} === undefined`;
    case 'unknown':
    case 'any':
      return 'true';
    case 'literal':
    case 'enum': {
      const values = def.type === 'literal' ? def.values! : Object.values(def.entries ?? {});
      // a numeric TypeScript enum also maps its values back to names: zod's own reading, not repeated here
      if (def.type === 'enum' && values.some((x) => typeof x !== 'string')) return undefined;
      return `${helper(h, new Set(values))}.has(${at})`;
    }
    case 'optional':
    case 'nullable': {
      const inner = emit(def.innerType!, at, h);
      return inner && `${at} === ${def.type === 'optional' ? 'undefined' : 'null'} || ${inner}`;
    }
    case 'union': {
      const options = def.options!.map((o) => emit(o, at, h));
      return options.some((o) => o === undefined) ? undefined : options.join(' || ');
    }
    case 'array': {
      // a loop is no expression: the element check is a function of its own
      const element = compileCheck(def.element!);
      return element && `${helper(h, arrayOf(element))}(${at})`;
    }
    case 'object':
      return emitObject(def, at, h);
    default:
      return undefined;
  }
}

function arrayOf(element: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return false;
    // an index loop, not every(): zod checks a hole as undefined, every() would skip it
    for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
    return true;
  };
}

function emitObject(def: AnyDef, at: string, h: unknown[]): string | undefined {
  const catchall = def.catchall ? defOf(def.catchall).type : undefined;
  // extra keys are ignored (strip) or kept unchecked (loose); a strict object's are not judged here
  if (catchall !== undefined && catchall !== 'unknown' && catchall !== 'any') return undefined;
  // an own "__proto__" (JSON.parse makes one) goes to zod, whose copy drops it: passed on, a later
  // `out[key] = value` copy would set a prototype
  const parts = [`typeof ${at} === 'object' && ${at} !== null && !Array.isArray(${at}) && !Object.hasOwn(${at}, '__proto__')`];
  for (const [key, child] of Object.entries(def.shape ?? {})) {
    const name = JSON.stringify(key);
    const check = emit(child, `${at}[${name}]`, h);
    if (check === undefined) return undefined;
    // zod lets a key be absent only where its schema is optional on input
    const mayBeAbsent = (child._zod as { optin?: string }).optin === 'optional';
    parts.push(`(${name} in ${at} ? ${check} : ${mayBeAbsent})`);
  }
  return parts.join(' && ');
}

function emitRefinement(check: AnyCheckDef, at: string, h: unknown[]): string | undefined {
  switch (check.check) {
    case 'min_length':
      return `${at}.length >= ${Number(check.minimum)}`;
    case 'max_length':
      return `${at}.length <= ${Number(check.maximum)}`;
    case 'length_equals':
      return `${at}.length === ${Number(check.length)}`;
    case 'string_format': {
      if (check.format !== 'regex' || !check.pattern) return undefined;
      const re = helper(h, check.pattern);
      return `(${re}.lastIndex = 0, ${re}.test(${at}))`;
    }
    case 'number_format':
      return check.format === 'safeint' ? `Number.isSafeInteger(${at})` : undefined;
    case 'greater_than':
      return `${at} ${check.inclusive ? '>=' : '>'} ${Number(check.value)}`;
    case 'less_than':
      return `${at} ${check.inclusive ? '<=' : '<'} ${Number(check.value)}`;
    default:
      return undefined;
  }
}
