import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, PermissionError, VendorError, ValidationError, isContactKitError, type RequestInfo } from '@contactkit/core';
import { API, APP_KEY, APP_SECRET, BASE, TOKEN_PATH, client, queryReply, tokenEndpoint, tokenReply, wireAgent } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});
afterAll(() => nock.enableNetConnect());

describe('token request', () => {
  it('POSTs app_key/app_secret with X-Token-Expire, then sends Bearer and x-app-key', async () => {
    const token = tokenEndpoint();
    const api = nock(BASE)
      .post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 })
      .matchHeader('authorization', 'Bearer tok-1')
      .matchHeader('x-app-key', APP_KEY)
      .matchHeader('content-type', /application\/json/)
      .reply(200, queryReply([wireAgent('alice01')]));
    const c = client({ tokenTtlSeconds: 900 });
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(1);
    expect(token.state.bodies[0]).toEqual({ app_key: APP_KEY, app_secret: APP_SECRET });
    expect(token.state.headers[0]?.['x-token-expire']).toBe('900');
    expect(token.state.headers[0]?.authorization).toBeUndefined();
    expect(api.isDone()).toBe(true);
    expect(c.tokenFetches()).toBe(1);
  });

  it('fetches one token for 100 concurrent calls', async () => {
    const token = tokenEndpoint();
    nock(BASE)
      .post(`${API}/agentAccount/query`)
      .times(100)
      .matchHeader('authorization', 'Bearer tok-1')
      .delay(5)
      .reply(200, (_u, body) => queryReply([wireAgent((body as { userAccount: string }).userAccount)]));
    const c = client();
    const ids = Array.from({ length: 100 }, (_, i) => `agent${String(i).padStart(3, '0')}`);
    const got = await Promise.all(ids.map((id) => c.agents.get(id)));
    expect(got.map((a) => a.id)).toEqual(ids);
    expect(token.state.hits).toBe(1);
  });

  it('refreshes ahead of expiry (CreateTime + Expires − margin)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    const token = tokenEndpoint();
    const seen: string[] = [];
    nock(BASE)
      .post(`${API}/agentAccount/query`)
      .times(4)
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [200, queryReply([wireAgent('alice01')])];
      });
    const c = client();
    await c.agents.get('alice01');
    vi.setSystemTime(new Date('2025-01-01T00:08:59Z')); // 539 s: before 600 − 60
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(1);
    vi.setSystemTime(new Date('2025-01-01T00:09:01Z')); // 541 s: inside the margin
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(2);
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(2);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2']);
  });

  it('uses CreateTime from the server: an old token is refreshed sooner', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    // created 500 s ago by the server clock: good for 600 − 60 − 500 = 40 more seconds
    const token = tokenEndpoint({ createTime: () => String(Math.floor(Date.now() / 1000) - 500) });
    nock(BASE).post(`${API}/agentAccount/query`).times(3).reply(200, queryReply([wireAgent('alice01')]));
    const c = client();
    await c.agents.get('alice01');
    vi.setSystemTime(new Date('2025-01-01T00:00:39Z'));
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(1);
    vi.setSystemTime(new Date('2025-01-01T00:00:41Z'));
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(2);
  });

  it('falls back to local time when CreateTime is missing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    const token = tokenEndpoint({ createTime: () => undefined, expires: '300' });
    nock(BASE).post(`${API}/agentAccount/query`).times(3).reply(200, queryReply([wireAgent('alice01')]));
    const c = client();
    await c.agents.get('alice01');
    vi.setSystemTime(new Date('2025-01-01T00:04:29Z')); // margin 30 s
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(1);
    vi.setSystemTime(new Date('2025-01-01T00:04:31Z'));
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(2);
  });

  it('accepts an injectable clock', async () => {
    let now = 1_700_000_000_000;
    const token = tokenEndpoint({ createTime: () => String(Math.floor(now / 1000)) });
    nock(BASE).post(`${API}/agentAccount/query`).times(2).reply(200, queryReply([wireAgent('alice01')]));
    const c = client({ now: () => now });
    await c.agents.get('alice01');
    now += 541_000;
    await c.agents.get('alice01');
    expect(token.state.hits).toBe(2);
  });
});

