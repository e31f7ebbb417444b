import { createHash } from 'node:crypto';
import type { SimReply, SimRequest } from '../server';
import { UDESK_CODES, fail, type UdeskCredentials } from './types';

const NONCE_TTL_MS = 15 * 60_000;
const TIMESTAMP_WINDOW_S = 300;
const DEFAULT_CREDENTIALS: UdeskCredentials = {
  email: 'admin@udesk-sim.example.com',
  apiToken: '8a1f3c52-6d0e-4b7a-9e21-5c4d7b9f0a13',
  password: 'Udesk-Sim-2024!',
};

/** Sign v2 (`sha256(email&token&timestamp&nonce&v2)`), the ±5 min timestamp window, 15-min nonces, token rotation. */
export class UdeskAuth {
  private readonly creds: UdeskCredentials;
  private readonly nonces = new Map<string, number>(); // nonce → expiry ms
  private nonceQueue: Array<[string, number]> = [];
  private nonceHead = 0;
  private rotations = 0;

  constructor(given: Partial<UdeskCredentials> = {}) {
    this.creds = { ...DEFAULT_CREDENTIALS, ...given };
  }

  /** A copy: the handle's `credentials`. */
  credentials(): UdeskCredentials {
    return { ...this.creds };
  }

  /** `POST /log_in` body check. */
  passwordMatches(email: unknown, password: unknown): boolean {
    return email === this.creds.email && password === this.creds.password;
  }

  /** Issue a new open_api_token; the old one stops working at once. */
  rotateToken(): string {
    this.rotations++;
    const h = createHash('sha256').update(`${this.creds.apiToken}:${this.rotations}`).digest('hex');
    this.creds.apiToken = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    return this.creds.apiToken;
  }

  /** null when the signed query is good (and its nonce is now spent), else the refusal. */
  authenticate(req: SimRequest, nowMs: number): SimReply | null {
    const q = req.query;
    const tsRaw = q.get('timestamp');
    const nonce = q.get('nonce') ?? '';
    if (tsRaw === null || !/^\d+$/.test(tsRaw.trim())) {
      return fail(UDESK_CODES.TIMESTAMP_INVALID, 'timestamp is missing or not a number');
    }
    if (nonce === '') return fail(UDESK_CODES.NONCE_EMPTY, 'nonce cannot be empty');
    if (!this.signMatches(q, tsRaw, nonce)) return fail(UDESK_CODES.BAD_SIGN, 'The open api signature is incorrect');
    if (Math.abs(Number(tsRaw) - nowMs / 1000) > TIMESTAMP_WINDOW_S) {
      return fail(UDESK_CODES.TIMESTAMP_EXPIRED, 'timestamp is more than 5 minutes away from server time');
    }
    return this.spendNonce(nonce, nowMs);
  }

  private signMatches(q: URLSearchParams, tsRaw: string, nonce: string): boolean {
    const { email, apiToken } = this.creds;
    const expected = createHash('sha256').update(`${email}&${apiToken}&${tsRaw}&${nonce}&v2`, 'utf8').digest('hex');
    return (q.get('email') ?? '') === email && q.get('sign_version') === 'v2' && (q.get('sign') ?? '').toLowerCase() === expected;
  }

  private spendNonce(nonce: string, t: number): SimReply | null {
    this.expireNonces(t);
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && seen > t) {
      return fail(UDESK_CODES.NONCE_REUSED, 'nonce has already been used within 15 minutes');
    }
    this.nonces.set(nonce, t + NONCE_TTL_MS);
    this.nonceQueue.push([nonce, t + NONCE_TTL_MS]);
    return null;
  }

  private expireNonces(t: number): void {
    const queue = this.nonceQueue;
    while (this.nonceHead < queue.length && queue[this.nonceHead]![1] <= t) {
      const [n, exp] = queue[this.nonceHead++]!;
      if (this.nonces.get(n) === exp) this.nonces.delete(n);
    }
    if (this.nonceHead > 4096 && this.nonceHead * 2 > queue.length) {
      queue.splice(0, this.nonceHead);
      this.nonceHead = 0;
    }
  }
}
