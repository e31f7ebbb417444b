import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  RateLimiter,
  createLocalCoordinator,
  tenantId,
  type Coordinator,
  type Credential,
  type LimiterRelease,
  type RateLimitOptions,
  type TenantKey,
} from '@contactkit/core';
import { BASE, ORIGIN, makeTransport } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const TENANT: TenantKey = { vendor: 'udesk', baseUrl: 'https://acme.udesk.cn/open_api_v1', account: 'admin@acme.example' };

/** A coordinator that records what the transport asks of it, granting every acquire at once. */
function recordingCoordinator() {
  const log: string[] = [];
  const limiterCalls: Array<{ tenant: TenantKey; options: RateLimitOptions }> = [];
  const coordinator: Coordinator = {
    limiter(tenant, options) {
      limiterCalls.push({ tenant, options });
      return {
        async acquire() {
          log.push('acquire');
          return Object.assign(() => log.push('release'), { waitedMs: 7 }) as LimiterRelease;
        },
      };
    },
    credentials: () => createLocalCoordinator().credentials(TENANT),
  };
  return { coordinator, log, limiterCalls };
}

describe('local coordinator', () => {
  it('gives one limiter per tenant: the same account shares it, another account has its own', () => {
    const c = createLocalCoordinator();
    const a = c.limiter(TENANT, { requestsPerMinute: 60 });
    expect(a).toBeInstanceOf(RateLimiter);
    expect(c.limiter({ ...TENANT }, { requestsPerMinute: 60 })).toBe(a);
    expect(c.limiter({ ...TENANT, baseUrl: TENANT.baseUrl + '/' }, { requestsPerMinute: 60 })).toBe(a);
    expect(c.limiter({ ...TENANT, account: 'other@acme.example' }, { requestsPerMinute: 60 })).not.toBe(a);
    expect(c.limiter({ ...TENANT, vendor: 'kf5' }, { requestsPerMinute: 60 })).not.toBe(a);
  });

  it('names a tenant by a digest: no email or URL in the id', () => {
    const id = tenantId(TENANT);
    expect(id).toMatch(/^udesk:[0-9a-f]{32}$/);
    expect(id).not.toContain('acme');
  });

  it('fetches a credential once for concurrent callers, keeps it until refreshAt, then fetches again', async () => {
    let now = 1_000;
    const cache = createLocalCoordinator().credentials(TENANT, { now: () => now });
    let fetches = 0;
    const fetch = async (): Promise<Credential> => {
      fetches++;
      await new Promise((r) => setTimeout(r, 10));
      return { value: `token-${fetches}`, refreshAt: now + 500 };
    };
    const got = await Promise.all(Array.from({ length: 20 }, () => cache.get(fetch)));
    expect(new Set(got.map((c) => c.value))).toEqual(new Set(['token-1']));
    now += 499;
    expect((await cache.get(fetch)).value).toBe('token-1');
    now += 1;
    expect((await cache.get(fetch)).value).toBe('token-2');
    expect(fetches).toBe(2);
  });

  it('invalidate drops only the rejected token: a stale rejection keeps the replacement', async () => {
    const cache = createLocalCoordinator().credentials(TENANT);
    let n = 0;
    const fetch = async (): Promise<Credential> => ({ value: `token-${++n}`, refreshAt: Infinity });
    expect((await cache.get(fetch)).value).toBe('token-1');
    await cache.invalidate('token-1');
    expect((await cache.get(fetch)).value).toBe('token-2');
    await cache.invalidate('token-1'); // a late rejection of the old token
    expect((await cache.get(fetch)).value).toBe('token-2');
    await cache.invalidate(undefined);
    expect((await cache.get(fetch)).value).toBe('token-3');
  });

  it('a caller that aborts stops waiting; the shared fetch goes on for the others', async () => {
    const cache = createLocalCoordinator().credentials(TENANT);
    let fetches = 0;
    const fetch = async (): Promise<Credential> => {
      fetches++;
      await new Promise((r) => setTimeout(r, 30));
      return { value: 'token-1', refreshAt: Infinity };
    };
    const controller = new AbortController();
    const aborted = cache.get(fetch, controller.signal);
    const patient = cache.get(fetch);
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    expect((await patient).value).toBe('token-1');
    expect(fetches).toBe(1);
  });

  it('two transports of one tenant on one coordinator share its limit', async () => {
    const coordinator = createLocalCoordinator();
    const options = { coordinator, account: 'admin', rateLimit: { requestsPerMinute: 600 } };
    const a = makeTransport(options);
    const b = makeTransport(options);
    nock(ORIGIN).get('/v1/x').times(4).reply(200, {});
    const started = Date.now();
    await Promise.all([a, b, a, b].map((t) => t.request({ method: 'GET', path: 'x' })));
    // 600/min is one every 100 ms: four requests through one bucket span at least 300 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(a.stats.rateLimitWaitMs + b.stats.rateLimitWaitMs).toBeGreaterThanOrEqual(500);
  });
});

describe('transport on a coordinator', () => {
  it('asks the coordinator for the limiter of its tenant and holds a slot per attempt', async () => {
    const { coordinator, log, limiterCalls } = recordingCoordinator();
    const t = makeTransport({ coordinator, account: 'admin@acme.example', rateLimit: { requestsPerMinute: 60, maxConcurrent: 2 } });
    nock(ORIGIN).get('/v1/x').reply(503).get('/v1/x').reply(200, { ok: true });
    const res = await t.request({ method: 'GET', path: 'x' });
    expect(res.data).toEqual({ ok: true });
    expect(limiterCalls).toEqual([{ tenant: { vendor: 'kf5', baseUrl: BASE, account: 'admin@acme.example' }, options: { requestsPerMinute: 60, maxConcurrent: 2 } }]);
    expect(log).toEqual(['acquire', 'release', 'acquire', 'release']);
    expect(t.stats.rateLimitWaitMs).toBe(14);
  });

  it('without a rate limit asks for no limiter', async () => {
    const { coordinator, limiterCalls } = recordingCoordinator();
    const t = makeTransport({ coordinator, rateLimit: false });
    nock(ORIGIN).get('/v1/x').reply(200, {});
    await t.request({ method: 'GET', path: 'x' });
    expect(limiterCalls).toEqual([]);
  });

  it('a transport given no coordinator has its own', () => {
    expect(makeTransport().coordinator).not.toBe(makeTransport().coordinator);
  });
});
