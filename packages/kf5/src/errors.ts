import {
  createError,
  parseRetryAfter,
  type ContactKitError,
  type ResponseErrorOptions,
  type ErrorCode,
  type VendorResponse,
} from '@contactkit/core';

/**
 * KF5 replies → error classes. KF5 documents no error body; we read the Zendesk-like shape
 * `{error, message|description, errors|details}` when it is there and fall back to the status.
 */
export interface Kf5ErrorInfo {
  /** `error` of the body, e.g. `RecordInvalid` (becomes `vendorCode`) */
  kind: string | undefined;
  /** `message` or `description` of the body, or the text body */
  message: string | undefined;
  /** field → messages, from `errors` (`{field: [msg]}`) or `details` (`{field: [{description}]}`) */
  fieldErrors: Record<string, string[]>;
}

/** The body fields that carry KF5's message (Zendesk-like; KF5 documents no error body). */
export const MESSAGE_FIELDS = ['message', 'description'] as const;

const MAX = 200;
const clip = (s: string): string => (s.length > MAX ? `${s.slice(0, MAX)}…` : s);

function messagesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(messagesOf);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const m = o.description ?? o.message ?? o.error;
    if (typeof m === 'string') return [m];
  }
  return [];
}

/** Reads an error body defensively: JSON object, text, or nothing. */
export function parseKf5ErrorBody(body: unknown): Kf5ErrorInfo {
  // a null-prototype record: a field named "constructor" must not find Object.prototype's
  const info: Kf5ErrorInfo = { kind: undefined, message: undefined, fieldErrors: Object.create(null) as Record<string, string[]> };
  if (typeof body === 'string') {
    const t = body.trim();
    if (t) info.message = clip(t);
    return info;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return info;
  const b = body as Record<string, unknown>;
  if (typeof b.error === 'string') info.kind = clip(b.error);
  else if (b.error && typeof b.error === 'object') {
    // { error: { title, message } } as some Zendesk-like APIs send
    const e = b.error as Record<string, unknown>;
    if (typeof e.title === 'string') info.kind = clip(e.title);
    if (typeof e.message === 'string') info.message = clip(e.message);
  }
  const msg = b.message ?? b.description;
  if (typeof msg === 'string' && msg.trim()) info.message = clip(msg.trim());
  for (const source of [b.errors, b.details]) {
    if (!source || typeof source !== 'object') continue;
    if (Array.isArray(source)) {
      const list = source.flatMap(messagesOf);
      if (list.length) info.fieldErrors.base = [...(info.fieldErrors.base ?? []), ...list.map(clip)];
      continue;
    }
    for (const [field, value] of Object.entries(source as Record<string, unknown>)) {
      const list = messagesOf(value);
      if (list.length) info.fieldErrors[field] = [...(info.fieldErrors[field] ?? []), ...list.map(clip)];
    }
  }
  return info;
}

const DUPLICATE = /taken|exist|occupied|duplicate|unique|already|已存在|已被|重复|占用/i;

/** A 422 whose `email` errors say the address is in use. */
export function isDuplicateEmail(info: Kf5ErrorInfo): boolean {
  const list = info.fieldErrors.email ?? info.fieldErrors['user.email'] ?? [];
  return list.some((m) => DUPLICATE.test(m));
}

function codeFor(status: number, info: Kf5ErrorInfo): { code: Exclude<ErrorCode, 'VALIDATION'>; retryable: boolean } {
  if (status === 401) return { code: 'AUTHENTICATION', retryable: false };
  if (status === 403) return { code: 'PERMISSION', retryable: false };
  if (status === 404) return { code: 'NOT_FOUND', retryable: false };
  if (status === 409) return { code: 'CONFLICT', retryable: false };
  if (status === 422 && isDuplicateEmail(info)) return { code: 'CONFLICT', retryable: false };
  if (status === 408) return { code: 'TIMEOUT', retryable: true };
  if (status === 429) return { code: 'RATE_LIMITED', retryable: true };
  // 5xx: retried (501 Not Implemented and 505 will not get better by asking again)
  if (status >= 500) return { code: 'VENDOR', retryable: status !== 501 && status !== 505 };
  return { code: 'VENDOR', retryable: false };
}

/** The message: status, kind, vendor message and field messages (never the values sent). */
export function describeKf5Error(status: number, info: Kf5ErrorInfo): string {
  let out = `kf5 answered HTTP ${status}`;
  if (info.kind) out += ` ${info.kind}`;
  if (info.message) out += `: ${info.message}`;
  const fields = Object.entries(info.fieldErrors).map(([f, list]) => `${f}: ${list.join(', ')}`);
  if (fields.length) out += ` (${fields.join('; ')})`;
  return out;
}

/**
 * The adapter's `classify`: undefined for a 2xx, else the error for the reply. `errorOptions()`: the
 * transport's error options for the reply (vendor, status, request, secrets).
 */
export function classify(response: VendorResponse, errorOptions: () => ResponseErrorOptions): ContactKitError | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  const info = parseKf5ErrorBody(response.body);
  const { code, retryable } = codeFor(response.status, info);
  return createError(code, describeKf5Error(response.status, info), {
    ...errorOptions(),
    vendorCode: info.kind,
    retryable,
    retryAfterMs: parseRetryAfter(response.headers['retry-after']),
  });
}
