import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter, abortableSleep } from '@contactkit/core';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** Starts acquire() calls and records when each resolves (fake clock). */
function track(limiter: RateLimiter, n: number, signal?: AbortSignal) {
  const at: Array<number | undefined> = Array(n).fill(undefined);
  const order: number[] = [];
  const releases: Array<() => void> = [];
  const promises = Array.from({ length: n }, (_, i) =>
    limiter.acquire(signal).then((release) => {
      at[i] = Date.now();
      order.push(i);
      releases[i] = release;
      return release;
    }),
  );
  return { at, order, releases, promises };
}

describe('RateLimiter spacing', () => {
  it('60/min: the 2nd acquire waits 1000 ms, the 3rd 2000 ms', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60 });
    const { at, promises } = track(limiter, 3);
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([0, undefined, undefined]);
    await vi.advanceTimersByTimeAsync(999);
    expect(at[1]).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(at).toEqual([0, 1000, undefined]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(at).toEqual([0, 1000, 2000]);
    await Promise.all(promises);
    expect(limiter.waitedMs).toBe(3000);
    const releases = await Promise.all(promises);
    expect(releases.map((r) => (r as unknown as { waitedMs: number }).waitedMs)).toEqual([0, 1000, 2000]);
  });

  it('idle time refills: after a pause the next acquire is immediate', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60 });
    await limiter.acquire();
    await vi.advanceTimersByTimeAsync(5000);
    const started = Date.now();
    await limiter.acquire();
    expect(Date.now() - started).toBe(0);
  });

  it('burst: the first `burst` go at once, then the rate applies', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 120, burst: 3 });
    const { at } = track(limiter, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([0, 0, 0, undefined, undefined]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(at).toEqual([0, 0, 0, 500, 1000]);
  });

  it('the bucket never holds more than burst', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60, burst: 2 });
    await vi.advanceTimersByTimeAsync(60_000);
    const { at } = track(limiter, 3);
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([60_000, 60_000, undefined]);
  });
});

describe('RateLimiter concurrency', () => {
  it('maxConcurrent: the N+1th waits for a release, FIFO', async () => {
    const limiter = new RateLimiter({ maxConcurrent: 2 });
    const { order, releases } = track(limiter, 4);
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1]);
    releases[1]!();
    releases[1]!(); // a second call is a no-op
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2]);
    releases[0]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('FIFO with a rate: callers are served in arrival order', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 600, maxConcurrent: 10 });
    const { order } = track(limiter, 6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('RateLimiter abort', () => {
  it('abort while waiting for a token rejects with the reason and frees the place', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const rejected = expect(waiting).rejects.toBe('gone');
    await vi.advanceTimersByTimeAsync(100);
    controller.abort('gone');
    await rejected;
    // the aborted caller took no token: the next caller gets the one due at 1000 ms
    const { at } = track(limiter, 1);
    await vi.advanceTimersByTimeAsync(900);
    expect(at).toEqual([1000]);
  });

  it('abort while queued behind other callers rejects promptly, not at its turn', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60 });
    const first = track(limiter, 3);
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    let outcome: unknown;
    queued.catch((e) => (outcome = e));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toBe('stop');
    await vi.advanceTimersByTimeAsync(2000);
    expect(first.at).toEqual([0, 1000, 2000]);
    // and it consumed no token: the next one is due at 3000, not 4000
    const later = track(limiter, 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(later.at).toEqual([3000]);
  });

  it('abort while waiting for a concurrency slot', async () => {
    const limiter = new RateLimiter({ maxConcurrent: 1 });
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('x'));
    await expect(waiting).rejects.toThrow('x');
    release();
    const again = await limiter.acquire();
    again();
  });

  it('an already-aborted signal rejects at once', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 60 });
    await expect(limiter.acquire(AbortSignal.abort('pre'))).rejects.toBe('pre');
    // no token was taken
    const { at } = track(limiter, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([0]);
  });
});

describe('abortableSleep', () => {
  it('resolves after ms, rejects with the reason on abort', async () => {
    let done = false;
    const p = abortableSleep(100).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    const c = new AbortController();
    const q = abortableSleep(1000, c.signal);
    c.abort('why');
    await expect(q).rejects.toBe('why');
    await expect(abortableSleep(0)).resolves.toBeUndefined();
    await expect(abortableSleep(10, AbortSignal.abort('pre'))).rejects.toBe('pre');
  });
});
