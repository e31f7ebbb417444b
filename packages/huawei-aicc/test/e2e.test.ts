import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '@contactkit/core';
import { startHuaweiAiccSimulator, type HuaweiAiccSimulator, type HuaweiAiccSimulatorOptions } from '@contactkit/testkit';
import { createHuaweiAiccClient, type HuaweiAiccClientOptions } from '@contactkit/huawei-aicc';

/**
 * Every reading of every ambiguity in the docs, strictest first: the simulator plays it, the client is
 * configured for it (where the adapter has a switch), and the whole walk must pass against each.
 */
interface Reading {
  name: string;
  sim: HuaweiAiccSimulatorOptions;
  client: (sim: HuaweiAiccSimulator) => Partial<HuaweiAiccClientOptions>;
}
const READINGS: Reading[] = [
  { name: 'strict defaults: exactly-8 passwords, flat bodies, full pages, one origin', sim: {}, client: () => ({}) },
  { name: "bodyForm 'wrapped' (requestParam / requestParams)", sim: { bodyForm: 'wrapped' }, client: () => ({ wrapRequestParams: true }) },
  { name: "passwordLength '8-to-32'", sim: { passwordLength: '8-to-32' }, client: () => ({ passwordLength: { min: 8, max: 32 } }) },
  { name: 'pageCap 1: short pages while total says more', sim: { pageCap: 1 }, client: () => ({}) },
  { name: "tokenOrigin 'separate' (tokenBaseUrl)", sim: { tokenOrigin: 'separate' }, client: (s) => ({ tokenBaseUrl: s.tokenBaseUrl }) },
];

