import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, VendorError, type ContactKitError } from '@contactkit/core';
import { startUdeskSimulator, type UdeskReadings, type UdeskSimulator } from '@contactkit/testkit';
import { signV2 } from '@contactkit/udesk';
import { BASE, api, client } from './helpers';

// Every request and response example of the seed document and of the notes (udesk.md), kept
// verbatim under fixtures/doc-examples/ (sources.json names each one's section), replayed:
// (a) the simulator accepts each documented request (our auth added) and answers in the
//     documented shape; (b) the adapter parses each documented reply exactly as printed.

const dir = new URL('./fixtures/doc-examples/', import.meta.url);
const text = (file: string) => readFileSync(new URL(file, dir), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vendor doc JSON, free-form: the assertions read it by path
type DocJson = Record<string, any>;
const doc = (file: string) => JSON.parse(text(file)) as DocJson;
const AUTH_PARAMS = ['email', 'timestamp', 'sign', 'nonce', 'sign_version'];

interface CurlRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** A documented curl example → method, path under /open_api_v1, business query (auth removed), JSON body. */
function parseCurl(file: string): CurlRequest {
  const raw = text(file);
  const url = raw.match(/curl (https:\/\/demo\.udesk\.cn\/open_api_v1\/\S+)/)![1]!;
  // the get_agent example continues its query on the next line ("&type=id&content=1")
  const continued = raw.match(/^(&\S+)$/m)?.[1] ?? '';
  const parsed = new URL(url + continued);
  const query = Object.fromEntries([...parsed.searchParams].filter(([k]) => !AUTH_PARAMS.includes(k)));
  const body = raw.match(/-d '([\s\S]*)'/)?.[1];
  return {
    method: raw.match(/-X (\w+)/)?.[1] ?? 'GET',
    path: parsed.pathname.replace(/^\/open_api_v1/, ''),
    query,
    body: body === undefined ? undefined : JSON.parse(body),
  };
}

/** What the doc example's value tells about a type: null says "may be null", nothing more. */
function expectShape(actual: unknown, documented: unknown, at = '$'): void {
  if (documented === null) return;
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), `${at} is an array`).toBe(true);
    if (documented.length > 0 && (actual as unknown[]).length > 0) expectShape((actual as unknown[])[0], documented[0], `${at}[0]`);
    return;
  }
  if (typeof documented === 'object') {
    expect(typeof actual === 'object' && actual !== null && !Array.isArray(actual), `${at} is an object`).toBe(true);
    for (const [key, value] of Object.entries(documented)) {
      expect(actual, `${at}.${key} is present`).toHaveProperty([key]);
      if ((actual as Record<string, unknown>)[key] !== null) expectShape((actual as Record<string, unknown>)[key], value, `${at}.${key}`);
    }
    return;
  }
  expect(typeof actual, `${at} has the documented type`).toBe(typeof documented);
}

const keysOf = (o: object) => Object.keys(o).sort();

