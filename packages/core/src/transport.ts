import { createRequire } from 'node:module';
import type { AxiosInstance, AxiosResponse, AxiosStatic } from 'axios';
import type { z } from 'zod';
import {
  ContactKitError,
  InvalidResponseError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  createError,
  errorCodeForStatus,
} from './errors';
import { AdaptiveLimiter, type AdaptiveConcurrencyOptions, type AttemptOutcome } from './adaptive';
import { createLocalCoordinator, type Coordinator, type SharedLimiter, type TenantKey } from './coordinator';
import { acceptedInPlace } from './in-place';
import type { VendorId } from './model';
import type { RateLimitOptions } from './rate-limit';
import { Redactor, collectSecrets, redact } from './redact';
import {
  DEFAULT_RETRY,
  IDEMPOTENT_METHODS,
  NEVER_SENT_CODES,
  RETRYABLE_STATUSES,
  backoffDelay,
  parseRetryAfter,
  type RetryOptions,
} from './retry';
import { abortableSleep } from './sleep';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestSpec {
  method: HttpMethod;
  /** relative to the base URL (leading slash optional), or an absolute URL such as a next-page link */
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** overrides the method's idempotency (e.g. a read sent as POST) */
  idempotent?: boolean;
  /** a name for hooks and logs, e.g. `agents.list` */
  operation?: string;
}

/** The request as the auth step sees it on each attempt: it may add query params and headers. */
export interface PreparedRequest {
  method: HttpMethod;
  /**
   * Before `authenticate`: the absolute URL without `query` (so a signature may cover the path).
   * After it: the final URL, `query` included.
   */
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  attempt: number;
  operation: string | undefined;
}

export interface VendorResponse {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON, or the raw text when the body is not JSON */
  body: unknown;
  request: PreparedRequest;
}

/** Auth as a strategy (Octokit): decorate every attempt; optionally refresh once on rejection. */
export interface AuthStrategy {
  authenticate(request: PreparedRequest, context: { signal?: AbortSignal | undefined }): void | Promise<void>;
  /** The vendor rejected the credentials: refresh them; true replays the request once. */
  refresh?(error: ContactKitError, context: { signal?: AbortSignal | undefined; request: PreparedRequest }): Promise<boolean>;
}

/** Redacted view of a request, as hooks and loggers receive it. */
export interface RequestInfo {
  vendor: VendorId;
  operation: string | undefined;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  attempt: number;
}

export interface Hooks {
  beforeRequest?(info: RequestInfo): void | Promise<void>;
  afterResponse?(info: RequestInfo & { status: number; durationMs: number; requestId?: string | undefined }): void | Promise<void>;
  onRetry?(info: RequestInfo & { error: ContactKitError; delayMs: number; nextAttempt: number }): void | Promise<void>;
  onError?(info: RequestInfo & { error: ContactKitError }): void | Promise<void>;
}

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface TransportStats {
  requests: number;
  attempts: number;
  retries: number;
  rateLimitWaitMs: number;
  retryAfterWaitMs: number;
  errors: number;
}

