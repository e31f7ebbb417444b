import { createHash, randomUUID } from 'node:crypto';
import type { AuthStrategy, ContactKitError, HttpTransport, PreparedRequest } from '@contactkit/core';
import { raceAbort } from '@contactkit/core';
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
 * With a password: one `log_in` shared by every concurrent first call, the token memoized; when the
 * vendor rejects the signature (code 2059) the transport calls `refresh` once: one new `log_in`
 * (shared by every request that failed with the same token), then the request is replayed once.
 */
export class UdeskAuth implements AuthStrategy {
  private token: string | undefined;
  /** bumped whenever the token changes, to tell a stale rejection from a fresh one */
  private generation = 0;
  private logIn: Promise<string> | undefined;
  /** nonce → token generation it was signed with (bounded) */
  private readonly signedWith = new Map<string, number>();
  private transport: HttpTransport | undefined;
  private readonly now: () => number;
  private readonly nonce: () => string;

  constructor(private readonly options: UdeskAuthOptions) {
    this.token = options.apiToken;
    this.now = options.now ?? Date.now;
    this.nonce = options.nonce ?? randomUUID;
  }

  /** The transport used for `log_in` (the same one the client uses: limiter, hooks, redactor). */
  attach(transport: HttpTransport): void {
    this.transport = transport;
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
    this.track(nonce);
  }

  async refresh(error: ContactKitError, context: { signal?: AbortSignal | undefined; request: PreparedRequest }): Promise<boolean> {
    // only a rejected signature is cured by a new token; 2062x (clock/nonce) are retried re-signed
    if (!this.options.password || error.vendorCode !== '2059') return false;
    if (context.request.operation === LOG_IN_OPERATION) return false;
    const nonce = context.request.query.nonce;
    const usedGeneration = nonce === undefined ? undefined : this.signedWith.get(nonce);
    if (nonce !== undefined) this.signedWith.delete(nonce);
    // another request already replaced the token this one was signed with: just replay
    if (usedGeneration !== undefined && usedGeneration < this.generation) return true;
    if (this.logIn) {
      await raceAbort(this.logIn, context.signal);
      return true;
    }
    this.token = undefined;
    await this.currentToken(context.signal);
    return true;
  }

  private async currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.token !== undefined) return this.token;
    if (!this.options.password) throw new Error('udesk: neither apiToken nor password given'); // checked by the factory
    this.logIn ??= this.fetchToken().finally(() => {
      this.logIn = undefined;
    });
    return raceAbort(this.logIn, signal);
  }

  private async fetchToken(): Promise<string> {
    const transport = this.transport;
    if (!transport) throw new Error('udesk: auth used before attach()');
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
    this.token = token;
    this.generation++;
    return token;
  }

  private track(nonce: string): void {
    this.signedWith.set(nonce, this.generation);
    if (this.signedWith.size > MAX_TRACKED) {
      const oldest = this.signedWith.keys().next().value;
      if (oldest !== undefined) this.signedWith.delete(oldest);
    }
  }
}
