/**
 * Bad KF5 replies: malformed JSON, missing fields, wrong types, extra fields, oversized pages, an HTML
 * page with 200, an empty body. Each gives an InvalidResponseError naming the field path (never a value),
 * or a tolerant parse whose model objects pass AgentSchema/GroupSchema — never a crash.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalidResponse, expectValidAgents, outcome } from '../../../test/support/validation';
import { GroupSchema, VendorError } from '@contactkit/core';
import { createKf5Client } from '@contactkit/kf5';

const ORIGIN = 'https://demo.kf5.com';
const BASE = '/apiv2';
const LEAK = 'LEAKED-VALUE-7f3e';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const client = () => createKf5Client({ baseUrl: `${ORIGIN}${BASE}`, email: 'admin@example.com', apiToken: 'bad-replies-token', retry: false });

function user(over: Record<string, unknown> = {}) {
  return {
    id: 886,
    url: `${ORIGIN}${BASE}/users/886.json`,
    email: `${LEAK}@example.com`,
    name: `${LEAK} name`,
    agent_display_name: null,
    role: 'agent',
    phone: `${LEAK}-phone`,
    language: 'zh_cn',
    status: 'active',
    groups_info: [{ id: 165, name: 'Support' }],
    custom_role_id: null,
    created_at: '2013-05-01 11:52:06',
    updated_at: '2013-05-01 11:52:06',
    ...over,
  };
}
const page = (users: unknown, extra: Record<string, unknown> = {}) => ({ users, count: Array.isArray(users) ? users.length : 0, next_page: null, previous_page: null, ...extra });

type Reply = { status?: number; body: unknown; headers?: Record<string, string> };
const raw = (body: string, contentType = 'application/json'): Reply => ({ body, headers: { 'content-type': contentType } });
const on = (method: 'get' | 'post', path: string, reply: Reply) =>
  nock(ORIGIN)[method](`${BASE}/${path}`).query(true).reply(reply.status ?? 200, reply.body as nock.Body, reply.headers);

/** an InvalidResponseError whose message names `path` (when given) and holds no value */
const expectInvalid = (error: unknown, path?: string) => expectInvalidResponse(error, [LEAK], path);

const expectAgents = expectValidAgents;

const malformed = [
  ['truncated JSON', raw(`{"users":[{"id":1,"email":"${LEAK}@x.cn"`)],
  ['an HTML page with 200', raw(`<html><body><h1>${LEAK}</h1>502 Bad Gateway</body></html>`, 'text/html')],
  ['an empty body', raw('')],
  ['a JSON array', { body: [user()] }],
  ['a JSON string', { body: JSON.stringify(LEAK) }],
  ['null', raw('null')],
] as const;

describe('kf5 agents.list with bad replies', () => {
  it.each(malformed)('%s → InvalidResponseError, no value in it', async (_name, reply) => {
    on('get', 'users.json', reply as Reply);
    expectInvalid((await outcome(client().agents.list().toArray())).error);
  });

  it.each([
    ['users missing', { count: 1 }, 'users'],
    ['users null', page(null), 'users'],
    ['a user without id', page([user({ id: undefined })]), 'users.0.id'],
    ['a user without role', page([user({ role: undefined })]), 'users.0.role'],
    ['a non-digit string id', page([user({ id: LEAK })]), 'users.0.id'],
    ['a negative id', page([user({ id: -4 })]), 'users.0.id'],
    ['groups_info with an object id', page([user({ groups_info: [{ id: { v: LEAK } }] })]), 'users.0.groups_info.0.id'],
    ['email as a number', page([user({ email: 42 })]), 'users.0.email'],
    ['count as a string', page([user()], { count: '1' }), 'count'],
    ['next_page as a number', page([user()], { next_page: 2 }), 'next_page'],
    ['a user that is null', page([null]), 'users.0'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    on('get', 'users.json', { body });
    expectInvalid((await outcome(client().agents.list().toArray())).error, path as string);
  });

  it.each([
    ['a digit-string id', user({ id: '886', custom_role_id: '7', groups_info: [{ id: '165' }] })],
    ['null arrays and nulls everywhere', user({ groups_info: null, phone: null, language: null, status: null, name: null, email: null, created_at: null })],
    ['only id and role', { id: 5, role: 'admin' }],
    ['phone as a number', user({ phone: 13800000000 })],
    ['extra fields of every type', user({ extra: { a: [1, null] }, signature: 'hi', ticket_restriction: 'all', password: LEAK, token: LEAK })],
    ['unknown status, unreadable language and timestamps', user({ status: 'frozen', language: '??', created_at: 'yesterday', updated_at: '2024-99-99 99:99:99' })],
  ])('%s → a tolerant parse that passes AgentSchema', async (_name, item) => {
    on('get', 'users.json', { body: page([item]) });
    const agents = await client().agents.list({ includeDisabled: true }).toArray();
    expect(agents).toHaveLength(1);
    expectAgents(agents);
    expect(JSON.stringify(agents[0]!.remoteData)).not.toContain(`"password"`);
  });

  it('end users and unknown roles in a list reply are filtered out, not mapped', async () => {
    on('get', 'users.json', { body: page([user({ id: 1, role: 'end_user' }), user({ id: 2, role: '' }), user({ id: 3, role: 'Agent' }), user({ id: 4 })]) });
    const agents = await client().agents.list().toArray();
    expect(agents.map((a) => a.id)).toEqual(['4']);
  });

  it('an oversized page (5,000 users for per_page=100) is tolerated: every item maps', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => user({ id: i + 1, email: `u${i}@example.com` }));
    on('get', 'users.json', { body: page(big) });
    const agents = await client().agents.list({ pageSize: 100 }).toArray();
    expect(agents).toHaveLength(5000);
    expectAgents(agents.slice(0, 50));
  });

  it('a next_page that points back to the same page is InvalidResponseError, not asked again', async () => {
    nock(ORIGIN).get(`${BASE}/users.json`).query(true).times(2).reply(200, page([user()], { next_page: `${ORIGIN}${BASE}/users.json?page=1&per_page=100&role=agent,admin` }));
    const { error } = await outcome(client().agents.list().toArray());
    expectInvalid(error);
    expect(nock.pendingMocks()).toHaveLength(1); // the repeated page was not asked again
  });

  it('a next_page off the API origin is refused (InvalidResponseError), no value in it', async () => {
    on('get', 'users.json', { body: page([user()], { next_page: `https://evil.example.net/apiv2/users.json?${LEAK}` }) });
    expectInvalid((await outcome(client().agents.list().toArray())).error);
  });
});

