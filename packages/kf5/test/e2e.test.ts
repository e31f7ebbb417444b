import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, NotFoundError, PermissionError } from '@contactkit/core';
import { createKf5Client, type Kf5Client } from '@contactkit/kf5';
import { startKf5Simulator, type Kf5Simulator, type Kf5SimulatorOptions } from '@contactkit/testkit';

/**
 * Every reading of what the KF5 docs leave open, strictest first. `auth` is the credential set a
 * caller configures under that reading (with an end-user-only token, the password alone).
 */
const READINGS: Array<{ name: string; options: Kf5SimulatorOptions; auth: 'both' | 'password' }> = [
  { name: 'defaults (token = agent rights, next_page on the same origin)', options: {}, auth: 'both' },
  { name: "next_page printed as http://<host> without the port (nextPageOrigin 'http')", options: { nextPageOrigin: 'http' }, auth: 'both' },
  { name: 'pages shorter than per_page while count/next_page say more (pageCap 1)', options: { pageCap: 1 }, auth: 'both' },
  { name: "token with end-user rights only (tokenRole 'end_user'): password alone", options: { tokenRole: 'end_user' }, auth: 'password' },
  { name: "token with admin rights (tokenRole 'admin')", options: { tokenRole: 'admin' }, auth: 'both' },
  { name: "undocumented group keys ignored (groupWriteFields 'lenient')", options: { groupWriteFields: 'lenient' }, auth: 'both' },
];

