import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startHuaweiAiccSimulator,
  startKf5Simulator,
  startUdeskSimulator,
  type Kf5Simulator,
  type UdeskSimulator,
} from '../src/index';
import { basic, json, udeskUrl } from './helpers';

let kf5: Kf5Simulator;
let auth: string;

beforeAll(async () => {
  kf5 = await startKf5Simulator();
  auth = basic(kf5.credentials.email, kf5.credentials.password);
});
afterAll(() => kf5.close());
beforeEach(() => {
  kf5.state.reset();
  kf5.faults.clear();
  kf5.setRateLimit(false);
  kf5.resetStats();
});

const createUser = (email: string) =>
  fetch(`${kf5.baseUrl}/users.json`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, name: 'Faulty', role: 'agent' } }),
  });
const listGroups = () => fetch(`${kf5.baseUrl}/groups.json`, { headers: { authorization: auth } });

describe('fault injection, phase before (nothing applied)', () => {
  it.each(['429', '500', '502', '503'] as const)('%s replaces the request', async (kind) => {
    kf5.faults.set({ rate: 1, kinds: [kind], retryAfterSeconds: 7 });
    const res = await createUser(`f${kind}@kf5.example.com`);
    expect(res.status).toBe(Number(kind));
    const text = await res.text();
    if (kind === '429') {
      expect(res.headers.get('retry-after')).toBe('7');
      expect(JSON.parse(text).error).toBe('TooManyRequests');
    } else if (kind === '500') {
      expect(JSON.parse(text).error).toBeDefined();
    } else {
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(text).toContain(kind);
    }
    expect(kf5.state.counts().users).toBe(0);
    expect(kf5.stats().faultsInjected[kind]).toBe(1);
  });

  it('reset destroys the socket without a reply', async () => {
    kf5.faults.set({ rate: 1, kinds: ['reset'] });
    await expect(createUser('reset@kf5.example.com')).rejects.toThrow();
    expect(kf5.state.counts().users).toBe(0);
    expect(kf5.stats().faultsInjected.reset).toBe(1);
  });

  it('malformed answers 200 with invalid JSON', async () => {
    kf5.faults.set({ rate: 1, kinds: ['malformed'] });
    const res = await listGroups();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('delay waits delayMs, then answers normally', async () => {
    kf5.faults.set({ rate: 1, kinds: ['delay'], delayMs: 250 });
    const t0 = performance.now();
    const res = await createUser('slow@kf5.example.com');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    expect(res.status).toBe(201);
    expect(kf5.state.counts().users).toBe(1);
    expect(kf5.stats().faultsInjected.delay).toBe(1);
  });

  it('match limits faults to method and path (string below the API root or RegExp)', async () => {
    kf5.faults.set({ rate: 1, kinds: ['503'], match: { method: 'post', path: '/users.json' } });
    expect((await listGroups()).status).toBe(200);
    expect((await createUser('m1@kf5.example.com')).status).toBe(503);
    kf5.faults.set({ rate: 1, kinds: ['500'], match: { path: /groups/ } });
    expect((await listGroups()).status).toBe(500);
    expect((await createUser('m2@kf5.example.com')).status).toBe(201);
    kf5.faults.set({ rate: 1, kinds: ['500'], match: { path: '/apiv2/groups.json' } });
    expect((await listGroups()).status).toBe(500);
  });

  it('the seeded PRNG makes a partial rate repeat exactly', async () => {
    const run = async () => {
      kf5.faults.set({ rate: 0.5, kinds: ['500', '503'], seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await listGroups()).status);
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.some((s) => s === 200)).toBe(true);
    expect(a.some((s) => s !== 200)).toBe(true);
    kf5.faults.set({ rate: 0.5, kinds: ['500', '503'], seed: 43 });
    const c: number[] = [];
    for (let i = 0; i < 20; i++) c.push((await listGroups()).status);
    expect(c).not.toEqual(a);
  });

  it('clear() stops faults', async () => {
    kf5.faults.set({ rate: 1, kinds: ['500'] });
    expect((await listGroups()).status).toBe(500);
    kf5.faults.clear();
    expect((await listGroups()).status).toBe(200);
  });

  it('rejects invalid fault options', () => {
    expect(() => kf5.faults.set({ rate: 2, kinds: ['500'] })).toThrow(RangeError);
    expect(() => kf5.faults.set({ rate: 1, kinds: [] })).toThrow(RangeError);
    expect(() => kf5.faults.set({ rate: 1, kinds: ['boom' as never] })).toThrow(RangeError);
  });
});

describe('fault injection, phase after (applied, reply lost)', () => {
  it.each(['500', '502', '503', '429', 'malformed'] as const)('%s: the write lands but the reply is the fault', async (kind) => {
    kf5.faults.set({ rate: 1, kinds: [kind], phase: 'after' });
    const res = await createUser(`after${kind}@kf5.example.com`);
    expect(res.status).toBe(kind === 'malformed' ? 200 : Number(kind));
    const text = await res.text();
    if (kind === 'malformed') {
      expect(() => JSON.parse(text)).toThrow();
      expect(text.startsWith('{"user":{')).toBe(true);
    }
    expect(kf5.state.findUserByEmail(`after${kind}@kf5.example.com`)).toBeDefined();
  });

  it('a request refused by auth is not faulted in phase after (and not counted)', async () => {
    kf5.faults.set({ rate: 1, kinds: ['500'], phase: 'after' });
    const res = await fetch(`${kf5.baseUrl}/groups.json`, { headers: { authorization: basic('x', 'y') } });
    expect(res.status).toBe(401);
    expect(kf5.stats().faultsInjected).toEqual({});
  });

  it('reset: the write lands, the socket dies', async () => {
    kf5.faults.set({ rate: 1, kinds: ['reset'], phase: 'after' });
    await expect(createUser('afterreset@kf5.example.com')).rejects.toThrow();
    expect(kf5.state.findUserByEmail('afterreset@kf5.example.com')).toBeDefined();
    kf5.faults.clear();
    // a retry of the same create now sees the conflict: what idempotency tests need
    const retry = await createUser('afterreset@kf5.example.com');
    expect(retry.status).toBe(422);
  });
});

describe('rate limit', () => {
  it('the N+1th request in a minute gets 429 with Retry-After; the window slides', async () => {
    let clock = 1_000_000;
    const sim = await startUdeskSimulator({ rateLimit: { requestsPerMinute: 5 }, now: () => clock });
    try {
      const get = async () => {
        const res = await fetch(udeskUrl(sim.baseUrl, '/agent_roles', sim.credentials, {}, { timestamp: Math.floor(clock / 1000) }));
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await json(res) };
      };
      for (let i = 0; i < 5; i++) {
        expect((await get()).body.code).toBe(1000);
        clock += 1000;
      }
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ code: 429, message: 'Too many requests' });
      expect(limited.retryAfter).toBe('55'); // the first request leaves the window 55 s from now
      expect(sim.stats().rateLimited).toBe(1);
      clock += 55_000;
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(429);
    } finally {
      await sim.close();
    }
  });

  it('Udesk has no limit by default; {requestsPerMinute: 60} reproduces the documented one', async () => {
    const sim = await startUdeskSimulator();
    try {
      const go = () => fetch(udeskUrl(sim.baseUrl, '/agent_roles', sim.credentials));
      for (let i = 0; i < 65; i++) expect((await go()).status).toBe(200);
      sim.setRateLimit({ requestsPerMinute: 60 });
      const statuses: number[] = [];
      for (let i = 0; i < 61; i++) statuses.push((await go()).status);
      expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
      expect(statuses[60]).toBe(429);
    } finally {
      await sim.close();
    }
  });

  it('KF5 and Huawei throttle with their own bodies', async () => {
    kf5.setRateLimit({ requestsPerMinute: 1 });
    expect((await listGroups()).status).toBe(200);
    const r = await listGroups();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await json(r)).error).toBe('TooManyRequests');
    const hw = await startHuaweiAiccSimulator({ rateLimit: { requestsPerMinute: 1 } });
    try {
      const tok = () =>
        fetch(`${hw.baseUrl}/apigovernance/api/oauth/tokenByAkSk`, {
          method: 'POST',
          body: JSON.stringify({ app_key: hw.credentials.appKey, app_secret: hw.credentials.appSecret }),
        });
      expect((await tok()).status).toBe(200);
      const limited = await tok();
      expect(limited.status).toBe(429);
      expect((await json(limited)).error_code).toBe('APIGW.0308');
    } finally {
      await hw.close();
    }
  });
});

