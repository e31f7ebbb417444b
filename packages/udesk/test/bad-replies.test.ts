/**
 * Bad Udesk replies: malformed JSON, missing fields, wrong types, extra fields, oversized pages, an
 * HTML page with 200, an empty body. Each gives an InvalidResponseError naming the field path (never a
 * value), or a tolerant parse whose model objects pass AgentSchema/GroupSchema — never a crash.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalidResponse, expectValidAgents, outcome } from '../../../test/support/validation';
import { GroupSchema, isContactKitError, type Agent } from '@contactkit/core';
import { createUdeskClient } from '@contactkit/udesk';

const ORIGIN = 'https://demo.udesk.cn';
const BASE = '/open_api_v1';
/** every value in the bad replies carries this marker: it must never reach an error message */
const LEAK = 'LEAKED-VALUE-7f3e';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const client = () =>
  createUdeskClient({
    baseUrl: `${ORIGIN}${BASE}`,
    email: 'admin@udesk.cn',
    apiToken: 'bad-replies-token',
    rateLimit: false,
    retry: false,
    defaults: { roleIds: ['1'], groupIds: ['1'], departmentIds: ['1'] },
  });

function agent(over: Record<string, unknown> = {}) {
  return {
    id: 11,
    email: `${LEAK}@example.cn`,
    nick_name: `${LEAK} name`,
    profile: 'im',
    aliase: null,
    cellphone: `${LEAK}-phone`,
    role_name: null,
    im_ability_value: 10,
    user_group_ids: [1, 2],
    number: `${LEAK}-sip`,
    password: `${LEAK}-sip-password`,
    work_id: '',
    departments: [{ id: 1, name: 'demo' }],
    disable_status: 'enable',
    lang: 'zh-cn',
    ...over,
  };
}
const detail = (over: Record<string, unknown> = {}) => agent({ agent_roles: [{ id: 3, name: 'r' }], user_groups: [{ id: 1, name: 'g' }], ...over });
const listBody = (agents: unknown, meta: unknown = { current_page: 1, total_pages: 1, total_count: Array.isArray(agents) ? agents.length : 0 }) => ({ code: 1000, meta, agents });

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };
const raw = (body: string, contentType = 'application/json'): Reply => ({ body, headers: { 'content-type': contentType } });

function listReply(reply: Reply) {
  nock(ORIGIN).get(`${BASE}/agents`).query(true).reply(reply.status ?? 200, reply.body as nock.Body, reply.headers);
}
function getReply(reply: Reply) {
  nock(ORIGIN).get(`${BASE}/agents/get_agent`).query(true).reply(reply.status ?? 200, reply.body as nock.Body, reply.headers);
}
function createReply(reply: Reply) {
  nock(ORIGIN).post(`${BASE}/agents`).query(true).reply(reply.status ?? 200, reply.body as nock.Body, reply.headers);
}

/** an InvalidResponseError whose message names `path` (when given) and holds no value */
const expectInvalid = (error: unknown, path?: string) => expectInvalidResponse(error, [LEAK], path);

function expectAgents(agents: Agent[]) {
  expectValidAgents(agents);
  for (const a of agents) {
    const remote = a.remoteData as Record<string, unknown>;
    expect(remote.password).toBeUndefined();
    expect(remote.number).toBeUndefined();
  }
}

const malformed = [
  ['truncated JSON', raw(`{"code":1000,"agents":[{"id":1,"email":"${LEAK}@x.cn"`)],
  ['an HTML page with 200', raw(`<html><body><h1>${LEAK}</h1>Service temporarily unavailable</body></html>`, 'text/html')],
  ['an empty body', raw('')],
  ['a JSON array', { body: [agent()] }],
  ['a JSON string', { body: JSON.stringify(LEAK) }],
  ['null', raw('null')],
  ['a code as a string', { body: { ...listBody([agent()]), code: '1000' } }],
  ['no code', { body: { agents: [agent()] } }],
] as const;

