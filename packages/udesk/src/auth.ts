import { createHash, randomUUID } from 'node:crypto';
import type { AdapterAuth, AuthStrategy, ContactKitError, Credential, CredentialCache, HttpTransport, PreparedRequest } from '@contactkit/core';
import { LOG_IN_OPERATION } from './errors';
import { UdeskLogInReplySchema } from './wire';

/** The value of `sign_version` (and the last field of the signed string). */
export const SIGN_VERSION = 'v2';

/**
 * Udesk sign v2: lowercase hex SHA-256 of `email&open_api_token&timestamp&nonce&v2` (UTF-8, values
 * raw, fixed order). Business parameters and the body are not signed.
 */
export function signV2(email: string, token: string, timestamp: string | number, nonce: string): string {
  return createHash('sha256').update(`${email}&${token}&${timestamp}&${nonce}&${SIGN_VERSION}`, 'utf8').digest('hex');
}

export interface UdeskAuthOptions {
  /** the super-administrator email: the `email` query parameter */
  email: string;
  /** the `open_api_token` (signing secret) */
  apiToken?: string | undefined;
  /** the administrator password: `POST /log_in` fetches the token (and fetches it again once when rejected) */
  password?: string | undefined;
  /** clock in milliseconds (default Date.now); the timestamp sent is whole seconds */
  now?: (() => number) | undefined;
  /** nonce source (default crypto.randomUUID); must differ on every call */
  nonce?: (() => string) | undefined;
}

const MAX_TRACKED = 1000;

/**
 * Signs every attempt (a fresh timestamp and nonce each time, so a retry is never a replayed nonce).
 * With a password: the token lives in the transport coordinator's credential cache, so one `log_in`
 * serves every concurrent first call (of every process sharing the coordinator); when the vendor
 * rejects the signature (code 2059) the transport calls `refresh` once: the rejected token is
 * invalidated, one new `log_in` is shared by every request that failed with it, and the request is
 * replayed once.
 */
export class UdeskAuth implements AuthStrategy {
  /** the given token, used until the vendor rejects it (then, with a password, log_in tokens take over) */
  private apiToken: string | undefined;
  /** the token fetched by `log_in`, shared through the transport's coordinator */
  private readonly cache: CredentialCache;
  /** nonce → token it was signed with (bounded), to tell a stale rejection from a fresh one */
  private readonly signedWith = new Map<string, string>();
  private readonly now: () => number;
  private readonly nonce: () => string;

  /** `transport`: the client's own, used for `log_in` (limiter, hooks, redactor, coordinator). */
  constructor(
    private readonly options: UdeskAuthOptions,
    private readonly transport: HttpTransport,
  ) {
    this.apiToken = options.apiToken;
    this.now = options.now ?? Date.now;
    this.nonce = options.nonce ?? randomUUID;
    const tenant = { vendor: transport.vendor, baseUrl: transport.baseUrl, account: options.email };
    this.cache = transport.coordinator.credentials(tenant, { now: this.now });
  }

  async authenticate(request: PreparedRequest, context: { signal?: AbortSignal | undefined }): Promise<void> {
    if (request.operation === LOG_IN_OPERATION) return; // log_in is unsigned
    const token = await this.currentToken(context.signal);
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = this.nonce();
    request.query.email = this.options.email;
    request.query.timestamp = timestamp;
    request.query.nonce = nonce;
    request.query.sign_version = SIGN_VERSION;
    request.query.sign = signV2(this.options.email, token, timestamp, nonce);
    this.track(nonce, token);
  }

  async refresh(error: ContactKitError, context: { signal?: AbortSignal | undefined; request: PreparedRequest }): Promise<boolean> {
    // only a rejected signature is cured by a new token; 2062x (clock/nonce) are retried re-signed
    if (!this.options.password || error.vendorCode !== '2059') return false;
    if (context.request.operation === LOG_IN_OPERATION) return false;
    const nonce = context.request.query.nonce;
    const rejected = nonce === undefined ? undefined : this.signedWith.get(nonce);
    if (nonce !== undefined) this.signedWith.delete(nonce);
    if (this.apiToken !== undefined && (rejected === undefined || rejected === this.apiToken)) this.apiToken = undefined;
    // a token another request already replaced is not dropped: the replay uses the replacement
    await this.cache.invalidate(rejected);
    await this.currentToken(context.signal);
    return true;
  }

  private async currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.apiToken !== undefined) return this.apiToken;
    if (!this.options.password) throw new Error('udesk: neither apiToken nor password given'); // checked by the factory
    const credential = await this.cache.get(() => this.fetchToken(), signal);
    // a token another process fetched is a secret here too
    this.transport.redactor.add(credential.value);
    return credential.value;
  }

  private async fetchToken(): Promise<Credential> {
    const transport = this.transport;
    const res = await transport.request({
      method: 'POST',
      path: 'log_in',
      body: { email: this.options.email, password: this.options.password },
      operation: LOG_IN_OPERATION,
      idempotent: true,
      schema: UdeskLogInReplySchema,
    });
    const token = (res.data.open_api_auth_token ?? res.data.open_api_token)!;
    transport.redactor.add(token);
    // the log_in reply states no lifetime: kept until the vendor rejects it
    return { value: token, refreshAt: Infinity };
  }

  private track(nonce: string, token: string): void {
    this.signedWith.set(nonce, token);
    if (this.signedWith.size > MAX_TRACKED) {
      const oldest = this.signedWith.keys().next().value;
      if (oldest !== undefined) this.signedWith.delete(oldest);
    }
  }
}

/** The adapter's auth: the sign strategy, created with its transport, and the credentials to scrub. */
export function createUdeskAuth(options: UdeskAuthOptions): AdapterAuth {
  // an empty string is no credential (the client's option check has made sure one of the two is given)
  const credentials: UdeskAuthOptions = {
    email: options.email,
    apiToken: options.apiToken || undefined,
    password: options.password || undefined,
    now: options.now,
    nonce: options.nonce,
  };
  return {
    strategy: (transport) => new UdeskAuth(credentials, transport),
    secrets: [options.apiToken, options.password],
  };
}
