import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from './prng';

// ---------------------------------------------------------------------------------------------
// Public types shared by the three simulators
// ---------------------------------------------------------------------------------------------

export type FaultKind = '429' | '500' | '502' | '503' | 'delay' | 'reset' | 'malformed';
export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '502', '503', 'delay', 'reset', 'malformed'];

/**
 * Selects requests. `path` as a string matches either the full URL path (`/open_api_v1/agents`) or
 * the path below the API root (`/agents`, `/users.json`, `/agentAccount/create`); as a RegExp it is
 * tested against both. `method` is case-insensitive. An empty match selects every request except
 * the auth endpoints (Udesk `log_in`, Huawei `tokenByAkSk`), which are selected only by a `path`
 * that names them.
 */
export interface RequestMatch {
  method?: string;
  path?: string | RegExp;
}

export interface FaultOptions {
  /** Probability (0..1) that a matching request is faulted. 1 = every matching request. */
  rate: number;
  /** Kinds to choose from (uniformly, with the seeded PRNG). */
  kinds: FaultKind[];
  /** PRNG seed, so a run repeats exactly (default 1). */
  seed?: number;
  /** Wait for 'delay' (default 2000 ms). */
  delayMs?: number;
  /** `Retry-After` for '429' (default 1 s). */
  retryAfterSeconds?: number;
  /** Only requests matching this are faulted (default: all but the auth endpoints). */
  match?: RequestMatch;
  /**
   * 'before' (default): the fault replaces the request; nothing is applied.
   * 'after': the request is handled and its change applied, then the reply is replaced by the fault.
   */
  phase?: 'before' | 'after';
}

export interface RateLimitOptions {
  requestsPerMinute: number;
  /**
   * The sliding window the limit is counted over (default 60 000 ms: a per-minute limit as vendors
   * document it). A shorter window admits requestsPerMinute × windowMs / 60 000 per window, so a test
   * can play a vendor's throttling in seconds.
   */
  windowMs?: number | undefined;
}

export interface SimulatorStats {
  /** Every HTTP request received. */
  requests: number;
  /** Requests per route, keyed like `GET /agents` or `POST /agents/:id`; unknown routes under `unmatched`. */
  byRoute: Record<string, number>;
  /** Faults injected, per kind. */
  faultsInjected: Partial<Record<FaultKind, number>>;
  /** Requests refused by the rate limiter. */
  rateLimited: number;
  /** Huawei: token requests (`tokenByAkSk`). */
  tokenRequests?: number;
  /** Udesk: `log_in` requests. */
  logins?: number;
}

/** The settings of a simulator, as `GET /__control/settings` shows them (a RegExp `match.path` as its source text). */
export interface SimulatorSettings {
  faults: (Omit<FaultOptions, 'match'> & { match?: { method?: string; path?: string } }) | null;
  rateLimit: RateLimitOptions | false;
  maxConcurrent: number | false;
  latencyMs: number;
}

export type AfterRequestsHook = (info: { method: string; path: string; status: number; count: number }) => void | Promise<void>;

export interface AfterRequestsHandle {
  /** Matching requests handled so far (stops counting once fired). */
  readonly seen: number;
  readonly fired: boolean;
  /** Resolves once the hook has run (and its promise, if any, settled). */
  readonly done: Promise<void>;
  cancel(): void;
}

export interface FaultController {
  /** Replace the fault rule. */
  set(opts: FaultOptions): void;
  /** Remove the fault rule and cancel pending `afterRequests` hooks. */
  clear(): void;
  /**
   * Run `hook` right after the `n`th request matching `match` has been handled: its change is applied
   * and its reply written, and the hook runs synchronously in the same tick, before a client in this
   * process can read that reply. "Handled" means it passed faults, rate limit and auth and reached its
   * route handler (business errors count; faulted, throttled and unauthenticated requests do not).
   */
  afterRequests(n: number, match: RequestMatch, hook: AfterRequestsHook): AfterRequestsHandle;
}