describe('kf5 agents.get with bad replies', () => {
  it.each(malformed)('%s → InvalidResponseError', async (_name, reply) => {
    on('get', 'users/886.json', reply as Reply);
    expectInvalid((await outcome(client().agents.get('886'))).error);
  });

  it.each([
    ['user missing', {}, 'user'],
    ['user null', { user: null }, 'user'],
    ['user as an array', { user: [user()] }, 'user'],
    ['user.groups_info as a string', { user: user({ groups_info: LEAK }) }, 'user.groups_info'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    on('get', 'users/886.json', { body });
    expectInvalid((await outcome(client().agents.get('886'))).error, path as string);
  });
});

describe('kf5 agents.create with bad replies', () => {
  const input = { email: 'new.agent@example.com', name: 'New Agent', password: 'Start-1234' };

  it.each(malformed)('%s → InvalidResponseError (the create is not retried)', async (_name, reply) => {
    const r = reply as Reply;
    on('post', 'users.json', { ...r, status: 201 });
    expectInvalid((await outcome(client().agents.create(input))).error);
  });

  it.each([
    ['user missing', { id: 5 }, 'user'],
    ['user without id', { user: user({ id: undefined }) }, 'user.id'],
    ['user with a bad id', { user: user({ id: LEAK }) }, 'user.id'],
  ])('%s → InvalidResponseError naming the field path', async (_name, body, path) => {
    on('post', 'users.json', { status: 201, body });
    expectInvalid((await outcome(client().agents.create(input))).error, path as string);
  });

  it('a 422 with a Zendesk-like error body → VendorError naming the field, not the value', async () => {
    on('post', 'users.json', { status: 422, body: { error: 'RecordInvalid', message: 'Record validation errors', errors: { phone: ['is invalid'] } } });
    const { error } = await outcome(client().agents.create(input));
    expect(error).toBeInstanceOf(VendorError);
    expect((error as Error).message).toContain('phone');
  });

  // Was a bug, fixed (kf5 errors.ts parseKf5ErrorBody): `info.fieldErrors[field] ?? []` on a plain object, so an error
  // body whose `errors` has a key "constructor" (or "toString", "valueOf"…) spreads Object.prototype's
  // function and throws "TypeError: … is not iterable" inside classify; the transport then reports a
  // retryable NetworkError ("kf5 request failed: …") instead of the 422 VendorError (a read would even be
  // retried). Fix: make fieldErrors `Object.create(null)` or a Map, or use Object.hasOwn before reading.
  it('a 422 whose errors name a field "constructor" is a VendorError, not a NetworkError', async () => {
    on('post', 'users.json', { status: 422, body: { error: 'RecordInvalid', errors: { constructor: ['is invalid'] } } });
    const { error } = await outcome(client().agents.create(input));
    expect(error, String(error)).toBeInstanceOf(VendorError);
  });
});

describe('kf5 groups with bad replies', () => {
  it.each([
    ['a group without name', { groups: [{ id: 1 }], next_page: null }, 'groups.0.name'],
    ['groups null', { groups: null }, 'groups'],
    ['an agent with a bad id', { groups: [{ id: 1, name: 'g', agents: [{ id: LEAK }] }] }, 'groups.0.agents.0.id'],
  ])('list: %s → InvalidResponseError naming the field path', async (_name, body, path) => {
    on('get', 'groups.json', { body });
    expectInvalid((await outcome(client().groups.list().toArray())).error, path as string);
  });

  it('list: agents missing or null → memberIds null, GroupSchema holds', async () => {
    on('get', 'groups.json', { body: { groups: [{ id: 1, name: 'a' }, { id: '2', name: 'b', agents: null, extra: [1] }], next_page: null } });
    const groups = await client().groups.list().toArray();
    for (const g of groups) expect(GroupSchema.safeParse(g).success).toBe(true);
    expect(groups.map((g) => g.memberIds)).toEqual([null, null]);
  });

  it.each(malformed)('create: %s → InvalidResponseError', async (_name, reply) => {
    on('post', 'groups.json', { ...(reply as Reply), status: 201 });
    expectInvalid((await outcome(client().groups.create({ name: 'Support' }))).error);
  });
});
