import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NotFoundError, ValidationError } from '@contactkit/core';
import { ROLE_IDS_UNKNOWN, UDESK_REQUIRED_ID_FIELDS, roleIdsKnown } from '@contactkit/udesk';
import { BASE, api, client, recordQuery, wireAgent, wireAgentDetail, type Query } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const meta = (page: number, pages: number, count: number) => ({ current_page: page, total_pages: pages, total_count: count });

describe('agents.list', () => {
  it('sends page/per_page/with_disabled and maps list items; role ids are unknown (role_name is not a role name)', async () => {
    const seen: Query[] = [];
    api()
      .get(`${BASE}/agents`)
      .query(recordQuery(seen))
      .reply(200, { code: 1000, meta: meta(1, 1, 2), agents: [wireAgent(), wireAgent({ id: 2, email: 'b@x.com', role_name: 'admin', profile: 'all', disable_status: 'disable', lang: 'en-us' })] });
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    // no agent_roles mock: matching role_name to role names would be a request nock refuses
    const agents = await client({ logger }).agents.list({ pageSize: 50, includeDisabled: true }).toArray();
    expect(seen[0]).toMatchObject({ page: '1', per_page: '50', with_disabled: 'true' });
    expect(agents[0]).toEqual({
      id: '1',
      vendor: 'udesk',
      email: 'agent1@sample.com',
      loginName: null,
      name: 'Test Customer Service 1',
      nickname: null,
      phone: '13300000001',
      status: 'active',
      channels: ['chat'],
      roleIds: [],
      groupIds: ['1', '2'],
      departmentIds: ['1'],
      employeeNo: '',
      locale: null,
      remoteData: expect.not.objectContaining({ password: expect.anything() }),
    });
    expect(agents.map(roleIdsKnown)).toEqual([false, false]);
    expect(agents[0]!.remoteData).not.toHaveProperty('number');
    expect(agents[0]!.remoteData).toMatchObject({ role_name: 'agent', im_ability_value: 10, agent_callout_display_number: '10000000000' });
    expect(agents[1]).toMatchObject({ id: '2', status: 'disabled', channels: ['chat', 'voice', 'ticket', 'outbound'], roleIds: [], locale: 'en-US' });
    // a read is noted at debug, not warned: one line for the page, one roleIds note per agent, naming it
    expect(logger.warn).not.toHaveBeenCalled();
    const notes = logger.debug.mock.calls.filter(([message]) => message === 'contactkit: udesk mapping notes');
    expect(notes).toHaveLength(1);
    const { warnings } = notes[0]![1] as { warnings: Array<{ field: string; message: string; value: unknown }> };
    expect(warnings).toEqual([
      { field: '1.roleIds', message: ROLE_IDS_UNKNOWN, value: 'agent' },
      { field: '2.roleIds', message: ROLE_IDS_UNKNOWN, value: 'admin' },
    ]);
  });

  it('agents.get carries the real role ids (agent_roles), for the same agent the list shows as "agent"', async () => {
    api().get(`${BASE}/agents/get_agent`).query((q) => q.type === 'id' && q.content === '1').reply(200, { code: 1000, agent: wireAgentDetail() });
    const agent = await client().agents.get('1');
    expect(agent.roleIds).toEqual(['11']);
    expect(roleIdsKnown(agent)).toBe(true);
  });

  it("roleIdsOnList 'get_agent': each listed agent read again by id for its real role ids (a deleted one stays unknown)", async () => {
    api().get(`${BASE}/agents`).query(true).reply(200, { code: 1000, meta: meta(1, 1, 2), agents: [wireAgent(), wireAgent({ id: 2, email: 'b@x.com' })] });
    api().get(`${BASE}/agents/get_agent`).query((q) => q.type === 'id' && q.content === '1').reply(200, { code: 1000, agent: wireAgentDetail() });
    api().get(`${BASE}/agents/get_agent`).query((q) => q.type === 'id' && q.content === '2').reply(200, { code: 2005, message: 'The resource does not exist, please check the input parameters' });
    const agents = await client({ roleIdsOnList: 'get_agent' }).agents.list().toArray();
    expect(agents.map((a) => [a.id, a.roleIds, roleIdsKnown(a)])).toEqual([['1', ['11'], true], ['2', [], false]]);
    expect(nock.isDone()).toBe(true);
    expect(() => client({ roleIdsOnList: 'guess' } as never)).toThrow(ValidationError);
  });

  it('walks short pages while meta.total_pages says more exist (pages shorter than per_page)', async () => {
    const seen: Query[] = [];
    for (const p of [1, 2, 3]) {
      api()
        .get(`${BASE}/agents`)
        .query((q) => (q.page === String(p) ? (seen.push(q as Query), true) : false))
        .reply(200, { code: 1000, meta: meta(p, 3, 5), agents: p < 3 ? [wireAgent({ id: p * 10 }), wireAgent({ id: p * 10 + 1 })] : [wireAgent({ id: 30 })] });
    }
    const all = await client().agents.list({ pageSize: 50 }).toArray();
    expect(all.map((a) => a.id)).toEqual(['10', '11', '20', '21', '30']);
    expect(seen.map((q) => q.per_page)).toEqual(['50', '50', '50']);
  });

  it('the same list read twice walks the same pages (the count of items read is per walk)', async () => {
    for (const p of [1, 2, 1, 2]) {
      api()
        .get(`${BASE}/agents`)
        .query((q) => q.page === String(p))
        .reply(200, { code: 1000, meta: { current_page: p, count: 3 }, agents: p === 1 ? [wireAgent({ id: 1 }), wireAgent({ id: 2 })] : [wireAgent({ id: 3 })] });
    }
    const list = client().agents.list({ pageSize: 20 });
    expect((await list.toArray()).map((a) => a.id)).toEqual(['1', '2', '3']);
    expect((await list.toArray()).map((a) => a.id)).toEqual(['1', '2', '3']);
    expect(nock.isDone()).toBe(true);
  });

  it('walks short pages while meta.count (older replies) says more exist, and stops when all are seen', async () => {
    for (const p of [1, 2]) {
      api()
        .get(`${BASE}/agents`)
        .query((q) => q.page === String(p))
        .reply(200, { code: 1000, meta: { current_page: p, count: 3 }, agents: p === 1 ? [wireAgent({ id: 1 }), wireAgent({ id: 2 })] : [wireAgent({ id: 3 })] });
    }
    expect((await client().agents.list({ pageSize: 20 }).toArray()).map((a) => a.id)).toEqual(['1', '2', '3']);
    expect(nock.isDone()).toBe(true);
  });

  it('omits with_disabled by default and caps per_page at 100', async () => {
    const seen: Query[] = [];
    api().get(`${BASE}/agents`).query(recordQuery(seen)).reply(200, { code: 1000, meta: meta(1, 1, 0), agents: [] });
    expect(await client().agents.list({ pageSize: 500 }).toArray()).toEqual([]);
    expect(seen[0]).toMatchObject({ page: '1', per_page: '100' });
    expect(seen[0]).not.toHaveProperty('with_disabled');
  });

  it('walks 3 pages and stops at total_pages', async () => {
    const pages: string[] = [];
    for (const p of [1, 2, 3]) {
      api()
        .get(`${BASE}/agents`)
        .query((q) => q.page === String(p) && q.per_page === '2' && (pages.push(q.page as string), true))
        .reply(200, { code: 1000, meta: meta(p, 3, 6), agents: [wireAgent({ id: p * 10, role_name: null }), wireAgent({ id: p * 10 + 1, role_name: null })] });
    }
    const page4 = api().get(`${BASE}/agents`).query((q) => q.page === '4').reply(200, { code: 1000, meta: meta(4, 3, 6), agents: [] });
    const ids = (await client().agents.list({ pageSize: 2 }).toArray()).map((a) => a.id);
    expect(ids).toEqual(['10', '11', '20', '21', '30', '31']);
    expect(pages).toEqual(['1', '2', '3']);
    expect(page4.isDone()).toBe(false);
  });

  it('stops early with toArray({limit}) without fetching further pages', async () => {
    const p1 = api().get(`${BASE}/agents`).query((q) => q.page === '1').reply(200, { code: 1000, meta: meta(1, 3, 6), agents: [wireAgent({ id: 1, role_name: null }), wireAgent({ id: 2, role_name: null })] });
    const p2 = api().get(`${BASE}/agents`).query((q) => q.page === '2').reply(200, { code: 1000, meta: meta(2, 3, 6), agents: [wireAgent({ id: 3, role_name: null }), wireAgent({ id: 4, role_name: null })] });
    const p3 = api().get(`${BASE}/agents`).query((q) => q.page === '3').reply(200, { code: 1000, meta: meta(3, 3, 6), agents: [wireAgent({ id: 5, role_name: null })] });
    const got = await client().agents.list({ pageSize: 2 }).toArray({ limit: 3 });
    expect(got.map((a) => a.id)).toEqual(['1', '2', '3']);
    expect(p1.isDone() && p2.isDone()).toBe(true);
    expect(p3.isDone()).toBe(false);
  });

  it('pages() yields the pages as they arrive; meta.count (old replies) is honoured', async () => {
    api().get(`${BASE}/agents`).query((q) => q.page === '1').reply(200, { code: 1000, meta: { current_page: 1, count: 3 }, agents: [wireAgent({ id: 1, role_name: null }), wireAgent({ id: 2, role_name: null })] });
    api().get(`${BASE}/agents`).query((q) => q.page === '2').reply(200, { code: 1000, meta: { current_page: 2, count: 3 }, agents: [wireAgent({ id: 3, role_name: null })] });
    const sizes: number[] = [];
    for await (const page of client().agents.list({ pageSize: 2 }).pages()) sizes.push(page.length);
    expect(sizes).toEqual([2, 1]);
  });
});