/** Options every simulator accepts. */
export interface CommonSimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Rate limit; `false` or absent = none (see each simulator for its default). */
  rateLimit?: RateLimitOptions | false;
  /** Initial fault rule. */
  faults?: FaultOptions;
  /** Millisecond clock (default `Date.now`). */
  now?: () => number;
  /** Requests handled at once; one more is refused like a rate-limited one (429). Default: no limit. */
  maxConcurrent?: number | false;
  /** Added latency before every vendor request is handled, in ms (default 0). */
  latencyMs?: number;
  /** Bearer token of the control endpoint (default: random per simulator). */
  controlToken?: string;
}

/** Reserved path of the control endpoint, on every simulator's origin. */
export const CONTROL_PREFIX = '/__control';

/** A control request, after its bearer token was checked. */
export interface ControlRequest {
  method: string;
  /** Path below CONTROL_PREFIX, e.g. `/faults`. */
  path: string;
  /** Parsed JSON body; undefined when empty. */
  body: unknown;
}

// ---------------------------------------------------------------------------------------------
// Internal plumbing
// ---------------------------------------------------------------------------------------------

export interface SimRequest {
  method: string;
  pathname: string;
  /** pathname below the API root */
  relPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (or form) body; undefined when empty. */
  body: unknown;
  host: string;
  params: string[];
}

export interface SimReply {
  status: number;
  body?: unknown;
  /** A raw body instead of JSON. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteDef {
  method: string;
  /** Matched against the full pathname; capture groups become `params`. */
  pattern: RegExp;
  /** Stats key, e.g. `GET /agents/:id`. */
  key: string;
  /** Default true. */
  auth?: boolean;
  /** Token / log-in endpoint: excluded from faults, hooks unless named by `match.path`. */
  authEndpoint?: boolean;
  handler: (req: SimRequest) => SimReply;
}

export interface VendorProfile {
  apiPrefix: string;
  /** Case-insensitive pathname matching (Huawei). */
  caseInsensitivePaths?: boolean;
  routes: RouteDef[];
  authenticate(req: SimRequest): SimReply | null;
  notFound(req: SimRequest): SimReply;
  badRequest(message: string): SimReply;
  tooManyRequests(retryAfterSeconds: number): SimReply;
  serverError(status: number): SimReply;
  malformedBody: string;
}

const GATEWAY_HTML: Record<number, string> = {
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
};
function gatewayPage(status: number): SimReply {
  const title = `${status} ${GATEWAY_HTML[status] ?? 'Error'}`;
  return {
    status,
    contentType: 'text/html',
    raw: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
}

export function matchesRequest(
  match: RequestMatch | undefined,
  method: string,
  pathname: string,
  relPath: string,
  authEndpoint: boolean,
): boolean {
  const path = match?.path;
  if (authEndpoint && path === undefined) return false;
  if (match?.method && match.method.toUpperCase() !== method) return false;
  if (path === undefined) return true;
  if (typeof path === 'string') return path === pathname || path === relPath;
  path.lastIndex = 0;
  if (path.test(pathname)) return true;
  path.lastIndex = 0;
  return path.test(relPath);
}

class SlidingWindow {
  private stamps: number[] = [];
  private head = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}
  take(now: number): number | null {
    const stamps = this.stamps;
    while (this.head < stamps.length && stamps[this.head]! <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > stamps.length) {
      this.stamps = stamps.slice(this.head);
      this.head = 0;
    }
    if (this.stamps.length - this.head >= this.limit) {
      const oldest = this.stamps[this.head]!;
      return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    }
    this.stamps.push(now);
    return null;
  }
}

interface PickedFault {
  kind: FaultKind;
  opts: FaultOptions;
  phase: 'before' | 'after';
}

