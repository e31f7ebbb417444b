import {
  RETRYABLE_STATUSES,
  createError,
  errorCodeForStatus,
  parseRetryAfter,
  type ContactKitError,
  type ErrorCode,
  type ResponseErrorOptions,
  type VendorResponse,
} from '@contactkit/core';

/** The Udesk success code: success whatever the HTTP status. */
export const UDESK_SUCCESS = 1000;

/** The body fields carrying Udesk's message (`code_message` in some replies), read where the status decides. */
export const MESSAGE_FIELDS = ['message', 'code_message'] as const;

/** The operation name of `POST /log_in`: its failures are authentication failures. */
export const LOG_IN_OPERATION = 'auth.logIn';

/** The codes the table below knows (documented in the seed, or from the secondary list). */
export const KNOWN_CODES: ReadonlySet<number> = new Set([2000, 2002, 2005, 2015, 2058, 2059, 11006, 11007, 20621, 20622, 20623, 20624, 429]);

export interface UdeskErrorClass {
  code: Exclude<ErrorCode, 'VALIDATION'>;
  retryable: boolean;
}

/**
 * Udesk code (+ message) → error class. Code 2000 is one code for many failures: the message
 * tells them apart (the seed's table). Codes marked unconfirmed come from secondary sources.
 */
export function classifyUdeskCode(code: number, message: string, operation?: string): UdeskErrorClass {
  if (operation === LOG_IN_OPERATION && code !== 429) {
    // wrong email/password on log_in is 2005 (secondary); any refusal there is an auth failure
    return { code: 'AUTHENTICATION', retryable: false };
  }
  const m = message.toLowerCase();
  switch (code) {
    case 2000:
      if (m.includes('email has been occupied')) return { code: 'CONFLICT', retryable: false };
      if (m.includes('cannot be deleted')) return { code: 'CONFLICT', retryable: false };
      // "XXX is required", "password must be different", "callout_number_id value is invalid",
      // "employee type cannot be assigned", "reached the limit", "Unknown error",
      // "comparison of Fixnum with nil failed", "per_page must be at most 100", custom fields
      return { code: 'VENDOR', retryable: false };
    case 2005:
      return { code: 'NOT_FOUND', retryable: false };
    case 11006: // the employee IM is online, cannot be updated
    case 11007: // the employee has IM sessions not closed
      return { code: 'CONFLICT', retryable: false };
    case 2059: // bad signature / unknown email / missing sign (unconfirmed number)
    case 2002: // invalid subdomain (unconfirmed)
      return { code: 'AUTHENTICATION', retryable: false };
    case 20621: // timestamp missing or not a number (unconfirmed)
    case 20622: // timestamp more than 300 s off (unconfirmed)
    case 20623: // nonce reused within 15 minutes (unconfirmed)
    case 20624: // nonce empty (unconfirmed)
      // a re-signed attempt (fresh timestamp and nonce) can pass
      return { code: 'AUTHENTICATION', retryable: true };
    case 2015: // not an administrator (unconfirmed)
    case 2058: // company not on a plan with the Open API (unconfirmed)
      return { code: 'PERMISSION', retryable: false };
    case 429: // our simulator's throttle body (choice)
      return { code: 'RATE_LIMITED', retryable: true };
    default:
      return { code: 'VENDOR', retryable: false };
  }
}

function messageOf(body: Record<string, unknown>): string {
  const exception = body.exception as { message?: unknown } | null | undefined;
  const candidates = [body.message, body.code_message, exception?.message];
  for (const c of candidates) if (typeof c === 'string' && c.trim() !== '') return c;
  return '';
}

/**
 * The adapter's `classify`: `code` 1000 is success; any other code becomes the class in
 * `classifyUdeskCode` with `vendorCode` set; a non-2xx reply with an unknown code is classed by
 * HTTP status (429 and 5xx retryable, Retry-After honoured); a 2xx reply without an integer code
 * is an InvalidResponseError. `errorOptions()`: the transport's error options for the reply.
 */
export function classify(response: VendorResponse, errorOptions: () => ResponseErrorOptions): ContactKitError | null | undefined {
  const body = response.body;
  const ok = response.status >= 200 && response.status < 300;
  const code = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).code : undefined;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    if (!ok) return undefined; // the transport maps it by status
    const operation = response.request.operation ?? response.request.method;
    return createError('INVALID_RESPONSE', `udesk reply to ${operation} has no integer code (HTTP ${response.status})`, { ...errorOptions(), retryable: false });
  }
  if (code === UDESK_SUCCESS) return null; // success whatever the HTTP status
  const message = messageOf(body as Record<string, unknown>);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  // a non-2xx status with a code the table does not know: the status decides (429/5xx retried)
  const cls: UdeskErrorClass =
    !ok && !KNOWN_CODES.has(code)
      ? { code: errorCodeForStatus(response.status), retryable: RETRYABLE_STATUSES.has(response.status) }
      : classifyUdeskCode(code, message, response.request.operation);
  const text = message ? `: ${message}` : '';
  return createError(cls.code, `udesk code ${code}${text} (HTTP ${response.status})`, {
    ...errorOptions(),
    vendorCode: code,
    retryable: cls.retryable,
    retryAfterMs: cls.code === 'RATE_LIMITED' || cls.retryable ? retryAfterMs : undefined,
    // a rejected signature, timestamp or nonce: Udesk did nothing, so even a create may be re-sent
    notProcessed: code === 2059 || (code >= 20621 && code <= 20624),
  });
}
