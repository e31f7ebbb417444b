import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '@contactkit/core';
import { startUdeskSimulator, type UdeskReadings, type UdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient, roleIdsKnown, type UdeskClientOptions } from '@contactkit/udesk';

// End to end against the testkit simulator (real HTTP on loopback). No nock here. The suite runs
// against every reading of what the Udesk docs leave open, strictest (the defaults) first.
const READINGS: Array<[string, UdeskReadings]> = [
  ['strict (defaults)', {}],
  ['pageCap 1: pages shorter than per_page', { pageCap: 1 }],
  [
    'other shapes: meta.count, departments as an object, code_message, pageCap 3, owner_group_id optional',
    { metaTotalField: 'count', departmentsForm: 'object', errorMessageField: 'code_message', pageCap: 3, deleteOwnerGroup: 'optional' },
  ],
  // without meta only a short page can end the member list: full pages (no pageCap) are the reading that works
  ['group members without meta', { groupMembersMeta: false }],
];

describe.each(READINGS)('udesk e2e (simulator, %s)', (_name, readings) => {
  let sim: UdeskSimulator;
  let roleId: string;
  let role2Id: string;
  let groupId: string;
  let deptId: string;

  beforeAll(async () => {
    sim = await startUdeskSimulator({ ...readings, requiredCustomFields: ['TextField_1'] });
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
      defaults: { roleIds: [roleId], groupIds: [groupId], departmentIds: [deptId] },
      ...over,
    } as UdeskClientOptions);
  const customFields = { custom_fields: { TextField_1: '值' } };
  /** the requests a full walk of n items takes at `pageSize` when the simulator caps pages */
  const pagesFor = (n: number, pageSize: number) => Math.ceil(n / Math.min(pageSize, readings.pageCap ?? pageSize));

  it('create → get → findByEmail → update (also while disabled) → list (paged) → delete', async () => {
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
      vendorFields: { duty: 'Lead', availability: false, custom_fields: { TextField_1: '王' } },
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
    expect(sim.state.agentCustomFields(Number(created.id))).toEqual({ TextField_1: '王' });

    expect(await c.agents.get(created.id)).toEqual(created);
    expect((await c.agents.findByEmail('wei.wang@example.cn'))?.id).toBe(created.id);
    expect(await c.agents.findByEmail('nobody@example.cn')).toBeNull();

    const updated = await c.agents.update(created.id, { name: '王伟2', status: 'disabled', channels: ['voice'], roleIds: [roleId, role2Id], phone: null });
    expect(updated).toMatchObject({ id: created.id, name: '王伟2', status: 'disabled', channels: ['voice'], roleIds: [roleId, role2Id], phone: null });
    expect(sim.state.getAgent(Number(created.id))?.disable_status).toBe('disable');
    // a disabled agent stays editable (PUT carries with_disabled); the password is the log-in one
    const sip = sim.state.agentSipPassword(Number(created.id));
    const again = await c.agents.update(created.id, { password: 'Changed-5678', vendorFields: { custom_fields: { TextField_1: '伟' } } });
    expect(again).toMatchObject({ status: 'disabled', name: '王伟2' });
    expect(sim.state.agentLoginPassword(Number(created.id))).toBe('Changed-5678');
    expect(sim.state.agentSipPassword(Number(created.id))).toBe(sip);
    expect(sim.state.agentCustomFields(Number(created.id))).toEqual({ TextField_1: '伟' });

    for (let i = 1; i <= 4; i++) await c.agents.create({ email: `a${i}@example.cn`, name: `A${i}`, password: `Pass-${i}xyz`, vendorFields: customFields });
    sim.resetStats();
    const all = await c.agents.list({ pageSize: 2, includeDisabled: true }).toArray();
    expect(all).toHaveLength(5);
    expect(new Set(all.map((a) => a.id)).size).toBe(5);
    expect(sim.stats().byRoute['GET /agents']).toBe(pagesFor(5, 2));
    // list items carry no role ids: unknown, never guessed (and no role list is fetched to guess)
    expect(sim.stats().byRoute['GET /agent_roles']).toBeUndefined();
    expect(all.every((a) => a.roleIds.length === 0 && !roleIdsKnown(a))).toBe(true);
    expect((await c.agents.get(all.find((a) => a.email === 'a1@example.cn')!.id)).roleIds).toEqual([roleId]);
    // or read again by id while listing, for callers that need them all
    const known = await make({ roleIdsOnList: 'get_agent' }).agents.list({ pageSize: 2, includeDisabled: true }).toArray();
    expect(known.find((a) => a.email === 'wei.wang@example.cn')?.roleIds).toEqual([roleId, role2Id]);
    expect(known.every(roleIdsKnown)).toBe(true);
    const active = await c.agents.list({ pageSize: 2 }).toArray();
    expect(active.map((a) => a.email)).not.toContain('wei.wang@example.cn');
    expect(active).toHaveLength(4);
    sim.resetStats();
    expect(await c.agents.list({ pageSize: 2, includeDisabled: true }).toArray({ limit: 3 })).toHaveLength(3);
    expect(sim.stats().byRoute['GET /agents']).toBe(pagesFor(3, 2));

    await c.agents.delete(created.id, { vendorFields: { owner_group_id: groupId } });
    await expect(c.agents.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('create without a required id array and without a default: ValidationError naming it, nothing sent', async () => {
    const c = make({ defaults: { roleIds: [roleId] } });
    expect(c.missingDefaults()).toEqual(['groupIds', 'departmentIds']);
    sim.resetStats();
    const err = await c.agents.create({ email: 'nodefaults@example.cn', name: 'N', password: 'Pass-nd1', groupIds: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['groupIds', 'departmentIds']);
    expect(sim.stats().requests).toBe(0);
  });

  it('delete without owner_group_id: ValidationError naming it, nothing sent', async () => {
    const c = make();
    const a = await c.agents.create({ email: 'keep@example.cn', name: 'Keep', password: 'Pass-keep1', vendorFields: customFields });
    sim.resetStats();
    await expect(c.agents.delete(a.id)).rejects.toMatchObject({ issues: [{ path: 'vendorFields.owner_group_id' }] });
    expect(sim.stats().requests).toBe(0);
    expect(sim.state.getAgent(Number(a.id))).toBeDefined();
  });

  it('refusals for states the API cannot change: 11006/11007 on update, responsible customers on delete → ConflictError', async () => {
    const c = make();
    const a = await c.agents.create({ email: 'busy@example.cn', name: 'Busy', password: 'Pass-busy1', vendorFields: customFields });
    sim.state.setAgentFlags(Number(a.id), { imOnline: true });
    await expect(c.agents.update(a.id, { name: 'x' })).rejects.toMatchObject({ code: 'CONFLICT', vendorCode: '11006' });
    sim.state.setAgentFlags(Number(a.id), { imOnline: false, openImSessions: true });
    await expect(c.agents.update(a.id, { name: 'x' })).rejects.toMatchObject({ code: 'CONFLICT', vendorCode: '11007' });
    sim.state.setAgentFlags(Number(a.id), { openImSessions: false, responsibleTickets: true });
    await expect(c.agents.delete(a.id, { vendorFields: { owner_group_id: groupId } })).rejects.toBeInstanceOf(ConflictError);
  });

  it('roles by name; departments as the flattened tree with paths', async () => {
    const c = make();
    expect((await c.roles.list()).map((r) => r.name)).toEqual(expect.arrayContaining(['客服', '客服主管']));
    expect(await c.departments.list()).toEqual(
      expect.arrayContaining([
        { id: deptId, name: 'HQ', parentId: null, path: ['HQ'] },
        expect.objectContaining({ name: 'Sales', parentId: deptId, path: ['HQ', 'Sales'] }),
      ]),
    );
  });

  it('group members walked across short pages', async () => {
    const c = make();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await c.agents.create({ email: `m${i}@example.cn`, name: `M${i}`, password: `Pass-m${i}xyz`, vendorFields: customFields })).id);
    const g = await c.groups.create({ name: 'Many', memberIds: ids });
    expect((await c.groups.get(g.id)).memberIds).toEqual(ids);
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