export interface TransportOptions {
  vendor: VendorId;
  /** the API root: no userinfo, query or fragment */
  baseUrl: string;
  /**
   * A deadline for each attempt's whole exchange: connect, headers and body (default 30 000 ms).
   * Not an idle timer: a server dripping bytes cannot hold a call past it. `Infinity` turns it off.
   */
  timeoutMs?: number | undefined;
  /**
   * The most bytes of a reply body that are read (after decompression; default 32 MiB). A larger
   * reply is cut off and fails with InvalidResponseError, never retried. `Infinity` turns it off.
   */
  maxResponseBytes?: number | undefined;
  /** retries of network errors, 408, 429 and 5xx (idempotent calls only, Retry-After first); false turns them off */
  retry?: Partial<RetryOptions> | false | undefined;
  /** the vendor's request budget (default: the vendor's documented one, if any); false turns the limiter off */
  rateLimit?: RateLimitOptions | false | undefined;
  /**
   * Adaptive concurrency: starts with a few requests in flight, adds one per round of fast answers,
   * halves on a 429, a 502/503/504, a timeout or a latency jump, and pauses the whole client for a
   * Retry-After (then paces below the rate the vendor accepted). On by default (4 → 32); false turns it off.
   */
  concurrency?: AdaptiveConcurrencyOptions | false | undefined;
  /**
   * Shares the rate limit and the credential with every client of the same tenant (vendor, base URL,
   * account) on it: `createLocalCoordinator()` within a process, `@contactkit/redis` across processes.
   * Default: this client's own.
   */
  coordinator?: Coordinator | undefined;
  /** the account this transport calls as (an email, an app key): with vendor and baseUrl, the coordinator's key */
  account?: string | undefined;
  hooks?: Hooks | undefined;
  logger?: Logger | undefined;
  httpClient?: AxiosInstance | undefined;
  /**
   * The strategy that signs every attempt, or a factory given this transport (Octokit's auth
   * strategies are created with the `request` they decorate): an auth that fetches its own token
   * through the transport needs no second attach step.
   */
  auth?: AuthStrategy | ((transport: HttpTransport) => AuthStrategy) | undefined;
  /**
   * The vendor's reading of a response: an error (success codes in a 200 body, throttle codes,
   * vendor error codes), or undefined to accept it. Non-2xx responses it leaves alone are mapped
   * by status. `errorOptions()` gives the common fields of an error built from the reply (status,
   * request id, the redacted request, the secrets to scrub), worked out on its first call: a
   * successful reply, which needs none, costs nothing.
   */
  classify?: ((response: VendorResponse, errorOptions: () => ResponseErrorOptions) => ContactKitError | null | undefined) | undefined;
  /** body fields that carry the vendor's error message, tried before the common ones (`message`, `error_description`, …) */
  messageFields?: readonly string[] | undefined;
  /** headers on every request (Accept, Content-Type) */
  defaultHeaders?: Record<string, string> | undefined;
  redactor?: Redactor | undefined;
  /** injectable for tests */
  random?: (() => number) | undefined;
}

/** The fields every error built from a response carries (status, request id, the secrets to scrub). */
export interface ResponseErrorOptions {
  vendor: VendorId;
  status: number;
  requestId: string | undefined;
  request: { method: HttpMethod; url: string };
  secrets: string[];
}

export interface TransportResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * The largest reply read by default. The biggest documented reply is a page of 100 agents (a few
 * hundred KB); 32 MiB leaves two orders of magnitude for verbose tenants while bounding memory: a
 * migration runs several workers, and each buffered body is held about three times (bytes, string,
 * parsed JSON) until it is mapped.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** setTimeout fires at once above this (2^31 - 1 ms, ~24.8 days): a longer deadline means none. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * axios through require, in both builds: its Node CJS bundle is one file, where its ESM entry loads
 * dozens (cold import of an adapter: ~110 ms ESM before, ~75 ms after). Loaded on the first client
 * that needs it; an `httpClient` passed in skips it entirely.
 */
let axiosStatic: AxiosStatic | undefined;
function loadAxios(): AxiosStatic {
  axiosStatic ??= createRequire(import.meta.url)('axios') as AxiosStatic;
  return axiosStatic;
}

/** Plain http is allowed for loopback only: credentials never cross a network in clear text. */
export function assertSecureBaseUrl(baseUrl: string, field = 'baseUrl'): URL {
  const url = assertPlainBaseUrl(baseUrl, field);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url;
  throw createErrorForConfig(field, 'must use https (plain http is allowed only for loopback hosts)');
}

/**
 * An API root is an origin and a path, nothing more. Userinfo would make axios send its own Basic
 * header instead of the vendor credential (and put a password into every URL shown); a query or a
 * fragment would be spliced into every path. The message never quotes the URL.
 */
export function assertPlainBaseUrl(baseUrl: string, field = 'baseUrl'): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw createErrorForConfig(field, 'must be a valid URL');
  }
  if (url.username !== '' || url.password !== '' || /^[^/?#]*\/\/[^/?#]*@/.test(baseUrl)) {
    throw createErrorForConfig(field, 'must not contain a user name or password (give credentials as their own options)');
  }
  // a lone `?` or `#` leaves search and hash empty, and still breaks every path appended to it
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(baseUrl)) {
    throw createErrorForConfig(field, 'must not contain a query string or a fragment');
  }
  return url;
}

