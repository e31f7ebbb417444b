import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantKey } from '@contactkit/core';
import { createRedisCoordinator, type RedisCoordinator } from '@contactkit/redis';
import { SKIP_REASON, startRedisServer, type RedisServer } from './redis-server';

const TENANT: TenantKey = { vendor: 'udesk', baseUrl: 'https://acme.udesk.cn/open_api_v1', account: 'admin@acme.example' };
const settled = (p: Promise<unknown>) => Promise.race([p.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r('pending'), 150))]);

describe.skipIf(SKIP_REASON !== undefined)(`Redis coordinator primitives, two connections standing for two processes${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let redis: RedisServer;
  const open: RedisCoordinator[] = [];
  let n = 0;
  /** two coordinators on their own connections and a namespace of their own */
  const pair = () => {
    const namespace = `t${++n}`;
    const made = [createRedisCoordinator({ url: redis.url, namespace }), createRedisCoordinator({ url: redis.url, namespace })] as const;
    open.push(...made);
    return made;
  };
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of open) await c.close();
    await redis?.close();
  });

  it('spaces requests of both processes on one schedule, in arrival order', async () => {
    const [a, b] = pair();
    const limits = { requestsPerMinute: 600 };
    const started = Date.now();
    const at: number[] = [];
    await Promise.all(
      [a, b, a, b, a, b].map(async (c) => {
        const release = await c.limiter(TENANT, limits).acquire();
        at.push(Date.now() - started);
        release();
      }),
    );
    at.sort((x, y) => x - y);
    // one every 100 ms, whichever process asked: the i-th start is never before i × 100 ms (a late timer may only delay it)
    for (let i = 0; i < at.length; i++) expect(at[i]!).toBeGreaterThanOrEqual(i * 100 - 5);
  });

  it('another tenant has its own budget', async () => {
    const [a] = pair();
    const limits = { requestsPerMinute: 60 };
    await a.limiter(TENANT, limits).acquire();
    const started = Date.now();
    await a.limiter({ ...TENANT, account: 'other@acme.example' }, limits).acquire();
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('an aborted wait rejects with the reason and gives its turn back', async () => {
    const [a, b] = pair();
    const limits = { requestsPerMinute: 60 };
    (await a.limiter(TENANT, limits).acquire())();
    const controller = new AbortController();
    const waiting = b.limiter(TENANT, limits).acquire(controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    // the next caller waits for the turn after the first (about 1 s), not for the abandoned one (2 s)
    const started = Date.now();
    (await a.limiter(TENANT, limits).acquire())();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('caps requests in flight across processes', async () => {
    const [a, b] = pair();
    const limits = { maxConcurrent: 2 };
    const first = await a.limiter(TENANT, limits).acquire();
    await b.limiter(TENANT, limits).acquire();
    const third = b.limiter(TENANT, limits).acquire();
    expect(await settled(third)).toBe('pending');
    first();
    expect(await settled(third)).toBe('settled');
  });

  it('one fetch for both processes; a holder that dies loses the lock when it expires', async () => {
    const namespace = `t${++n}`;
    const a = createRedisCoordinator({ url: redis.url, namespace, lockTtlMs: 300 });
    const b = createRedisCoordinator({ url: redis.url, namespace, lockTtlMs: 300 });
    open.push(a, b);
    let fetches = 0;
    // a's fetch never ends: as if its process died holding the lock
    void a.credentials(TENANT).get(() => {
      fetches++;
      return new Promise(() => undefined);
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const got = await b.credentials(TENANT).get(async () => {
      fetches++;
      return { value: 'token-b', refreshAt: Date.now() + 60_000 };
    });
    expect(got.value).toBe('token-b');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(fetches).toBe(2);
    // stored for every process now: a third one reads it without fetching
    const c = createRedisCoordinator({ url: redis.url, namespace });
    open.push(c);
    expect((await c.credentials(TENANT).get(async () => ({ value: 'token-c', refreshAt: Infinity }))).value).toBe('token-b');
  });

  it('invalidate drops the rejected token only: a late rejection keeps the replacement', async () => {
    const [a, b] = pair();
    let fetches = 0;
    const fetch = async () => ({ value: `token-${++fetches}`, refreshAt: Infinity });
    expect((await a.credentials(TENANT).get(fetch)).value).toBe('token-1');
    expect((await b.credentials(TENANT).get(fetch)).value).toBe('token-1');
    await a.credentials(TENANT).invalidate('token-1');
    expect((await a.credentials(TENANT).get(fetch)).value).toBe('token-2');
    await b.credentials(TENANT).invalidate('token-1');
    expect((await b.credentials(TENANT).get(fetch)).value).toBe('token-2');
    expect(fetches).toBe(2);
  });
});
