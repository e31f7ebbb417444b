import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveLimiter } from '@contactkit/core';
import { ORIGIN, makeTransport } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `n` requests through the limiter, `fn` deciding each outcome; returns the most seen in flight. */
async function drive(limiter: AdaptiveLimiter, n: number, fn: (i: number) => Promise<Parameters<Awaited<ReturnType<AdaptiveLimiter['acquire']>>>[0]>) {
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const done = await limiter.acquire();
      inFlight++;
      peak = Math.max(peak, inFlight);
      const outcome = await fn(i);
      inFlight--;
      done(outcome);
    }),
  );
  return peak;
}

describe('AdaptiveLimiter', () => {
  it('starts modest, grows by about one per round of fast answers, never past max', async () => {
    const limiter = new AdaptiveLimiter({ initial: 2, max: 6 });
    expect(limiter.stats().limit).toBe(2);
    const peak = await drive(limiter, 200, async () => (await sleep(2), { kind: 'ok', latencyMs: 2 }));
    expect(limiter.stats().limit).toBe(6);
    expect(peak).toBe(6);
    expect(limiter.stats().decreases).toBe(0);
  });

  it('halves on a throttle, once for all the requests that were already in flight', async () => {
    const limiter = new AdaptiveLimiter({ initial: 8, max: 8 });
    // eight in flight together, all throttled: one cut, not eight
    await drive(limiter, 8, async () => (await sleep(5), { kind: 'throttled' }));
    expect(limiter.stats()).toMatchObject({ limit: 4, decreases: 1, throttles: 8 });
    await drive(limiter, 1, async () => ({ kind: 'overloaded' }));
    expect(limiter.stats()).toMatchObject({ limit: 2, decreases: 2 });
    await drive(limiter, 1, async () => ({ kind: 'ignored' }));
    expect(limiter.stats()).toMatchObject({ limit: 2, decreases: 2 });
  });

  it('jitter on a fast vendor (1 ms → 40 ms: over 3 × the baseline, under 50 ms more) is not a jump', async () => {
    const limiter = new AdaptiveLimiter({ initial: 4 });
    await drive(limiter, 4, async () => ({ kind: 'ok', latencyMs: 1 }));
    await drive(limiter, 1, async () => ({ kind: 'ok', latencyMs: 40 }));
    expect(limiter.stats().decreases).toBe(0);
    await drive(limiter, 1, async () => ({ kind: 'ok', latencyMs: 60 }));
    expect(limiter.stats().decreases).toBe(1);
  });

  it('a latency jump (over latencyTolerance × the baseline) cuts like a throttle; the floor is min', async () => {
    const limiter = new AdaptiveLimiter({ initial: 4, min: 2, latencyTolerance: 3 });
    await drive(limiter, 4, async () => ({ kind: 'ok', latencyMs: 20 }));
    const before = limiter.stats().limit;
    await drive(limiter, 1, async () => ({ kind: 'ok', latencyMs: 200 }));
    expect(limiter.stats().limit).toBe(Math.max(2, Math.floor(before / 2)));
    for (let i = 0; i < 5; i++) await drive(limiter, 1, async () => ({ kind: 'overloaded' }));
    expect(limiter.stats().limit).toBe(2);
  });

  it('a lone throttle (a hiccup) cuts the window but holds back no other request and sets no pace', async () => {
    const limiter = new AdaptiveLimiter();
    await drive(limiter, 30, async () => ({ kind: 'ok', latencyMs: 1 }));
    (await limiter.acquire())({ kind: 'throttled', retryAfterMs: 300 });
    const started = Date.now();
    (await limiter.acquire())({ kind: 'ok', latencyMs: 1 });
    expect(Date.now() - started).toBeLessThan(100);
    expect(limiter.stats()).toMatchObject({ pacingMs: 0, decreases: 1 });
  });

  it('sustained throttling (a limit reached) pauses every request for the Retry-After, then paces a fifth below the accepted rate', async () => {
    const limiter = new AdaptiveLimiter({ initial: 8, max: 8 });
    await drive(limiter, 30, async () => ({ kind: 'ok', latencyMs: 1 }));
    // eight in flight, all refused: 8 of the last 20 answers are throttles
    await drive(limiter, 8, async () => ({ kind: 'throttled', retryAfterMs: 300 }));
    const started = Date.now();
    (await limiter.acquire())({ kind: 'ok', latencyMs: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Retry-After 300 ms → the vendor's window is read as 1 s (the shortest span): 30 accepted in it
    // → paced at 24/s, one start every ~42 ms
    expect(limiter.stats().pacingMs).toBe(Math.round(1_000 / (0.8 * 30)));
  });

  it('too few answers to tell a rate: a throttle cuts the window but sets no pace', async () => {
    const limiter = new AdaptiveLimiter({ initial: 4 });
    await drive(limiter, 1, async () => ({ kind: 'throttled' }));
    expect(limiter.stats()).toMatchObject({ pacingMs: 0, limit: 2 });
  });

  it('an abort while waiting for a place frees it; the others go on', async () => {
    const limiter = new AdaptiveLimiter({ initial: 1, max: 1 });
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    first({ kind: 'ok', latencyMs: 1 });
    (await limiter.acquire())({ kind: 'ok', latencyMs: 1 });
    expect(limiter.stats().inFlight).toBe(0);
  });
});

describe('the transport runs every attempt inside its adaptive window', () => {
  it('a 503 cuts the window; sustained 429s with Retry-After hold back the other requests of the client', async () => {
    nock(ORIGIN).get('/v1/a').reply(503, {}).get('/v1/a').reply(200, {});
    const t = makeTransport({ concurrency: { initial: 8 } });
    await t.request({ method: 'GET', path: 'a' });
    expect(t.adaptive!.stats()).toMatchObject({ limit: 4, decreases: 1 });

    nock(ORIGIN).get('/v1/b').times(8).reply(429, {}, { 'Retry-After': '1' }).get('/v1/b').times(8).reply(200, {}).get('/v1/c').reply(200, {});
    const started = Date.now();
    const bs = Array.from({ length: 8 }, () => t.request({ method: 'GET', path: 'b' }));
    await sleep(100);
    const cAt = t.request({ method: 'GET', path: 'c' }).then(() => Date.now() - started);
    await Promise.all(bs);
    expect(await cAt).toBeGreaterThanOrEqual(950);
    expect(t.adaptive!.stats().throttles).toBe(8);
  });

  it('concurrency: false leaves the client without a window', () => {
    expect(makeTransport({ concurrency: false }).adaptive).toBeUndefined();
  });
});