describe('doc examples (a): the simulator accepts the documented requests and answers in the documented shape', () => {
  let sim: UdeskSimulator;
  const started: UdeskSimulator[] = [];

  /** a simulator holding what the examples refer to: agent 1, roles 1-4, groups 1-2, departments 1-3 */
  async function docTenant(readings: UdeskReadings = {}): Promise<UdeskSimulator> {
    const s = await startUdeskSimulator(readings);
    started.push(s);
    for (const n of [1, 2, 3, 4]) s.state.addRole({ name: `Role ${n}` });
    s.state.addGroup({ name: 'Test Group' });
    s.state.addGroup({ name: 'Agent Group 1' });
    for (const n of [1, 2, 3]) s.state.addDepartment({ name: `Department ${n}` });
    s.state.addAgent({
      id: 1,
      email: 'agent1@sample.com',
      nick_name: 'Test Customer Service 1',
      cellphone: '13300000001',
      im_ability_value: 10,
      work_id: '123',
      lang: 'zh-cn',
      agent_callout_display_number: '100000000',
      agent_role_ids: [1],
      user_group_ids: [1, 2],
      department_ids: [1],
    });
    return s;
  }

  async function replay(s: UdeskSimulator, req: CurlRequest): Promise<DocJson> {
    const { email, apiToken } = s.credentials;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID();
    const sign = createHash('sha256').update(`${email}&${apiToken}&${timestamp}&${nonce}&v2`).digest('hex');
    const q = new URLSearchParams({ ...req.query, email, timestamp, nonce, sign_version: 'v2', sign });
    const res = await fetch(`${s.baseUrl}${req.path}?${q}`, {
      method: req.method,
      headers: { 'content-type': 'application/json' },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    });
    return (await res.json()) as DocJson;
  }

  beforeAll(async () => {
    sim = await docTenant();
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.close()));
  });

  it('GET /agents?page=1&per_page=10 → {code, meta, agents} with the documented fields', async () => {
    const req = parseCurl('seed-get-agents.request.txt');
    expect(req).toMatchObject({ method: 'GET', path: '/agents', query: { page: '1', per_page: '10' } });
    const reply = await replay(sim, req);
    const documented = doc('seed-get-agents.response.json');
    expectShape(reply, documented);
    expect(keysOf(reply.agents[0])).toEqual(keysOf(documented.agents[0]));
    expect(keysOf(reply.meta)).toEqual(keysOf(documented.meta));
  });

  it('GET /agents/get_agent?type=id&content=1 → {code, agent} with user_groups and agent_roles', async () => {
    const req = parseCurl('seed-get-agent.request.txt');
    expect(req).toMatchObject({ path: '/agents/get_agent', query: { type: 'id', content: '1' } });
    const reply = await replay(sim, req);
    const documented = doc('seed-get-agent.response.json');
    expectShape(reply, documented);
    expect(keysOf(reply.agent)).toEqual(keysOf(documented.agent));
  });

  it('POST /agents (the documented body) → {code, agent_id}', async () => {
    const req = parseCurl('seed-create-agent.request.txt');
    expect(req.method).toBe('POST');
    const reply = await replay(sim, req);
    const documented = doc('seed-create-agent.response.json');
    expect(keysOf(reply)).toEqual(keysOf(documented));
    expectShape(reply, documented);
    expect(sim.state.getAgent(reply.agent_id)).toMatchObject({ email: 'agent_001@udesk.cn', profile: 'all', lang: 'en-us', availability: false });
  });

  it('PUT /agents/1 (the documented body, SIP number/password included) → {code, agent} with the documented fields', async () => {
    const req = parseCurl('seed-update-agent.request.txt');
    expect(req).toMatchObject({ method: 'PUT', path: '/agents/1' });
    const sip = sim.state.agentSipPassword(1);
    const reply = await replay(sim, req);
    const documented = doc('seed-update-agent.response.json');
    expectShape(reply, documented);
    // the reply table also lists agent_callout_display_number, which the example leaves out
    expect(keysOf(reply.agent)).toEqual(keysOf({ ...documented.agent, agent_callout_display_number: null }));
    expect(reply.agent).toMatchObject({ email: 'agent_0010@udesk.cn', agent_roles: [{ id: 1 }, { id: 4 }], departments: [{ id: 1 }, { id: 3 }] });
    // the request table's `password` is the log-in password: the SIP password stays
    expect(sim.state.agentLoginPassword(1)).toBe('6ab7d5b8d8472241');
    expect(sim.state.agentSipPassword(1)).toBe(sip);
  });

  it('GET /agent_roles → {code, agent_roles:[{id, name, description}]}', async () => {
    const req = parseCurl('seed-agent-roles.request.txt');
    const reply = await replay(sim, req);
    const documented = doc('seed-agent-roles.response.json');
    expectShape(reply, documented);
    expect(keysOf(reply.agent_roles[0])).toEqual(keysOf(documented.agent_roles[0]));
  });

  it('DELETE /agents/1 without a body: the table requires owner_group_id, the example and the note omit it (two readings)', async () => {
    const req = parseCurl('seed-delete-agent.request.txt');
    expect(req).toMatchObject({ method: 'DELETE', path: '/agents/1', body: undefined });
    // strict reading (default): the documented "XXX is required"
    expect(await replay(await docTenant(), req)).toEqual({ code: 2000, message: 'owner_group_id is required' });
    const lenient = await docTenant({ deleteOwnerGroup: 'optional' });
    const reply = await replay(lenient, req);
    const documented = doc('seed-delete-agent.response.json');
    expect(reply).toEqual(documented);
  });

  it('notes: POST /log_in {email, password} → {code, open_api_auth_token}', async () => {
    expect(text('notes-log-in.txt')).toContain('{"email": "<super admin email>", "password": "<password>"}');
    const res = await fetch(`${sim.baseUrl}/log_in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: sim.credentials.email, password: sim.credentials.password }),
    });
    const reply = (await res.json()) as Record<string, unknown>;
    expect(keysOf(reply)).toEqual(['code', 'open_api_auth_token']);
    expect(reply).toMatchObject({ code: 1000, open_api_auth_token: expect.any(String) });
  });

  it('notes: user_groups list {code, user_groups:[{id, name, agents:[{id, nick_name}]}], meta}; members {code, user_group:{id, name, agents:[{id, nick_name, email, cellphone}]}}', async () => {
    expect(text('notes-user-groups.txt')).toContain('`{code, user_groups:[{id, name, agents:[{id, nick_name}]}], meta}`');
    const list = await replay(sim, { method: 'GET', path: '/user_groups', query: {}, body: undefined });
    expectShape(list, { code: 1000, user_groups: [{ id: 1, name: '', agents: [{ id: 1, nick_name: '' }] }], meta: {} });
    const withMembers = list.user_groups.find((g: { agents: unknown[] }) => g.agents.length > 0);
    expect(keysOf(withMembers.agents[0])).toEqual(['id', 'nick_name']);
    const members = await replay(sim, { method: 'GET', path: `/user_groups/${withMembers.id}/agents`, query: {}, body: undefined });
    expect(members.user_group.agents.length).toBeGreaterThan(0);
    expectShape(members, { code: 1000, user_group: { id: 1, name: '', agents: [{ id: 1, nick_name: '', email: '', cellphone: null }] } });
  });

  it('notes: GET /departments {code, departments:[{id, name, sub_department:[…]}]}; POST {name, parent_id} → {code, id}', async () => {
    expect(text('notes-departments.txt')).toContain('`{code, departments:[{id, name, sub_department:[…recursive…]}]}`');
    const created = await replay(sim, { method: 'POST', path: '/departments', query: {}, body: { name: '销售部', parent_id: 1 } });
    expect(keysOf(created)).toEqual(['code', 'id']);
    const tree = await replay(sim, { method: 'GET', path: '/departments', query: {}, body: undefined });
    expectShape(tree, { code: 1000, departments: [{ id: 1, name: '', sub_department: [{ id: 1, name: '', sub_department: [] }] }] });
  });

  it('notes: the legacy SHA-1 signature (no nonce, no sign_version) is not v2 → 2059', async () => {
    const legacy = text('notes-legacy-sha1-example.txt').match(/`…(\/open_api_v1\/agents\?[^`]+)`/)![1]!;
    const res = await fetch(`${sim.origin}${legacy}`);
    expect(((await res.json()) as { code: number }).code).not.toBe(1000);
  });
});

