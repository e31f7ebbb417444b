import { isContactKitError, type ErrorCode } from '@contactkit/core';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; issues?: Array<{ path: string; message: string }>; requestId?: string } };
}

/**
 * How each ContactKitError code becomes an HTTP answer of this backend.
 *
 * The caller's own mistakes (bad input, unknown id, duplicate email, too many requests) are 4xx with
 * the library's message, which is already redacted. Problems between this backend and the vendor
 * (our credentials, the vendor failing or timing out) are 5xx with a fixed message: a caller learns
 * that the upstream failed, not why; the detail goes to the server log.
 */
const TABLE: Record<ErrorCode, { status: number; expose: boolean; message?: string }> = {
  VALIDATION: { status: 400, expose: true },
  NOT_FOUND: { status: 404, expose: true },
  CONFLICT: { status: 409, expose: true },
  RATE_LIMITED: { status: 429, expose: true },
  // the vendor refused OUR credentials: not the caller's fault, so not a 401 to the caller
  AUTHENTICATION: { status: 502, expose: false, message: 'the contact center rejected this service\'s credentials' },
  PERMISSION: { status: 502, expose: false, message: 'this service\'s contact-center account may not do that' },
  TIMEOUT: { status: 504, expose: false, message: 'the contact center did not answer in time' },
  NETWORK: { status: 502, expose: false, message: 'the contact center could not be reached' },
  VENDOR: { status: 502, expose: false, message: 'the contact center refused the request' },
  INVALID_RESPONSE: { status: 502, expose: false, message: 'the contact center sent a reply we could not read' },
  UNSUPPORTED: { status: 501, expose: true },
};

export function toHttpAnswer(error: unknown): HttpAnswer {
  if (!isContactKitError(error)) {
    return { status: 500, headers: {}, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
  }
  const row = TABLE[error.code] ?? { status: 502, expose: false, message: 'the contact center failed' };
  const body: HttpAnswer['body'] = { error: { code: error.code, message: row.expose ? error.message : row.message! } };
  if (error.code === 'VALIDATION' && 'issues' in error) body.error.issues = (error as { issues: Array<{ path: string; message: string }> }).issues;
  if (error.requestId) body.error.requestId = error.requestId;
  const headers: Record<string, string> = {};
  if (error.code === 'RATE_LIMITED') headers['retry-after'] = String(Math.max(1, Math.ceil((error.retryAfterMs ?? 5_000) / 1000)));
  return { status: row.status, headers, body };
}