describe('401 / 403 on a call', () => {
  it('refreshes once and replays once', async () => {
    const token = tokenEndpoint();
    const seen: string[] = [];
    nock(BASE)
      .post(`${API}/agentAccount/query`)
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [401, { error_code: 'APIGW.0301', error_msg: 'Incorrect token' }];
      })
      .post(`${API}/agentAccount/query`)
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return [200, queryReply([wireAgent('alice01')])];
      });
    const agent = await client().agents.get('alice01');
    expect(agent.id).toBe('alice01');
    expect(token.state.hits).toBe(2);
    expect(seen).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('a second 401 surfaces as AuthenticationError (no loop)', async () => {
    const token = tokenEndpoint();
    const calls = nock(BASE).post(`${API}/agentAccount/query`).times(2).reply(401, { error_code: 'APIGW.0301', error_msg: 'Incorrect token' });
    const extra = nock(BASE).post(`${API}/agentAccount/query`).reply(200, queryReply([]));
    const error = await client().agents.get('alice01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'AUTHENTICATION', status: 401, vendorCode: 'APIGW.0301' });
    expect(calls.isDone()).toBe(true);
    expect(extra.isDone()).toBe(false);
    expect(token.state.hits).toBe(2);
  });

  it('treats 403 on a call like 401 (Huawei: "authentication fails")', async () => {
    const token = tokenEndpoint();
    nock(BASE).post(`${API}/agentAccount/delete`).reply(403, 'Forbidden').post(`${API}/agentAccount/delete`).reply(200, { resultCode: '0', resultMessage: 'delete AgentAccount success' });
    await client().agents.delete('alice01');
    expect(token.state.hits).toBe(2);
  });

  it('a create rejected by 401 is replayed once (the gateway rejected it before the server acted)', async () => {
    const token = tokenEndpoint();
    const creates = nock(BASE).post(`${API}/agentAccount/create`).reply(401, {}).post(`${API}/agentAccount/create`).reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 108 });
    nock(BASE).post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('alice01')]));
    await client().agents.create({ email: 'a@example.com', name: 'Alice', password: 'Secret#1', loginName: 'alice01' });
    expect(creates.isDone()).toBe(true);
    expect(token.state.hits).toBe(2);
  });

  it('concurrent 401s of the same token share one refresh', async () => {
    const token = tokenEndpoint();
    nock(BASE)
      .post(`${API}/agentAccount/query`)
      .times(60)
      .reply(function (_u, body) {
        if (this.req.headers.authorization === 'Bearer tok-1') return [401, { error_code: 'APIGW.0301', error_msg: 'Incorrect token' }];
        return [200, queryReply([wireAgent((body as { userAccount: string }).userAccount)])];
      });
    const c = client();
    // all 30 calls carry tok-1, all are rejected, all ask for a refresh: one new token serves them
    const ids = Array.from({ length: 30 }, (_, i) => `agent${String(i).padStart(3, '0')}`);
    const got = await Promise.all(ids.map((id) => c.agents.get(id)));
    expect(got).toHaveLength(30);
    expect(token.state.hits).toBe(2);
  });
});

