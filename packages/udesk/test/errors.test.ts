import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConflictError,
  InvalidResponseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  VendorError,
  type ContactKitError,
} from '@contactkit/core';
import { classifyUdeskCode } from '@contactkit/udesk';
import { BASE, api, client } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

type Cls = abstract new (...args: never[]) => ContactKitError;
const CASES: Array<[number, string, Cls, boolean]> = [
  [2000, 'The resource does not exist, please check the input parameters', VendorError, false],
  [2000, 'email is required, password is required', VendorError, false],
  [2000, 'The employee type cannot be assigned this permission', VendorError, false],
  [2000, 'The email has been occupied', ConflictError, false],
  [2000, 'The callout_number_id value is invalid', VendorError, false],
  [2000, 'The current type of employee has reached the limit', VendorError, false],
  [2000, 'Verification failed: the password must be different from the email address', VendorError, false],
  [2000, 'The customer service agent has responsible customers and cannot be deleted', ConflictError, false],
  [2000, 'Unknown error', VendorError, false],
  [2000, 'comparison of Fixnum with nil failed', VendorError, false],
  [2000, 'per_page must be at most 100', VendorError, false],
  [2005, 'The resource does not exist, please check the input parameters', NotFoundError, false],
  [2005, 'No such resource was found', NotFoundError, false],
  [11006, '', ConflictError, false],
  [11007, '', ConflictError, false],
  [2059, 'open api签名不对', AuthenticationError, false],
  [20621, 'timestamp missing', AuthenticationError, true],
  [20622, 'timestamp expired', AuthenticationError, true],
  [20623, 'nonce used', AuthenticationError, true],
  [20624, 'nonce empty', AuthenticationError, true],
  [2015, 'not admin', PermissionError, false],
  [2058, 'not paid', PermissionError, false],
  [2002, 'bad subdomain', AuthenticationError, false],
  [4242, 'something else', VendorError, false],
];

describe('vendor codes → error classes', () => {
  it.each(CASES)('code %i "%s" → %o (retryable %s)', async (code, message, cls, retryable) => {
    // DELETE is idempotent: a retryable code is retried (re-signed) until retries run out
    api().delete(`${BASE}/agents/1`).query(true).times(retryable ? 4 : 1).reply(200, { code, message });
    const err = (await client().agents.delete('1', { vendorFields: { owner_group_id: 2 } }).catch((e: unknown) => e)) as ContactKitError;
    expect(err).toBeInstanceOf(cls);
    expect(err.vendorCode).toBe(String(code));
    expect(err.retryable).toBe(retryable);
    expect(err.vendor).toBe('udesk');
    expect(err.status).toBe(200);
    if (message) expect(err.message).toContain(message);
    expect(nock.isDone()).toBe(true);
  });

  it('reads the message from code_message or exception.message too', async () => {
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { code: 2000, exception: { message: 'param is missing or the value is empty: agent' } });
    await expect(client().roles.list()).rejects.toThrow(/param is missing/);
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { code: 2000, code_message: 'via code_message' });
    await expect(client().roles.list()).rejects.toThrow(/via code_message/);
  });

  it('classifyUdeskCode: log_in refusals are authentication failures', () => {
    expect(classifyUdeskCode(2005, 'x', 'auth.logIn')).toEqual({ code: 'AUTHENTICATION', retryable: false });
    expect(classifyUdeskCode(2005, 'x')).toEqual({ code: 'NOT_FOUND', retryable: false });
  });

  it('11006 on an update is not retried', async () => {
    const put = api().put(`${BASE}/agents/1`).query(true).times(2).reply(200, { code: 11006 });
    await expect(client().agents.update('1', { name: 'x' })).rejects.toBeInstanceOf(ConflictError);
    expect(put.pendingMocks()).toHaveLength(1);
  });
});

describe('code 1000 and codes that mean "not processed"', () => {
  it('code 1000 is success even on a non-2xx HTTP status', async () => {
    api().get(`${BASE}/agent_roles`).query(true).reply(500, { code: 1000, agent_roles: [{ id: 1, name: 'Agent', description: '' }] });
    await expect(client().roles.list()).resolves.toEqual([expect.objectContaining({ id: '1', name: 'Agent' })]);
  });

  it('a create rejected with 20623 (nonce reused) is re-signed and sent again: Udesk did nothing', async () => {
    const nonces: string[] = [];
    api()
      .post(`${BASE}/agents`)
      .query((q) => (nonces.push(String(q.nonce)), true))
      .reply(200, { code: 20623, message: 'nonce used' })
      .post(`${BASE}/agents`)
      .query((q) => (nonces.push(String(q.nonce)), true))
      .reply(200, { code: 1000, agent_id: 9 })
      .get(`${BASE}/agents/get_agent`)
      .query(true)
      .reply(200, { code: 1000, agent: { id: 9, email: 'n@x.com', nick_name: 'N', disable_status: 'enable', user_group_ids: [] } });
    const agent = await client().agents.create({ email: 'n@x.com', name: 'N', password: 'secret-1' });
    expect(agent.id).toBe('9');
    expect(new Set(nonces).size).toBe(2);
  });

  it('a create that failed with 5xx is not sent again (it may have landed)', async () => {
    api().post(`${BASE}/agents`).query(true).reply(502, 'bad gateway');
    await expect(client().agents.create({ email: 'n@x.com', name: 'N', password: 'secret-1' })).rejects.toMatchObject({ code: 'VENDOR', status: 502 });
    expect(nock.isDone()).toBe(true);
  });
});

