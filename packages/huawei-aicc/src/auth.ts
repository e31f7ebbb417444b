/**
 * Huawei AICC auth: `tokenByAkSk` bearer tokens, memoized in the transport coordinator's credential
 * cache (AWS SDK v3 style): per client by default, per tenant across processes with a shared coordinator.
 *
 * - one token fetch for any number of concurrent calls (a shared in-flight fetch);
 * - refreshed ahead of expiry: CreateTime + Expires − margin (margin = min(60 s, 10 % of the lifetime));
 *   local time stands in for CreateTime when it is missing, unreadable or off by more than the lifetime;
 * - on a 401/403 (classified as AUTHENTICATION) the transport calls `refresh` once and replays the call
 *   once; `refresh` reads the rejected token from the request, so concurrent rejections of the same token
 *   share one fetch and a rejection of an already-replaced token just replays with the new one;
 * - the token request goes through the same transport (retries, timeouts, hooks, redaction) but is
 *   marked by its operation name so `authenticate` leaves it alone: no recursion.
 */
import {
  createAdapterTransport,
  type AuthStrategy,
  type CommonClientOptions,
  type ContactKitError,
  type CredentialCache,
  type HttpTransport,
  type PreparedRequest,
  type Redactor,
} from '@contactkit/core';
import { MESSAGE_FIELDS, TOKEN_PATH, classify } from './errors';
import { TokenReplySchema, type TokenReply } from './wire';

/** The operation name of the token request: `authenticate` skips it (it carries the credentials itself). */
export const TOKEN_OPERATION = 'auth.tokenByAkSk';
export const DEFAULT_TOKEN_TTL_SECONDS = 600;
export const MAX_TOKEN_TTL_SECONDS = 3600;

export interface HuaweiToken {
  value: string;
  /** local epoch ms after which the token is no longer used */
  refreshAt: number;
  /** local epoch ms at which Huawei expires it */
  expiresAt: number;
}

/** Refresh margin: 60 s, or 10 % of a shorter lifetime. */
export function refreshMarginMs(ttlMs: number): number {
  return Math.min(60_000, Math.floor(ttlMs * 0.1));
}

