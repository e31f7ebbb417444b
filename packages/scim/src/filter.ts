import { ScimError } from './errors';
import { isObject, parseAttributePath, valuesAt, type AttributePath } from './path';

/** A parsed SCIM filter (RFC 7644 §3.4.2.2). */
export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: AttributePath }
  | { op: Comparison; path: AttributePath; value: string | number | boolean | null }
  | { op: 'valuePath'; path: AttributePath; filter: Filter };

export type Comparison = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const COMPARISONS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

/** The most comparisons one filter may hold: more is answered 400 tooMany. */
export const MAX_FILTER_TERMS = 64;

type Token = { kind: 'word' | 'string' | '(' | ')' | '[' | ']'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if ('()[]'.includes(ch)) {
      tokens.push({ kind: ch as '(' | ')' | '[' | ']', text: ch });
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw invalid('unterminated string');
      tokens.push({ kind: 'string', text: JSON.parse(input.slice(i, j + 1)) as string });
      i = j + 1;
    } else {
      let j = i;
      while (j < input.length && !/[\s()[\]"]/.test(input[j]!)) j++;
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function invalid(detail: string): ScimError {
  return new ScimError(400, `invalid filter: ${detail}`, 'invalidFilter');
}

/** Parses a filter; a syntax error is ScimError 400 invalidFilter, an oversized one 400 tooMany. */
export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  let pos = 0;
  let terms = 0;
  const peek = () => tokens[pos];
  const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;
  const expect = (kind: Token['kind']) => {
    if (peek()?.kind !== kind) throw invalid(`expected ${kind} at token ${pos + 1}`);
    pos++;
  };

  const parseOr = (): Filter => {
    let left = parseAnd();
    while (word(peek(), 'or')) {
      pos++;
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Filter => {
    let left = parseUnary();
    while (word(peek(), 'and')) {
      pos++;
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Filter => {
    const t = peek();
    if (word(t, 'not')) {
      pos++;
      expect('(');
      const filter = parseOr();
      expect(')');
      return { op: 'not', filter };
    }
    if (t?.kind === '(') {
      pos++;
      const filter = parseOr();
      expect(')');
      return filter;
    }
    return parseAttribute();
  };
  const parseAttribute = (): Filter => {
    const t = peek();
    if (t?.kind !== 'word') throw invalid(`expected an attribute at token ${pos + 1}`);
    pos++;
    if (++terms > MAX_FILTER_TERMS) throw new ScimError(400, `the filter has more than ${MAX_FILTER_TERMS} terms`, 'tooMany');
    const path = toPath(t.text);
    if (peek()?.kind === '[') {
      pos++;
      const filter = parseOr();
      expect(']');
      return { op: 'valuePath', path, filter };
    }
    const opToken = peek();
    if (opToken?.kind !== 'word') throw invalid(`expected an operator after ${t.text}`);
    const op = opToken.text.toLowerCase();
    pos++;
    if (op === 'pr') return { op: 'pr', path };
    if (!COMPARISONS.has(op)) throw invalid(`unknown operator ${opToken.text}`);
    return { op: op as Comparison, path, value: parseValue(pos++) };
  };
  const parseValue = (at: number): string | number | boolean | null => {
    const t = tokens[at];
    if (!t) throw invalid('missing comparison value');
    if (t.kind === 'string') return t.text;
    if (t.kind !== 'word') throw invalid(`unexpected ${t.text}`);
    const lower = t.text.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    if (lower === 'null') return null;
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t.text)) return Number(t.text);
    throw invalid(`comparison value ${t.text} must be a JSON string, number, boolean or null`);
  };

  if (tokens.length === 0) throw invalid('empty filter');
  const filter = parseOr();
  if (pos !== tokens.length) throw invalid(`unexpected ${tokens[pos]!.text}`);
  return filter;
}

function toPath(text: string): AttributePath {
  try {
    return parseAttributePath(text);
  } catch {
    throw invalid(`bad attribute path ${text}`);
  }
}

/** Attributes compared case-sensitively (RFC 7643 caseExact true); everything else ignores case. */
const CASE_EXACT = new Set(['id', 'externalid', 'meta.version', 'members.value', 'groups.value', 'roles.value', 'members.$ref']);
const DATES = new Set(['meta.created', 'meta.lastmodified']);

/** Whether `resource` matches `filter`; `parent` names the multi-valued attribute a value filter runs inside. */
export function matches(resource: Record<string, unknown>, filter: Filter, parent?: string): boolean {
  switch (filter.op) {
    case 'and':
      return matches(resource, filter.left, parent) && matches(resource, filter.right, parent);
    case 'or':
      return matches(resource, filter.left, parent) || matches(resource, filter.right, parent);
    case 'not':
      return !matches(resource, filter.filter, parent);
    case 'valuePath':
      return valuesAt(resource, { ...filter.path, sub: undefined }).some((item) => isObject(item) && matches(item, filter.filter, filter.path.attribute));
    case 'pr':
      return valuesAt(resource, filter.path).some((v) => v !== '' && !(Array.isArray(v) && v.length === 0));
    default: {
      const values = compareValues(resource, filter.path);
      const name = [parent, filter.path.attribute, filter.path.sub ?? (parent === undefined && isMultiValued(resource, filter.path) ? 'value' : undefined)];
      const key = name.filter(Boolean).join('.').toLowerCase();
      const caseExact = CASE_EXACT.has(key);
      const date = DATES.has(key);
      // ne holds when no value is equal, also when the attribute has none (RFC 7644 §3.4.2.2)
      if (filter.op === 'ne') return !values.some((v) => compare('eq', v, filter.value, caseExact, date));
      return values.some((v) => compare(filter.op as Comparison, v, filter.value, caseExact, date));
    }
  }
}

function isMultiValued(resource: Record<string, unknown>, path: AttributePath): boolean {
  return valuesAt(resource, path).some(isObject);
}

/** A complex multi-valued attribute without a sub-attribute compares its `value` (emails eq "x"). */
function compareValues(resource: Record<string, unknown>, path: AttributePath): unknown[] {
  const values = valuesAt(resource, path);
  if (path.sub !== undefined) return values;
  return values.map((v) => (isObject(v) && 'value' in v ? v.value : v));
}

function compare(op: Comparison, actual: unknown, expected: string | number | boolean | null, caseExact: boolean, date: boolean): boolean {
  if (expected === null) return op === 'eq' ? actual === null || actual === undefined : actual !== null && actual !== undefined;
  if (typeof expected === 'boolean') return op === 'eq' ? asBoolean(actual) === expected : op === 'ne' ? asBoolean(actual) !== expected : false;
  if (typeof expected === 'number') {
    const n = typeof actual === 'number' ? actual : Number(actual);
    return ordered(op, n - expected, () => String(n).includes(String(expected)), () => String(n).startsWith(String(expected)), () => String(n).endsWith(String(expected)));
  }
  if (typeof actual !== 'string') return false;
  if (date && ['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) {
    const a = Date.parse(actual);
    const e = Date.parse(expected);
    if (Number.isNaN(e)) throw invalid(`${expected} is not a date-time`);
    return ordered(op, a - e, () => false, () => false, () => false);
  }
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  return ordered(op, a < e ? -1 : a > e ? 1 : 0, () => a.includes(e), () => a.startsWith(e), () => a.endsWith(e));
}

function ordered(op: Comparison, diff: number, co: () => boolean, sw: () => boolean, ew: () => boolean): boolean {
  switch (op) {
    case 'eq':
      return diff === 0;
    case 'ne':
      return diff !== 0;
    case 'gt':
      return diff > 0;
    case 'ge':
      return diff >= 0;
    case 'lt':
      return diff < 0;
    case 'le':
      return diff <= 0;
    case 'co':
      return co();
    case 'sw':
      return sw();
    case 'ew':
      return ew();
  }
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

/** `userName eq "x"` (the lookup every IdP sends before a create): the value, else undefined. */
export function userNameEquality(filter: Filter): string | undefined {
  return filter.op === 'eq' && filter.path.extension === undefined && filter.path.sub === undefined && filter.path.attribute.toLowerCase() === 'username' && typeof filter.value === 'string'
    ? filter.value
    : undefined;
}
