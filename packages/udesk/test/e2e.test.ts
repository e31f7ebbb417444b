import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '@contactkit/core';
import { startUdeskSimulator, type UdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient, type UdeskClientOptions } from '@contactkit/udesk';

// End to end against the testkit simulator (real HTTP on loopback). No nock here.
let sim: UdeskSimulator;
let roleId: string;
let role2Id: string;
let groupId: string;
let deptId: string;

beforeAll(async () => {
  sim = await startUdeskSimulator();
  roleId = String(sim.state.addRole({ name: '客服', description: 'agent' }).id);
  role2Id = String(sim.state.addRole({ name: '客服主管' }).id);
  groupId = String(sim.state.addGroup({ name: 'Existing' }).id);
  deptId = String(sim.state.addDepartment({ name: 'HQ' }).id);
  sim.state.addDepartment({ name: 'Sales', parent_id: Number(deptId) });
});
afterAll(async () => {
  await sim?.close();
});

const make = (over: Partial<UdeskClientOptions> = {}) =>
  createUdeskClient({
    baseUrl: sim.baseUrl,
    email: sim.credentials.email,
    apiToken: sim.credentials.apiToken,
    rateLimit: false,
    retry: { minDelayMs: 1, maxDelayMs: 10 },
    ...over,
  } as UdeskClientOptions);

