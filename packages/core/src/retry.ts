/** Retry policy: which failures are retried, and how long to wait. Pure functions, tested alone. */
export interface RetryOptions {
  /** retries after the first attempt (default 3) */
  retries: number;
  /** first backoff ceiling in ms (default 300) */
  minDelayMs: number;
  /** backoff ceiling in ms (default 10_000) */
  maxDelayMs: number;
  factor: number;
  /** a Retry-After longer than this surfaces as RateLimitError instead of sleeping (default 60_000) */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 3,
  minDelayMs: 300,
  maxDelayMs: 10_000,
  factor: 2,
  maxRetryAfterMs: 60_000,
};

export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Errors raised before a connection existed: the request provably never reached the server. */
export const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Full-jitter exponential backoff (AWS architecture blog): random in [0, min(max, min*factor^n)). */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * options.factor ** attempt);
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return Math.max(0, value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.round(Number(trimmed) * 1000));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
