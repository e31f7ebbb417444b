import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTenant, startUdeskSimulator, type UdeskSimulator } from '../src/index';
import { json, udeskAuth, udeskUrl } from './helpers';

let sim: UdeskSimulator;
let clock = Date.parse('2025-03-01T08:00:00Z');
const nowS = () => Math.floor(clock / 1000);

beforeAll(async () => {
  sim = await startUdeskSimulator({ now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.reset();
  sim.faults.clear();
  sim.setRateLimit(false);
});

const url = (path: string, query: Record<string, string> = {}, auth: Parameters<typeof udeskUrl>[4] = {}) =>
  udeskUrl(sim.baseUrl, path, sim.credentials, query, { timestamp: nowS(), ...auth });
const get = async (path: string, query: Record<string, string> = {}) => json(await fetch(url(path, query)));
const send = async (method: string, path: string, body?: unknown) =>
  json(
    await fetch(url(path), {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

function seedSmall() {
  const roleId = sim.state.addRole({ name: 'Customer Service' }).id;
  const dept = sim.state.addDepartment({ name: 'Support' });
  const g = sim.state.addGroup({ name: 'Group A' });
  return { roleId, deptId: dept.id, groupId: g.id };
}
const validAgent = (ids: { roleId: number; deptId: number; groupId: number }, extra: Record<string, unknown> = {}) => ({
  agent: {
    email: 'agent_001@udesk.example.com',
    password: 'agent12345',
    agent_role_ids: [ids.roleId],
    user_group_ids: [ids.groupId],
    department_ids: [ids.deptId],
    im_ability_value: 3,
    nick_name: '王伟',
    ...extra,
  },
});

describe('udesk auth (sign v2)', () => {
  it('accepts a correct signature', async () => {
    const r = await get('/agents');
    expect(r.code).toBe(1000);
    expect(r.meta).toEqual({ current_page: 1, total_pages: 0, total_count: 0 });
  });

  it('matches a hand-computed sha256 of email&token&timestamp&nonce&v2', async () => {
    const { createHash } = await import('node:crypto');
    const { email, apiToken } = sim.credentials;
    const ts = String(nowS());
    const sign = createHash('sha256').update(`${email}&${apiToken}&${ts}&fixed-nonce-1&v2`).digest('hex');
    const q = `email=${encodeURIComponent(email)}&timestamp=${ts}&nonce=fixed-nonce-1&sign_version=v2&sign=${sign}`;
    expect((await json(await fetch(`${sim.baseUrl}/agent_roles?${q}`))).code).toBe(1000);
  });

  it('2059 on a wrong signature, an unknown email, a missing sign, a wrong token, sign_version v1', async () => {
    const creds = sim.credentials;
    const cases = [
      udeskAuth(creds.email, creds.apiToken, { timestamp: nowS(), sign: 'deadbeef' }),
      udeskAuth('nobody@udesk.example.com', creds.apiToken, { timestamp: nowS() }),
      udeskAuth(creds.email, 'wrong-token', { timestamp: nowS() }),
      udeskAuth(creds.email, creds.apiToken, { timestamp: nowS(), signVersion: 'v1' }),
    ];
    const noSign = udeskAuth(creds.email, creds.apiToken, { timestamp: nowS() });
    noSign.delete('sign');
    cases.push(noSign);
    for (const q of cases) {
      const r = await json(await fetch(`${sim.baseUrl}/agents?${q}`));
      expect(r).toMatchObject({ code: 2059 });
      expect(typeof r.message).toBe('string');
    }
  });

  it('20621 when the timestamp is missing or not a number', async () => {
    const q = udeskAuth(sim.credentials.email, sim.credentials.apiToken, { timestamp: nowS() });
    q.delete('timestamp');
    const res = await fetch(`${sim.baseUrl}/agents?${q}`);
    expect(res.status).toBe(200);
    expect((await json(res)).code).toBe(20621);
    const r2 = await json(await fetch(url('/agents', {}, { timestamp: 'abc' })));
    expect(r2.code).toBe(20621);
  });

  it('20622 when the timestamp is more than 300 s off, either way; 300 s is still fine', async () => {
    expect((await json(await fetch(url('/agents', {}, { timestamp: nowS() - 301 })))).code).toBe(20622);
    expect((await json(await fetch(url('/agents', {}, { timestamp: nowS() + 301 })))).code).toBe(20622);
    expect((await json(await fetch(url('/agents', {}, { timestamp: nowS() - 300 })))).code).toBe(1000);
    // milliseconds instead of seconds is a classic bug
    expect((await json(await fetch(url('/agents', {}, { timestamp: clock })))).code).toBe(20622);
  });

  it('20623 when a nonce is reused within 15 minutes, and accepts it again after', async () => {
    const nonce = 'nonce-reuse-test';
    expect((await json(await fetch(url('/agents', {}, { nonce })))).code).toBe(1000);
    expect((await json(await fetch(url('/agents', {}, { nonce })))).code).toBe(20623);
    clock += 14 * 60_000;
    expect((await json(await fetch(url('/agents', {}, { nonce })))).code).toBe(20623);
    clock += 61_000 + 1000;
    expect((await json(await fetch(url('/agents', {}, { nonce })))).code).toBe(1000);
  });

  it('does not burn a nonce on a request that failed its signature', async () => {
    const nonce = 'nonce-not-burnt';
    expect((await json(await fetch(url('/agents', {}, { nonce, sign: 'bad' })))).code).toBe(2059);
    expect((await json(await fetch(url('/agents', {}, { nonce })))).code).toBe(1000);
  });

  it('20624 when the nonce is empty or missing', async () => {
    expect((await json(await fetch(url('/agents', {}, { nonce: '' })))).code).toBe(20624);
    const q = udeskAuth(sim.credentials.email, sim.credentials.apiToken, { timestamp: nowS() });
    q.delete('nonce');
    expect((await json(await fetch(`${sim.baseUrl}/agents?${q}`))).code).toBe(20624);
  });

  it('log_in returns open_api_auth_token unsigned; wrong password → 2005', async () => {
    const before = sim.stats().logins ?? 0;
    const ok = await json(
      await fetch(`${sim.baseUrl}/log_in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: sim.credentials.email, password: sim.credentials.password }),
      }),
    );
    expect(ok).toEqual({ code: 1000, open_api_auth_token: sim.credentials.apiToken });
    const bad = await json(
      await fetch(`${sim.baseUrl}/log_in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: sim.credentials.email, password: 'nope' }),
      }),
    );
    expect(bad.code).toBe(2005);
    expect(sim.stats().logins).toBe(before + 2);
  });

  it('rotateToken invalidates the old token; log_in hands out the new one', async () => {
    const old = sim.credentials.apiToken;
    const fresh = sim.rotateToken();
    expect(fresh).not.toBe(old);
    expect(sim.credentials.apiToken).toBe(fresh);
    const q = udeskAuth(sim.credentials.email, old, { timestamp: nowS() });
    expect((await json(await fetch(`${sim.baseUrl}/agents?${q}`))).code).toBe(2059);
    const login = await json(
      await fetch(`${sim.baseUrl}/log_in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: sim.credentials.email, password: sim.credentials.password }),
      }),
    );
    expect(login.open_api_auth_token).toBe(fresh);
    expect((await get('/agents')).code).toBe(1000);
  });

  it('unknown routes → HTTP 404 {code:404}', async () => {
    const res = await fetch(url('/nope'));
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe(404);
  });
});

describe('udesk agents', () => {
  it('creates an agent and reads it back by id and by email with roles and groups', async () => {
    const ids = seedSmall();
    const created = await send('POST', '/agents', validAgent(ids, { lang: 'en-us', profile: 'all' }));
    expect(created).toEqual({ code: 1000, agent_id: expect.any(Number) });
    const byId = await get('/agents/get_agent', { type: 'id', content: String(created.agent_id) });
    expect(byId.code).toBe(1000);
    expect(byId.agent).toMatchObject({
      id: created.agent_id,
      email: 'agent_001@udesk.example.com',
      nick_name: '王伟',
      profile: 'all',
      im_ability_value: 3,
      user_group_ids: [ids.groupId],
      departments: [{ id: ids.deptId, name: 'Support' }],
      user_groups: [{ id: ids.groupId, name: 'Group A' }],
      agent_roles: [{ id: ids.roleId, name: 'Customer Service' }],
      disable_status: 'enable',
      availability: true,
      lang: 'en-us',
    });
    // SIP secrets look real and never equal the log-in password
    expect(byId.agent.number).toMatch(/^\d{14}$/);
    expect(byId.agent.password).toMatch(/^[0-9a-f]{16}$/);
    expect(byId.agent.password).not.toBe('agent12345');
    const byEmail = await get('/agents/get_agent', { type: 'email', content: 'AGENT_001@udesk.example.com' });
    expect(byEmail.agent.id).toBe(created.agent_id);
    // membership is visible from the group side too
    const members = await get(`/user_groups/${ids.groupId}/agents`);
    expect(members.user_group.agents).toEqual([
      { id: created.agent_id, nick_name: '王伟', email: 'agent_001@udesk.example.com', cellphone: null },
    ]);
    expect(sim.state.agentLoginPassword(created.agent_id)).toBe('agent12345');
  });

  it('state returns copies: mutating them does not change the simulator', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    const copy = sim.state.getAgent(agent_id)!;
    copy.nick_name = 'changed';
    copy.user_group_ids.push(999);
    sim.state.listGroups()[0]!.agents.length = 0;
    expect(sim.state.getAgent(agent_id)!.nick_name).toBe('王伟');
    expect(sim.state.getAgent(agent_id)!.user_group_ids).toEqual([ids.groupId]);
    expect(sim.state.getGroup(ids.groupId)!.agents).toHaveLength(1);
  });

  it('get_agent for a missing agent → 2005', async () => {
    const r = await get('/agents/get_agent', { type: 'id', content: '999' });
    expect(r).toEqual({ code: 2005, message: 'The resource does not exist, please check the input parameters' });
  });

  it('rejects a create missing required fields, naming each', async () => {
    const r = await send('POST', '/agents', { agent: { email: 'x@udesk.example.com', nick_name: 'x' } });
    expect(r.code).toBe(2000);
    expect(r.message).toBe(
      'password is required, agent_role_ids is required, user_group_ids is required, department_ids is required, im_ability_value is required',
    );
    const noAgent = await send('POST', '/agents', { email: 'x@udesk.example.com' });
    expect(noAgent.code).toBe(2000);
    expect(noAgent.exception.message).toContain('agent');
    expect(sim.state.counts().agents).toBe(0);
  });

  it('rejects an occupied email (case-insensitively), password = email, >10 ids, bad profile, long email', async () => {
    const ids = seedSmall();
    expect((await send('POST', '/agents', validAgent(ids))).code).toBe(1000);
    const dup = await send('POST', '/agents', validAgent(ids, { email: 'Agent_001@UDESK.example.com' }));
    expect(dup).toEqual({ code: 2000, message: 'The email has been occupied' });
    const same = await send('POST', '/agents', validAgent(ids, { email: 'b@udesk.example.com', password: 'b@udesk.example.com' }));
    expect(same).toEqual({
      code: 2000,
      message: 'Verification failed: the password must be different from the email address',
    });
    const many = await send('POST', '/agents', validAgent(ids, { email: 'c@udesk.example.com', user_group_ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }));
    expect(many.code).toBe(2000);
    const profile = await send('POST', '/agents', validAgent(ids, { email: 'd@udesk.example.com', profile: 'boss' }));
    expect(profile).toEqual({ code: 2000, message: 'The employee type cannot be assigned this permission' });
    const long = await send('POST', '/agents', validAgent(ids, { email: `${'a'.repeat(250)}@udesk.example.com` }));
    expect(long.code).toBe(2000);
    expect(sim.state.counts().agents).toBe(1);
  });

  it('drops ids that do not exist in the company silently ("removed in the request")', async () => {
    const ids = seedSmall();
    const r = await send('POST', '/agents', validAgent(ids, { user_group_ids: [ids.groupId, 777], agent_role_ids: [888, ids.roleId] }));
    expect(r.code).toBe(1000);
    const a = sim.state.getAgent(r.agent_id)!;
    expect(a.user_group_ids).toEqual([ids.groupId]);
    expect(a.agent_roles).toEqual([{ id: ids.roleId, name: 'Customer Service' }]);
  });

  it('a required id array that is empty, or empty once non-company ids are removed → 2000 "XXX is required"', async () => {
    const ids = seedSmall();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ agent_role_ids: [] }, 'agent_role_ids is required'],
      [{ user_group_ids: [] }, 'user_group_ids is required'],
      [{ department_ids: [] }, 'department_ids is required'],
      [{ agent_role_ids: [888] }, 'agent_role_ids is required'],
      [{ agent_role_ids: [], user_group_ids: null, department_ids: undefined }, 'agent_role_ids is required, user_group_ids is required, department_ids is required'],
    ];
    for (const [extra, message] of cases) expect(await send('POST', '/agents', validAgent(ids, extra))).toEqual({ code: 2000, message });
    expect(sim.state.counts().agents).toBe(0);
  });

  it('updates only the given fields, moves groups both ways, disables', async () => {
    const ids = seedSmall();
    const g2 = sim.state.addGroup({ name: 'Group B' }).id;
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    const r = await send('PUT', `/agents/${agent_id}`, {
      agent: { nick_name: '李娜', user_group_ids: [g2], disable_status: 'disable' },
    });
    expect(r.code).toBe(1000);
    expect(r.agent).toMatchObject({
      id: agent_id,
      nick_name: '李娜',
      email: 'agent_001@udesk.example.com',
      im_ability_value: 3,
      disable_status: 'disable',
      user_groups: [{ id: g2, name: 'Group B' }],
      agent_roles: [{ id: ids.roleId, name: 'Customer Service' }],
      departments: [{ id: ids.deptId, name: 'Support' }],
    });
    expect(sim.state.getGroup(ids.groupId)!.agents).toEqual([]);
    expect(sim.state.getGroup(g2)!.agents).toEqual([{ id: agent_id, nick_name: '李娜' }]);
    // disabled agents are hidden unless with_disabled=true
    expect((await get('/agents')).agents).toHaveLength(0);
    expect((await get('/agents', { with_disabled: 'true' })).agents).toHaveLength(1);
  });

  it('update rejects an occupied email and an unknown id', async () => {
    const ids = seedSmall();
    const a = await send('POST', '/agents', validAgent(ids));
    await send('POST', '/agents', validAgent(ids, { email: 'other@udesk.example.com' }));
    expect(await send('PUT', `/agents/${a.agent_id}`, { agent: { email: 'other@udesk.example.com' } })).toEqual({
      code: 2000,
      message: 'The email has been occupied',
    });
    expect(await send('PUT', '/agents/9999', { agent: { nick_name: 'x' } })).toEqual({
      code: 2005,
      message: 'No such resource was found',
    });
  });

  it('deletes an agent (owner_group_id given) and removes it from its groups; unknown id → 2005', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    const r = await send('DELETE', `/agents/${agent_id}`, { owner_group_id: ids.groupId });
    expect(r.code).toBe(1000);
    expect(r.message).toContain(String(agent_id));
    expect(sim.state.getAgent(agent_id)).toBeUndefined();
    expect(sim.state.getGroup(ids.groupId)!.agents).toEqual([]);
    expect((await send('DELETE', `/agents/${agent_id}`)).code).toBe(2005);
  });

  it('paginates: several pages, last page, default 20, per_page cap 100', async () => {
    sim.state.seed(generateTenant({ seed: 3, agents: 45, disabledShare: 0 }));
    const p1 = await get('/agents', { page: '1', per_page: '20' });
    expect(p1.meta).toEqual({ current_page: 1, total_pages: 3, total_count: 45 });
    expect(p1.agents).toHaveLength(20);
    const p3 = await get('/agents', { page: '3', per_page: '20' });
    expect(p3.agents).toHaveLength(5);
    const p4 = await get('/agents', { page: '4', per_page: '20' });
    expect(p4.agents).toHaveLength(0);
    const all = [...p1.agents, ...(await get('/agents', { page: '2' })).agents, ...p3.agents].map((a: { id: number }) => a.id);
    expect(new Set(all).size).toBe(45);
    expect((await get('/agents')).agents).toHaveLength(20);
    expect((await get('/agents', { per_page: '100' })).agents).toHaveLength(45);
    expect(await get('/agents', { per_page: '101' })).toEqual({ code: 2000, message: 'per_page must be at most 100' });
    // list items carry user_group_ids and departments but not agent_roles
    expect(p1.agents[0]).toHaveProperty('user_group_ids');
    expect(p1.agents[0]).toHaveProperty('departments');
    expect(p1.agents[0]).not.toHaveProperty('agent_roles');
  });
});

describe('udesk groups, roles, departments', () => {
  it('user group CRUD keeps membership consistent both ways', async () => {
    const ids = seedSmall();
    const a1 = (await send('POST', '/agents', validAgent(ids, { email: 'a1@udesk.example.com' }))).agent_id;
    const a2 = (await send('POST', '/agents', validAgent(ids, { email: 'a2@udesk.example.com' }))).agent_id;
    const created = await send('POST', '/user_groups', { name: 'VIP', agent_ids: [a1, 4242] });
    expect(created.code).toBe(1000);
    expect(created.user_group).toEqual({ id: expect.any(Number), name: 'VIP', agents: [{ id: a1, nick_name: '王伟' }] });
    const gid = created.user_group.id;
    expect(sim.state.getAgent(a1)!.user_group_ids).toContain(gid);

    const upd = await send('PUT', `/user_groups/${gid}`, { name: 'VIP 2', agent_ids: [a2] });
    expect(upd.user_group).toEqual({ id: gid, name: 'VIP 2', agents: [{ id: a2, nick_name: '王伟' }] });
    expect(sim.state.getAgent(a1)!.user_group_ids).not.toContain(gid);
    expect(sim.state.getAgent(a2)!.user_group_ids).toContain(gid);

    const list = await get('/user_groups');
    expect(list.meta.total_count).toBe(2);
    expect(list.user_groups.find((g: { id: number }) => g.id === gid)).toEqual({ id: gid, name: 'VIP 2', agents: [{ id: a2, nick_name: '王伟' }] });

    expect((await send('DELETE', `/user_groups/${gid}`)).code).toBe(1000);
    expect(sim.state.getAgent(a2)!.user_group_ids).not.toContain(gid);
    expect((await send('DELETE', `/user_groups/${gid}`)).code).toBe(2005);
    expect((await get(`/user_groups/${gid}/agents`)).code).toBe(2005);
    expect((await send('POST', '/user_groups', { agent_ids: [] })).code).toBe(2000);
  });

  it('pages group members with meta', async () => {
    sim.state.seed(generateTenant({ seed: 5, agents: 60, groups: 1 }));
    const gid = sim.state.listGroups()[0]!.id;
    const total = sim.state.getGroup(gid)!.agents.length;
    const r = await get(`/user_groups/${gid}/agents`, { per_page: '10' });
    expect(r.meta).toEqual({ current_page: 1, total_pages: Math.ceil(total / 10), total_count: total });
    expect(r.user_group.agents).toHaveLength(Math.min(10, total));
    expect(r.user_group.agents[0]).toEqual({
      id: expect.any(Number),
      nick_name: expect.any(String),
      email: expect.any(String),
      cellphone: expect.toSatisfy((v: unknown) => v === null || /^1[3-9]\d{9}$/.test(String(v))),
    });
  });

  it('lists roles and the department tree', async () => {
    sim.state.seed(generateTenant({ seed: 1, agents: 1, roles: 3, departments: 5 }));
    const roles = await get('/agent_roles');
    expect(roles.agent_roles).toHaveLength(3);
    expect(roles.agent_roles[0]).toEqual({ id: expect.any(Number), name: expect.any(String), description: expect.any(String) });
    const deps = await get('/departments');
    expect(deps.departments).toHaveLength(1);
    const root = deps.departments[0];
    expect(root.sub_department.map((d: { name: string }) => d.name)).toHaveLength(3);
    expect(root.sub_department[0].sub_department).toHaveLength(1);
  });
});

describe('udesk: the docs rules (issue 12)', () => {
  const sendQ = async (method: string, path: string, query: Record<string, string>, body?: unknown) =>
    json(
      await fetch(url(path, query), {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );

  it('list items carry role_name "agent" (as the docs print it), not the name of a role; get_agent carries agent_roles', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    const [item] = (await get('/agents')).agents;
    expect(item.role_name).toBe('agent');
    expect(sim.state.listRoles().map((r) => r.name)).not.toContain(item.role_name);
    expect((await get('/agents/get_agent', { type: 'id', content: String(agent_id) })).agent.agent_roles).toEqual([{ id: ids.roleId, name: 'Customer Service' }]);
  });

  it('get_agent without type or content → 2000 "XXX is required"', async () => {
    expect(await get('/agents/get_agent', { content: '1' })).toEqual({ code: 2000, message: 'type is required' });
    expect(await get('/agents/get_agent')).toEqual({ code: 2000, message: 'type is required, content is required' });
  });

  it('with_disabled is "true" or "false" (anything else → 2000)', async () => {
    expect((await get('/agents', { with_disabled: 'false' })).code).toBe(1000);
    expect((await get('/agents', { with_disabled: 'yes' })).code).toBe(2000);
  });

  it('PUT on a disabled agent needs with_disabled=true (a URL parameter), else 2005', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    expect((await send('PUT', `/agents/${agent_id}`, { agent: { disable_status: 'disable' } })).code).toBe(1000);
    expect(await send('PUT', `/agents/${agent_id}`, { agent: { nick_name: 'x' } })).toEqual({ code: 2005, message: 'No such resource was found' });
    const r = await sendQ('PUT', `/agents/${agent_id}`, { with_disabled: 'true' }, { agent: { nick_name: 'x', disable_status: 'enable' } });
    expect(r.agent).toMatchObject({ nick_name: 'x', disable_status: 'enable' });
  });

  it('PUT `password` is the log-in password; the SIP pair is untouched (`number` is ignored); the reply has the documented fields', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    const sip = sim.state.agentSipPassword(agent_id);
    const before = sim.state.getAgent(agent_id)!.number;
    const r = await send('PUT', `/agents/${agent_id}`, { agent: { password: 'new-login-1', number: '97425540622337' } });
    expect(sim.state.agentLoginPassword(agent_id)).toBe('new-login-1');
    expect(sim.state.agentSipPassword(agent_id)).toBe(sip);
    expect(r.agent).toMatchObject({ number: before, password: sip });
    expect(Object.keys(r.agent).sort()).toEqual(
      ['id', 'email', 'nick_name', 'aliase', 'cellphone', 'profile', 'agent_roles', 'user_groups', 'im_ability_value', 'departments', 'duty', 'im_welcomes', 'availability', 'avatar', 'lang', 'agent_callout_display_number', 'disable_status', 'work_id', 'number', 'password'].sort(),
    );
  });

  it('callout_number_id must be one of the tenant trunk numbers → else "The callout_number_id value is invalid"', async () => {
    const ids = seedSmall();
    expect(await send('POST', '/agents', validAgent(ids, { callout_number_id: 5 }))).toEqual({ code: 2000, message: 'The callout_number_id value is invalid' });
  });

  it('DELETE: owner_group_id required (2000), must be a group (2005), owner_id must be in it (2005)', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    expect(await send('DELETE', `/agents/${agent_id}`)).toEqual({ code: 2000, message: 'owner_group_id is required' });
    expect(await send('DELETE', `/agents/${agent_id}`, { owner_id: agent_id })).toEqual({ code: 2000, message: 'owner_group_id is required' });
    expect(await send('DELETE', `/agents/${agent_id}`, { owner_group_id: 999 })).toEqual({ code: 2005, message: 'No such resource was found' });
    expect(await send('DELETE', `/agents/${agent_id}`, { owner_group_id: ids.groupId, owner_id: 999 })).toEqual({ code: 2005, message: 'No such resource was found' });
    expect(sim.state.getAgent(agent_id)).toBeDefined();
    expect((await send('DELETE', `/agents/${agent_id}`, { owner_group_id: ids.groupId, owner_id: agent_id })).code).toBe(1000);
  });
});

describe('udesk: refusals the API cannot cause (state flags, profile limits)', () => {
  it('11006 / 11007 on PUT for an agent with IM online / open sessions; "has responsible customers" on DELETE', async () => {
    const ids = seedSmall();
    const { agent_id } = await send('POST', '/agents', validAgent(ids));
    sim.state.setAgentFlags(agent_id, { imOnline: true });
    expect(await send('PUT', `/agents/${agent_id}`, { agent: { nick_name: 'x' } })).toEqual({ code: 11006 });
    sim.state.setAgentFlags(agent_id, { imOnline: false, openImSessions: true });
    expect(await send('PUT', `/agents/${agent_id}`, { agent: { nick_name: 'x' } })).toEqual({ code: 11007 });
    sim.state.setAgentFlags(agent_id, { openImSessions: false, responsibleTickets: true });
    expect(await send('DELETE', `/agents/${agent_id}`, { owner_group_id: ids.groupId })).toEqual({
      code: 2000,
      message: 'The customer service agent has responsible customers and cannot be deleted',
    });
    expect(sim.state.getAgent(agent_id)?.nick_name).toBe('王伟');
  });
});

describe('udesk readings (options for what the docs leave open)', () => {
  const start = async (opts: Parameters<typeof startUdeskSimulator>[0]) => {
    const s = await startUdeskSimulator({ now: () => clock, ...opts });
    const call = async (method: string, path: string, query: Record<string, string> = {}, body?: unknown) =>
      json(
        await fetch(udeskUrl(s.baseUrl, path, s.credentials, query, { timestamp: nowS() }), {
          method,
          headers: { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
    return { s, call };
  };

  it('pageCap: pages hold at most n items whatever per_page says; meta counts pages of n', async () => {
    const { s, call } = await start({ pageCap: 3 });
    try {
      s.state.seed(generateTenant({ seed: 3, agents: 7, groups: 1, disabledShare: 0 }));
      const p1 = await call('GET', '/agents', { per_page: '100' });
      expect(p1.agents).toHaveLength(3);
      expect(p1.meta).toEqual({ current_page: 1, total_pages: 3, total_count: 7 });
      const p3 = await call('GET', '/agents', { page: '3', per_page: '100' });
      expect(p3.agents).toHaveLength(1);
      const ids = [p1, await call('GET', '/agents', { page: '2', per_page: '100' }), p3].flatMap((p) => p.agents.map((a: { id: number }) => a.id));
      expect(new Set(ids).size).toBe(7);
      // a smaller per_page still wins
      expect((await call('GET', '/agents', { per_page: '2' })).agents).toHaveLength(2);
      const gid = s.state.listGroups()[0]!.id;
      expect((await call('GET', `/user_groups/${gid}/agents`, { per_page: '100' })).user_group.agents.length).toBeLessThanOrEqual(3);
      const noMeta = await start({ groupMembersMeta: false });
      try {
        const g = noMeta.s.state.addGroup({ name: 'G' });
        const members = await noMeta.call('GET', `/user_groups/${g.id}/agents`);
        expect(Object.keys(members).sort()).toEqual(['code', 'user_group']);
      } finally {
        await noMeta.s.close();
      }
      expect((await call('GET', '/user_groups', { per_page: '100' })).meta).toMatchObject({ total_pages: 1 });
    } finally {
      await s.close();
    }
    await expect(startUdeskSimulator({ pageCap: 0 })).rejects.toThrow(/pageCap/);
  });

  it('metaTotalField count and departmentsForm object: the older / table shapes', async () => {
    const { s, call } = await start({ metaTotalField: 'count', departmentsForm: 'object' });
    try {
      const d = s.state.addDepartment({ name: 'D' });
      s.state.addAgent({ email: 'o@udesk.example.com', department_ids: [d.id] });
      const r = await call('GET', '/agents');
      expect(r.meta).toEqual({ current_page: 1, total_pages: 1, count: 1 });
      expect(r.agents[0].departments).toEqual({ id: d.id, name: 'D' });
    } finally {
      await s.close();
    }
  });

  it('profileLimits: a create or a profile change beyond the limit → "The current type of employee has reached the limit"', async () => {
    const { s, call } = await start({ profileLimits: { all: 1 } });
    try {
      const roleId = s.state.addRole({ name: 'R' }).id;
      const groupId = s.state.addGroup({ name: 'G' }).id;
      const deptId = s.state.addDepartment({ name: 'D' }).id;
      const body = (extra: Record<string, unknown>) => validAgent({ roleId, groupId, deptId }, extra);
      expect((await call('POST', '/agents', {}, body({ profile: 'all' }))).code).toBe(1000);
      const full = { code: 2000, message: 'The current type of employee has reached the limit' };
      expect(await call('POST', '/agents', {}, body({ email: 'b@udesk.example.com', profile: 'all' }))).toEqual(full);
      const im = await call('POST', '/agents', {}, body({ email: 'c@udesk.example.com' }));
      expect(await call('PUT', `/agents/${im.agent_id}`, {}, { agent: { profile: 'all' } })).toEqual(full);
    } finally {
      await s.close();
    }
  });

  it("errorMessageField 'code_message': error bodies carry code_message instead of message (auth refusals too)", async () => {
    const { s, call } = await start({ errorMessageField: 'code_message' });
    try {
      expect(await call('GET', '/agents/get_agent', { type: 'id', content: '9' })).toEqual({ code: 2005, code_message: 'The resource does not exist, please check the input parameters' });
      const bad = await fetch(`${s.baseUrl}/agents?${udeskAuth(s.credentials.email, 'wrong', { timestamp: nowS() })}`);
      expect(await json(bad)).toMatchObject({ code: 2059, code_message: expect.any(String) });
      expect((await call('GET', '/agents')).code).toBe(1000);
    } finally {
      await s.close();
    }
  });

  it('deleteOwnerGroup optional: a DELETE without a body is accepted (the note), owner_id alone is not', async () => {
    const { s, call } = await start({ deleteOwnerGroup: 'optional' });
    try {
      const a = s.state.addAgent({ email: 'del@udesk.example.com' });
      expect((await call('DELETE', `/agents/${a.id}`, {}, { owner_id: a.id })).code).toBe(2000);
      expect((await call('DELETE', `/agents/${a.id}`)).code).toBe(1000);
    } finally {
      await s.close();
    }
  });

  it('requiredCustomFields: a create without them → 2000 "The resource does not exist, please check the input parameters"; given, they are kept', async () => {
    const { s, call } = await start({ requiredCustomFields: ['TextField_1'] });
    try {
      const roleId = s.state.addRole({ name: 'R' }).id;
      const groupId = s.state.addGroup({ name: 'G' }).id;
      const deptId = s.state.addDepartment({ name: 'D' }).id;
      const body = (extra: Record<string, unknown>) => validAgent({ roleId, groupId, deptId }, extra);
      expect(await call('POST', '/agents', {}, body({}))).toEqual({ code: 2000, message: 'The resource does not exist, please check the input parameters' });
      expect((await call('POST', '/agents', {}, body({ custom_fields: { TextField_1: '' } }))).code).toBe(2000);
      expect((await call('POST', '/agents', {}, body({ custom_fields: 'x' }))).code).toBe(2000);
      const ok = await call('POST', '/agents', {}, body({ custom_fields: { TextField_1: '值' } }));
      expect(ok.code).toBe(1000);
      expect(s.state.agentCustomFields(ok.agent_id)).toEqual({ TextField_1: '值' });
      expect((await call('PUT', `/agents/${ok.agent_id}`, {}, { agent: { custom_fields: { TextField_2: 'b' } } })).code).toBe(1000);
      expect(s.state.agentCustomFields(ok.agent_id)).toEqual({ TextField_1: '值', TextField_2: 'b' });
    } finally {
      await s.close();
    }
  });
});