describe('agents.get / findByEmail', () => {
  it('GET /agents/get_agent?type=id&content=… maps the detail (roles, groups, lang)', async () => {
    const seen: Query[] = [];
    api().get(`${BASE}/agents/get_agent`).query(recordQuery(seen)).reply(200, { code: 1000, agent: wireAgentDetail() });
    const a = await client().agents.get('1');
    expect(seen[0]).toMatchObject({ type: 'id', content: '1' });
    expect(a).toMatchObject({ id: '1', roleIds: ['11'], groupIds: ['1', '2'], departmentIds: ['1'], locale: 'zh-CN', employeeNo: '123' });
  });

  it('2005 → NotFoundError on get, null on findByEmail', async () => {
    const notFound = { code: 2005, message: 'The resource does not exist, please check the input parameters' };
    api().get(`${BASE}/agents/get_agent`).query((q) => q.type === 'id' && q.content === '99').reply(200, notFound);
    const err = await client().agents.get('99').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ vendorCode: '2005', vendor: 'udesk' });

    api().get(`${BASE}/agents/get_agent`).query((q) => q.type === 'email' && q.content === 'nobody@x.com').reply(200, notFound);
    expect(await client().agents.findByEmail('nobody@x.com')).toBeNull();
  });

  it('findByEmail sends type=email', async () => {
    api().get(`${BASE}/agents/get_agent`).query({ type: 'email', content: 'agent1@sample.com', email: /.*/, timestamp: /.*/, nonce: /.*/, sign: /.*/, sign_version: 'v2' }).reply(200, { code: 1000, agent: wireAgentDetail() });
    expect((await client().agents.findByEmail('agent1@sample.com'))?.id).toBe('1');
  });
});