describe.each(READINGS)('KF5 adapter against the simulator: $name', ({ options, auth }) => {
  let sim: Kf5Simulator;

  beforeAll(async () => {
    sim = await startKf5Simulator(options);
  });
  afterAll(async () => {
    await sim?.close();
  });

  function kf5(mode: 'token' | 'password' | 'configured' = 'configured', over: Partial<Parameters<typeof createKf5Client>[0]> = {}): Kf5Client {
    const { email, password, apiToken } = sim.credentials;
    const which = mode === 'configured' ? auth : mode;
    return createKf5Client({
      baseUrl: sim.baseUrl,
      email,
      ...(which === 'token' ? { apiToken } : which === 'password' ? { password } : { apiToken, password }),
      retry: { minDelayMs: 1, maxDelayMs: 10 },
      ...over,
    });
  }

  it('each credential form is accepted where its reading allows; wrong credentials are AuthenticationError', async () => {
    const byToken = kf5('token');
    const byPassword = kf5('password');
    expect(byToken.authMode).toBe('token');
    expect(byPassword.authMode).toBe('password');
    await expect(byPassword.groups.list().toArray()).resolves.toBeInstanceOf(Array);
    if (options.tokenRole === 'end_user') {
      await expect(byToken.groups.list().toArray()).rejects.toBeInstanceOf(PermissionError);
    } else {
      await expect(byToken.groups.list().toArray()).resolves.toBeInstanceOf(Array);
    }
    // a group write is admin-only: a token with agent rights is refused, nothing is created
    const tokenWrite = byToken.groups.create({ name: 'token write' });
    if (options.tokenRole === 'admin') await expect(tokenWrite).resolves.toMatchObject({ name: 'token write' });
    else await expect(tokenWrite).rejects.toBeInstanceOf(PermissionError);
    for (const g of sim.state.listGroups()) await byPassword.groups.delete(String(g.id));
    const wrong = createKf5Client({ baseUrl: sim.baseUrl, email: sim.credentials.email, apiToken: 'wrong-token-123' });
    const err = await wrong.groups.list().toArray().catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(String(err.message)).not.toContain('wrong-token-123');
  });

  it('agents: create → get → findByEmail → update → list (paged, pageSize 2) → delete', async () => {
    const c = kf5();
    const emails = ['e2e-a@example.com', 'e2e-b@example.com', 'e2e-c@example.com'];
    const created = [];
    for (const [i, email] of emails.entries()) {
      created.push(
        await c.agents.create({
          email,
          name: `E2E ${i}`,
          nickname: `Nick ${i}`,
          phone: '13800000000',
          locale: i === 0 ? 'en-US' : 'zh-CN',
          password: `Pw-${i}-secret`,
          roleIds: i === 2 ? ['admin'] : undefined,
          status: i === 1 ? 'disabled' : 'active',
        }),
      );
    }
    const a = created[0]!;
    expect(a).toMatchObject({ vendor: 'kf5', email: emails[0], name: 'E2E 0', nickname: 'Nick 0', locale: 'en-US', roleIds: ['agent'], status: 'active', groupIds: [] });
    expect(sim.state.userPassword(Number(a.id))).toBe('Pw-0-secret');
    expect(created[2]!.roleIds).toEqual(['admin']);

    expect(await c.agents.get(a.id)).toMatchObject({ id: a.id, email: emails[0] });
    expect((await c.agents.findByEmail(emails[0]!.toUpperCase()))?.id).toBe(a.id);
    expect(await c.agents.findByEmail('nobody@example.com')).toBeNull();

    const updated = await c.agents.update(a.id, { name: 'E2E Zero', phone: null, locale: 'zh-CN', vendorFields: { signature: 'ignored by the simulator' } });
    expect(updated).toMatchObject({ id: a.id, name: 'E2E Zero', phone: null, locale: 'zh-CN' });
    expect(sim.state.getAgent(Number(a.id))).toMatchObject({ name: 'E2E Zero', phone: null, language: 'zh_cn' });

    // an end user is not an agent
    const endUser = sim.state.addUser({ email: 'customer@example.com', name: 'Customer' });
    await expect(c.agents.get(String(endUser.id))).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.agents.delete(String(endUser.id))).rejects.toBeInstanceOf(NotFoundError);
    expect(sim.state.findUserByEmail('customer@example.com')).toBeDefined();
    expect(await c.agents.findByEmail('customer@example.com')).toBeNull();

    const before = sim.stats().requests;
    const pages: string[][] = [];
    for await (const p of c.agents.list({ pageSize: 2, includeDisabled: true }).pages()) pages.push(p.map((x) => x.email));
    const staff = sim.state.listAgents().map((u) => u.email);
    expect(pages.flat()).toEqual(staff);
    const served = Math.min(2, options.pageCap ?? 2);
    expect(pages.every((p) => p.length <= served)).toBe(true);
    expect(sim.stats().requests - before).toBe(Math.ceil(staff.length / served));
    const active = await c.agents.list({ pageSize: 2 }).toArray();
    expect(active.map((x) => x.email)).not.toContain(emails[1]);
    expect((await c.agents.list({ pageSize: 2, includeDisabled: true }).toArray()).find((x) => x.email === emails[1])?.status).toBe('disabled');

    for (const x of created) await c.agents.delete(x.id);
    for (const email of emails) expect(sim.state.findUserByEmail(email)).toBeUndefined();
  });

  it('groups: create with members → update replacing members → get → groupsOf → delete', async () => {
    const c = kf5();
    const [a, b, d] = await Promise.all(['g-a', 'g-b', 'g-d'].map((n) => c.agents.create({ email: `${n}@example.com`, name: n })));
    const g = await c.groups.create({ name: 'E2E Support', memberIds: [a!.id, b!.id] });
    expect(g).toMatchObject({ vendor: 'kf5', name: 'E2E Support', memberIds: [a!.id, b!.id] });

    const replaced = await c.groups.update(g.id, { name: 'E2E Support 2', memberIds: [d!.id] });
    expect(replaced.memberIds).toEqual([d!.id]);
    expect(await c.groups.get(g.id)).toMatchObject({ name: 'E2E Support 2', memberIds: [d!.id] });
    expect((await c.agents.groupsOf(d!.id)).map((x) => x.id)).toEqual([g.id]);
    expect(await c.agents.groupsOf(a!.id)).toEqual([]);
    expect((await c.agents.get(d!.id)).groupIds).toEqual([g.id]);

    // an agent's groupIds are written through the groups
    const moved = await c.agents.update(a!.id, { groupIds: [g.id] });
    expect(moved.groupIds).toEqual([g.id]);
    expect((await c.groups.get(g.id)).memberIds?.sort()).toEqual([a!.id, d!.id].sort());
    const left = await c.agents.update(d!.id, { groupIds: [] });
    expect(left.groupIds).toEqual([]);
    expect((await c.groups.get(g.id)).memberIds).toEqual([a!.id]);

    const listed = await c.groups.list({ pageSize: 1 }).toArray();
    expect(listed.map((x) => x.id)).toContain(g.id);

    await c.groups.delete(g.id);
    await expect(c.groups.get(g.id)).rejects.toBeInstanceOf(NotFoundError);
    for (const x of [a, b, d]) await c.agents.delete(x!.id);
  });

  it('findByEmail: the documented exact search finds only the exact address, never a partial match', async () => {
    const c = kf5();
    const a = await c.agents.create({ email: 'exact.match@example.com', name: 'Exact' });
    const b = await c.agents.create({ email: 'exact.match@example.com.cn', name: 'Longer' });
    sim.resetStats();
    expect((await c.agents.findByEmail('Exact.Match@example.com'))?.id).toBe(a.id);
    expect(await c.agents.findByEmail('match@example.com')).toBeNull(); // a substring of both addresses
    expect(sim.stats().requests).toBe(2); // one search each: an exact reply holds at most the one user
    for (const x of [a, b]) await c.agents.delete(x.id);
  });

  it('roles: fixed roles plus custom roles carried by agents', async () => {
    const c = kf5();
    const role = sim.state.addRole({ name: 'Supervisor' });
    const a = await c.agents.create({ email: 'custom@example.com', name: 'Custom', roleIds: [`custom:${role.id}`] });
    expect(a.roleIds).toEqual(['agent', `custom:${role.id}`]);
    expect((await c.roles.list()).map((r) => r.id)).toEqual(['agent', 'admin', `custom:${role.id}`]);
    await c.agents.delete(a.id);
  });

  it('204 deletes are accepted', async () => {
    const sim204 = await startKf5Simulator({ ...options, deleteStatus: 204 });
    try {
      const { email, apiToken, password } = sim204.credentials;
      const c = createKf5Client({ baseUrl: sim204.baseUrl, email, password, ...(auth === 'both' ? { apiToken } : {}) });
      const a = await c.agents.create({ email: 'gone@example.com', name: 'Gone' });
      const g = await c.groups.create({ name: 'Gone', memberIds: [a.id] });
      await c.groups.delete(g.id);
      await c.agents.delete(a.id);
      expect(sim204.state.counts()).toMatchObject({ users: 0, groups: 0 });
    } finally {
      await sim204.close();
    }
  });
});