function isControlPath(pathname: string): boolean {
  return pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`);
}

interface HookEntry {
  n: number;
  match: RequestMatch;
  hook: AfterRequestsHook;
  seen: number;
  fired: boolean;
  cancelled: boolean;
  resolve: () => void;
}

function validateFaults(opts: FaultOptions): void {
  if (typeof opts.rate !== 'number' || !(opts.rate >= 0 && opts.rate <= 1)) {
    throw new RangeError('faults.rate must be a number from 0 to 1');
  }
  if (!Array.isArray(opts.kinds) || opts.kinds.length === 0) throw new RangeError('faults.kinds must not be empty');
  for (const k of opts.kinds) {
    if (!FAULT_KINDS.includes(k)) throw new RangeError(`unknown fault kind ${String(k)}`);
  }
  for (const f of ['seed', 'delayMs', 'retryAfterSeconds'] as const) {
    const v = opts[f];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`faults.${f} must be a non-negative number`);
  }
  if (opts.phase !== undefined && opts.phase !== 'before' && opts.phase !== 'after') throw new RangeError("faults.phase must be 'before' or 'after'");
  const m = opts.match;
  if (m !== undefined && (typeof m !== 'object' || m === null || Array.isArray(m))) throw new RangeError('faults.match must be an object');
  if (m?.method !== undefined && typeof m.method !== 'string') throw new RangeError('faults.match.method must be a string');
  if (m?.path !== undefined && typeof m.path !== 'string' && !(m.path instanceof RegExp)) throw new RangeError('faults.match.path must be a string or RegExp');
}

export function validateRateLimit(r: RateLimitOptions | false | undefined): void {
  if (r && !(Number.isInteger(r.requestsPerMinute) && r.requestsPerMinute > 0)) {
    throw new RangeError('rateLimit.requestsPerMinute must be a positive integer');
  }
  if (r && r.windowMs !== undefined && !(Number.isInteger(r.windowMs) && r.windowMs >= 100 && (r.requestsPerMinute * r.windowMs) / 60_000 >= 1)) {
    throw new RangeError('rateLimit.windowMs must be an integer ≥ 100 that admits at least one request per window');
  }
}

export function validateMaxConcurrent(n: number | false | undefined): void {
  if (n !== undefined && n !== false && !(Number.isInteger(n) && n > 0)) {
    throw new RangeError('maxConcurrent must be a positive integer');
  }
}

function validateLatency(ms: number | undefined): void {
  if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) throw new RangeError('latencyMs must be a non-negative number');
}

/** Compares through digests, so neither length nor content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const MAX_BODY = 10 * 1024 * 1024;

/** The HTTP server behind every simulator: routing, faults, rate limit, stats, hooks. */
export class SimServer {
  readonly now: () => number;
  private server: Server | null = null;
  private limiter: SlidingWindow | null = null;
  private rateLimit: RateLimitOptions | false = false;
  private faultOpts: FaultOptions | null = null;
  private faultRand: () => number = mulberry32(1);
  private hooks: HookEntry[] = [];
  private timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private closed = false;
  private requestSeq = 0;
  private counters = { requests: 0, rateLimited: 0 };
  private byRoute: Record<string, number> = {};
  private faultsInjected: Partial<Record<FaultKind, number>> = {};
  /** Vendor-specific counters (logins, tokenRequests). */
  extra: Record<string, number> = {};
  host = '127.0.0.1';
  port = 0;
  /** Bearer token of the control endpoint. */
  readonly controlToken: string;
  private control: ((req: ControlRequest) => SimReply) | null = null;
  private maxConcurrent: number | false = false;
  private inFlight = 0;
  private readonly latencyMs: number;
  private readonly profile: VendorProfile;

  readonly faults: FaultController;

  /**
   * `profile` may be a function of this server, so route handlers can use `now()` and `extra`
   * without a forward reference to a server that does not exist yet.
   */
  constructor(profile: VendorProfile | ((server: SimServer) => VendorProfile), opts: CommonSimulatorOptions) {
    this.now = opts.now ?? Date.now;
    this.setRateLimit(opts.rateLimit ?? false);
    this.setMaxConcurrent(opts.maxConcurrent ?? false);
    validateLatency(opts.latencyMs);
    this.latencyMs = opts.latencyMs ?? 0;
    if (opts.controlToken !== undefined && opts.controlToken.length === 0) throw new RangeError('controlToken must not be empty');
    this.controlToken = opts.controlToken ?? randomBytes(16).toString('hex');
    if (opts.faults) this.setFaults(opts.faults);
    this.faults = {
      set: (o) => this.setFaults(o),
      clear: () => {
        this.faultOpts = null;
        for (const h of this.hooks) h.cancelled = true;
        this.hooks = [];
      },
      afterRequests: (n, match, hook) => this.addHook(n, match, hook),
    };
    this.profile = typeof profile === 'function' ? profile(this) : profile;
  }

  /** Serve the control endpoint with this handler (until then its paths are vendor 404s). */
  attachControl(handler: (req: ControlRequest) => SimReply): void {
    this.control = handler;
  }

  setMaxConcurrent(n: number | false): void {
    validateMaxConcurrent(n);
    this.maxConcurrent = n;
  }

  setRateLimit(r: RateLimitOptions | false): void {
    validateRateLimit(r);
    const windowMs = r ? (r.windowMs ?? 60_000) : 60_000;
    this.limiter = r ? new SlidingWindow(Math.floor((r.requestsPerMinute * windowMs) / 60_000), windowMs) : null;
    this.rateLimit = r ? { requestsPerMinute: r.requestsPerMinute, ...(r.windowMs === undefined ? {} : { windowMs }) } : false;
  }

  /** What is configured now: the fault rule, rate limit, concurrency cap and latency. */
  settings(): SimulatorSettings {
    let faults: SimulatorSettings['faults'] = null;
    if (this.faultOpts) {
      const { match, ...rest } = this.faultOpts;
      const shown = match && { ...(match.method !== undefined ? { method: match.method } : {}), ...(match.path !== undefined ? { path: String(match.path) } : {}) };
      faults = { ...rest, kinds: [...rest.kinds], ...(shown ? { match: shown } : {}) };
    }
    return {
      faults,
      rateLimit: this.rateLimit,
      maxConcurrent: this.maxConcurrent,
      latencyMs: this.latencyMs,
    };
  }

  private setFaults(opts: FaultOptions): void {
    validateFaults(opts);
    this.faultOpts = { ...opts, kinds: [...opts.kinds] };
    this.faultRand = mulberry32(opts.seed ?? 1);
  }

  private addHook(n: number, match: RequestMatch, hook: AfterRequestsHook): AfterRequestsHandle {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('afterRequests: n must be a positive integer');
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const entry: HookEntry = { n, match: { ...match }, hook, seen: 0, fired: false, cancelled: false, resolve };
    this.hooks.push(entry);
    return {
      get seen() {
        return entry.seen;
      },
      get fired() {
        return entry.fired;
      },
      done,
      cancel: () => {
        entry.cancelled = true;
        this.hooks = this.hooks.filter((h) => h !== entry);
      },
    };
  }

  stats(): SimulatorStats {
    return {
      requests: this.counters.requests,
      byRoute: { ...this.byRoute },
      faultsInjected: { ...this.faultsInjected },
      rateLimited: this.counters.rateLimited,
      ...this.extra,
    };
  }

  resetStats(): void {
    this.counters = { requests: 0, rateLimited: 0 };
    this.byRoute = {};
    this.faultsInjected = {};
    for (const k of Object.keys(this.extra)) this.extra[k] = 0;
  }

  async listen(host: string, port: number): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.send(res, this.profile.serverError(500));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address() as AddressInfo;
    this.host = host;
    this.port = addr.port;
  }

  get origin(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  private readBody(req: IncomingMessage): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          resolve(null);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  private send(res: ServerResponse, reply: SimReply): void {
    if (res.writableEnded || res.destroyed) return;
    let payload: string;
    let contentType: string | undefined;
    if (reply.raw !== undefined) {
      payload = reply.raw;
      contentType = reply.contentType ?? 'text/plain; charset=utf-8';
    } else if (reply.body === undefined) {
      payload = '';
    } else {
      payload = JSON.stringify(reply.body);
      contentType = reply.contentType ?? 'application/json; charset=utf-8';
    }
    const headers: Record<string, string | number> = {
      'x-request-id': `sim-${this.requestSeq}`,
      ...reply.headers,
    };
    if (contentType) headers['content-type'] = contentType;
    headers['content-length'] = Buffer.byteLength(payload);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private faultReply(kind: FaultKind, opts: FaultOptions, real: SimReply | null): SimReply | 'reset' {
    switch (kind) {
      case '429': {
        const secs = opts.retryAfterSeconds ?? 1;
        const r = this.profile.tooManyRequests(secs);
        return { ...r, headers: { ...r.headers, 'retry-after': String(secs) } };
      }
      case '500':
        return this.profile.serverError(500);
      case '502':
      case '503':
        return gatewayPage(Number(kind));
      case 'reset':
        return 'reset';
      case 'malformed': {
        let text = this.profile.malformedBody;
        if (real && real.raw === undefined && real.body !== undefined) {
          const full = JSON.stringify(real.body);
          text = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
        }
        return { status: 200, raw: text, contentType: 'application/json; charset=utf-8' };
      }
      case 'delay':
        return real ?? this.profile.serverError(500);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await this.readBody(req);
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (this.control && isControlPath(url.pathname)) return this.send(res, this.serveControl(req, url.pathname, raw));
    this.inFlight++;
    try {
      await this.serveVendor(req, res, raw, url);
    } finally {
      this.inFlight--;
    }
  }

  /** The control endpoint: its own bearer token; not counted, faulted, delayed or rate limited. */
  private serveControl(req: IncomingMessage, pathname: string, raw: string | null): SimReply {
    const auth = String(req.headers.authorization ?? '');
    const given = /^Bearer (.+)$/i.exec(auth)?.[1] ?? '';
    if (!given || !sameSecret(given, this.controlToken)) {
      return { status: 401, headers: { 'www-authenticate': 'Bearer realm="contactkit-simulator-control"' }, body: { error: 'control token missing or wrong' } };
    }
    if (raw === null) return { status: 413, body: { error: 'request body too large' } };
    let body: unknown;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      return { status: 400, body: { error: 'request body is not valid JSON' } };
    }
    const method = (req.method ?? 'GET').toUpperCase();
    return this.control!({ method, path: pathname.slice(CONTROL_PREFIX.length) || '/', body });
  }

  private matchRoute(method: string, cmpPath: string): { route: RouteDef | undefined; params: string[] } {
    for (const r of this.profile.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(cmpPath);
      if (m) return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')) };
    }
    return { route: undefined, params: [] };
  }

  private pickFault(method: string, pathname: string, relPath: string, authEndpoint: boolean): PickedFault | null {
    const fo = this.faultOpts;
    if (!fo || !matchesRequest(fo.match, method, pathname, relPath, authEndpoint)) return null;
    if (this.faultRand() >= fo.rate) return null;
    const kind = fo.kinds[Math.floor(this.faultRand() * fo.kinds.length)] ?? fo.kinds[0]!;
    return { kind, opts: fo, phase: fo.phase ?? 'before' };
  }

  /** The rate limiter and the concurrency cap: a 429 reply when this request is refused. */
  private throttle(): SimReply | null {
    let retryAfter: number | null = null;
    if (this.maxConcurrent !== false && this.inFlight > this.maxConcurrent) retryAfter = 1;
    else if (this.limiter) retryAfter = this.limiter.take(this.now());
    if (retryAfter === null) return null;
    this.counters.rateLimited++;
    const r = this.profile.tooManyRequests(retryAfter);
    return { ...r, headers: { ...r.headers, 'retry-after': String(retryAfter) } };
  }

  /** The request body as the handlers see it: form fields, JSON, or a 400 reply. */
  private parseBody(req: IncomingMessage, raw: string): { body: unknown } | SimReply {
    if (raw.length === 0) return { body: undefined };
    const ct = String(req.headers['content-type'] ?? '');
    if (ct.includes('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(raw)) };
    try {
      return { body: JSON.parse(raw) };
    } catch {
      return this.profile.badRequest('request body is not valid JSON');
    }
  }

  private async serveVendor(req: IncomingMessage, res: ServerResponse, raw: string | null, url: URL): Promise<void> {
    this.requestSeq++;
    this.counters.requests++;
    const method = (req.method ?? 'GET').toUpperCase();
    const pathname = url.pathname;
    const profile = this.profile;
    const cmpPath = profile.caseInsensitivePaths ? pathname.toLowerCase() : pathname;
    const prefix = profile.caseInsensitivePaths ? profile.apiPrefix.toLowerCase() : profile.apiPrefix;
    const relPath = cmpPath.startsWith(prefix) ? pathname.slice(prefix.length) || '/' : pathname;
    const { route, params } = this.matchRoute(method, cmpPath);
    const routeKey = route?.key ?? 'unmatched';
    this.byRoute[routeKey] = (this.byRoute[routeKey] ?? 0) + 1;
    const authEndpoint = route?.authEndpoint === true;

    // 1. fault decision; a 'before' fault replaces the request ('delay' only holds it back)
    let fault = this.pickFault(method, pathname, relPath, authEndpoint);
    if (fault && fault.phase === 'before') {
      this.countFault(fault.kind);
      if (fault.kind !== 'delay') {
        const r = this.faultReply(fault.kind, fault.opts, null);
        if (r === 'reset') return void req.socket.destroy();
        return this.send(res, r);
      }
      await this.sleep(fault.opts.delayMs ?? 2000);
      if (this.closed) return void res.destroy();
      fault = null;
    }

    // 2. rate limit and concurrency cap, then the configured latency
    const throttled = this.throttle();
    if (throttled) return this.send(res, throttled);
    if (this.latencyMs > 0) {
      await this.sleep(this.latencyMs);
      if (this.closed) return void res.destroy();
    }

    // 3. route, 4. body, 5. auth
    if (!route) return this.send(res, profile.notFound(this.simRequest(req, url, relPath, params, undefined)));
    if (raw === null) return this.send(res, profile.badRequest('request body too large'));
    const parsed = this.parseBody(req, raw);
    if ('status' in parsed) return this.send(res, parsed);
    const simReq = this.simRequest(req, url, relPath, params, parsed.body);
    if (route.auth !== false) {
      const denied = profile.authenticate(simReq);
      if (denied) return this.send(res, denied);
    }

    // 6. handler, then hooks; 7. an 'after' fault replaces the reply (counted only when applied)
    let reply = route.handler(simReq);
    const due = this.collectHooks(method, pathname, relPath, authEndpoint);
    if (fault) {
      this.countFault(fault.kind);
      if (fault.kind === 'delay') {
        await this.sleep(fault.opts.delayMs ?? 2000);
        if (this.closed) return void res.destroy();
      } else {
        const r = this.faultReply(fault.kind, fault.opts, reply);
        if (r === 'reset') {
          req.socket.destroy();
          this.runHooks(due, method, pathname, 0);
          return;
        }
        reply = r;
      }
    }
    this.send(res, reply);
    this.runHooks(due, method, pathname, reply.status);
  }

  private simRequest(req: IncomingMessage, url: URL, relPath: string, params: string[], body: unknown): SimRequest {
    return {
      method: (req.method ?? 'GET').toUpperCase(),
      pathname: url.pathname,
      relPath,
      query: url.searchParams,
      headers: req.headers,
      body,
      host: req.headers.host ?? this.origin.slice('http://'.length),
      params,
    };
  }

  private countFault(kind: FaultKind): void {
    this.faultsInjected[kind] = (this.faultsInjected[kind] ?? 0) + 1;
  }

  private collectHooks(method: string, pathname: string, relPath: string, authEndpoint: boolean): HookEntry[] {
    if (this.hooks.length === 0) return [];
    const due: HookEntry[] = [];
    for (const h of this.hooks) {
      if (h.fired || h.cancelled) continue;
      if (!matchesRequest(h.match, method, pathname, relPath, authEndpoint)) continue;
      h.seen++;
      if (h.seen === h.n) {
        h.fired = true;
        due.push(h);
      }
    }
    if (due.length) this.hooks = this.hooks.filter((h) => !h.fired);
    return due;
  }

  private runHooks(due: HookEntry[], method: string, path: string, status: number): void {
    for (const h of due) {
      let result: void | Promise<void>;
      try {
        result = h.hook({ method, path, status, count: h.n });
      } catch {
        h.resolve();
        continue;
      }
      Promise.resolve(result).then(h.resolve, h.resolve);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for handlers
// ---------------------------------------------------------------------------------------------

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse a positive integer query/body value; `undefined` when absent, NaN when invalid. */
export function parseIntParam(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isInteger(n) ? n : Number.NaN;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC+8. */
export function formatChinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function emailValid(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}