describe('retries and rate limits', () => {
  it('429 with Retry-After is retried after the wait', async () => {
    api()
      .get(`${BASE}/agent_roles`).query(true).reply(429, { code: 429, message: 'Too many requests' }, { 'Retry-After': '0' })
      .get(`${BASE}/agent_roles`).query(true).reply(200, { code: 1000, agent_roles: [] });
    const c = client();
    expect(await c.roles.list()).toEqual([]);
    expect(c.stats().retries).toBe(1);
  });

  it('429 after the retries → RateLimitError with vendorCode 429 and retryAfterMs', async () => {
    api().get(`${BASE}/agent_roles`).query(true).times(2).reply(429, { code: 429, message: 'Too many requests' }, { 'Retry-After': '0' });
    const err = await client({ retry: { retries: 1, minDelayMs: 1 } }).roles.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ vendorCode: '429', status: 429, retryable: true, retryAfterMs: 0 });
  });

  it('a Retry-After longer than maxRetryAfterMs surfaces at once as RateLimitError', async () => {
    api().get(`${BASE}/agent_roles`).query(true).reply(429, { code: 429, message: 'Too many requests' }, { 'Retry-After': '120' });
    const err = await client().roles.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ retryAfterMs: 120_000 });
  });

  it('5xx (with or without a JSON body) is retried for reads; the status decides an unknown code', async () => {
    api()
      .get(`${BASE}/agent_roles`).query(true).reply(500, { code: 500, message: 'oops' })
      .get(`${BASE}/agent_roles`).query(true).reply(502, '<html>bad gateway</html>')
      .get(`${BASE}/agent_roles`).query(true).reply(200, { code: 1000, agent_roles: [] });
    const c = client();
    expect(await c.roles.list()).toEqual([]);
    expect(c.stats().retries).toBe(2);
  });

  it('the documented 60 requests per minute are on by default; rateLimit false turns it off', async () => {
    api().get(`${BASE}/agent_roles`).query(true).times(4).reply(200, { code: 1000, agent_roles: [] });
    const limited = client({ rateLimit: undefined });
    let started = Date.now();
    await limited.roles.list();
    await limited.roles.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(limited.stats().rateLimitWaitMs).toBeGreaterThan(800);
    const free = client({ rateLimit: false });
    started = Date.now();
    await free.roles.list();
    await free.roles.list();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('a configured rate limit replaces the default', async () => {
    api().get(`${BASE}/agent_roles`).query(true).times(3).reply(200, { code: 1000, agent_roles: [] });
    const c = client({ rateLimit: { requestsPerMinute: 1200 } });
    const started = Date.now();
    for (let i = 0; i < 3; i++) await c.roles.list();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(80);
    expect(took).toBeLessThan(800);
  });
});

describe('invalid replies', () => {
  it('a reply that breaks the wire schema (agents not an array) → InvalidResponseError naming the path', async () => {
    api().get(`${BASE}/agents`).query(true).reply(200, { code: 1000, meta: {}, agents: { id: 1, password: 'sip-secret-zzzz' } });
    const err = await client().agents.list().toArray().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as Error).message).toMatch(/agents/);
    expect((err as Error).message).not.toContain('sip-secret-zzzz');
  });

  it('an agent with a string id → InvalidResponseError', async () => {
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: { id: 'x', email: 'a@b.c' } });
    await expect(client().agents.get('1')).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('malformed JSON → InvalidResponseError (a read is tried again, then gives up)', async () => {
    api().get(`${BASE}/agent_roles`).query(true).times(4).reply(200, '{"code":1000,"agent_roles":[', { 'Content-Type': 'application/json' });
    const err = await client().roles.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(nock.isDone()).toBe(true);
  });

  it('a 2xx reply without an integer code → InvalidResponseError', async () => {
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { agent_roles: [] });
    await expect(client().roles.list()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('a log_in reply without a token → InvalidResponseError', async () => {
    api().post(`${BASE}/log_in`).reply(200, { code: 1000 });
    await expect(client({ apiToken: undefined, password: 'Adm1n-Secret-Pass' }).roles.list()).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