describe('udesk e2e (simulator)', () => {
  it('create → get → findByEmail → update → list (paged) → delete', async () => {
    const c = make();
    const created = await c.agents.create({
      email: 'wei.wang@example.cn',
      name: '王伟',
      password: 'Start-1234',
      nickname: 'Wei',
      phone: '13800000001',
      channels: ['chat'],
      roleIds: [roleId],
      groupIds: [groupId],
      departmentIds: [deptId],
      employeeNo: 'E001',
      locale: 'zh-CN',
      vendorFields: { duty: 'Lead', availability: false },
    });
    expect(created).toMatchObject({
      vendor: 'udesk',
      email: 'wei.wang@example.cn',
      name: '王伟',
      nickname: 'Wei',
      phone: '13800000001',
      status: 'active',
      channels: ['chat'],
      roleIds: [roleId],
      groupIds: [groupId],
      departmentIds: [deptId],
      employeeNo: 'E001',
      locale: 'zh-CN',
      loginName: null,
    });
    expect(created.remoteData).not.toHaveProperty('password');
    expect(sim.state.agentLoginPassword(Number(created.id))).toBe('Start-1234');

    expect(await c.agents.get(created.id)).toEqual(created);
    expect((await c.agents.findByEmail('wei.wang@example.cn'))?.id).toBe(created.id);
    expect(await c.agents.findByEmail('nobody@example.cn')).toBeNull();

    const updated = await c.agents.update(created.id, { name: '王伟2', status: 'disabled', channels: ['voice'], roleIds: [roleId, role2Id], phone: null });
    expect(updated).toMatchObject({ id: created.id, name: '王伟2', status: 'disabled', channels: ['voice'], roleIds: [roleId, role2Id], phone: null });
    expect(sim.state.getAgent(Number(created.id))?.disable_status).toBe('disable');

    for (let i = 1; i <= 4; i++) await c.agents.create({ email: `a${i}@example.cn`, name: `A${i}`, password: `Pass-${i}xyz`, roleIds: [roleId] });
    sim.resetStats();
    const all = await c.agents.list({ pageSize: 2, includeDisabled: true }).toArray();
    expect(all).toHaveLength(5);
    expect(sim.stats().byRoute['GET /agents']).toBe(3);
    // role ids resolved from role_name through one agent_roles fetch
    expect(sim.stats().byRoute['GET /agent_roles']).toBe(1);
    expect(all.find((a) => a.email === 'a1@example.cn')?.roleIds).toEqual([roleId]);
    const active = await c.agents.list({ pageSize: 2 }).toArray();
    expect(active.map((a) => a.email)).not.toContain('wei.wang@example.cn');
    expect(active).toHaveLength(4);
    sim.resetStats();
    expect(await c.agents.list({ pageSize: 2, includeDisabled: true }).toArray({ limit: 3 })).toHaveLength(3);
    expect(sim.stats().byRoute['GET /agents']).toBe(2);

    await c.agents.delete(created.id);
    await expect(c.agents.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('groups: create with members → get → update → delete; roles and departments', async () => {
    const c = make();
    const a = await c.agents.create({ email: 'g1@example.cn', name: 'G1', password: 'Pass-g1xyz' });
    const b = await c.agents.create({ email: 'g2@example.cn', name: 'G2', password: 'Pass-g2xyz' });
    const g = await c.groups.create({ name: 'Support', memberIds: [a.id, b.id] });
    expect(g).toMatchObject({ name: 'Support', memberIds: [a.id, b.id] });
    expect(await c.groups.get(g.id)).toMatchObject({ id: g.id, name: 'Support', memberIds: [a.id, b.id] });
    expect((await c.agents.get(a.id)).groupIds).toContain(g.id);
    const renamed = await c.groups.update(g.id, { name: 'Support 2', memberIds: [b.id] });
    expect(renamed).toMatchObject({ name: 'Support 2', memberIds: [b.id] });
    const listed = await c.groups.list({ pageSize: 1 }).toArray();
    expect(listed.map((x) => x.name)).toEqual(expect.arrayContaining(['Existing', 'Support 2']));
    await c.groups.delete(g.id);
    await expect(c.groups.get(g.id)).rejects.toBeInstanceOf(NotFoundError);

    expect((await c.roles.list()).map((r) => r.name)).toEqual(expect.arrayContaining(['客服', '客服主管']));
    expect(await c.departments.list()).toEqual(
      expect.arrayContaining([
        { id: deptId, name: 'HQ', parentId: null, path: ['HQ'] },
        expect.objectContaining({ name: 'Sales', parentId: deptId, path: ['HQ', 'Sales'] }),
      ]),
    );
  });

  it('password auth: one log_in, and one re-login after the token is rotated', async () => {
    const c = make({ apiToken: undefined, password: sim.credentials.password });
    sim.resetStats();
    await Promise.all([c.roles.list(), c.roles.list(), c.agents.list({ pageSize: 2 }).toArray({ limit: 1 })]);
    expect(sim.stats().logins).toBe(1);
    sim.rotateToken();
    expect((await c.roles.list()).length).toBeGreaterThan(0);
    expect(sim.stats().logins).toBe(2);
  });

  it('duplicate email → ConflictError with vendorCode 2000', async () => {
    const c = make();
    await c.agents.create({ email: 'dup@example.cn', name: 'Dup', password: 'Pass-dupxyz' });
    const err = await c.agents.create({ email: 'DUP@example.cn', name: 'Dup', password: 'Pass-dupxyz' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ vendorCode: '2000', vendor: 'udesk' });
  });

  it('503 and 429 faults are recovered by retry (re-signed: no nonce replay)', async () => {
    for (const kind of ['503', '429'] as const) {
      sim.faults.set({ rate: 1, kinds: [kind], retryAfterSeconds: 0, match: { method: 'GET', path: '/agent_roles' } });
      const c = make({ hooks: { onRetry: () => sim.faults.clear() } });
      expect((await c.roles.list()).length).toBeGreaterThan(0);
      expect(c.stats().retries).toBe(1);
    }
    sim.faults.clear();
  });

  it('the default limiter keeps to 60/min against a simulator enforcing it', async () => {
    sim.setRateLimit({ requestsPerMinute: 60 });
    try {
      const c = make({ rateLimit: undefined });
      sim.resetStats();
      await c.roles.list();
      await c.roles.list();
      expect(sim.stats().rateLimited).toBe(0);
      expect(c.stats().rateLimitWaitMs).toBeGreaterThan(500);
    } finally {
      sim.setRateLimit(false);
    }
  });
});