describe('doc examples (b): the adapter parses each documented reply as printed (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  const reply = (method: 'get' | 'post' | 'put' | 'delete', path: string, body: unknown) => api()[method](`${BASE}${path}`).query(true).reply(200, body as nock.Body);

  it('GET /agents: nulls, "" work_id, departments array; role ids unknown (role_name "agent" is no role name)', async () => {
    reply('get', '/agents', doc('seed-get-agents.response.json'));
    const [agent] = await client().agents.list({ pageSize: 10 }).toArray();
    expect(agent).toMatchObject({ id: '1', email: 'agent1@sample.com', nickname: null, phone: '13300000001', employeeNo: '', locale: null, roleIds: [], groupIds: ['1', '2'], departmentIds: ['1'], channels: ['chat'], status: 'active' });
    expect(agent!.remoteData).not.toHaveProperty('password');
  });

  it('GET /agents/get_agent: the same agent has role 11 "Customer Service"', async () => {
    reply('get', '/agents/get_agent', doc('seed-get-agent.response.json'));
    expect(await client().agents.get('1')).toMatchObject({ id: '1', roleIds: ['11'], groupIds: ['1', '2'], departmentIds: ['1'], locale: 'zh-CN', employeeNo: '123' });
  });

  it('POST /agents → {code, agent_id}, then get_agent', async () => {
    reply('post', '/agents', doc('seed-create-agent.response.json'));
    reply('get', '/agents/get_agent', doc('seed-get-agent.response.json'));
    expect((await client().agents.create({ email: 'agent1@sample.com', name: 'A', password: 'agent12345' })).id).toBe('1');
  });

  it('PUT /agents/1 → {code, agent} without user_group_ids/role_name: ids from agent_roles, user_groups, departments', async () => {
    reply('put', '/agents/1', doc('seed-update-agent.response.json'));
    expect(await client().agents.update('1', { name: 'agent_0010' })).toMatchObject({
      id: '1', email: 'agent_0010@udesk.cn', roleIds: ['1', '4'], groupIds: ['2'], departmentIds: ['1', '3'], channels: ['chat', 'voice', 'ticket', 'outbound'], employeeNo: '1231',
    });
  });

  it('DELETE /agents/1 → {code, message}', async () => {
    reply('delete', '/agents/1', doc('seed-delete-agent.response.json'));
    await expect(client().agents.delete('1', { vendorFields: { owner_group_id: 2 } })).resolves.toBeUndefined();
    expect(nock.isDone()).toBe(true);
  });

  it('GET /agent_roles → roles (empty description → null)', async () => {
    reply('get', '/agent_roles', doc('seed-agent-roles.response.json'));
    expect(await client().roles.list()).toEqual([
      expect.objectContaining({ id: '1', name: 'Role 1', description: null }),
      expect.objectContaining({ id: '2', name: 'Role 2' }),
      expect.objectContaining({ id: '3', name: 'Role 3' }),
    ]);
  });

  it('departments as the table types it (an object) as well as the example prints it (an array)', async () => {
    const documented = doc('seed-get-agents.response.json');
    const asObject = { ...documented, agents: [{ ...documented.agents[0], departments: documented.agents[0].departments[0] }] };
    reply('get', '/agents', asObject);
    expect((await client().agents.list().toArray())[0]!.departmentIds).toEqual(['1']);
  });

  it('meta.count (older replies) as well as meta.total_count', async () => {
    expect(text('notes-pagination-meta.txt')).toContain('Old (≈2017) responses used `meta.count` instead of `total_count`');
    const documented = doc('seed-get-agents.response.json');
    const agent = documented.agents[0];
    api().get(`${BASE}/agents`).query((q) => q.page === '1').reply(200, { code: 1000, meta: { current_page: 1, count: 2 }, agents: [agent] });
    api().get(`${BASE}/agents`).query((q) => q.page === '2').reply(200, { code: 1000, meta: { current_page: 2, count: 2 }, agents: [{ ...agent, id: 2, email: 'agent2@sample.com' }] });
    expect((await client().agents.list({ pageSize: 10 }).toArray()).map((a) => a.id)).toEqual(['1', '2']);
  });

  it('the old agents example (ucpapp_subaccount, elided values) parses, the SIP account kept out of remoteData', async () => {
    const printed = text('notes-agents-old-example.txt').match(/`(\{"code":1000.*\})`/)![1]!;
    // the notes elide values with "…": an elided string stays a string, an elided object an object
    const body = JSON.parse(printed.replace(/\{…\}/g, '{}'));
    reply('get', '/agents', body);
    const [agent] = await client().agents.list().toArray();
    expect(agent).toMatchObject({ id: '1', name: '…', phone: '133…', groupIds: ['1', '2'], departmentIds: [] });
    expect(agent!.remoteData).not.toHaveProperty('ucpapp_subaccount');
  });

  it('log_in replies: open_api_auth_token, and the older open_api_token', async () => {
    const notes = text('notes-log-in.txt');
    expect(notes).toContain('{"code": 1000, "open_api_auth_token": "<uuid-like string>"}');
    expect(notes).toContain('ehe888/udesk-api-doc shows `open_api_token`');
    for (const field of ['open_api_auth_token', 'open_api_token']) {
      const token = `${field}-${randomUUID()}`;
      api().post(`${BASE}/log_in`).reply(200, { code: 1000, [field]: token });
      const seen: string[] = [];
      api()
        .get(`${BASE}/agent_roles`)
        .query((q) => (seen.push(q.sign as string), q.sign === signV2('admin@udesk.cn', token, q.timestamp as string, q.nonce as string)))
        .reply(200, doc('seed-agent-roles.response.json'));
      expect(await client({ apiToken: undefined, password: 'Adm1n-Secret-Pass' }).roles.list()).toHaveLength(3);
      expect(seen).toHaveLength(1);
    }
  });

  it('sign v2: the notes worked vector', () => {
    const vector = text('notes-sign-v2-vector.txt');
    const [, email, token, timestamp, nonce] = vector.match(/string: ([^&]+)&([^&]+)&(\d+)&([^&]+)&v2/)!;
    expect(signV2(email!, token!, timestamp!, nonce!)).toBe(vector.match(/sha256: ([0-9a-f]{64})/)![1]);
  });

  // The seed's error table, row by row (transcribed; each message is checked against the fixture text).
  const ERROR_ROWS: Array<[number, string, string | null, abstract new (...args: never[]) => ContactKitError]> = [
    [2000, 'The resource does not exist, please check the input parameters', null, VendorError],
    [2000, 'XXX is required, XXX is required', null, VendorError],
    [2000, 'The employee type cannot be assigned this permission', null, VendorError],
    [2000, 'The email has been occupied', null, ConflictError],
    [2000, 'The callout_number_id value is invalid', null, VendorError],
    [2000, 'The current type of employee has reached the limit', null, VendorError],
    [2000, 'Verification failed: the password must be different from the email address', null, VendorError],
    [2000, 'The customer service agent has responsible customers and cannot be deleted', null, ConflictError],
    [2000, 'Unknown error', 'param is missing or the value is empty: agent', VendorError],
    [2000, 'Unknown error', 'comparison of Fixnum with nil failed', VendorError],
    [2005, 'The resource does not exist, please check the input parameters', null, NotFoundError],
    [2005, 'No such resource was found', null, NotFoundError],
    [11006, '', null, ConflictError],
    [11007, '', null, ConflictError],
  ];

  it.each(ERROR_ROWS)('error table: code %i "%s" (exception %s) → its class, the text in the message', async (code, message, exception, cls) => {
    const table = text('seed-error-codes.txt');
    for (const part of [message, exception]) if (part) expect(table).toContain(part);
    reply('delete', '/agents/1', { code, message: message || null, ...(exception ? { exception: { message: exception } } : {}) });
    const err = (await client().agents.delete('1', { vendorFields: { owner_group_id: 2 } }).catch((e: unknown) => e)) as ContactKitError;
    expect(err).toBeInstanceOf(cls);
    expect(err.vendorCode).toBe(String(code));
    if (message) expect(err.message).toContain(message);
  });

  it('error bodies with code_message or only exception.message (notes §4) are read like message', async () => {
    expect(text('notes-error-envelope.txt')).toContain('Parse `message ?? code_message ?? exception.message`');
    const bodies = [
      { code: 2000, code_message: 'The email has been occupied' },
      { code: 2000, message: '', exception: { message: 'The email has been occupied' } },
      { code: 2000, message: null, code_message: 'The email has been occupied' },
    ];
    for (const body of bodies) {
      reply('delete', '/agents/1', body);
      const err = await client().agents.delete('1', { vendorFields: { owner_group_id: 2 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as Error).message).toContain('The email has been occupied');
    }
  });
});
