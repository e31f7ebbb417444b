/**
 * Redaction: the one place that decides what a secret looks like. Errors, hooks, logs and the
 * migration report all pass through `redact` so no password, token, app secret, sign or
 * Authorization header leaves the process in a message.
 */
export const REDACTED = '[REDACTED]';

/** Generic secret key names, with case, spaces, `_` and `-` removed (`api_token`, `apiToken`, `X-Auth-Token`). */
const SECRET_KEYS = new Set([
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'pwd',
  'token', 'apitoken', 'accesstoken', 'refreshtoken', 'idtoken', 'authtoken', 'xauthtoken', 'sessiontoken',
  'securitytoken', 'sign', 'apikey', 'xapikey', 'privatekey', 'secretkey', 'accesskeysecret',
]);
/** Any key ending in one of these is a secret: `password`, `sipPassword`, `agentLoginPassword`, `app_secret`. */
const SECRET_KEY_SUFFIX = /(password|passwd|secret)$/;
/**
 * Vendor secret field names, registered by each adapter's definition (core names no vendor). Kept on
 * globalThis so the ESM and CJS copies of core share one list.
 */
const REGISTERED_KEYS: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for('contactkit.secretKeys')] ??= new Set<string>()) as Set<string>;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]/g, '');
}

/** Registers a vendor's secret field names (`open_api_token`, `accountPwd`): redacted wherever they appear from now on. */
export function registerSecretKeys(keys: Iterable<string>): void {
  for (const key of keys) REGISTERED_KEYS.add(normalizeKey(key));
  VERDICTS.clear();
}

/** Verdicts by key as written: the same few dozen keys come by on every item of every page. */
const VERDICTS = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

export function isSecretKey(key: string): boolean {
  let verdict = VERDICTS.get(key);
  if (verdict === undefined) {
    const normalized = normalizeKey(key);
    verdict = SECRET_KEYS.has(normalized) || REGISTERED_KEYS.has(normalized) || SECRET_KEY_SUFFIX.test(normalized);
    if (VERDICTS.size >= MAX_VERDICTS) VERDICTS.clear();
    VERDICTS.set(key, verdict);
  }
  return verdict;
}

export interface RedactOptions {
  /** Literal secret values (credentials) to scrub from any string, wherever they occur. */
  secrets?: Iterable<string>;
}

const QUERY_SECRET = /((?:^|[?&;\s])([A-Za-z0-9_.\-]+)=)([^&#\s"']*)/g;
const AUTH_HEADER_VALUE = /\b(Basic|Bearer)\s+(?!\[REDACTED\])[A-Za-z0-9._~+/=:-]+/gi;
/** `scheme://user:password@host`: the whole userinfo goes (a user name alone may be a login). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]+@/gi;

function scrubString(s: string, secrets: string[]): string {
  let out = s;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(QUERY_SECRET, (m, prefix: string, key: string) => (isSecretKey(key) ? `${prefix}${REDACTED}` : m));
  out = out.replace(AUTH_HEADER_VALUE, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(URL_USERINFO, (_m, scheme: string) => `${scheme}${REDACTED}@`);
  return out;
}

/**
 * Returns a copy of `value` with secrets removed: values under secret keys are replaced,
 * secret query parameters in strings (URLs) are replaced, Basic/Bearer credentials are replaced,
 * and any registered literal secret is scrubbed from every string. Cycles are cut.
 */
export function redact<T>(value: T, options: RedactOptions = {}): T {
  const secrets = options.secrets ? [...options.secrets].filter((s) => typeof s === 'string' && s.length >= 4) : [];
  // longest first so a secret containing another is replaced whole
  secrets.sort((a, b) => b.length - a.length);
  const seen = new WeakMap<object, unknown>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrubString(v, secrets);
    if (v === null || typeof v !== 'object') return v;
    if (depth > 20) return '[Truncated]';
    if (seen.has(v)) return seen.get(v);
    if (v instanceof URL) return scrubString(v.toString(), secrets);
    if (v instanceof Date) return v;
    if (Array.isArray(v)) {
      const arr: unknown[] = [];
      seen.set(v, arr);
      for (const item of v) arr.push(walk(item, depth + 1));
      return arr;
    }
    if (v instanceof Error) {
      const copy: Record<string, unknown> = { name: v.name, message: scrubString(v.message, secrets) };
      seen.set(v, copy);
      return copy;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      out[k] = isSecretKey(k) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}

/**
 * The secret values a request carries, found by key: query params and body fields under secret keys,
 * secret headers (and the credential after `Basic `/`Bearer `, and a Basic credential's password).
 * The transport scrubs them from everything it produces about that request.
 */
export function collectSecrets(...values: unknown[]): string[] {
  const out = new Set<string>();
  const addString = (s: string) => {
    if (s.length < 4) return;
    out.add(s);
    const m = /^\s*(\w+)\s+(\S+)\s*$/.exec(s);
    if (!m) return;
    const [, scheme, credential] = m as unknown as [string, string, string];
    if (credential.length >= 4) out.add(credential);
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0 && decoded.slice(colon + 1).length >= 4) out.add(decoded.slice(colon + 1));
    }
  };
  const seen = new WeakSet<object>();
  const walk = (v: unknown, secret: boolean, depth: number): void => {
    if (typeof v === 'string') {
      if (secret) addString(v);
      return;
    }
    if (typeof v === 'number' && secret) return addString(String(v));
    if (v === null || typeof v !== 'object' || depth > 20 || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const item of v) walk(item, secret, depth + 1);
      return;
    }
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) walk(item, secret || isSecretKey(k), depth + 1);
  };
  for (const v of values) walk(v, false, 0);
  return [...out];
}

/** A redactor bound to one client's credentials, so every producer scrubs the same values. */
export class Redactor {
  private readonly secrets = new Set<string>();
  constructor(secrets: Iterable<string | undefined | null> = []) {
    for (const s of secrets) this.add(s);
  }
  /** Registers a secret value learned at run time (a fetched token, a generated password). */
  add(secret: string | undefined | null): void {
    if (typeof secret === 'string' && secret.length >= 4) this.secrets.add(secret);
  }
  values(): string[] {
    return [...this.secrets];
  }
  redact<T>(value: T): T {
    return redact(value, { secrets: this.secrets });
  }
}