function seconds(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * When a token stops being used: pure. `Expires` is read as a lifetime in seconds (it echoes
 * X-Token-Expire; the requested ttl stands in when absent). `CreateTime` is Unix seconds.
 */
export function tokenTimes(reply: Pick<TokenReply, 'CreateTime' | 'Expires'>, requestedTtlSeconds: number, nowMs: number): { refreshAt: number; expiresAt: number } {
  const ttlMs = (seconds(reply.Expires) ?? requestedTtlSeconds) * 1000;
  const created = seconds(reply.CreateTime);
  let createdMs = created === undefined ? nowMs : created * 1000;
  // a server clock far from ours would make the token look stale forever (or valid too long)
  if (Math.abs(createdMs - nowMs) > ttlMs) createdMs = nowMs;
  const expiresAt = createdMs + ttlMs;
  return { expiresAt, refreshAt: expiresAt - refreshMarginMs(ttlMs) };
}

export interface HuaweiAuthOptions {
  appKey: string;
  appSecret: string;
  tokenTtlSeconds?: number | undefined;
  /** injectable clock (epoch ms) for tests; default Date.now */
  now?: (() => number) | undefined;
}

export class HuaweiTokenAuth implements AuthStrategy {
  readonly appKey: string;
  private readonly appSecret: string;
  readonly tokenTtlSeconds: number;
  private readonly now: () => number;
  private readonly cache: CredentialCache;
  /** token fetches made (for tests and stats) */
  fetches = 0;
  /** the token last given to the redactors */
  private registered: string | undefined;

  /**
   * `transport`: the one the token requests go through (the calls' own, or one on `tokenBaseUrl` when the
   * token endpoint has another origin). `alsoRedact`: the calls' redactor, which must learn each token too.
   */
  constructor(
    options: HuaweiAuthOptions,
    private readonly transport: HttpTransport,
    private readonly alsoRedact: Redactor[] = [],
  ) {
    this.appKey = options.appKey;
    this.appSecret = options.appSecret;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
    const tenant = { vendor: transport.vendor, baseUrl: transport.baseUrl, account: this.appKey };
    this.cache = transport.coordinator.credentials(tenant, { now: this.now });
  }

  async authenticate(request: PreparedRequest, context: { signal?: AbortSignal | undefined }): Promise<void> {
    if (request.operation === TOKEN_OPERATION) return;
    const token = await this.getToken(context.signal);
    request.headers['Authorization'] = `Bearer ${token.value}`;
    request.headers['x-app-key'] = this.appKey;
  }

  /**
   * The transport's one refresh per request after an AUTHENTICATION error. Only a call that carried a
   * bearer token is refreshed (never the token request itself: wrong credentials stay an error).
   */
  async refresh(_error: ContactKitError, context: { signal?: AbortSignal | undefined; request?: PreparedRequest }): Promise<boolean> {
    const request = context.request;
    if (!request || request.operation === TOKEN_OPERATION) return false;
    const header = request.headers['Authorization'] ?? request.headers['authorization'];
    if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
    // drop the rejected token unless another call has already replaced it; then share one fetch
    await this.cache.invalidate(header.slice('Bearer '.length));
    await this.getToken(context.signal);
    return true;
  }

  /** Drops the memoized token (the next call fetches a new one). */
  invalidate(): Promise<void> {
    return this.cache.invalidate(undefined);
  }

  /** The current token, fetching it when absent or due for refresh; one fetch for all concurrent callers. */
  async getToken(signal?: AbortSignal): Promise<HuaweiToken> {
    const credential = await this.cache.get(() => this.fetchToken(), signal);
    // a token fetched by another process sharing the coordinator is a secret here too (registered
    // once per token, not on every call)
    if (credential.value !== this.registered) {
      for (const redactor of [this.transport.redactor, ...this.alsoRedact]) redactor.add(credential.value);
      this.registered = credential.value;
    }
    return { value: credential.value, refreshAt: credential.refreshAt, expiresAt: credential.expiresAt ?? credential.refreshAt };
  }

  private async fetchToken(): Promise<HuaweiToken> {
    const transport = this.transport;
    this.fetches++;
    const { data } = await transport.request({
      method: 'POST',
      path: TOKEN_PATH,
      headers: { 'X-Token-Expire': String(this.tokenTtlSeconds) },
      body: { app_key: this.appKey, app_secret: this.appSecret },
      schema: TokenReplySchema,
      // asking for a token twice is harmless: retried like a read
      idempotent: true,
      operation: TOKEN_OPERATION,
    });
    for (const redactor of [transport.redactor, ...this.alsoRedact]) redactor.add(data.AccessToken);
    const times = tokenTimes(data, this.tokenTtlSeconds, this.now());
    return { value: data.AccessToken, ...times };
  }
}

/** What the token auth reads of the client's options. */
export interface TokenAuthClientOptions extends HuaweiAuthOptions, CommonClientOptions {
  tokenBaseUrl?: string | undefined;
}

/** The auth strategy of a client's transport, created with it (the adapter definition's `auth.strategy`). */
export function createTokenAuth(options: TokenAuthClientOptions, transport: HttpTransport): HuaweiTokenAuth {
  return new HuaweiTokenAuth(options, tokenTransportFor(options, transport), [transport.redactor]);
}

/** The transport tokenByAkSk goes through: the calls' own, or one on `tokenBaseUrl` when its origin differs. */
function tokenTransportFor(options: TokenAuthClientOptions, transport: HttpTransport): HttpTransport {
  const tokenBaseUrl = options.tokenBaseUrl;
  if (tokenBaseUrl === undefined || new URL(tokenBaseUrl).origin === new URL(transport.baseUrl).origin) return transport;
  return createAdapterTransport({
    vendor: transport.vendor,
    options: { ...options, baseUrl: tokenBaseUrl },
    // the token request carries its credentials in the body: nothing to add
    auth: { authenticate: () => undefined },
    account: options.appKey,
    defaultRateLimit: undefined,
    classify,
    messageFields: MESSAGE_FIELDS,
    defaultHeaders: { Accept: 'application/json' },
    secrets: [options.appSecret],
  });
}