describe('auth endpoints and faults', () => {
  let udesk: UdeskSimulator;
  beforeAll(async () => {
    udesk = await startUdeskSimulator();
  });
  afterAll(() => udesk.close());

  const login = () =>
    fetch(`${udesk.baseUrl}/log_in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: udesk.credentials.email, password: udesk.credentials.password }),
    });

  it('log_in is spared unless match names it', async () => {
    udesk.faults.set({ rate: 1, kinds: ['500'] });
    expect((await login()).status).toBe(200);
    expect((await fetch(udeskUrl(udesk.baseUrl, '/agents', udesk.credentials))).status).toBe(500);
    udesk.faults.set({ rate: 1, kinds: ['500'], match: { path: '/log_in' } });
    expect((await login()).status).toBe(500);
    udesk.faults.clear();
  });

  it('Huawei tokenByAkSk is spared unless match names it', async () => {
    const hw = await startHuaweiAiccSimulator({ faults: { rate: 1, kinds: ['503'] } });
    try {
      const tok = () =>
        fetch(`${hw.baseUrl}/apigovernance/api/oauth/tokenByAkSk`, {
          method: 'POST',
          body: JSON.stringify({ app_key: hw.credentials.appKey, app_secret: hw.credentials.appSecret }),
        });
      const t = await tok();
      expect(t.status).toBe(200);
      const { AccessToken } = await json(t);
      const q = await fetch(`${hw.baseUrl}/apiaccess/rest/cc-management/v1/agentAccount/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${AccessToken}`, 'x-app-key': hw.credentials.appKey },
        body: '{"pageNum":0,"pageSize":10}',
      });
      expect(q.status).toBe(503);
      hw.faults.set({ rate: 1, kinds: ['503'], match: { path: /tokenByAkSk/ } });
      expect((await tok()).status).toBe(503);
    } finally {
      await hw.close();
    }
  });
});

describe('afterRequests hook and stats', () => {
  it('fires exactly after the Nth matching request, with its change applied', async () => {
    const seenAtHook: number[] = [];
    const h = kf5.faults.afterRequests(3, { method: 'POST', path: '/users.json' }, () => {
      seenAtHook.push(kf5.state.counts().users);
    });
    await listGroups(); // does not match
    await createUser('h1@kf5.example.com');
    await createUser('h2@kf5.example.com');
    expect(h.fired).toBe(false);
    expect(h.seen).toBe(2);
    await createUser('h3@kf5.example.com');
    await h.done;
    expect(h.fired).toBe(true);
    expect(seenAtHook).toEqual([3]);
    await createUser('h4@kf5.example.com');
    expect(seenAtHook).toEqual([3]); // once only
  });

  it('runs before the client reads the reply, so it can cut a run at step N', async () => {
    const controller = new AbortController();
    kf5.faults.afterRequests(2, { method: 'POST' }, () => controller.abort());
    const results: string[] = [];
    for (let i = 1; i <= 4; i++) {
      try {
        const res = await fetch(`${kf5.baseUrl}/users.json`, {
          method: 'POST',
          signal: controller.signal,
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ user: { email: `cut${i}@kf5.example.com`, name: 'Cut', role: 'agent' } }),
        });
        await res.text();
        results.push('ok');
      } catch {
        results.push('aborted');
        break;
      }
    }
    expect(results).toEqual(['ok', 'aborted']);
    // step 2 landed on the server even though the client never saw its reply
    expect(kf5.state.counts().users).toBe(2);
  });

  it('cancel() prevents firing', async () => {
    let fired = false;
    const h = kf5.faults.afterRequests(1, {}, () => {
      fired = true;
    });
    h.cancel();
    await listGroups();
    expect(fired).toBe(false);
  });

  it('counts requests per route, faults and rate-limited requests; resetStats zeroes them', async () => {
    await listGroups();
    await listGroups();
    await createUser('s1@kf5.example.com');
    await fetch(`${kf5.baseUrl}/nope.json`, { headers: { authorization: auth } });
    kf5.faults.set({ rate: 1, kinds: ['502'] });
    await listGroups();
    const s = kf5.stats();
    expect(s.requests).toBe(5);
    expect(s.byRoute).toEqual({ 'GET /groups.json': 3, 'POST /users.json': 1, unmatched: 1 });
    expect(s.faultsInjected).toEqual({ '502': 1 });
    expect(s.rateLimited).toBe(0);
    kf5.resetStats();
    expect(kf5.stats()).toEqual({ requests: 0, byRoute: {}, faultsInjected: {}, rateLimited: 0 });
  });
});

describe('lifecycle', () => {
  it('close() ends keep-alive connections and a pending delay promptly', async () => {
    const sim = await startKf5Simulator({ faults: { rate: 1, kinds: ['delay'], delayMs: 60_000 } });
    const pending = fetch(`${sim.baseUrl}/groups.json`, {
      headers: { authorization: basic(sim.credentials.email, sim.credentials.password) },
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await sim.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    await expect(fetch(`${sim.baseUrl}/groups.json`)).rejects.toThrow();
  });
});
