/**
 * Bad Huawei AICC replies: malformed JSON, missing fields, wrong types, extra fields, oversized pages, an
 * HTML page with 200, an empty body — on the calls and on the token endpoint. Each gives an
 * InvalidResponseError naming the field path (never a value), or a tolerant parse whose model objects
 * pass AgentSchema/GroupSchema — never a crash.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalidResponse, expectValidAgents, outcome } from '../../../test/support/validation';
import { GroupSchema, isContactKitError } from '@contactkit/core';
import { createHuaweiAiccClient } from '../src';

const ORIGIN = 'https://aicc.example.com';
const TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';
const API = '/apiaccess/rest/cc-management/v1';
const LEAK = 'LEAKED-VALUE-7f3e';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const client = () => createHuaweiAiccClient({ baseUrl: ORIGIN, appKey: 'bad-replies-key', appSecret: 'bad-replies-secret', retry: false });

function token() {
  nock(ORIGIN)
    .post(TOKEN_PATH)
    .reply(200, { AccessToken: 'tok-bad-replies', ApplyType: 'Bearer', CreateTime: String(Math.floor(Date.now() / 1000)), Expires: '600' });
}

function wireAgent(over: Record<string, unknown> = {}) {
  return {
    userAccount: 'alice.liu',
    userName: `${LEAK}`,
    phone: `${LEAK}-phone`,
    email: `${LEAK}@example.com`,
    agentType: 5,
    ccRoleId: 2,
    sipAccount: '88880001',
    skills: [{ skillId: 3, agentWeight: 2, skillWeight: 1 }],
    workNo: 108,
    ...over,
  };
}
const query = (data: unknown, extra: Record<string, unknown> = {}) => ({ resultCode: '0', resultMessage: 'ok', data, total: Array.isArray(data) ? data.length : 0, ...extra });

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };
const raw = (body: string, contentType = 'application/json'): Reply => ({ body, headers: { 'content-type': contentType } });
const on = (op: string, reply: Reply) => nock(ORIGIN).post(`${API}/${op}`).reply(reply.status ?? 200, reply.body as nock.Body, reply.headers);

/** an InvalidResponseError whose message names `path` (when given) and holds no value */
const expectInvalid = (error: unknown, path?: string) => expectInvalidResponse(error, [LEAK, 'bad-replies-secret', 'tok-bad-replies'], path);

const expectAgents = expectValidAgents;

const malformed = [
  ['truncated JSON', raw(`{"resultCode":"0","data":[{"userAccount":"${LEAK}"`)],
  ['an HTML page with 200', raw(`<html><body><h1>${LEAK}</h1>Bad Gateway</body></html>`, 'text/html')],
  ['an empty body', raw('')],
  ['a JSON array', { body: [wireAgent()] }],
  ['a JSON string', { body: JSON.stringify(LEAK) }],
  ['null', raw('null')],
  ['no result code', { body: { data: [wireAgent()] } }],
] as const;

describe('huawei-aicc token endpoint with bad replies', () => {
  it.each([
    ...malformed,
    ['no AccessToken', { body: { ApplyType: 'Bearer', Expires: '600' } }],
    ['an empty AccessToken', { body: { AccessToken: '', Expires: '600' } }],
    ['AccessToken as a number', { body: { AccessToken: 12345, Expires: '600' } }],
  ] as const)('%s → InvalidResponseError on the first call', async (_name, reply) => {
    const r = reply as Reply;
    nock(ORIGIN).post(TOKEN_PATH).reply(r.status ?? 200, r.body as nock.Body, r.headers);
    expectInvalid((await outcome(client().agents.list().toArray())).error);
  });

  it('Expires / CreateTime that are not numbers are tolerated (the requested lifetime is used)', async () => {
    nock(ORIGIN).post(TOKEN_PATH).reply(200, { AccessToken: 'tok-odd', Expires: LEAK, CreateTime: 'yesterday' });
    on('agentAccount/query', { body: query([wireAgent()]) });
    expectAgents(await client().agents.list().toArray());
  });
});