describe('token failures', () => {
  it('wrong credentials → AuthenticationError, not retried, no refresh loop', async () => {
    const scope = nock(BASE).post(TOKEN_PATH).reply(401, { error_code: 'APIGW.0101', error_msg: 'invalid app_key or app_secret' });
    const extra = nock(BASE).post(TOKEN_PATH).reply(200, tokenReply('never'));
    const error = await client().agents.get('alice01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ vendorCode: 'APIGW.0101', status: 401 });
    expect((error as Error).message).toMatch(/app_key\/app_secret/);
    expect(scope.isDone()).toBe(true);
    expect(extra.isDone()).toBe(false);
  });

  it('403 on the token endpoint → PermissionError', async () => {
    nock(BASE).post(TOKEN_PATH).reply(403, { error_code: 'APIGW.0403', error_msg: 'ip not allowed' });
    await expect(client().agents.get('alice01')).rejects.toBeInstanceOf(PermissionError);
  });

  it('a 503 on the token endpoint is retried', async () => {
    nock(BASE).post(TOKEN_PATH).reply(503, 'busy').post(TOKEN_PATH).reply(200, tokenReply('tok-x'));
    nock(BASE).post(`${API}/agentAccount/query`).matchHeader('authorization', 'Bearer tok-x').reply(200, queryReply([wireAgent('alice01')]));
    await expect(client().agents.get('alice01')).resolves.toMatchObject({ id: 'alice01' });
  });

  it('a token reply without AccessToken → InvalidResponseError', async () => {
    nock(BASE).post(TOKEN_PATH).reply(200, { ApplyType: 'Bearer' });
    await expect(client().agents.get('alice01')).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('a 400 on the token endpoint (X-Token-Expire too large server-side) → VendorError', async () => {
    nock(BASE).post(TOKEN_PATH).reply(400, { error_code: 'APIGW.0400', error_msg: 'bad X-Token-Expire' });
    await expect(client().agents.get('alice01')).rejects.toBeInstanceOf(VendorError);
  });
});

describe('options', () => {
  it('validates tokenTtlSeconds, credentials and baseUrl', () => {
    const bad = (o: Record<string, unknown>) => {
      try {
        client(o as never);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(bad({ tokenTtlSeconds: 3601 })).toBeInstanceOf(ValidationError);
    expect((bad({ tokenTtlSeconds: 0 }) as ValidationError).issues[0]?.path).toBe('tokenTtlSeconds');
    expect((bad({ tokenTtlSeconds: 1.5 }) as ValidationError).issues[0]?.path).toBe('tokenTtlSeconds');
    expect(bad({ tokenTtlSeconds: 3600 })).toBeUndefined();
    expect((bad({ appKey: '' }) as ValidationError).issues.map((i) => i.path)).toEqual(['appKey']);
    expect((bad({ appSecret: '' }) as ValidationError).issues.map((i) => i.path)).toEqual(['appSecret']);
    expect((bad({ baseUrl: '' }) as ValidationError).issues.map((i) => i.path)).toEqual(['baseUrl']);
    expect((bad({ baseUrl: 'http://aicc.example.com' }) as ValidationError).issues[0]?.path).toBe('baseUrl');
    expect(bad({ baseUrl: 'http://127.0.0.1:8080' })).toBeUndefined();
  });
});

describe('redaction of appSecret and AccessToken', () => {
  it('never shows them in errors, JSON, stacks, hooks or logs', async () => {
    const secretToken = 'AccessTokenValue-7f1c2e9d4b';
    nock(BASE).post(TOKEN_PATH).times(2).reply(200, tokenReply(secretToken));
    // the vendor echoes both secrets back in its failure message
    nock(BASE)
      .post(`${API}/agentAccount/query`)
      .reply(200, { resultCode: '1', resultMessage: `bad token ${secretToken} for ${APP_SECRET}` })
      .post(`${API}/agentAccount/query`)
      .times(2)
      .reply(401, { error_code: 'APIGW.0301', error_msg: `Incorrect token ${secretToken}` });
    const captured: unknown[] = [];
    const record = (kind: string) => (info: unknown) => void captured.push([kind, info]);
    const log = (level: string) => (message: string, meta?: Record<string, unknown>) => void captured.push([level, message, meta]);
    const c = client({
      hooks: { beforeRequest: record('before'), afterResponse: record('after'), onError: record('error'), onRetry: record('retry') },
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    });
    const e1 = await c.agents.get('alice01').catch((e: unknown) => e);
    const e2 = await c.agents.get('alice01').catch((e: unknown) => e);
    expect(isContactKitError(e1)).toBe(true);
    expect(e2).toBeInstanceOf(AuthenticationError);
    for (const e of [e1, e2] as Error[]) {
      const text = [e.message, e.stack, JSON.stringify(e), JSON.stringify((e as { cause?: unknown }).cause ?? null)].join('\n');
      expect(text).not.toContain(secretToken);
      expect(text).not.toContain(APP_SECRET);
    }
    expect((e1 as Error).message).toContain('[REDACTED]');
    const dump = JSON.stringify(captured);
    expect(captured.length).toBeGreaterThan(5);
    expect(dump).not.toContain(secretToken);
    expect(dump).not.toContain(APP_SECRET);
    // the token request was visible to hooks, redacted
    const tokenCall = captured.find((x) => Array.isArray(x) && x[0] === 'before' && (x[1] as RequestInfo).url.includes('tokenByAkSk')) as [string, RequestInfo];
    expect(tokenCall[1].body).toEqual({ app_key: APP_KEY, app_secret: '[REDACTED]' });
    const apiCall = captured.find((x) => Array.isArray(x) && x[0] === 'before' && (x[1] as RequestInfo).url.includes('agentAccount')) as [string, RequestInfo];
    expect(apiCall[1].headers.Authorization).toMatch(/REDACTED/);
    expect(apiCall[1].headers['x-app-key']).toBe(APP_KEY);
  });
});


describe('abort', () => {
  it('an already-aborted signal sends nothing, not even the token request', async () => {
    const tokens = tokenEndpoint();
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(client().agents.get('agent00001', { signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(tokens.state.hits).toBe(0);
  });

  it('a caller aborting while the shared token fetch is in flight gives up alone; the others get the token', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    nock(BASE)
      .post(TOKEN_PATH)
      .reply(async () => {
        await gate;
        return [200, tokenReply('tok-slow')];
      });
    nock(BASE).post(`${API}/agentAccount/query`).reply(200, { resultCode: '0', resultMessage: 'ok', data: [], total: 0 });
    const c = client();
    const controller = new AbortController();
    const aborted = c.agents.list({ signal: controller.signal }).toArray();
    const other = c.agents.list().toArray();
    await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error('first caller gave up'));
    await expect(aborted).rejects.toThrow('first caller gave up');
    release();
    await expect(other).resolves.toEqual([]);
    expect(c.tokenFetches()).toBe(1);
  });
});

describe("Huawei's secret fields", () => {
  it('are redacted wherever they appear once the adapter is loaded (SIP phone passwords included)', async () => {
    const { huaweiAiccAdapter } = await import('@contactkit/huawei-aicc');
    const { redact, REDACTED } = await import('@contactkit/core');
    expect(huaweiAiccAdapter.secretFields).toContain('accountPwd');
    expect(redact({ userAccount: 'a1', accountPwd: 'Old-pw-12', newPhonePwd: 'New-pw-34', AccessToken: 'tok-1234' })).toEqual({
      userAccount: 'a1',
      accountPwd: REDACTED,
      newPhonePwd: REDACTED,
      AccessToken: REDACTED,
    });
  });
});
