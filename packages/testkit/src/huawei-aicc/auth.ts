import { createHash } from 'node:crypto';
import { isRecord, type RouteDef, type SimReply, type SimRequest } from '../server';
import { gwError } from './replies';
import { toInt } from './rules';
import type { HuaweiAiccCredentials } from './types';

export const HUAWEI_TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';

export const DEFAULT_CREDENTIALS: HuaweiAiccCredentials = {
  appKey: '4f6e2a1c-93b7-4d58-a0e2-7c1b5d9f3e64',
  appSecret: 'hw-sim-secret-5b8e1f7a2c9d4e6b',
};

const unauthorized = () => gwError(401, 'APIGW.0301', 'Incorrect token');

/** `X-Token-Expire` in seconds (1..3600, default 600), or the gateway's 400. */
function tokenLifetime(req: SimRequest): number | SimReply {
  const hdr = req.headers['x-token-expire'];
  if (hdr === undefined) return 600;
  const v = toInt(Array.isArray(hdr) ? hdr[0] : hdr);
  if (v === undefined || v < 1 || v > 3600) return gwError(400, 'APIGW.0400', 'X-Token-Expire must be an integer from 1 to 3600');
  return v;
}

/** The API gateway's AK/SK tokens: `tokenByAkSk` issues them, every business call needs one and `X-APP-Key`. */
export class HuaweiTokens {
  private readonly tokens = new Map<string, number>(); // token → expiry ms
  private seq = 0;

  constructor(
    private readonly creds: HuaweiAiccCredentials,
    private readonly now: () => number,
  ) {}

  /** SimServer's check before a business call: null when the bearer token and app key are good. */
  authenticate(req: SimRequest): SimReply | null {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m || req.headers['x-app-key'] !== this.creds.appKey) return unauthorized();
    const token = m[1]!;
    const exp = this.tokens.get(token);
    if (exp === undefined) return unauthorized();
    if (exp <= this.now()) {
      this.tokens.delete(token);
      return unauthorized();
    }
    return null;
  }

  /** The `tokenByAkSk` reply: a new token for the right app_key/app_secret. */
  issue(req: SimRequest): SimReply {
    const expire = tokenLifetime(req);
    if (typeof expire !== 'number') return expire;
    const b = isRecord(req.body) ? req.body : {};
    if (b.app_key !== this.creds.appKey || b.app_secret !== this.creds.appSecret) {
      return gwError(401, 'APIGW.0101', 'invalid app_key or app_secret');
    }
    const t = this.now();
    if (this.tokens.size > 1000) for (const [k, exp] of this.tokens) if (exp <= t) this.tokens.delete(k);
    this.seq++;
    const token = createHash('sha256').update(`${this.creds.appKey}:${this.seq}:${t}`).digest('hex').slice(0, 32);
    this.tokens.set(token, t + expire * 1000);
    return {
      status: 200,
      body: {
        AccessToken: token,
        ApplyType: 'Bearer',
        CreateTime: String(Math.floor(t / 1000)),
        Expires: String(expire),
        Scope: 'default',
        AppKey: this.creds.appKey,
        UserID: 'Anonymous',
      },
    };
  }

  /** Revoke every issued token. */
  expireAll(): void {
    this.tokens.clear();
  }

  /** Tokens still valid by the clock. */
  active(): number {
    const t = this.now();
    let n = 0;
    for (const exp of this.tokens.values()) if (exp > t) n++;
    return n;
  }
}

/** The `tokenByAkSk` route; `stats` is the business server's `extra`, where `tokenRequests` is counted. */
export function tokenRoute(tokens: HuaweiTokens, stats: Record<string, number>): RouteDef {
  return {
    method: 'POST',
    pattern: new RegExp(`^${HUAWEI_TOKEN_PATH.toLowerCase()}$`),
    key: 'POST /tokenByAkSk',
    auth: false,
    authEndpoint: true,
    handler: (req) => {
      stats.tokenRequests = (stats.tokenRequests ?? 0) + 1;
      return tokens.issue(req);
    },
  };
}
