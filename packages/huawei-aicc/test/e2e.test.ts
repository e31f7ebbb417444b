import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ConflictError, NotFoundError } from '@contactkit/core';
import { startHuaweiAiccSimulator, type HuaweiAiccSimulator } from '@contactkit/testkit';
import { createHuaweiAiccClient, type HuaweiAiccClientOptions } from '../src';

let sim: HuaweiAiccSimulator;

beforeAll(async () => {
  sim = await startHuaweiAiccSimulator();
});
afterAll(async () => {
  await sim?.close();
});

function client(extra: Partial<HuaweiAiccClientOptions> = {}) {
  return createHuaweiAiccClient({
    baseUrl: sim.baseUrl,
    appKey: sim.credentials.appKey,
    appSecret: sim.credentials.appSecret,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
}

describe('huawei-aicc against the simulator', () => {
  it('walks agents and skill queues end to end', async () => {
    const c = client();
    const tokensBefore = sim.stats().tokenRequests ?? 0;

    // create with a derived userAccount
    const alice = await c.agents.create({ email: 'alice.liu@example.com', name: 'Alice (Support) Liu', password: 'Secret#123', phone: '13800000000', channels: ['chat'] });
    expect(alice).toMatchObject({ id: 'alice.liu', loginName: 'alice.liu', name: 'Alice Support Liu', channels: ['chat'], roleIds: ['2'], status: 'active', vendor: 'huawei-aicc' });
    expect(alice.employeeNo).toMatch(/^\d+$/);
    expect(sim.state.agentPassword('alice.liu')).toBe('Secret#123');

    // a second agent with the same local part gets -2
    const alice2 = await c.agents.create({ email: 'alice.liu@example.org', name: 'Alice Two', password: 'Secret#123' });
    expect(alice2.id).toBe('alice.liu-2');

    // get, findByEmail
    expect(await c.agents.get('alice.liu')).toEqual(alice);
    expect((await c.agents.findByEmail('ALICE.LIU@example.com'))?.id).toBe('alice.liu');
    expect(await c.agents.findByEmail('nobody@example.com')).toBeNull();
    await expect(c.agents.get('nobody01')).rejects.toBeInstanceOf(NotFoundError);

    // update
    const updated = await c.agents.update('alice.liu', { name: 'Alice L', roleIds: ['3'], phone: null });
    expect(updated).toMatchObject({ name: 'Alice L', roleIds: ['3'], phone: null });
    // a password change through oldPassWord/newPassWord
    await c.agents.update('alice.liu', { vendorFields: { oldPassWord: 'Secret#123', newPassWord: 'Newer#456' } });
    expect(sim.state.agentPassword('alice.liu')).toBe('Newer#456');

    // list paged
    for (let i = 0; i < 5; i++) sim.state.addAgent({ userAccount: `bulk00${i}`, userName: `Bulk ${i}`, email: `bulk${i}@example.com` });
    const pages: number[] = [];
    for await (const page of c.agents.list({ pageSize: 2 }).pages()) pages.push(page.length);
    expect(pages).toEqual([2, 2, 2, 1]);
    expect((await c.agents.list({ pageSize: 3 }).toArray()).map((a) => a.id).sort()).toEqual(['alice.liu', 'alice.liu-2', 'bulk000', 'bulk001', 'bulk002', 'bulk003', 'bulk004']);

    // skill queue with members
    const group = await c.groups.create({ name: 'Support', memberIds: ['alice.liu', 'bulk000', 'bulk001'] });
    expect(group).toMatchObject({ name: 'Support', memberIds: ['alice.liu', 'bulk000', 'bulk001'] });
    expect(sim.state.getGroup(Number(group.id))).toMatchObject({ mediaTypeId: 53, description: 'Support', maxWaitTime: 60, maxWaitNum: 100, maxAgentWrapupTime: 30 });
    expect((await c.agents.get('alice.liu')).groupIds).toEqual([group.id]);
    expect((await c.groups.list().toArray()).map((g) => g.name)).toContain('Support');

    // update replacing members
    const replaced = await c.groups.update(group.id, { name: 'Support EU', memberIds: ['bulk001', 'bulk002'] });
    expect(replaced).toMatchObject({ name: 'Support EU' });
    expect([...(replaced.memberIds ?? [])].sort()).toEqual(['bulk001', 'bulk002']);
    expect(sim.state.skillMembers(Number(group.id)).sort()).toEqual(['bulk001', 'bulk002']);
    expect((await c.groups.get(group.id)).memberIds?.sort()).toEqual(['bulk001', 'bulk002']);
    expect((await c.agents.get('alice.liu')).groupIds).toEqual([]);

    // agent groupIds through update, keeping weights
    const withSkill = await c.agents.update('alice.liu', { groupIds: [group.id], vendorFields: { skillWeights: { [group.id]: { agentWeight: 3, skillWeight: 2 } } } });
    expect(withSkill.groupIds).toEqual([group.id]);
    expect(sim.state.getAgent('alice.liu')?.skills).toEqual([{ skillId: Number(group.id), agentWeight: 3, skillWeight: 2 }]);

    // delete
    await c.groups.delete(group.id);
    await expect(c.groups.get(group.id)).rejects.toBeInstanceOf(NotFoundError);
    await c.agents.delete('alice.liu-2');
    await expect(c.agents.get('alice.liu-2')).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.agents.delete('alice.liu-2')).rejects.toBeInstanceOf(NotFoundError);

    // one token for the whole walk
    expect((sim.stats().tokenRequests ?? 0) - tokensBefore).toBe(1);
    expect(c.tokenFetches()).toBe(1);
  });

  it('recovers a revoked token with exactly one refresh', async () => {
    const c = client();
    await c.roles.list();
    await c.agents.list({ pageSize: 1 }).toArray({ limit: 1 });
    const before = sim.stats().tokenRequests ?? 0;
    sim.expireTokens();
    const results = await Promise.all(Array.from({ length: 10 }, () => c.agents.list({ pageSize: 1 }).toArray({ limit: 1 })));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect((sim.stats().tokenRequests ?? 0) - before).toBe(1);
  });

  it('refreshes ahead of expiry on a shared clock: no 401 ever reaches the simulator', async () => {
    let now = Date.UTC(2025, 0, 1);
    const clocked = await startHuaweiAiccSimulator({ now: () => now });
    try {
      const c = createHuaweiAiccClient({ baseUrl: clocked.baseUrl, ...clocked.credentials, tokenTtlSeconds: 600, now: () => now });
      const byRoute = () => clocked.stats().tokenRequests ?? 0;
      await c.agents.list().toArray();
      now += 530_000;
      await c.agents.list().toArray();
      expect(byRoute()).toBe(1);
      now += 20_000; // 550 s: inside the 60 s margin, still valid on the server
      await c.agents.list().toArray();
      expect(byRoute()).toBe(2);
      now += 700_000; // the second token has expired on the server and locally
      await c.agents.list().toArray();
      expect(byRoute()).toBe(3);
      // no call was rejected and replayed: one attempt per request
      expect(c.stats().attempts).toBe(c.stats().requests);
      expect(c.stats().errors).toBe(0);
    } finally {
      await clocked.close();
    }
  });

  it('wrong credentials → AuthenticationError', async () => {
    await expect(client({ appSecret: 'not-the-secret' }).agents.get('alice.liu')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('a duplicate userAccount → ConflictError', async () => {
    const c = client();
    await c.agents.create({ email: 'dup@example.com', name: 'Dup', password: 'Secret#123', loginName: 'dup.account' });
    await expect(c.agents.create({ email: 'dup2@example.com', name: 'Dup 2', password: 'Secret#123', loginName: 'dup.account' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('a 503 on a read is recovered by retry', async () => {
    const c = client({
      hooks: {
        onRetry: () => {
          sim.faults.clear();
        },
      },
    });
    await c.agents.get('dup.account');
    sim.faults.set({ rate: 1, kinds: ['503'], match: { path: '/agentAccount/query' } });
    const agent = await c.agents.get('dup.account');
    expect(agent.id).toBe('dup.account');
    expect(c.stats().retries).toBe(1);
    expect(sim.stats().faultsInjected['503']).toBeGreaterThanOrEqual(1);
  });

  it('works with wrapped bodies too', async () => {
    const c = client({ wrapRequestParams: true });
    const a = await c.agents.create({ email: 'wrapped.one@example.com', name: 'Wrapped', password: 'Secret#123' });
    expect(a.id).toBe('wrapped.one');
    expect((await c.agents.update(a.id, { name: 'Wrapped 2' })).name).toBe('Wrapped 2');
    await c.agents.delete(a.id);
  });
});