/** A bad factory option is a validation error naming the option. */
function createErrorForConfig(field: string, message: string): ContactKitError {
  return new ValidationError([{ path: field, message }]);
}

function headerRecord(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export function buildUrl(baseUrl: string, path: string, query: Record<string, string>): string {
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

function normalizeQuery(query: RequestSpec['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.filter((x) => x !== undefined && x !== null).join(',') : String(v);
  }
  return out;
}

/**
 * The one HTTP transport every adapter uses: auth per attempt, timeouts, abort, retries with
 * backoff and Retry-After, a rate limiter, hooks and a logger, all over axios.
 */
export class HttpTransport {
  readonly vendor: VendorId;
  readonly baseUrl: string;
  readonly redactor: Redactor;
  readonly stats: TransportStats = { requests: 0, attempts: 0, retries: 0, rateLimitWaitMs: 0, retryAfterWaitMs: 0, errors: 0 };
  private readonly http: AxiosInstance;
  private readonly retry: RetryOptions | false;
  private readonly limiter: SharedLimiter | undefined;
  /** shared with the auth strategy, which keeps its credential there */
  readonly coordinator: Coordinator;
  readonly tenant: TenantKey;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  private readonly options: TransportOptions;
  private readonly random: () => number;
  /** the strategy that signs every attempt (built by the factory when one was given) */
  readonly auth: AuthStrategy | undefined;
  /** the window of requests in flight this client finds the vendor can take */
  readonly adaptive: AdaptiveLimiter | undefined;

  constructor(options: TransportOptions) {
    assertPlainBaseUrl(options.baseUrl);
    this.timeoutMs = positiveOption('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, false);
    this.maxResponseBytes = positiveOption('maxResponseBytes', options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, true);
    this.options = options;
    this.vendor = options.vendor;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.redactor = options.redactor ?? new Redactor();
    this.http = options.httpClient ?? loadAxios().create();
    this.retry = options.retry === false ? false : { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
    this.coordinator = options.coordinator ?? createLocalCoordinator();
    this.tenant = { vendor: this.vendor, baseUrl: this.baseUrl, account: options.account ?? '' };
    this.limiter =
      options.rateLimit && (options.rateLimit.requestsPerMinute || options.rateLimit.maxConcurrent)
        ? this.coordinator.limiter(this.tenant, options.rateLimit)
        : undefined;
    this.random = options.random ?? Math.random;
    this.auth = typeof options.auth === 'function' ? options.auth(this) : options.auth;
    this.adaptive = options.concurrency === false ? undefined : new AdaptiveLimiter(options.concurrency ?? {});
  }

  /** Sends a request and returns the parsed body, validated by `schema` when given. */
  async request<T = unknown>(spec: RequestSpec & { schema?: z.ZodType<T> }): Promise<TransportResponse<T>> {
    this.stats.requests++;
    if (/^[a-z][a-z0-9+.-]*:/i.test(spec.path) && !this.isOwnUrl(spec.path)) {
      // a next-page link (or any absolute path) pointing elsewhere would carry our credentials there
      throw new InvalidResponseError(`${this.vendor}: refusing to send credentials to a URL outside ${new URL(this.baseUrl).origin}`, {
        vendor: this.vendor,
        secrets: this.secrets(),
      });
    }
    const idempotent = spec.idempotent ?? IDEMPOTENT_METHODS.has(spec.method);
    let attempt = 0;
    let refreshed = false;
    for (;;) {
      const prepared: PreparedRequest = {
        method: spec.method,
        url: buildUrl(this.baseUrl, spec.path, {}),
        query: normalizeQuery(spec.query),
        headers: { ...(this.options.defaultHeaders ?? {}), ...(spec.headers ?? {}) },
        body: spec.body,
        attempt,
        operation: spec.operation,
      };
      let info: RequestInfo | undefined;
      try {
        if (spec.signal?.aborted) throw spec.signal.reason;
        await this.auth?.authenticate(prepared, { signal: spec.signal });
        prepared.url = buildUrl(this.baseUrl, prepared.url, prepared.query);
        // the redacted view is for hooks and the logger only: built when one is set
        if (this.options.hooks || this.options.logger) info = this.info(prepared);
        const { response, error } = await this.attempt(prepared, info, spec.signal, idempotent);
        if (error) throw error;
        const data = spec.schema ? this.parse(spec.schema, response, spec.operation) : (response.body as T);
        return { status: response.status, headers: response.headers, data };
      } catch (raw) {
        if (spec.signal?.aborted) throw spec.signal.reason;
        // a throwing hook is the caller's own decision: passed on as is, never retried as a "network error"
        if (raw instanceof HookFailure) throw raw.error;
        const error = this.toContactKitError(raw, prepared);
        info ??= this.info(prepared);
        // one replay per request after a successful refresh; a declined refresh does not use it up
        if (error.code === 'AUTHENTICATION' && !refreshed && this.auth?.refresh) {
          let replay: boolean;
          try {
            replay = await this.auth.refresh(error, { signal: spec.signal, request: prepared });
          } catch (refreshError) {
            if (spec.signal?.aborted) throw spec.signal.reason;
            const failed = this.toContactKitError(refreshError, prepared);
            this.stats.errors++;
            await this.callHook('onError', { ...info, error: failed });
            throw failed;
          }
          if (replay) {
            refreshed = true;
            continue;
          }
        }
        const delayMs = this.retryDelay(error, attempt, idempotent);
        if (delayMs === undefined) {
          this.stats.errors++;
          await this.callHook('onError', { ...info, error });
          this.options.logger?.debug('contactkit: request failed', { vendor: this.vendor, operation: spec.operation, code: error.code, status: error.status, vendorCode: error.vendorCode });
          throw error;
        }
        if (error.retryAfterMs !== undefined && delayMs > this.retryOptions.maxRetryAfterMs) {
          this.stats.errors++;
          const limited = new RateLimitError(`${this.vendor} asked to wait ${delayMs} ms, longer than retry.maxRetryAfterMs (${this.retryOptions.maxRetryAfterMs} ms)`, {
            vendor: this.vendor,
            status: error.status,
            vendorCode: error.vendorCode,
            retryable: true,
            retryAfterMs: delayMs,
            requestId: error.requestId,
            request: error.request,
            cause: error,
          });
          await this.callHook('onError', { ...info, error: limited });
          throw limited;
        }
        attempt++;
        this.stats.retries++;
        if (error.retryAfterMs !== undefined) this.stats.retryAfterWaitMs += delayMs;
        await this.callHook('onRetry', { ...info, error, delayMs, nextAttempt: attempt });
        this.options.logger?.warn('contactkit: retrying', { vendor: this.vendor, operation: spec.operation, code: error.code, status: error.status, attempt, delayMs });
        await abortableSleep(delayMs, spec.signal);
      }
    }
  }

  private get retryOptions(): RetryOptions {
    return this.retry === false ? DEFAULT_RETRY : this.retry;
  }

  /** ms to wait before the next attempt, or undefined when the error is final. */
  private retryDelay(error: ContactKitError, attempt: number, idempotent: boolean): number | undefined {
    if (this.retry === false || attempt >= this.retry.retries || !error.retryable) return undefined;
    if (!idempotent && !neverReachedServer(error)) return undefined;
    return error.retryAfterMs ?? backoffDelay(attempt, this.retry, this.random);
  }

  /** One attempt inside the adaptive window: sent, classified, and its outcome taught to the window. */
  private async attempt(prepared: PreparedRequest, info: RequestInfo | undefined, signal: AbortSignal | undefined, idempotent: boolean) {
    const slot = await this.adaptive?.acquire(signal);
    const started = performance.now();
    try {
      const response = await this.send(prepared, info, signal);
      const error = this.classify(response, idempotent);
      slot?.(attemptOutcome(error, performance.now() - started));
      return { response, error };
    } catch (raw) {
      // a dropped connection or a deadline is the vendor's overload; an abort is the caller's own
      slot?.(signal?.aborted ? { kind: 'ignored' } : { kind: 'overloaded' });
      throw raw;
    }
  }

  private async send(prepared: PreparedRequest, info: RequestInfo | undefined, signal: AbortSignal | undefined): Promise<VendorResponse> {
    const release = this.limiter ? await this.acquire(signal) : undefined;
    try {
      if (info) await this.callHook('beforeRequest', info);
      if (info) this.options.logger?.debug('contactkit: request', { vendor: this.vendor, operation: info.operation, method: info.method, url: info.url, attempt: info.attempt });
      this.stats.attempts++;
      const started = performance.now();
      const res = await this.exchange(prepared, signal);
      const durationMs = performance.now() - started;
      const headers = headerRecord(res.headers);
      const body = parseBody(res.data);
      const requestId = headers['x-request-id'] ?? headers['x-trace-id'] ?? headers['x-req-id'];
      if (info) {
        await this.callHook('afterResponse', { ...info, status: res.status, durationMs, requestId });
        this.options.logger?.debug('contactkit: response', { vendor: this.vendor, operation: info.operation, status: res.status, durationMs: Math.round(durationMs) });
      }
      return { status: res.status, headers, body, request: prepared };
    } finally {
      release?.();
    }
  }

  /**
   * One HTTP exchange under the deadline and the size cap. The deadline is an abort signal, so it
   * covers connecting, headers and the body alike (axios' own `timeout` is an idle timer).
   */
  private async exchange(prepared: PreparedRequest, signal: AbortSignal | undefined): Promise<AxiosResponse<string>> {
    const deadline = deadlineSignal(this.timeoutMs, signal);
    const hasBody = prepared.body !== undefined;
    try {
      return await this.http.request<string>({
        method: prepared.method,
        url: prepared.url,
        headers: hasBody ? { 'Content-Type': 'application/json', ...prepared.headers } : prepared.headers,
        data: hasBody ? JSON.stringify(prepared.body) : undefined,
        signal: deadline.signal,
        // axios counts the (decompressed) bytes as they arrive and drops the connection past the cap
        maxContentLength: Number.isFinite(this.maxResponseBytes) ? this.maxResponseBytes : -1,
        responseType: 'text',
        // the body is our own JSON text and the reply is parsed here: axios' default transforms would
        // JSON.parse the body again to check it, and parse the reply where we want the text
        transformRequest: [(d: unknown) => d],
        transformResponse: [(d: unknown) => d],
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (raw) {
      if (signal?.aborted) throw raw;
      if (deadline.expired()) throw Object.assign(new Error(`deadline of ${this.timeoutMs} ms exceeded`, { cause: raw }), { code: 'ETIMEDOUT' });
      if (isSizeCapError(raw)) {
        throw new InvalidResponseError(`${this.vendor} reply is larger than maxResponseBytes (${this.maxResponseBytes} bytes); not read further`, {
          ...this.requestErrorOptions(prepared),
          retryable: false,
        });
      }
      throw raw;
    } finally {
      deadline.dispose();
    }
  }

  private async acquire(signal: AbortSignal | undefined): Promise<() => void> {
    // this request's own wait (the limiter's total would count concurrent callers' waits again)
    const release = await this.limiter!.acquire(signal);
    this.stats.rateLimitWaitMs += release.waitedMs;
    return release;
  }

  /** Calls a hook; inside the attempt (`beforeRequest`, `afterResponse`) its error is marked so it is not retried. */
  private async callHook<K extends keyof Hooks>(name: K, payload: Parameters<NonNullable<Hooks[K]>>[0]): Promise<void> {
    const hook = this.options.hooks?.[name] as ((p: typeof payload) => void | Promise<void>) | undefined;
    if (!hook) return;
    if (name === 'onRetry' || name === 'onError') return hook.call(this.options.hooks, payload);
    try {
      await hook.call(this.options.hooks, payload);
    } catch (error) {
      throw new HookFailure(error);
    }
  }

  private classify(response: VendorResponse, idempotent: boolean): ContactKitError | undefined {
    if (response.body instanceof UnparsableBody) {
      if (response.status >= 200 && response.status < 300) {
        // a truncated or garbled success body: worth another read, never worth trusting
        return new InvalidResponseError(`${this.vendor} returned a body that is not valid JSON (HTTP ${response.status})`, { ...this.errorOptions(response), retryable: idempotent });
      }
      response = { ...response, body: response.body.text };
    }
    // a function, not an object with getters: V8 puts each object literal's getter pair in the old
    // generation, so getters closing over the reply kept every reply (a whole page) alive through
    // the young collections (about 6 MB promoted per scavenge while reading 100-agent pages)
    let built: ResponseErrorOptions | undefined;
    const vendorError = this.options.classify?.(response, () => (built ??= this.errorOptions(response)));
    if (vendorError) return vendorError;
    // null: the vendor's body says success whatever the HTTP status (a success code in an error status)
    if (vendorError === null) return undefined;
    if (response.status >= 200 && response.status < 300) return undefined;
    const code = errorCodeForStatus(response.status);
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    return createError(code, `${this.vendor} answered HTTP ${response.status}${describeBody(response.body, this.options.messageFields)}`, {
      ...this.errorOptions(response),
      retryable: RETRYABLE_STATUSES.has(response.status),
      retryAfterMs,
    });
  }

  /** Common fields for an error built from a response: adapters' `classify` gets them through its `errorOptions()`. */
  errorOptions(response: VendorResponse): ResponseErrorOptions {
    const secrets = this.secrets(response.request);
    return {
      vendor: this.vendor,
      status: response.status,
      requestId: response.headers['x-request-id'] ?? response.headers['x-trace-id'],
      request: { method: response.request.method, url: redact(response.request.url, { secrets }) },
      secrets,
    };
  }

  /** The client's registered secrets plus the ones this request carries (sign, token, password...). */
  private secrets(prepared?: PreparedRequest): string[] {
    const registered = this.redactor.values();
    if (!prepared) return registered;
    return [...new Set([...registered, ...collectSecrets(prepared.query, prepared.headers, prepared.body)])];
  }

  private redact<T>(value: T, prepared?: PreparedRequest): T {
    return redact(value, { secrets: this.secrets(prepared) });
  }

  /** Same origin, and no userinfo (an origin ignores it, yet axios would send it as a Basic header). */
  private isOwnUrl(path: string): boolean {
    try {
      const url = new URL(path);
      return url.origin === new URL(this.baseUrl).origin && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }

  private parse<T>(schema: z.ZodType<T>, response: VendorResponse, operation: string | undefined): T {
    if (acceptedInPlace(schema, response.body)) return response.body as T;
    const result = schema.safeParse(response.body);
    if (result.success) return result.data;
    // name the paths that failed, never the values (they may hold personal data or secrets)
    const where = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new InvalidResponseError(`${this.vendor} reply to ${operation ?? response.request.method} does not match its schema: ${where}`, {
      ...this.errorOptions(response),
      retryable: false,
    });
  }

  /** Common fields for an error about a request that has no usable response. */
  private requestErrorOptions(prepared: PreparedRequest) {
    const secrets = this.secrets(prepared);
    const request = { method: prepared.method, url: redact(prepared.url || prepared.operation || '', { secrets }) };
    return { vendor: this.vendor, request, secrets };
  }

  private toContactKitError(raw: unknown, prepared: PreparedRequest): ContactKitError {
    if (raw instanceof ContactKitError) return raw;
    const common = { ...this.requestErrorOptions(prepared), cause: raw };
    if (isTimeout(raw)) {
      return new TimeoutError(`${this.vendor} did not answer in full within ${this.timeoutMs} ms`, { ...common, retryable: true });
    }
    const message = raw instanceof Error ? raw.message : String(raw);
    return new NetworkError(`${this.vendor} request failed: ${message}`, { ...common, retryable: true });
  }

  private info(prepared: PreparedRequest): RequestInfo {
    return this.redact(
      {
        vendor: this.vendor,
        operation: prepared.operation,
        method: prepared.method,
        url: prepared.url,
        headers: prepared.headers,
        body: prepared.body,
        attempt: prepared.attempt,
      },
      prepared,
    );
  }
}

/** A positive number (an integer where `integer`), or Infinity for "no limit"; else a ValidationError naming it. */
function positiveOption(field: string, value: number, integer: boolean): number {
  const ok = typeof value === 'number' && value > 0 && (value === Infinity || !integer || Number.isInteger(value));
  if (!ok) throw createErrorForConfig(field, integer ? 'must be a positive integer (or Infinity)' : 'must be a positive number of ms (or Infinity)');
  return value;
}

/** A signal that aborts when `outer` does (with its reason) or once `ms` have passed (expired() then says so). */
function deadlineSignal(ms: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let expired = false;
  const timer =
    ms <= MAX_TIMER_MS
      ? setTimeout(() => {
          expired = true;
          controller.abort();
        }, ms)
      : undefined;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** axios' error for a body past `maxContentLength` (its http and fetch adapters word it the same). */
function isSizeCapError(raw: unknown): boolean {
  const { code, message } = (raw ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_BAD_RESPONSE' && typeof message === 'string' && message.startsWith('maxContentLength size of');
}

/** A non-idempotent request may be retried only when the server provably did not act on it. */
function neverReachedServer(error: ContactKitError): boolean {
  if (error.code === 'RATE_LIMITED' || error.notProcessed) return true;
  if (error.code !== 'NETWORK') return false;
  return causeCodes(error.cause).some((code) => NEVER_SENT_CODES.has(code));
}

/** The `code`s along a cause chain (axios puts the socket's code on its error, fetch-style adapters one level down). */
function causeCodes(cause: unknown): string[] {
  const codes: string[] = [];
  for (let c = cause, depth = 0; c && typeof c === 'object' && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT', // our own deadline, the socket's connect timeout, axios' timeout with transitional.clarifyTimeoutError
  'ECONNABORTED', // axios' timeout without it (a caller's httpClient may set a timeout of its own)
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function isTimeout(raw: unknown): boolean {
  if (causeCodes(raw).some((code) => TIMEOUT_CODES.has(code))) return true;
  const name = (raw as { name?: unknown })?.name;
  return name === 'TimeoutError'; // AbortSignal.timeout() in a caller's client
}

/** Wraps an error thrown by a hook so the retry loop passes it on untouched. */
class HookFailure {
  constructor(readonly error: unknown) {}
}

class UnparsableBody {
  constructor(readonly text: string) {}
}

function parseBody(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  // /\S/ stops at the first non-blank character: no trimmed copy of a large body
  if (!/\S/.test(text)) return null;
  try {
    return JSON.parse(text);
  } catch {
    return new UnparsableBody(text);
  }
}

const OVERLOAD_STATUSES = new Set([502, 503, 504]);

/** What one classified reply says about the vendor's capacity. */
function attemptOutcome(error: ContactKitError | undefined, latencyMs: number): AttemptOutcome {
  if (!error) return { kind: 'ok', latencyMs };
  if (error.code === 'RATE_LIMITED') return { kind: 'throttled', retryAfterMs: error.retryAfterMs };
  if (error.code === 'TIMEOUT' || (error.status !== undefined && OVERLOAD_STATUSES.has(error.status))) return { kind: 'overloaded' };
  // any other answer (a 404, a validation error) came back: its latency is a fair sample
  return { kind: 'ok', latencyMs };
}

const COMMON_MESSAGE_FIELDS = ['message', 'error_description', 'description', 'error'];

function describeBody(body: unknown, vendorFields: readonly string[] = []): string {
  if (body === null || body === undefined) return '';
  if (typeof body === 'string') return `: ${body.slice(0, 200)}`;
  if (typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const msg = [...vendorFields, ...COMMON_MESSAGE_FIELDS].map((f) => b[f]).find((v) => typeof v === 'string');
    if (typeof msg === 'string') return `: ${msg.slice(0, 200)}`;
  }
  return '';
}
