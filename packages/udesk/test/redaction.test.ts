import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContactKitError, Hooks } from '@contactkit/core';
import { BASE, EMAIL, PASSWORD, TOKEN, api, client, wireAgent, wireAgentDetail } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

function spies() {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const hookCalls: unknown[] = [];
  const record = (name: string) => (info: unknown) => {
    hookCalls.push({ name, info });
  };
  const hooks: Hooks = { beforeRequest: record('before'), afterResponse: record('after'), onRetry: record('retry'), onError: record('error') };
  return { logger, hooks, hookCalls, dump: () => JSON.stringify([logger.debug.mock.calls, logger.info.mock.calls, logger.warn.mock.calls, logger.error.mock.calls, hookCalls]) };
}

function everything(err: unknown): string {
  const e = err as ContactKitError;
  return [e.message, JSON.stringify(e), String(e.stack), JSON.stringify(e.request), String((e as { cause?: unknown }).cause ?? '')].join('\n');
}

describe('secrets never leave in messages, error JSON, stacks, hooks or logs', () => {
  it('the api token and the sign', async () => {
    const signs: string[] = [];
    api()
      .get(`${BASE}/agent_roles`).query((q) => (signs.push(q.sign as string), true)).reply(503, `upstream saw token ${TOKEN}`)
      .get(`${BASE}/agent_roles`).query((q) => (signs.push(q.sign as string), true)).reply(200, { code: 2059, message: `bad sign for ${TOKEN}` });
    const s = spies();
    const err = await client({ logger: s.logger, hooks: s.hooks }).roles.list().catch((e: unknown) => e);
    expect((err as ContactKitError).code).toBe('AUTHENTICATION');
    const text = everything(err) + s.dump();
    expect(signs).toHaveLength(2);
    for (const secret of [TOKEN, ...signs]) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
    expect(s.hookCalls.length).toBeGreaterThanOrEqual(4);
  });

  it('the log-in password and the fetched token', async () => {
    const fetched = 'fetched-token-9f8e7d6c';
    api().post(`${BASE}/log_in`).reply(200, { code: 1000, open_api_auth_token: fetched });
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { code: 2000, message: `token ${fetched} and password ${PASSWORD} were used` });
    const s = spies();
    const err = await client({ apiToken: undefined, password: PASSWORD, logger: s.logger, hooks: s.hooks }).roles.list().catch((e: unknown) => e);
    const text = everything(err) + s.dump();
    expect(text).not.toContain(fetched);
    expect(text).not.toContain(PASSWORD);
    // the log_in request was seen by the hooks, its body redacted
    expect(s.hookCalls).toContainEqual({ name: 'before', info: expect.objectContaining({ operation: 'auth.logIn', body: { email: EMAIL, password: '[REDACTED]' } }) });
  });

  it('a refused log_in names neither the password nor anything the vendor echoed', async () => {
    api().post(`${BASE}/log_in`).reply(200, { code: 2005, message: `wrong password ${PASSWORD}` });
    const s = spies();
    const err = await client({ apiToken: undefined, password: PASSWORD, logger: s.logger, hooks: s.hooks }).roles.list().catch((e: unknown) => e);
    expect((err as ContactKitError).code).toBe('AUTHENTICATION');
    expect(everything(err) + s.dump()).not.toContain(PASSWORD);
  });

  it('an agent password on create (hook body, echoed error)', async () => {
    const agentPassword = 'new-agent-pass-777';
    api().post(`${BASE}/agents`).query(true).reply(200, { code: 2000, message: `Verification failed: ${agentPassword}` });
    const s = spies();
    const err = await client({ logger: s.logger, hooks: s.hooks }).agents.create({ email: 'n@x.com', name: 'N', password: agentPassword, locale: 'fr-FR' }).catch((e: unknown) => e);
    const text = everything(err) + s.dump();
    expect(text).not.toContain(agentPassword);
    expect(s.logger.warn).toHaveBeenCalled(); // the locale warning
  });

  // SIP passwords are not registered as literal secrets: a 10,000-agent tenant would make every
  // redaction scan 10,000 strings. They are removed from the model and remoteData instead.
  it('SIP credentials: out of the Agent, remoteData, hook payloads and logs', async () => {
    const sip = 'sip-secret-5a5a5a5a';
    api().get(`${BASE}/agents`).query(true).reply(200, { code: 1000, meta: { total_pages: 1 }, agents: [wireAgent({ password: sip, profile: 'weird', role_name: null })] });
    const s = spies();
    const c = client({ logger: s.logger, hooks: s.hooks });
    const [agent] = await c.agents.list().toArray();
    expect(JSON.stringify(agent)).not.toContain(sip);
    // the unknown profile note (a read: logged at debug)
    expect(s.logger.debug).toHaveBeenCalledWith('contactkit: udesk mapping notes', expect.objectContaining({ operation: 'agents.list' }));
    expect(s.dump()).not.toContain(sip);
  });

  it('SIP password in an update reply stays out of the returned Agent', async () => {
    api().put(`${BASE}/agents/1`).query(true).reply(200, { code: 1000, agent: wireAgentDetail({ password: 'sip-secret-6b6b6b6b', ucpapp_subaccount: { number: '1', password: 'sip-secret-6b6b6b6b' } }) });
    const a = await client().agents.update('1', { name: 'X' });
    expect(JSON.stringify(a)).not.toContain('sip-secret-6b6b6b6b');
    expect(a.remoteData).not.toHaveProperty('ucpapp_subaccount');
  });
});
