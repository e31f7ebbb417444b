import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, IDEMPOTENT_METHODS, NEVER_SENT_CODES, RETRYABLE_STATUSES, backoffDelay, parseRetryAfter } from '@contactkit/core';

describe('backoffDelay', () => {
  const opts = { ...DEFAULT_RETRY, minDelayMs: 100, maxDelayMs: 1000, factor: 2 };

  it('the ceiling grows exponentially and is capped at maxDelayMs', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('full jitter: anywhere from 0 up to the ceiling', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(1, { ...opts, factor: 3 }, () => 0.5)).toBe(150);
  });

  it('property: an integer in [0, min(max, min·factor^n))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, minDelayMs, maxDelayMs, factor, r) => {
          const d = backoffDelay(attempt, { ...DEFAULT_RETRY, minDelayMs, maxDelayMs, factor }, () => r);
          const ceiling = Math.min(maxDelayMs, minDelayMs * factor ** attempt);
          return Number.isInteger(d) && d >= 0 && d < ceiling;
        },
      ),
    );
  });

  it('uses Math.random by default', () => {
    for (let i = 0; i < 50; i++) expect(backoffDelay(0, opts)).toBeLessThan(100);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  it('delta-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter(3, now)).toBe(3000);
    expect(parseRetryAfter(['4', '9'], now)).toBe(4000);
  });
  it('an HTTP date, relative to now; a past date is 0', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:59:00 GMT', now)).toBe(0);
  });
  it('absent or unreadable → undefined', () => {
    for (const v of [undefined, null, '', '   ', 'soon', {}]) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe('retry tables', () => {
  it('which methods, statuses and socket codes count', () => {
    expect([...IDEMPOTENT_METHODS]).toEqual(expect.arrayContaining(['GET', 'PUT', 'DELETE']));
    expect(IDEMPOTENT_METHODS.has('POST') || IDEMPOTENT_METHODS.has('PATCH')).toBe(false);
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
    expect(NEVER_SENT_CODES.has('ECONNREFUSED')).toBe(true);
    expect(NEVER_SENT_CODES.has('ECONNRESET')).toBe(false);
    expect(DEFAULT_RETRY).toEqual({ retries: 3, minDelayMs: 300, maxDelayMs: 10_000, factor: 2, maxRetryAfterMs: 60_000 });
  });
});
