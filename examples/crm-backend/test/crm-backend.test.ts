import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommonClientOptions, VendorId } from '@contactkit/core';
import { generateTenant, startHuaweiAiccSimulator, startKf5Simulator, startUdeskSimulator, type FaultController, type UdeskSimulator } from '@contactkit/testkit';
import { createApp } from '../src/app';
import { configFromEnv, createClient, type VendorConfig } from '../src/config';
import { toHttpAnswer } from '../src/http-errors';

interface Sim {
  baseUrl: string;
  faults: FaultController;
  close(): Promise<void>;
  config(overrides?: { secret?: string }): VendorConfig;
  secrets: string[];
}

const tenant = generateTenant({ seed: 11, agents: 25, groups: 3 });

/** every Udesk create needs a role, a customer service group and a department: the tenant's first ones */
const udeskDefaults = (s: UdeskSimulator) => ({
  roleIds: [String(s.state.listRoles()[0]!.id)],
  groupIds: [String(s.state.listGroups()[0]!.id)],
  departmentIds: [String(s.state.listDepartments()[0]!.id)],
});

async function startSim(vendor: VendorId): Promise<Sim> {
  if (vendor === 'udesk') {
    const s = await startUdeskSimulator({ tenant });
    return {
      baseUrl: s.baseUrl, faults: s.faults, close: () => s.close(),
      secrets: [s.credentials.apiToken, s.credentials.password],
      config: (o = {}) => ({ vendor, baseUrl: s.baseUrl, email: s.credentials.email, apiToken: o.secret ?? s.credentials.apiToken, defaults: udeskDefaults(s) }),
    };
  }
  if (vendor === 'kf5') {
    const s = await startKf5Simulator({ tenant });
    return {
      baseUrl: s.baseUrl, faults: s.faults, close: () => s.close(),
      secrets: [s.credentials.apiToken, s.credentials.password],
      config: (o = {}) => ({ vendor, baseUrl: s.baseUrl, email: s.credentials.email, apiToken: o.secret ?? s.credentials.apiToken }),
    };
  }
  const s = await startHuaweiAiccSimulator({ tenant });
  return {
    baseUrl: s.baseUrl, faults: s.faults, close: () => s.close(),
    secrets: [s.credentials.appSecret],
    config: (o = {}) => ({ vendor: 'huawei-aicc', baseUrl: s.baseUrl, appKey: s.credentials.appKey, appSecret: o.secret ?? s.credentials.appSecret }),
  };
}

async function listen(app: ReturnType<typeof createApp>): Promise<{ url: string; server: Server }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const fast: CommonClientOptions = { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 }, rateLimit: false };

describe.each(['udesk', 'kf5', 'huawei-aicc'] as const)('crm-backend on %s', (vendor) => {
  let sim: Sim;
  let url: string;
  const servers: Server[] = [];
  const logged: string[] = [];
  const log = (message: string, error: unknown) => logged.push(`${message} ${inspect(error, { depth: 5 })}`);

  beforeAll(async () => {
    sim = await startSim(vendor);
    const started = await listen(createApp(createClient(sim.config(), fast), { log }));
    url = started.url;
    servers.push(started.server);
  });
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await sim?.close();
  });

  const get = (path: string) => fetch(url + path);
  const post = (path: string, body: unknown) =>
    fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  const email = `crm.example.${vendor.replace('-', '')}@example.com`;
  // Huawei's default password rule group: exactly eight characters of four kinds
  const newAgent = { email, name: 'Crm Example', password: vendor === 'huawei-aicc' ? 'Crm#Ex26' : 'Crm#Example2026', loginName: vendor === 'huawei-aicc' ? `crm_${vendor.replace('-', '')}` : undefined };

  it('lists agents page by page', async () => {
    const r1 = await get('/agents?limit=5');
    expect(r1.status).toBe(200);
    const p1 = (await r1.json()) as { vendor: string; items: Array<{ id: string; vendor: string; remoteData?: unknown }>; hasMore: boolean };
    expect(p1.vendor).toBe(vendor);
    expect(p1.items).toHaveLength(5);
    expect(p1.hasMore).toBe(true);
    expect(p1.items[0]!.vendor).toBe(vendor);
    expect(p1.items[0]).not.toHaveProperty('remoteData');
    const p2 = (await (await get('/agents?limit=5&page=2')).json()) as { items: Array<{ id: string }> };
    expect(p2.items).toHaveLength(5);
    const ids = new Set([...p1.items, ...p2.items].map((a) => a.id));
    expect(ids.size).toBe(10);
  });

  it('refuses a bad limit with 400 and the issue', async () => {
    const r = await get('/agents?limit=0');
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: { code: 'VALIDATION', issues: [{ path: 'limit' }] } });
  });

  it('creates an agent (201) that can then be read', async () => {
    const r = await post('/agents', newAgent);
    expect(r.status, await r.clone().text()).toBe(201);
    const agent = (await r.json()) as { id: string; email: string; vendor: string; password?: string };
    expect(agent).toMatchObject({ email, vendor, name: 'Crm Example' });
    expect(agent).not.toHaveProperty('password');
    expect(r.headers.get('location')).toBe(`/agents/${encodeURIComponent(agent.id)}`);
    const again = await get(`/agents/${encodeURIComponent(agent.id)}`);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: agent.id, email });
  });

  it('answers a duplicate create with 409 CONFLICT', async () => {
    const r = await post('/agents', newAgent);
    expect(r.status, await r.clone().text()).toBe(409);
    expect(await r.json()).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it('answers bad input with 400 naming each bad field, before any request', async () => {
    const r = await post('/agents', { email: 'not-an-email', name: 'X', password: 'Crm#Example2026' });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: string; issues: Array<{ path: string }> } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.issues.map((i) => i.path)).toContain('email');
    const bad = await post('/agents', '{"email": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'VALIDATION', issues: [{ path: '(body)' }] } });
  });

  it('answers an unknown id with 404', async () => {
    // Udesk and KF5 ids are numbers (a non-numeric id is a 400 before any request); Huawei's are accounts
    const r = await get(vendor === 'huawei-aicc' ? '/agents/nobody_there_404' : '/agents/987654321');
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await get('/no/such/route')).status).toBe(404);
  });

  it('answers a vendor throttle with 429 and Retry-After', async () => {
    sim.faults.set({ rate: 1, kinds: ['429'], retryAfterSeconds: 120 });
    try {
      const r = await get('/agents?limit=3');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('120');
      expect(await r.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    } finally {
      sim.faults.clear();
    }
  });

  it('answers a slow vendor with 504', async () => {
    const slow = await listen(createApp(createClient(sim.config(), { ...fast, retry: false, timeoutMs: 150 }), { log }));
    servers.push(slow.server);
    sim.faults.set({ rate: 1, kinds: ['delay'], delayMs: 1_000 });
    try {
      const r = await fetch(`${slow.url}/agents?limit=3`);
      expect(r.status).toBe(504);
      expect(await r.json()).toMatchObject({ error: { code: 'TIMEOUT' } });
    } finally {
      sim.faults.clear();
    }
  });

  it('answers rejected credentials with 502 and leaks no secret, in the answer or the log', async () => {
    const wrong = 'Wr0ng-Secret-Value-4242';
    const bad = await listen(createApp(createClient(sim.config({ secret: wrong }), fast), { log }));
    servers.push(bad.server);
    logged.length = 0;
    const r = await fetch(`${bad.url}/agents`);
    expect(r.status).toBe(502);
    const text = await r.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'AUTHENTICATION' } });
    expect(logged.length).toBe(1);
    for (const s of [wrong, ...sim.secrets]) {
      expect(text).not.toContain(s);
      expect(logged.join('\n')).not.toContain(s);
    }
  });
});

