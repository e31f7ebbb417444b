import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ValidationError } from '@contactkit/core';
import { signV2 } from '@contactkit/udesk';
import { BASE, EMAIL, PASSWORD, TOKEN, api, client, recordQuery, wireAgentDetail, type Query } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const VECTOR = {
  timestamp: 1494474404,
  nonce: '2d931510-d99f-494a-8c67-87feb05e1594',
  sign: 'ca7508f7762c64c295453922a7c0d9bf505b28478bf529faa56f70644366d9a1',
};

const roles = { code: 1000, agent_roles: [{ id: 1, name: 'Role 1', description: '' }] };

describe('sign v2', () => {
  it('matches the fixed vector', () => {
    expect(signV2(EMAIL, TOKEN, VECTOR.timestamp, VECTOR.nonce)).toBe(VECTOR.sign);
  });

  it('puts email, timestamp, nonce, sign_version and sign in the query of every request (fixed clock and nonce)', async () => {
    const seen: Query[] = [];
    api().get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(200, roles);
    const c = client({ now: () => VECTOR.timestamp * 1000 + 999, nonce: () => VECTOR.nonce });
    await c.roles.list();
    expect(seen).toEqual([{ email: EMAIL, timestamp: String(VECTOR.timestamp), nonce: VECTOR.nonce, sign_version: 'v2', sign: VECTOR.sign }]);
  });

  it('re-signs every retry with a fresh timestamp and nonce (503 then 200)', async () => {
    const seen: Query[] = [];
    api()
      .get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(503, 'busy')
      .get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(200, roles);
    let n = 0;
    let clock = 1_700_000_000_000;
    const c = client({ nonce: () => `nonce-${n++}`, now: () => (clock += 1000) });
    await c.roles.list();
    expect(seen).toHaveLength(2);
    const [a, b] = seen as [Query, Query];
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.timestamp).not.toBe(b.timestamp);
    expect(a.sign).not.toBe(b.sign);
    expect(b.sign).toBe(signV2(EMAIL, TOKEN, b.timestamp!, b.nonce!));
  });

  it('uses a random UUID nonce by default, different on each request', async () => {
    const seen: Query[] = [];
    api().get(`${BASE}/agent_roles`).times(2).query(recordQuery(seen)).reply(200, roles);
    const c = client();
    await c.roles.list();
    await c.roles.list();
    expect(seen[0]!.nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]!.nonce).not.toBe(seen[1]!.nonce);
    expect(Math.abs(Number(seen[0]!.timestamp) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('retries a 20623 (nonce reused) and 20622 (clock skew) with a fresh signature', async () => {
    const seen: Query[] = [];
    api()
      .get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(200, { code: 20623, message: 'nonce used' })
      .get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(200, { code: 20622, message: 'timestamp expired' })
      .get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(200, roles);
    const c = client();
    expect(await c.roles.list()).toHaveLength(1);
    expect(new Set(seen.map((q) => q.nonce)).size).toBe(3);
  });
});

describe('password → log_in', () => {
  const logIn = (reply: object = { code: 1000, open_api_auth_token: 'fetched-token-aaaa-bbbb' }) =>
    api().post(`${BASE}/log_in`, { email: EMAIL, password: PASSWORD }).reply(200, reply);

  it('logs in once, unsigned, for 10 concurrent first calls, and signs with the fetched token', async () => {
    const loginQueries: Query[] = [];
    const login = api()
      .post(`${BASE}/log_in`, { email: EMAIL, password: PASSWORD })
      .query((q) => {
        loginQueries.push(q as Query);
        return true;
      })
      .delay(20)
      .reply(200, { code: 1000, open_api_auth_token: 'fetched-token-aaaa-bbbb' });
    const seen: Query[] = [];
    api().get(`${BASE}/agent_roles`).times(10).query(recordQuery(seen)).reply(200, roles);
    const c = client({ apiToken: undefined, password: PASSWORD });
    await Promise.all(Array.from({ length: 10 }, () => c.roles.list()));
    expect(login.isDone()).toBe(true);
    expect(loginQueries).toEqual([{}]);
    expect(seen).toHaveLength(10);
    for (const q of seen) expect(q.sign).toBe(signV2(EMAIL, 'fetched-token-aaaa-bbbb', q.timestamp!, q.nonce!));
    expect(c.stats().requests).toBe(11);
  });

  it('accepts open_api_token as the reply field too', async () => {
    logIn({ code: 1000, open_api_token: 'legacy-token-field-1234' });
    const seen: Query[] = [];
    api().get(`${BASE}/agent_roles`).query(recordQuery(seen)).reply(200, roles);
    await client({ apiToken: undefined, password: PASSWORD }).roles.list();
    expect(seen[0]!.sign).toBe(signV2(EMAIL, 'legacy-token-field-1234', seen[0]!.timestamp!, seen[0]!.nonce!));
  });

  it('re-logs in once when the token is rejected (2059), then succeeds', async () => {
    logIn({ code: 1000, open_api_auth_token: 'token-one-1111' });
    logIn({ code: 1000, open_api_auth_token: 'token-two-2222' });
    const seen: Query[] = [];
    api()
      .get(`${BASE}/agents/get_agent`).query(recordQuery(seen)).reply(200, { code: 2059, message: 'open api签名不对' })
      .get(`${BASE}/agents/get_agent`).query(recordQuery(seen)).reply(200, { code: 1000, agent: wireAgentDetail() });
    const c = client({ apiToken: undefined, password: PASSWORD });
    const agent = await c.agents.get('1');
    expect(agent.id).toBe('1');
    expect(nock.isDone()).toBe(true);
    expect(seen[0]!.sign).toBe(signV2(EMAIL, 'token-one-1111', seen[0]!.timestamp!, seen[0]!.nonce!));
    expect(seen[1]!.sign).toBe(signV2(EMAIL, 'token-two-2222', seen[1]!.timestamp!, seen[1]!.nonce!));
  });

  it('re-logs in once, not twice: a second 2059 surfaces as AuthenticationError', async () => {
    const l1 = logIn({ code: 1000, open_api_auth_token: 'token-one-1111' });
    const l2 = logIn({ code: 1000, open_api_auth_token: 'token-two-2222' });
    const l3 = logIn({ code: 1000, open_api_auth_token: 'token-three-3333' });
    api().get(`${BASE}/agent_roles`).times(2).query(true).reply(200, { code: 2059, message: 'bad sign' });
    const c = client({ apiToken: undefined, password: PASSWORD });
    const err = await c.roles.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ vendorCode: '2059', retryable: false });
    expect(l1.isDone() && l2.isDone()).toBe(true);
    expect(l3.isDone()).toBe(false);
  });

  it('shares one re-login among concurrent requests rejected with the same token', async () => {
    const l1 = api().post(`${BASE}/log_in`).delay(30).reply(200, { code: 1000, open_api_auth_token: 'token-two-2222' });
    const l2 = logIn({ code: 1000, open_api_auth_token: 'token-three-3333' });
    const signedWith = (token: string) => (q: Record<string, unknown>) =>
      q.sign === signV2(EMAIL, token, q.timestamp as string, q.nonce as string);
    api().get(`${BASE}/agent_roles`).times(5).query(signedWith('token-one-1111')).reply(200, { code: 2059, message: 'bad sign' });
    api().get(`${BASE}/agent_roles`).times(5).query(signedWith('token-two-2222')).reply(200, roles);
    const c = client({ apiToken: 'token-one-1111', password: PASSWORD });
    const results = await Promise.all(Array.from({ length: 5 }, () => c.roles.list()));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(l1.isDone()).toBe(true);
    expect(l2.isDone()).toBe(false);
  });

  it('with an apiToken and no password, a 2059 is final: no log_in', async () => {
    const login = api().post(`${BASE}/log_in`).reply(200, { code: 1000, open_api_auth_token: 'x-token-xxxx' });
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { code: 2059, message: 'bad sign' });
    const err = await client().roles.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(login.isDone()).toBe(false);
  });

  it('with both apiToken and password, the password re-logs in when the token is rejected', async () => {
    logIn({ code: 1000, open_api_auth_token: 'token-two-2222' });
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { code: 2059, message: 'bad sign' });
    api()
      .get(`${BASE}/agent_roles`)
      .query((q) => q.sign === signV2(EMAIL, 'token-two-2222', q.timestamp as string, q.nonce as string))
      .reply(200, roles);
    expect(await client({ password: PASSWORD }).roles.list()).toHaveLength(1);
  });

  it('a refused log_in (wrong password, 2005) is an AuthenticationError naming no secret', async () => {
    logIn({ code: 2005, message: 'The resource does not exist, please check the input parameters' });
    const err = await client({ apiToken: undefined, password: PASSWORD }).roles.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ vendorCode: '2005' });
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain(PASSWORD);
  });

  it('the factory needs an email and apiToken or password', () => {
    expect(() => client({ apiToken: undefined })).toThrow(ValidationError);
    expect(() => client({ email: 'nope' })).toThrow(/email/);
    expect(() => client({ subdomain: 'bad domain!' })).toThrow(ValidationError);
    expect(() => client({ subdomain: undefined, baseUrl: 'http://example.com/open_api_v1' })).toThrow(/https/);
  });
});
