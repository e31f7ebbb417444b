import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CONTROL_PREFIX,
  generateTenant,
  startHuaweiAiccSimulator,
  startKf5Simulator,
  startUdeskSimulator,
  type UdeskSimulator,
} from '../src/index';
import { json, udeskUrl } from './helpers';

const TOKEN = 'control-test-token';
let sim: UdeskSimulator;

beforeAll(async () => {
  sim = await startUdeskSimulator({ controlToken: TOKEN });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.reset();
  sim.faults.clear();
  sim.setRateLimit(false);
  sim.resetStats();
});

/** A control call with the simulator's token (or the given headers). */
function control(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  return fetch(`${sim.control.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const listAgents = () => fetch(udeskUrl(sim.baseUrl, '/agents', sim.credentials));

describe('control endpoint', () => {
  it('is at /__control on the origin and takes the given token', () => {
    expect(sim.control.url).toBe(`${sim.origin}${CONTROL_PREFIX}`);
    expect(sim.control.token).toBe(TOKEN);
  });

  it('refuses a missing or wrong token with 401, a vendor credential included, and changes nothing', async () => {
    const seed = { generate: { agents: 3, groups: 1 } };
    const missing = await control('POST', '/seed', seed, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect((await control('POST', '/seed', seed, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await control('POST', '/seed', seed, { authorization: `Bearer ${sim.credentials.apiToken}` })).status).toBe(401);
    expect((await control('POST', '/seed', seed, { authorization: TOKEN })).status).toBe(401);
    // a correctly signed Udesk query is no key to it either
    const signed = udeskUrl(sim.control.url, '/stats', sim.credentials);
    expect((await fetch(signed)).status).toBe(401);
    expect(sim.state.counts().agents).toBe(0);
  });

  it('a random token per simulator when none is given', async () => {
    const a = await startUdeskSimulator();
    const b = await startUdeskSimulator();
    try {
      expect(a.control.token).toMatch(/^[0-9a-f]{32}$/);
      expect(a.control.token).not.toBe(b.control.token);
      const res = await fetch(`${a.control.url}/stats`, { headers: { authorization: `Bearer ${b.control.token}` } });
      expect(res.status).toBe(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('seeds a generated tenant, returns the ids, and the vendor API serves it', async () => {
    const res = await control('POST', '/seed', { generate: { agents: 7, groups: 2, seed: 3 } });
    expect(res.status).toBe(200);
    const { ids } = await json(res);
    expect(Object.keys(ids.agents)).toHaveLength(7);
    expect(sim.state.counts()).toMatchObject({ agents: 7, groups: 2 });
    const listed = await json(await listAgents());
    const enabled = generateTenant({ agents: 7, groups: 2, seed: 3 }).agents.filter((a) => a.status === 'active');
    expect(listed.meta.total_count).toBe(enabled.length);
  });

  it('seeds a SeedTenant body as given, and refuses a conflicting one with 400 and the reason', async () => {
    const tenant = generateTenant({ agents: 2, groups: 1, seed: 5 });
    expect((await control('POST', '/seed', tenant)).status).toBe(200);
    const again = await control('POST', '/seed', tenant);
    expect(again.status).toBe(400);
    expect((await json(again)).error).toContain('already taken');
    expect(sim.state.counts().agents).toBe(2);
    const bad = await control('POST', '/seed', { agents: 'many' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toContain('tenant.roles');
  });

  it('reports counts and the listing in /state', async () => {
    sim.state.addAgent({ email: 'one@udesk.example.com' });
    const res = await control('GET', '/state');
    expect(res.status).toBe(200);
    const state = await json(res);
    expect(state.counts).toEqual(sim.state.counts());
    expect(state.agents.map((a: { email: string }) => a.email)).toEqual(['one@udesk.example.com']);
    expect(state).toHaveProperty('groups');
  });

  it('reports vendor stats, and control calls are not counted in them', async () => {
    await listAgents();
    await listAgents();
    await control('GET', '/state');
    await control('GET', '/stats', undefined, {}); // a refused one neither
    const stats = await json(await control('GET', '/stats'));
    expect(stats.requests).toBe(2);
    expect(stats.byRoute).toEqual({ 'GET /agents': 2 });
    expect(sim.stats().requests).toBe(2);
  });

  it('injects a fault the next vendor call receives, shows it in /settings, and removes it', async () => {
    const set = await control('POST', '/faults', { rate: 1, kinds: ['503'], match: { path: '/agents' } });
    expect(set.status).toBe(204);
    expect((await json(await control('GET', '/settings'))).faults).toMatchObject({ rate: 1, kinds: ['503'], match: { path: '/agents' } });
    const faulted = await listAgents();
    expect(faulted.status).toBe(503);
    expect(await faulted.text()).toContain('503');
    expect((await json(await control('GET', '/stats'))).faultsInjected).toEqual({ '503': 1 });
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await listAgents()).status).toBe(200);
    expect((await json(await control('GET', '/settings'))).faults).toBeNull();
  });

  it('validates fault bodies as the JS API does: 400, rule unchanged', async () => {
    sim.faults.set({ rate: 1, kinds: ['500'], match: { path: '/nothing-here' } });
    for (const body of [{ rate: 2, kinds: ['503'] }, { rate: 1, kinds: [] }, { rate: 1, kinds: ['418'] }, { rate: 1, kinds: ['503'], phase: 'later' }, [1]]) {
      const res = await control('POST', '/faults', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(typeof (await json(res)).error).toBe('string');
    }
    expect(() => sim.faults.set({ rate: 2, kinds: ['503'] })).toThrow('faults.rate must be a number from 0 to 1');
    expect((await json(await control('GET', '/settings'))).faults).toMatchObject({ kinds: ['500'] });
  });

  it('resets the state', async () => {
    await control('POST', '/seed', { generate: { agents: 4 } });
    expect(sim.state.counts().agents).toBe(4);
    expect((await control('POST', '/reset')).status).toBe(204);
    expect(sim.state.counts()).toEqual({ agents: 0, groups: 0, roles: 0, departments: 0 });
  });

  it('sets the rate limit; control calls are never limited', async () => {
    expect((await control('PUT', '/rate-limit', { requestsPerMinute: 1 })).status).toBe(204);
    expect((await listAgents()).status).toBe(200);
    const limited = await listAgents();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    for (let i = 0; i < 5; i++) expect((await control('GET', '/stats')).status).toBe(200);
    expect((await json(await control('GET', '/stats'))).rateLimited).toBe(1);
    expect((await control('PUT', '/rate-limit', { requestsPerMinute: 0 })).status).toBe(400);
    expect((await control('PUT', '/rate-limit', false)).status).toBe(204);
    expect((await listAgents()).status).toBe(200);
  });

  it('a bad rate-limit body changes nothing', async () => {
    const res = await control('PUT', '/rate-limit', { requestsPerMinute: 5, maxConcurrent: -1 });
    expect(res.status).toBe(400);
    expect(await json(await control('GET', '/settings'))).toMatchObject({ rateLimit: false, maxConcurrent: false });
  });

  it('answers 404 for an unknown control path, 405 for a wrong method, 400 for a body that is not JSON', async () => {
    expect((await control('GET', '/nope')).status).toBe(404);
    expect((await control('GET', '/reset')).status).toBe(405);
    const res = await fetch(`${sim.control.url}/faults`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{nope' });
    expect(res.status).toBe(400);
  });
});

describe('concurrency cap and latency', () => {
  it('holds each request latencyMs and refuses one beyond maxConcurrent with 429', async () => {
    const capped = await startUdeskSimulator({ maxConcurrent: 1, latencyMs: 300 });
    try {
      const started = Date.now();
      const [a, b] = await Promise.all([
        fetch(udeskUrl(capped.baseUrl, '/agents', capped.credentials)),
        fetch(udeskUrl(capped.baseUrl, '/agents', capped.credentials)),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 429]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(capped.stats().rateLimited).toBe(1);
      // once the first is answered, the next one is taken
      expect((await fetch(udeskUrl(capped.baseUrl, '/agents', capped.credentials))).status).toBe(200);
    } finally {
      await capped.close();
    }
  });

  it('refuses bad values like the rate limit does', async () => {
    await expect(startUdeskSimulator({ maxConcurrent: 0 })).rejects.toThrow('maxConcurrent must be a positive integer');
    await expect(startUdeskSimulator({ latencyMs: -1 })).rejects.toThrow('latencyMs must be a non-negative number');
  });
});

describe('every simulator has the control endpoint', () => {
  it.each([
    ['kf5', () => startKf5Simulator({ controlToken: TOKEN })],
    ['huawei-aicc', () => startHuaweiAiccSimulator({ controlToken: TOKEN })],
  ] as const)('%s: 401 without the token; seed, state, stats and reset with it', async (_name, start) => {
    const s = await start();
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${s.control.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    try {
      expect((await fetch(`${s.control.url}/state`)).status).toBe(401);
      expect((await call('POST', '/seed', { generate: { agents: 5, groups: 2 } })).status).toBe(200);
      const state = await json(await call('GET', '/state'));
      expect(state.counts.agents).toBe(5);
      expect(state.agents).toHaveLength(5);
      expect((await json(await call('GET', '/stats'))).requests).toBe(0);
      expect((await call('POST', '/reset')).status).toBe(204);
      expect(s.state.counts().agents).toBe(0);
    } finally {
      await s.close();
    }
  });
});