describe.each(READINGS)('huawei-aicc against the simulator, $name', (reading) => {
  let sim: HuaweiAiccSimulator;
  beforeAll(async () => {
    sim = await startHuaweiAiccSimulator(reading.sim);
  });
  afterAll(async () => {
    await sim?.close();
  });
  const client = (extra: Partial<HuaweiAiccClientOptions> = {}) =>
    createHuaweiAiccClient({
      baseUrl: sim.baseUrl,
      appKey: sim.credentials.appKey,
      appSecret: sim.credentials.appSecret,
      retry: { minDelayMs: 1, maxDelayMs: 5 },
      ...reading.client(sim),
      ...extra,
    });

  it('walks agents and skill queues end to end', async () => {
    const c = client();
    const tokensBefore = sim.stats().tokenRequests ?? 0;

    // create with a derived userAccount
    const alice = await c.agents.create({ email: 'alice.liu@example.com', name: 'Alice Support Liu', password: 'Secret#1', phone: '13800000000', channels: ['chat'] });
    expect(alice).toMatchObject({ id: 'alice_liu', loginName: 'alice_liu', name: 'Alice Support Liu', channels: ['chat'], roleIds: ['2'], status: 'active', vendor: 'huawei-aicc' });
    expect(alice.employeeNo).toMatch(/^\d+$/);
    expect(sim.state.agentPassword('alice_liu')).toBe('Secret#1');

    // a second agent with the same local part gets -2
    const alice2 = await c.agents.create({ email: 'alice.liu@example.org', name: 'Alice Two', password: 'Secret#1' });
    expect(alice2.id).toBe('alice_liu-2');

    // get, findByEmail
    expect(await c.agents.get('alice_liu')).toEqual(alice);
    expect((await c.agents.findByEmail('ALICE.LIU@example.com'))?.id).toBe('alice_liu');
    expect(await c.agents.findByEmail('nobody@example.com')).toBeNull();
    await expect(c.agents.get('nobody01')).rejects.toBeInstanceOf(NotFoundError);

    // update
    const updated = await c.agents.update('alice_liu', { name: 'Alice L', roleIds: ['3'], phone: null });
    expect(updated).toMatchObject({ name: 'Alice L', roleIds: ['3'], phone: null });
    // a password change through oldPassWord/newPassWord
    await c.agents.update('alice_liu', { vendorFields: { oldPassWord: 'Secret#1', newPassWord: 'Newer#45' } });
    expect(sim.state.agentPassword('alice_liu')).toBe('Newer#45');

    // list paged
    for (let i = 0; i < 5; i++) sim.state.addAgent({ userAccount: `bulk00${i}`, userName: `Bulk ${i}`, email: `bulk${i}@example.com` });
    const pages: number[] = [];
    for await (const page of c.agents.list({ pageSize: 2 }).pages()) pages.push(page.length);
    // full pages of 2, or shorter ones where the reading caps them: every agent either way
    expect(pages.reduce((n, x) => n + x, 0)).toBe(7);
    expect(pages.every((x) => x >= 1 && x <= 2)).toBe(true);
    expect((await c.agents.list({ pageSize: 3 }).toArray()).map((a) => a.id).sort()).toEqual(['alice_liu', 'alice_liu-2', 'bulk000', 'bulk001', 'bulk002', 'bulk003', 'bulk004']);

    // skill queue with members
    const group = await c.groups.create({ name: 'Support', memberIds: ['alice_liu', 'bulk000', 'bulk001'] });
    expect(group).toMatchObject({ name: 'Support', memberIds: ['alice_liu', 'bulk000', 'bulk001'] });
    expect(sim.state.getGroup(Number(group.id))).toMatchObject({ mediaTypeId: 53, description: 'Support', maxWaitTime: 60, maxWaitNum: 100, maxAgentWrapupTime: 30 });
    expect((await c.agents.get('alice_liu')).groupIds).toEqual([group.id]);
    expect((await c.groups.list().toArray()).map((g) => g.name)).toContain('Support');

    // update replacing members
    const replaced = await c.groups.update(group.id, { name: 'Support_EU', memberIds: ['bulk001', 'bulk002'] });
    expect(replaced).toMatchObject({ name: 'Support_EU' });
    expect([...(replaced.memberIds ?? [])].sort()).toEqual(['bulk001', 'bulk002']);
    expect(sim.state.skillMembers(Number(group.id)).sort()).toEqual(['bulk001', 'bulk002']);
    expect((await c.groups.get(group.id)).memberIds?.sort()).toEqual(['bulk001', 'bulk002']);
    expect((await c.agents.get('alice_liu')).groupIds).toEqual([]);

    // agent groupIds through update, keeping weights
    const withSkill = await c.agents.update('alice_liu', { groupIds: [group.id], vendorFields: { skillWeights: { [group.id]: { agentWeight: 3, skillWeight: 2 } } } });
    expect(withSkill.groupIds).toEqual([group.id]);
    expect(sim.state.getAgent('alice_liu')?.skills).toEqual([{ skillId: Number(group.id), agentWeight: 3, skillWeight: 2 }]);

    // delete
    await c.groups.delete(group.id);
    await expect(c.groups.get(group.id)).rejects.toBeInstanceOf(NotFoundError);
    await c.agents.delete('alice_liu-2');
    await expect(c.agents.get('alice_liu-2')).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.agents.delete('alice_liu-2')).rejects.toBeInstanceOf(NotFoundError);

    // one token for the whole walk
    expect((sim.stats().tokenRequests ?? 0) - tokensBefore).toBe(1);
    expect(c.tokenFetches()).toBe(1);
  });

  it('a direct call never changes a name: too long or forbidden → ValidationError naming name, nothing sent', async () => {
    const c = client();
    const before = sim.stats().requests;
    const e = await c.agents.create({ email: 'long.name@example.com', name: 'A name that is far too long for Huawei', password: 'Secret#1' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['name']);
    await expect(c.groups.create({ name: 'Sales & Support' })).rejects.toBeInstanceOf(ValidationError);
    expect(sim.stats().requests).toBe(before);
    expect(c.tokenFetches()).toBe(0);
    // fitNames: true fits the name and the simulator accepts it
    const fitted = await client({ fitNames: true }).agents.create({ email: 'long.name@example.com', name: 'A name that is far too long for Huawei', password: 'Secret#1' });
    expect(fitted.name).toBe('A name that is far t');
    const group = await client({ fitNames: true }).groups.create({ name: 'Sales & Support' });
    expect(group.name).toBe('Sales_Support');
  });

  it('a 9-character password: refused by the client under the default rule, accepted where the tenant allows 8 to 32', async () => {
    const c = client();
    const attempt = c.agents.create({ email: 'nine.chars@example.com', name: 'Nine', password: 'Secret#12' });
    if (reading.sim.passwordLength === '8-to-32') expect((await attempt).id).toBe('nine_chars');
    else await expect(attempt).rejects.toBeInstanceOf(ValidationError);
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
    const clocked = await startHuaweiAiccSimulator({ ...reading.sim, now: () => now });
    try {
      const c = createHuaweiAiccClient({ baseUrl: clocked.baseUrl, ...clocked.credentials, ...reading.client(clocked), tokenTtlSeconds: 600, now: () => now });
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

  it('agents derived from emails can be deleted later (delete forbids "@" and ".")', async () => {
    const c = client();
    const a = await c.agents.create({ email: 'dot.ted@example.com', name: 'Dotted', password: 'Secret#1' });
    expect(a.id).toBe('dot_ted');
    expect((await c.agents.update(a.id, { name: '张三李四王五' })).name).toBe('张三李四王五');
    await c.agents.delete(a.id);
    await expect(c.agents.get(a.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