describe('crm-backend config and error table', () => {
  it('reads the vendor and its credentials from the environment', () => {
    expect(configFromEnv({ CRM_VENDOR: 'kf5', CONTACTKIT_KF5_SUBDOMAIN: 'demo', CONTACTKIT_KF5_EMAIL: 'a@b.cn', CONTACTKIT_KF5_PASSWORD: 'pw' })).toEqual({
      vendor: 'kf5', subdomain: 'demo', email: 'a@b.cn', password: 'pw',
    });
    expect(() => configFromEnv({ CRM_VENDOR: 'zendesk' })).toThrow(/CRM_VENDOR/);
    expect(() => configFromEnv({ CRM_VENDOR: 'huawei-aicc', CONTACTKIT_HUAWEI_AICC_BASE_URL: 'https://x.example' })).toThrow(/APP_KEY.*APP_SECRET/);
  });

  it('maps every code', async () => {
    const core = await import('@contactkit/core');
    const cases: Array<[unknown, number]> = [
      [new core.ValidationError([{ path: 'email', message: 'bad' }]), 400],
      [new core.NotFoundError('x'), 404],
      [new core.ConflictError('x'), 409],
      [new core.RateLimitError('x', { retryAfterMs: 2500 }), 429],
      [new core.AuthenticationError('x'), 502],
      [new core.PermissionError('x'), 502],
      [new core.TimeoutError('x'), 504],
      [new core.NetworkError('x'), 502],
      [new core.VendorError('x'), 502],
      [new core.InvalidResponseError('x'), 502],
      [new core.UnsupportedOperationError('x'), 501],
      [new Error('boom'), 500],
    ];
    for (const [error, status] of cases) expect(toHttpAnswer(error).status).toBe(status);
    expect(toHttpAnswer(new core.RateLimitError('x', { retryAfterMs: 2500 })).headers['retry-after']).toBe('3');
    expect(toHttpAnswer(new core.AuthenticationError('token abc rejected')).body.error.message).not.toContain('abc');
  });
});

describe('crm-backend as a process', () => {
  it('starts from the environment (tsx src/server.ts, the built packages) and serves /agents', async () => {
    const sim = await startKf5Simulator({ tenant });
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawn(`${root}node_modules/.bin/tsx`, ['src/server.ts'], {
      cwd: `${root}examples/crm-backend`,
      env: { ...process.env, PORT: '0', CRM_VENDOR: 'kf5', CONTACTKIT_KF5_BASE_URL: sim.baseUrl, CONTACTKIT_KF5_EMAIL: sim.credentials.email, CONTACTKIT_KF5_API_TOKEN: sim.credentials.apiToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /CRM backend on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr!.on('data', (d) => (out += d));
        child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
      });
      const r = await fetch(`${url}/agents?limit=2`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ vendor: 'kf5', limit: 2, hasMore: true });
    } finally {
      child.kill('SIGTERM');
      await sim.close();
    }
  });
});