describe('udesk agents.list with bad replies', () => {
  it.each(malformed)('%s → InvalidResponseError, no value in it', async (_name, reply) => {
    listReply(reply as Reply);
    const { error } = await outcome(client().agents.list().toArray());
    expectInvalid(error);
  });

  it.each([
    ['agents missing', { code: 1000, meta: null }, 'agents'],
    ['agents null', listBody(null), 'agents'],
    ['an agent without id', listBody([agent({ id: undefined })]), 'agents.0.id'],
    ['an agent without email', listBody([agent(), agent({ id: 12, email: undefined })]), 'agents.1.email'],
    ['a string id', listBody([agent({ id: `${LEAK}` })]), 'agents.0.id'],
    ['a numeric-string id', listBody([agent({ id: '12' })]), 'agents.0.id'],
    ['a fractional id', listBody([agent({ id: 1.5 })]), 'agents.0.id'],
    ['a number as a string (im_ability_value)', listBody([agent({ im_ability_value: '10' })]), 'agents.0.im_ability_value'],
    ['string group ids', listBody([agent({ user_group_ids: ['1', LEAK] })]), 'agents.0.user_group_ids'],
    // the docs allow an object or an array (bad-replies covers what neither is)
    ['departments as a string', listBody([agent({ departments: LEAK })]), 'agents.0.departments'],
    ['an email as a number', listBody([agent({ email: 12345 })]), 'agents.0.email'],
    ['meta.total_pages as a string', listBody([agent()], { total_pages: '3' }), 'meta.total_pages'],
    ['an agent that is null', listBody([null]), 'agents.0'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    listReply({ body });
    const { error } = await outcome(client().agents.list().toArray());
    expectInvalid(error, path as string);
  });

  it.each([
    ['null arrays and nulls everywhere', agent({ user_group_ids: null, departments: null, nick_name: null, profile: null, lang: null, disable_status: null, cellphone: null, work_id: null })],
    ['fields missing (only id and email)', { id: 5, email: 'a@b.cn' }],
    ['extra fields of every type', agent({ extra_string: 'x', extra_obj: { a: [1, { b: null }] }, extra_arr: [null], extra_num: 1e308 })],
    ['unknown profile, status and lang', agent({ profile: 'robot', disable_status: 'frozen', lang: 'ja_jp' })],
    ['an empty nick_name and email', agent({ nick_name: '', email: '' })],
    ['availability as a string', agent({ availability: 'true' })],
  ])('%s → a tolerant parse that passes AgentSchema', async (_name, item) => {
    listReply({ body: listBody([item]) });
    const agents = await client().agents.list().toArray();
    expect(agents).toHaveLength(1);
    expectAgents(agents);
  });

  it('extra fields survive into remoteData; SIP credentials do not', async () => {
    listReply({ body: listBody([agent({ custom_field: { tier: 'gold' } })]) });
    const [a] = await client().agents.list().toArray();
    expect((a!.remoteData as Record<string, unknown>).custom_field).toEqual({ tier: 'gold' });
    expect(JSON.stringify(a)).not.toContain(`${LEAK}-sip`);
  });

  it('an oversized page (5,000 agents for per_page=100) is tolerated: every item maps', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => agent({ id: i + 1, email: `a${i}@example.cn` }));
    listReply({ body: listBody(big, { current_page: 1, total_pages: 1, total_count: 5000 }) });
    const agents = await client().agents.list({ pageSize: 100 }).toArray();
    expect(agents).toHaveLength(5000);
    expectAgents(agents.slice(0, 50));
    expect(new Set(agents.map((a) => a.id)).size).toBe(5000);
  });

  it('an oversized page without meta is tolerated, and the walk stops on the next (empty) page', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => agent({ id: i + 1, email: `a${i}@example.cn` }));
    listReply({ body: { code: 1000, agents: big } });
    listReply({ body: { code: 1000, agents: [] } });
    const agents = await client().agents.list({ pageSize: 100 }).toArray();
    expect(agents).toHaveLength(5000);
  });

  it('a page that repeats forever (same items, total_pages huge) → InvalidResponseError, not a list of duplicates', async () => {
    const page = Array.from({ length: 100 }, (_, i) => agent({ id: i + 1, email: `a${i}@example.cn` }));
    nock(ORIGIN).get(`${BASE}/agents`).query(true).times(5).reply(200, listBody(page, { total_pages: 5 }));
    const { error } = await outcome(client().agents.list({ pageSize: 100 }).toArray());
    expectInvalid(error, 'repeats');
  });

  // Was a bug, fixed (udesk mapping.ts profileToChannels): PROFILE_CHANNELS[profile] is a plain-object lookup, so a
  // reply whose profile is "constructor"/"toString"/"valueOf"… throws "TypeError: channels is not iterable"
  // out of agents.list (the whole page is lost, and it is not a ContactKitError). Fix: in profileToChannels
  // use `Object.hasOwn(PROFILE_CHANNELS, profile) ? PROFILE_CHANNELS[profile] : undefined` (same in langToLocale
  // for LANG_TO_LOCALE, where lang "constructor" yields locale = the Object function).
  it('a profile named like an Object.prototype member gives a tolerant parse, not a TypeError', async () => {
    listReply({ body: listBody([agent({ profile: 'constructor' })]) });
    const { value, error } = await outcome(client().agents.list().toArray());
    expect(isContactKitError(error) || error === undefined, String(error)).toBe(true);
    if (value) expectAgents(value);
  });

  it('a lang named like an Object.prototype member gives a string or null locale', async () => {
    listReply({ body: listBody([agent({ lang: 'constructor' })]) });
    const agents = await client().agents.list().toArray();
    expectAgents(agents);
  });
});

