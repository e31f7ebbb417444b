import type { VendorId } from './model';
import { redact } from './redact';

export type ErrorCode =
  | 'VALIDATION'
  | 'AUTHENTICATION'
  | 'PERMISSION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'VENDOR'
  | 'INVALID_RESPONSE'
  | 'UNSUPPORTED';

/** A brand shared by every copy of core (ESM and CJS): `Symbol.for` is process-global. */
const BRAND = Symbol.for('@contactkit/core/ContactKitError');

export interface ContactKitErrorOptions {
  vendor?: VendorId | undefined;
  status?: number | undefined;
  vendorCode?: string | number | undefined;
  retryable?: boolean | undefined;
  retryAfterMs?: number | undefined;
  /** the vendor says it did not act on the request (a rejected signature): safe to retry even a create */
  notProcessed?: boolean | undefined;
  requestId?: string | undefined;
  cause?: unknown;
  /** method and redacted URL of the request that failed */
  request?: { method: string; url: string } | undefined;
  secrets?: Iterable<string> | undefined;
}

export class ContactKitError extends Error {
  /** Set by each subclass; checked by `instanceof` across module copies. */
  static readonly errorCode: ErrorCode | undefined = undefined;

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) return false;
    const code = (this as unknown as { errorCode?: ErrorCode }).errorCode;
    return code === undefined || (value as { code?: unknown }).code === code;
  }

  readonly code: ErrorCode;
  readonly vendor: VendorId | undefined;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly notProcessed: boolean;
  readonly requestId: string | undefined;
  readonly request: { method: string; url: string } | undefined;

  constructor(code: ErrorCode, message: string, options: ContactKitErrorOptions = {}) {
    const secrets = options.secrets ? [...options.secrets] : [];
    super(redact(message, { secrets }));
    Object.defineProperty(this, BRAND, { value: true });
    this.name = new.target.name;
    this.code = code;
    this.vendor = options.vendor;
    this.status = options.status;
    this.vendorCode = options.vendorCode === undefined ? undefined : String(options.vendorCode);
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.notProcessed = options.notProcessed ?? false;
    this.requestId = options.requestId;
    this.request = options.request ? redact(options.request, { secrets }) : undefined;
    if (options.cause !== undefined) {
      // keep the cause for debugging, but never a secret-bearing one (axios errors hold headers)
      Object.defineProperty(this, 'cause', { value: redactCause(options.cause, secrets), enumerable: false, writable: true });
    }
    if (this.stack) this.stack = redact(this.stack, { secrets });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      vendor: this.vendor,
      status: this.status,
      vendorCode: this.vendorCode,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      request: this.request,
    };
  }
}

function redactCause(cause: unknown, secrets: string[], depth = 0): unknown {
  if (cause instanceof ContactKitError) return cause;
  if (cause instanceof Error) {
    // a plain copy: name, message, code and stack (all redacted), and its own cause one level down
    // (axios wraps the socket error: `ERR_NETWORK` → `ECONNREFUSED`); never config, headers or data
    const e = new Error(redact(cause.message, { secrets }));
    e.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') (e as Error & { code?: string }).code = code;
    e.stack = cause.stack ? redact(cause.stack, { secrets }) : undefined;
    const inner = (cause as { cause?: unknown }).cause;
    if (inner !== undefined && depth < 3) {
      Object.defineProperty(e, 'cause', { value: redactCause(inner, secrets, depth + 1), enumerable: false, writable: true, configurable: true });
    }
    return e;
  }
  return redact(cause, { secrets });
}

export interface ValidationIssue {
  /** dotted path of the bad field, e.g. `email` or `memberIds.2` */
  path: string;
  message: string;
}

export class ValidationError extends ContactKitError {
  static override readonly errorCode = 'VALIDATION' as const;
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], options: ContactKitErrorOptions = {}) {
    const summary = issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
    super('VALIDATION', `Invalid input: ${summary}`, options);
    this.issues = issues.map((i) => ({ path: i.path, message: redact(i.message, { secrets: options.secrets ?? [] }) }));
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

function subclass<C extends ErrorCode>(code: C, name: string) {
  const cls = class extends ContactKitError {
    static override readonly errorCode: C = code;
    constructor(message: string, options: ContactKitErrorOptions = {}) {
      super(code, message, options);
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

export class AuthenticationError extends subclass('AUTHENTICATION', 'AuthenticationError') {}
export class PermissionError extends subclass('PERMISSION', 'PermissionError') {}
export class NotFoundError extends subclass('NOT_FOUND', 'NotFoundError') {}
export class ConflictError extends subclass('CONFLICT', 'ConflictError') {}
export class RateLimitError extends subclass('RATE_LIMITED', 'RateLimitError') {}
export class TimeoutError extends subclass('TIMEOUT', 'TimeoutError') {}
export class NetworkError extends subclass('NETWORK', 'NetworkError') {}
export class VendorError extends subclass('VENDOR', 'VendorError') {}
export class InvalidResponseError extends subclass('INVALID_RESPONSE', 'InvalidResponseError') {}
export class UnsupportedOperationError extends subclass('UNSUPPORTED', 'UnsupportedOperationError') {}

const BY_CODE = {
  AUTHENTICATION: AuthenticationError,
  PERMISSION: PermissionError,
  NOT_FOUND: NotFoundError,
  CONFLICT: ConflictError,
  RATE_LIMITED: RateLimitError,
  TIMEOUT: TimeoutError,
  NETWORK: NetworkError,
  VENDOR: VendorError,
  INVALID_RESPONSE: InvalidResponseError,
  UNSUPPORTED: UnsupportedOperationError,
} as const;

/** Builds the subclass for a code; adapters use it in their vendor-code tables. */
export function createError(
  code: Exclude<ErrorCode, 'VALIDATION'>,
  message: string,
  options: ContactKitErrorOptions = {},
): ContactKitError {
  // a caller in plain JS may pass VALIDATION (or a typo): never crash with "not a constructor"
  if ((code as ErrorCode) === 'VALIDATION') return new ValidationError([{ path: '', message }], options);
  const cls = BY_CODE[code] ?? VendorError;
  return new cls(message, options);
}

export function isContactKitError(value: unknown): value is ContactKitError {
  return value instanceof ContactKitError;
}

/** The error class for an HTTP status when the vendor body says nothing more specific. */
export function errorCodeForStatus(status: number): Exclude<ErrorCode, 'VALIDATION'> {
  if (status === 400 || status === 422) return 'VENDOR';
  if (status === 401) return 'AUTHENTICATION';
  if (status === 403) return 'PERMISSION';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 408) return 'TIMEOUT';
  if (status === 429) return 'RATE_LIMITED';
  return 'VENDOR';
}