describe('agents.create', () => {
  it('POST /agents {agent:{…}} with the configured defaults for absent or empty id arrays, then get_agent for the full Agent', async () => {
    let body: unknown;
    api().post(`${BASE}/agents`, (b) => ((body = b), true)).query(true).reply(200, { code: 1000, agent_id: 7 });
    api().get(`${BASE}/agents/get_agent`).query((q) => q.type === 'id' && q.content === '7').reply(200, { code: 1000, agent: wireAgentDetail({ id: 7, email: 'new@x.com' }) });
    const agent = await client().agents.create({ email: 'new@x.com', name: 'New Agent', password: 'secret-pass-1', roleIds: [] });
    expect(body).toEqual({
      agent: { email: 'new@x.com', password: 'secret-pass-1', nick_name: 'New Agent', agent_role_ids: [11], user_group_ids: [21], department_ids: [31], im_ability_value: 1 },
    });
    expect(agent).toMatchObject({ id: '7', email: 'new@x.com' });
  });

  it('readBack: false sends the POST only and answers with what was written (no get_agent, no password)', async () => {
    api().post(`${BASE}/agents`).query(true).reply(200, { code: 1000, agent_id: 7 });
    const agent = await client().agents.create({ email: 'new@x.com', name: 'New Agent', password: 'secret-pass-1', groupIds: ['22', '23'] }, { readBack: false });
    expect(agent).toEqual({
      id: '7', vendor: 'udesk', email: 'new@x.com', name: 'New Agent', loginName: null, nickname: null, phone: null, status: 'active',
      channels: [], roleIds: ['11'], groupIds: ['22', '23'], departmentIds: ['31'], employeeNo: null, locale: null,
    });
    expect(JSON.stringify(agent)).not.toContain('secret-pass-1');
    expect(nock.isDone()).toBe(true); // and disableNetConnect fails any further request
  });

  it('never sends an empty required array: without input or default, a ValidationError names each field and nothing is sent', async () => {
    const c = client({ defaults: { groupIds: ['21'] } });
    expect(c.missingDefaults()).toEqual(['roleIds', 'departmentIds']);
    expect(client({ defaults: undefined }).missingDefaults()).toEqual([...UDESK_REQUIRED_ID_FIELDS]);
    expect(client().missingDefaults()).toEqual([]);
    const err = await c.agents.create({ email: 'n@x.com', name: 'N', password: 'secret-pass-1', roleIds: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['roleIds', 'departmentIds']);
    expect(() => c.agents.preview({ email: 'n@x.com', name: 'N', password: 'secret-pass-1', roleIds: ['1'] })).toThrow(/departmentIds/);
    // given in the input, no default is needed
    const p = c.agents.preview({ email: 'n@x.com', name: 'N', password: 'secret-pass-1', roleIds: ['1'], departmentIds: ['2'] });
    expect(p.body).toMatchObject({ agent: { agent_role_ids: [1], user_group_ids: [21], department_ids: [2] } });
    expect(p.warnings).toEqual([expect.objectContaining({ field: 'groupIds', value: ['21'] })]);
  });

  it('rejects bad defaults when the client is made', () => {
    for (const defaults of [{ roleIds: [] }, { roleIds: ['x'] }, { groupIds: Array.from({ length: 11 }, (_, i) => String(i + 1)) }, { teams: ['1'] }]) {
      expect(() => client({ defaults } as never)).toThrow(ValidationError);
    }
  });

  it('custom_fields pass through vendorFields on create and update (an object, else a ValidationError)', async () => {
    const bodies: unknown[] = [];
    api().post(`${BASE}/agents`, (b) => (bodies.push(b), true)).query(true).reply(200, { code: 1000, agent_id: 7 });
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail({ id: 7 }) });
    api().put(`${BASE}/agents/7`, (b) => (bodies.push(b), true)).query(true).reply(200, { code: 1000, agent: wireAgentDetail({ id: 7 }) });
    const c = client();
    await c.agents.create({ email: 'cf@x.com', name: 'CF', password: 'secret-pass-1', vendorFields: { custom_fields: { TextField_1: '甲', SelectField_2: ['1'] } } });
    await c.agents.update('7', { vendorFields: { custom_fields: { TextField_1: '乙' } } });
    expect(bodies).toEqual([
      { agent: expect.objectContaining({ custom_fields: { TextField_1: '甲', SelectField_2: ['1'] } }) },
      { agent: { custom_fields: { TextField_1: '乙' } } },
    ]);
    await expect(c.agents.update('7', { vendorFields: { custom_fields: ['x'] } })).rejects.toMatchObject({ issues: [{ path: 'vendorFields.custom_fields' }] });
  });

  it('maps every model field and the allow-listed vendorFields', async () => {
    let body: unknown;
    api().post(`${BASE}/agents`, (b) => ((body = b), true)).query(true).reply(200, { code: 1000, agent_id: 8 });
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail({ id: 8 }) });
    await client({ defaultImAbilityValue: 5 }).agents.create({
      email: 'full@x.com',
      name: 'Full',
      password: 'secret-pass-1',
      nickname: 'Fully',
      phone: '13123456789',
      channels: ['chat', 'voice', 'ticket', 'outbound'],
      roleIds: ['1', '2'],
      groupIds: ['2'],
      departmentIds: ['1', '3'],
      employeeNo: 'E-9',
      locale: 'en-US',
      vendorFields: { duty: 'Manager', im_welcomes: 'Welcome', availability: false, avatar: 'https://a/b.png', callout_number_id: 4 },
    });
    expect(body).toEqual({
      agent: {
        email: 'full@x.com',
        password: 'secret-pass-1',
        nick_name: 'Full',
        aliase: 'Fully',
        cellphone: '13123456789',
        work_id: 'E-9',
        profile: 'all',
        lang: 'en-us',
        agent_role_ids: [1, 2],
        user_group_ids: [2],
        department_ids: [1, 3],
        im_ability_value: 5,
        duty: 'Manager',
        im_welcomes: 'Welcome',
        availability: false,
        avatar: 'https://a/b.png',
        callout_number_id: 4,
      },
    });
  });

  it('status disabled: created, then disabled by PUT (POST /agents takes no disable_status)', async () => {
    let postBody: { agent?: Record<string, unknown> } = {};
    let putBody: unknown;
    api().post(`${BASE}/agents`, (b) => ((postBody = b), true)).query(true).reply(200, { code: 1000, agent_id: 9 });
    api().put(`${BASE}/agents/9`, (b) => ((putBody = b), true)).query((q) => q.with_disabled === 'true').reply(200, { code: 1000, agent: wireAgentDetail({ id: 9, disable_status: 'disable' }) });
    const a = await client().agents.create({ email: 'off@x.com', name: 'Off', password: 'secret-pass-1', status: 'disabled' });
    expect(nock.isDone()).toBe(true);
    expect(postBody.agent).not.toHaveProperty('disable_status');
    expect(putBody).toEqual({ agent: { disable_status: 'disable' } });
    expect(a.status).toBe('disabled');
  });

  it('a create is not retried on 503 (it may have reached the server)', async () => {
    const post = api().post(`${BASE}/agents`).query(true).times(2).reply(503, 'busy');
    await expect(client().agents.create({ email: 'n@x.com', name: 'N', password: 'secret-pass-1' })).rejects.toMatchObject({ code: 'VENDOR', status: 503 });
    expect(post.pendingMocks()).toHaveLength(1);
  });

  it('preview returns the body (password redacted) and the warnings, sending nothing', () => {
    const p = client().agents.preview({ email: 'p@x.com', name: 'P', password: 'secret-pass-1', channels: ['video', 'chat'], locale: 'fr-FR', loginName: 'pp' });
    expect(p.body).toMatchObject({ agent: { email: 'p@x.com', password: '[REDACTED]', profile: 'im' } });
    expect(p.warnings.map((w) => w.field).sort()).toEqual(['channels', 'departmentIds', 'groupIds', 'locale', 'loginName', 'roleIds']);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('agents.update / delete', () => {
  it('PUT /agents/:id?with_disabled=true with only the given fields; the reply (agent_roles, user_groups, departments) is the Agent', async () => {
    let body: unknown;
    const seen: Query[] = [];
    api()
      .put(`${BASE}/agents/1`, (b) => ((body = b), true))
      .query(recordQuery(seen, { with_disabled: 'true' }))
      .reply(200, {
        code: 1000,
        agent: {
          id: 1, email: 'agent_0010@udesk.cn', nick_name: 'agent_0010', aliase: 'a10', cellphone: '158', profile: 'call',
          agent_roles: [{ id: 1, name: 'role 1' }, { id: 4, name: 'role 4' }], user_groups: [{ id: 2, name: 'G' }],
          im_ability_value: 1, departments: [{ id: 1, name: 'D1' }, { id: 3, name: 'D3' }], duty: 'M', im_welcomes: '',
          availability: true, lang: 'zh-cn', avatar: '', work_id: '1231', disable_status: 'disable', number: '981516', password: '23fece86b5841f17',
        },
      });
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const a = await client({ logger }).agents.update('1', { name: 'agent_0010', status: 'disabled', groupIds: ['2'], phone: null, locale: 'de-DE' });
    expect(body).toEqual({ agent: { nick_name: 'agent_0010', cellphone: null, disable_status: 'disable', user_group_ids: [2] } });
    expect(seen).toHaveLength(1);
    expect(a).toMatchObject({ id: '1', status: 'disabled', channels: ['voice'], roleIds: ['1', '4'], groupIds: ['2'], departmentIds: ['1', '3'], locale: 'zh-CN', employeeNo: '1231' });
    expect(a.remoteData).not.toHaveProperty('password');
    expect(logger.warn).toHaveBeenCalledWith('contactkit: udesk mapping could not carry every field', expect.objectContaining({ operation: 'agents.update' }));
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('23fece86b5841f17');
  });

  it('PUT: `password` is the log-in password; the SIP number/password read back are never sent', async () => {
    const bodies: unknown[] = [];
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail() });
    api().put(`${BASE}/agents/1`, (b) => (bodies.push(b), true)).query(true).reply(200, { code: 1000, agent: wireAgentDetail() });
    const c = client({ exposeSipCredentials: true });
    const read = await c.agents.get('1');
    expect(read.remoteData).toMatchObject({ password: 'sip-secret-8f2a1c' });
    await c.agents.update('1', { password: 'New-login-9', name: 'Renamed' });
    expect(bodies).toEqual([{ agent: { password: 'New-login-9', nick_name: 'Renamed' } }]);
    // the SIP pair is not writable through the adapter: refused before sending
    const err = await c.agents.update('1', { vendorFields: { number: '100000000', password: 'sip-secret-8f2a1c' } }).catch((e: unknown) => e);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['vendorFields.number', 'vendorFields.password']);
    expect(JSON.stringify(err)).not.toContain('sip-secret-8f2a1c');
  });

  it('exposeSipCredentials keeps number/password in remoteData', async () => {
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail() });
    const a = await client({ exposeSipCredentials: true }).agents.get('1');
    expect(a.remoteData).toMatchObject({ number: '100000000', password: 'sip-secret-8f2a1c' });
  });

  it('an empty patch sends no PUT and returns the current agent', async () => {
    const put = api().put(`${BASE}/agents/1`).query(true).reply(200, {});
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail() });
    expect((await client().agents.update('1', {})).id).toBe('1');
    expect(put.isDone()).toBe(false);
  });

  it('DELETE /agents/:id sends the required owner_group_id (and owner_id) from vendorFields', async () => {
    const bodies: unknown[] = [];
    api().delete(`${BASE}/agents/1`, (b) => (bodies.push(b), true)).query(true).reply(200, { code: 1000, message: 'deleted' });
    api().delete(`${BASE}/agents/2`, (b) => (bodies.push(b), true)).query(true).reply(200, { code: 1000, message: 'deleted' });
    const c = client();
    await c.agents.delete('1', { vendorFields: { owner_group_id: '5' } });
    await c.agents.delete('2', { vendorFields: { owner_group_id: 5, owner_id: '6' } });
    expect(bodies).toEqual([{ owner_group_id: 5 }, { owner_group_id: 5, owner_id: 6 }]);
    expect(nock.isDone()).toBe(true);
  });

  it('DELETE without owner_group_id (required by the docs) is a ValidationError naming it, and nothing is sent', async () => {
    const c = client();
    for (const vendorFields of [undefined, {}, { owner_id: 6 }, { owner_group_id: undefined }]) {
      const err = await c.agents.delete('1', { vendorFields }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues).toEqual([{ path: 'vendorFields.owner_group_id', message: expect.stringContaining('required') }]);
    }
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('raw request, capabilities, rules', () => {
  it('request() signs and classifies', async () => {
    const seen: Query[] = [];
    api().get(`${BASE}/custom_fields`).query(recordQuery(seen)).reply(200, { code: 1000, fields: [1] });
    const c = client();
    expect(await c.request({ method: 'GET', path: '/custom_fields', query: { page: 1 } })).toEqual({ code: 1000, fields: [1] });
    expect(seen[0]).toMatchObject({ page: '1', sign_version: 'v2' });
    expect(c.stats()).toMatchObject({ requests: 1, attempts: 1 });
  });

  it('capabilities: all true except roles.create and agents.statusInCreate; password rules', () => {
    const c = client();
    expect(c.vendor).toBe('udesk');
    expect(c.capabilities.roles.create).toBe(false);
    // POST /agents takes no disable_status: a disabled agent costs a create and a PUT
    expect(c.capabilities.agents.statusInCreate).toBe(false);
    const { statusInCreate: _statusInCreate, ...agents } = c.capabilities.agents;
    expect(Object.values(agents).every(Boolean)).toBe(true);
    expect(Object.values(c.capabilities.groups).every(Boolean)).toBe(true);
    expect(c.passwordRules).toMatchObject({ minLength: 6, maxLength: 255, requiredClasses: [] });
  });
});

describe('abort', () => {
  it('an aborted signal rejects with its reason and sends nothing', async () => {
    const scope = api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail() });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(client().agents.get('1', { signal: controller.signal })).rejects.toThrow('stop');
    expect(scope.isDone()).toBe(false);
  });
});