describe('udesk agents.get with bad replies', () => {
  it.each(malformed)('%s → InvalidResponseError', async (_name, reply) => {
    getReply(reply as Reply);
    expectInvalid((await outcome(client().agents.get('11'))).error);
  });

  it.each([
    ['agent missing', { code: 1000 }, 'agent'],
    ['agent null', { code: 1000, agent: null }, 'agent'],
    ['agent as an array', { code: 1000, agent: [detail()] }, 'agent'],
    ['agent_roles with string ids', { code: 1000, agent: detail({ agent_roles: [{ id: LEAK }] }) }, 'agent.agent_roles.0.id'],
    ['user_groups null items', { code: 1000, agent: detail({ user_groups: [null] }) }, 'agent.user_groups.0'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    getReply({ body });
    expectInvalid((await outcome(client().agents.get('11'))).error, path as string);
  });

  it.each([
    ['agent_roles null, user_groups null', detail({ agent_roles: null, user_groups: null, user_group_ids: null })],
    ['extra fields', detail({ extra: { deep: [1, 2, 3] } })],
  ])('%s → tolerant', async (_name, item) => {
    getReply({ body: { code: 1000, agent: item } });
    expectAgents([await client().agents.get('11')]);
  });
});

describe('udesk agents.create with bad replies', () => {
  const input = { email: 'new.agent@example.cn', name: 'New Agent', password: 'Start-1234' };

  it.each(malformed)('%s → InvalidResponseError (the create is not retried)', async (_name, reply) => {
    createReply(reply as Reply);
    expectInvalid((await outcome(client().agents.create(input))).error);
  });

  it.each([
    ['agent_id missing', { code: 1000 }, 'agent_id'],
    ['agent_id null', { code: 1000, agent_id: null }, 'agent_id'],
    ['agent_id as a string', { code: 1000, agent_id: LEAK }, 'agent_id'],
    ['agent_id as a numeric string', { code: 1000, agent_id: '12' }, 'agent_id'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    createReply({ body });
    expectInvalid((await outcome(client().agents.create(input))).error, path as string);
  });

  it('a good create reply followed by a malformed get_agent → InvalidResponseError', async () => {
    createReply({ body: { code: 1000, agent_id: 12 } });
    getReply(raw('{"code":1000,"agent":{'));
    expectInvalid((await outcome(client().agents.create(input))).error);
  });
});

describe('udesk groups with bad replies', () => {
  it.each([
    ['a group without name', { code: 1000, user_groups: [{ id: 1 }] }, 'user_groups.0.name'],
    ['user_groups null', { code: 1000, user_groups: null }, 'user_groups'],
    ['a member with a string id', { code: 1000, user_groups: [{ id: 1, name: 'g', agents: [{ id: LEAK }] }] }, 'user_groups.0.agents.0.id'],
  ])('list: %s → InvalidResponseError naming the field path', async (_name, body, path) => {
    nock(ORIGIN).get(`${BASE}/user_groups`).query(true).reply(200, body);
    expectInvalid((await outcome(client().groups.list().toArray())).error, path as string);
  });

  it('list: agents null or missing → memberIds null, GroupSchema holds', async () => {
    nock(ORIGIN).get(`${BASE}/user_groups`).query(true).reply(200, { code: 1000, user_groups: [{ id: 1, name: 'a', agents: null }, { id: 2, name: 'b', extra: 1 }] });
    const groups = await client().groups.list().toArray();
    for (const g of groups) expect(GroupSchema.safeParse(g).success).toBe(true);
    expect(groups.map((g) => g.memberIds)).toEqual([null, null]);
  });

  it.each(malformed)('create: %s → InvalidResponseError', async (_name, reply) => {
    const r = reply as Reply;
    nock(ORIGIN).post(`${BASE}/user_groups`).query(true).reply(200, r.body as nock.Body, r.headers);
    expectInvalid((await outcome(client().groups.create({ name: 'Support' }))).error);
  });
});