describe('huawei-aicc agents.list with bad replies', () => {
  it.each(malformed)('%s → InvalidResponseError, no value in it', async (_name, reply) => {
    token();
    on('agentAccount/query', reply as Reply);
    expectInvalid((await outcome(client().agents.list().toArray())).error);
  });

  it.each([
    ['an agent without userAccount', query([wireAgent({ userAccount: undefined })]), 'data.0.userAccount'],
    ['an empty userAccount', query([wireAgent({ userAccount: '' })]), 'data.0.userAccount'],
    ['userAccount as a number', query([wireAgent({ userAccount: 1234567 })]), 'data.0.userAccount'],
    ['skills as an object', query([wireAgent({ skills: { skillId: 3 } })]), 'data.0.skills'],
    ['a skill without skillId', query([wireAgent({ skills: [{ agentWeight: 1 }] })]), 'data.0.skills.0.skillId'],
    ['email as a number', query([wireAgent({ email: 5 })]), 'data.0.email'],
    ['data as an object', query({ 0: wireAgent() }), 'data'],
    ['an agent that is null', query([null]), 'data.0'],
    ['total as an object', query([wireAgent()], { total: { n: 1 } }), 'total'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    token();
    on('agentAccount/query', { body });
    expectInvalid((await outcome(client().agents.list().toArray())).error, path as string);
  });

  it.each([
    ['data null', query(null), 0],
    ['data missing', { resultCode: '0' }, 0],
    ['numbers as strings (agentType, ccRoleId, workNo, skillId, weights, resultCode as a number)', { ...query([wireAgent({ agentType: '99', ccRoleId: '3', workNo: '108', skills: [{ skillId: '3', agentWeight: '2', skillWeight: '1' }] })]), resultCode: 0 }, 1],
    ['nulls everywhere', query([{ userAccount: 'bob.chen', userName: null, phone: null, email: null, agentType: null, ccRoleId: null, skills: null, workNo: null }]), 1],
    ['unknown agentType / ccRoleId (255, 7, "x")', query([wireAgent({ agentType: 255, ccRoleId: 7 }), wireAgent({ userAccount: 'x.agent01', agentType: 'x', ccRoleId: 'y' })]), 2],
    ['extra fields', query([wireAgent({ extra: { deep: [1, null] }, transparentDisplayFlag: 'maybe' })]), 1],
  ])('%s → a tolerant parse that passes AgentSchema', async (_name, body, n) => {
    token();
    on('agentAccount/query', { body });
    const agents = await client().agents.list().toArray();
    expect(agents).toHaveLength(n as number);
    expectAgents(agents);
  });

  it('an oversized page (5,000 agents for pageSize=100) is tolerated: every item maps', async () => {
    token();
    const big = Array.from({ length: 5000 }, (_, i) => wireAgent({ userAccount: `agent${String(i).padStart(5, '0')}`, email: `a${i}@example.com` }));
    on('agentAccount/query', { body: query(big, { total: 5000 }) });
    const agents = await client().agents.list({ pageSize: 100 }).toArray();
    expect(agents).toHaveLength(5000);
    expectAgents(agents.slice(0, 50));
  });

  it('an oversized page without total is tolerated, and the walk stops on the next (empty) page', async () => {
    token();
    const big = Array.from({ length: 5000 }, (_, i) => wireAgent({ userAccount: `agent${String(i).padStart(5, '0')}` }));
    on('agentAccount/query', { body: { resultCode: '0', data: big } });
    on('agentAccount/query', { body: { resultCode: '0', data: [] } });
    expect(await client().agents.list({ pageSize: 100 }).toArray()).toHaveLength(5000);
  });

  // Was a bug, fixed (huawei wire.ts): WireSkillBindingSchema.skillId is NumOrStr, so a reply with skillId "" passes
  // the wire schema and the model gets groupIds [""], which AgentSchema rejects (ids must not be empty).
  // Fix: skillId: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]) in
  // WireSkillBindingSchema and WireSkillSchema, so such a reply is an InvalidResponseError.
  it('a skill binding with skillId "" is an InvalidResponseError or maps to valid ids', async () => {
    token();
    on('agentAccount/query', { body: query([wireAgent({ skills: [{ skillId: '', agentWeight: 1, skillWeight: 1 }] })]) });
    const { value, error } = await outcome(client().agents.list().toArray());
    if (error) expectInvalid(error);
    else expectAgents(value!);
  });
});

describe('huawei-aicc agents.get / create with bad replies', () => {
  it.each(malformed)('get: %s → InvalidResponseError', async (_name, reply) => {
    token();
    on('agentAccount/query', reply as Reply);
    expectInvalid((await outcome(client().agents.get('alice.liu'))).error);
  });

  const input = { email: 'new.agent@example.com', name: 'New Agent', password: 'Start-1!', loginName: 'new.agent' };

  it.each(malformed)('create: %s → InvalidResponseError (the create is not retried)', async (_name, reply) => {
    token();
    on('agentAccount/create', reply as Reply);
    expectInvalid((await outcome(client().agents.create(input))).error);
  });

  it('create: resultCode as an object → a non-retryable ContactKitError without the value (read as a business failure)', async () => {
    token();
    on('agentAccount/create', { body: { resultCode: { v: LEAK } } });
    const { error } = await outcome(client().agents.create(input));
    expect(isContactKitError(error), String(error)).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(LEAK);
  });

  it.each([
    ['workNo as an object', { resultCode: '0', workNo: { v: LEAK } }, 'workNo'],
  ])('create: %s → InvalidResponseError naming the field path', async (_name, body, path) => {
    token();
    on('agentAccount/create', { body });
    expectInvalid((await outcome(client().agents.create(input))).error, path as string);
  });

  it('create succeeded but the read-back is not there yet: the Agent is built from what was sent, without the password', async () => {
    token();
    on('agentAccount/create', { body: { resultCode: '0', workNo: '777' } });
    on('agentAccount/query', { body: query([]) });
    const agent = await client().agents.create(input);
    expectAgents([agent]);
    expect(JSON.stringify(agent)).not.toContain(input.password);
  });
});

describe('huawei-aicc groups with bad replies', () => {
  it.each([
    ['a skill without name', { returnCode: '0', data: [{ skillId: 1 }] }, 'data.0.name'],
    ['a skill without skillId', { returnCode: '0', data: [{ name: 'x' }] }, 'data.0.skillId'],
    ['data as a string', { returnCode: '0', data: LEAK }, 'data'],
  ])('list: %s → InvalidResponseError naming the field path', async (_name, body, path) => {
    token();
    on('skill/querySkills', { body });
    expectInvalid((await outcome(client().groups.list().toArray())).error, path as string);
  });

  it.each(malformed)('list: %s → InvalidResponseError', async (_name, reply) => {
    token();
    on('skill/querySkills', reply as Reply);
    expectInvalid((await outcome(client().groups.list().toArray())).error);
  });

  it('list: data null, string ids and extra fields are tolerated; GroupSchema holds', async () => {
    token();
    on('skill/querySkills', { body: { returnCode: '0', data: [{ skillId: '4', name: 'a', mediaTypeId: '53', extra: [1] }, { skillId: 5, name: 'b', skillParam: null }], total: '2' } });
    const groups = await client().groups.list().toArray();
    expect(groups).toHaveLength(2);
    for (const g of groups) expect(GroupSchema.safeParse(g).success).toBe(true);
  });

  it('create: a createSkill reply without skillId, and no queue found by name → InvalidResponseError', async () => {
    token();
    on('skill/createSkill', { body: { returnCode: '0', description: 'success' } });
    on('skill/querySkills', { body: { returnCode: '0', data: [] } });
    expectInvalid((await outcome(client().groups.create({ name: 'Support' }))).error);
  });
});
