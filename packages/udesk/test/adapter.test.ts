/**
 * The adapter definition and the client members the migration engine reads: the least-privileged
 * role, the fields a read cannot tell, and the capability a disabled create costs.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, ValidationError, isSecretKey, redact, type Role } from '@contactkit/core';
import { leastPrivilegedRole, udeskAdapter } from '@contactkit/udesk';
import { BASE, PASSWORD, TOKEN, api, client, wireAgent, wireAgentDetail } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const role = (id: string, name: string, vendor: Role['vendor'] = 'udesk'): Role => ({ id, vendor, name, description: null });

describe('udeskAdapter', () => {
  it('declares the vendor, the API root of a subdomain and the documented 60 requests per minute', () => {
    expect(udeskAdapter.vendor).toBe('udesk');
    expect(udeskAdapter.baseUrlFromSubdomain?.('demo')).toBe('https://demo.udesk.cn/open_api_v1');
    expect(udeskAdapter.defaultRateLimit).toEqual({ requestsPerMinute: 60 });
    expect(udeskAdapter.account({ email: 'admin@udesk.cn', apiToken: 't' })).toBe('admin@udesk.cn');
  });

  it("registers Udesk's token fields with core's redaction (core names no vendor field)", () => {
    expect(isSecretKey('open_api_token')).toBe(true);
    expect(isSecretKey('open_api_auth_token')).toBe(true);
    expect(isSecretKey('agent_api_token')).toBe(true);
    expect(redact({ code: 1000, open_api_auth_token: 'tok-123', open_api_token: 'tok-456', email: 'a@x.com' })).toEqual({
      code: 1000,
      open_api_auth_token: REDACTED,
      open_api_token: REDACTED,
      email: 'a@x.com',
    });
  });

  it('auth gives the credentials to scrub and a strategy built on the transport', () => {
    const auth = udeskAdapter.auth({ email: 'admin@udesk.cn', apiToken: 'tok', password: 'pw-secret' });
    expect(auth.secrets).toEqual(['tok', 'pw-secret']);
    expect(typeof auth.strategy).toBe('function');
  });
});

describe('roles.leastPrivileged', () => {
  it('picks the front-line customer-service role (the docs: role 11 "Customer Service"; 客服 in the console)', () => {
    const roles = [role('1', '管理员'), role('2', '客服主管'), role('11', 'Customer Service'), role('3', 'Admin')];
    expect(leastPrivilegedRole(roles)).toEqual(role('11', 'Customer Service'));
    expect(leastPrivilegedRole([role('2', '客服主管'), role('5', ' 客服 ')])?.id).toBe('5');
    expect(leastPrivilegedRole([role('7', 'AGENT')])?.id).toBe('7');
  });

  it('none when no role is the front-line one, or the roles are another vendor\'s', () => {
    expect(leastPrivilegedRole([role('1', '管理员'), role('2', '客服主管')])).toBeUndefined();
    expect(leastPrivilegedRole([role('agent', 'agent', 'kf5')])).toBeUndefined();
    expect(leastPrivilegedRole([])).toBeUndefined();
  });

  it('reads the roles as roles.list returns them (seed example shape)', async () => {
    api()
      .get(`${BASE}/agent_roles`)
      .query(true)
      .reply(200, { code: 1000, agent_roles: [{ id: 1, name: 'Administrator', description: '' }, { id: 11, name: 'Customer Service', description: 'front line' }] });
    const c = client();
    const roles = await c.roles.list();
    expect(c.roles.leastPrivileged?.(roles)).toMatchObject({ id: '11', name: 'Customer Service', description: 'front line' });
  });
});

describe('agents.unknownFields', () => {
  it("a listed agent's roleIds are unknown; an agent read by id is whole", async () => {
    api().get(`${BASE}/agents`).query(true).reply(200, { code: 1000, meta: { current_page: 1, total_pages: 1, total_count: 1 }, agents: [wireAgent()] });
    api().get(`${BASE}/agents/get_agent`).query(true).reply(200, { code: 1000, agent: wireAgentDetail() });
    const c = client();
    const [listed] = await c.agents.list().toArray();
    expect(c.agents.unknownFields?.(listed!)).toEqual(['roleIds']);
    expect(c.agents.unknownFields?.(await c.agents.get('1'))).toEqual([]);
  });
});

describe('capabilities.agents.statusInCreate', () => {
  it('is false: a disabled agent costs the create and a PUT of disable_status', async () => {
    const calls: string[] = [];
    api().post(`${BASE}/agents`, (b) => (calls.push(`POST ${JSON.stringify(b)}`), true)).query(true).reply(200, { code: 1000, agent_id: 9 });
    api()
      .put(`${BASE}/agents/9`, (b) => (calls.push(`PUT ${JSON.stringify(b)}`), true))
      .query(true)
      .reply(200, { code: 1000, agent: wireAgentDetail({ id: 9, disable_status: 'disable' }) });
    const c = client();
    expect(c.capabilities.agents.statusInCreate).toBe(false);
    const agent = await c.agents.create({ email: 'd@x.com', name: 'D', password: 'pw-123456', status: 'disabled' });
    expect(agent.status).toBe('disabled');
    expect(calls).toHaveLength(2);
    expect(calls[0]).not.toContain('disable_status');
    expect(calls[1]).toBe('PUT {"agent":{"disable_status":"disable"}}');
  });
});

describe('client options (checked before anything is built or sent)', () => {
  function issuesOf(make: () => unknown): ValidationError {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  const paths = (make: () => unknown) => issuesOf(make).issues.map((i) => i.path);

  it('defaults: only the three required id fields, each a non-empty list of at most 10 Udesk ids', () => {
    expect(paths(() => client({ defaults: { teamIds: ['1'] } as never }))).toEqual(['defaults.teamIds']);
    expect(paths(() => client({ defaults: { roleIds: [] } }))).toEqual(['defaults.roleIds']);
    expect(paths(() => client({ defaults: { groupIds: ['1', 'g2'] } }))).toEqual(['defaults.groupIds.1']);
    expect(paths(() => client({ defaults: { departmentIds: Array.from({ length: 11 }, (_, i) => String(i + 1)) } }))).toEqual(['defaults.departmentIds']);
  });

  it('defaultImAbilityValue an integer, roleIdsOnList one of two, a credential given', () => {
    expect(paths(() => client({ defaultImAbilityValue: 1.5 }))).toEqual(['defaultImAbilityValue']);
    expect(paths(() => client({ roleIdsOnList: 'guess' } as never))).toEqual(['roleIdsOnList']);
    expect(paths(() => client({ apiToken: '', password: undefined }))).toEqual(['apiToken']);
    expect(paths(() => client({ email: 'nope', apiToken: undefined }))).toEqual(['email', 'apiToken']);
  });

  it('no credential reaches the error', () => {
    const error = issuesOf(() => client({ email: TOKEN, password: PASSWORD, defaults: { roleIds: [PASSWORD] } }));
    expect(error.issues.map((i) => i.path)).toEqual(['email', 'defaults.roleIds.0']);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain(PASSWORD);
  });
});

describe('validation one way: the mapped body by the wire schema, issues named by model field', () => {
  it('a create without the required ids (no defaults) names each, with why', async () => {
    const error = await client({ defaults: undefined })
      .agents.create({ email: 'a@x.com', name: 'A', password: 'pw-123456', groupIds: ['2'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'roleIds', message: expect.stringContaining('is required by Udesk to create an agent') },
      { path: 'departmentIds', message: expect.stringContaining('is required by Udesk to create an agent') },
    ]);
  });

  it('ids, lengths and vendor field types as Udesk takes them', async () => {
    const error = await client()
      .agents.update('1', { roleIds: ['1', 'r2'], nickname: 'n'.repeat(256), vendorFields: { callout_number_id: -1, custom_fields: ['x'] } })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'nickname', message: 'must be at most 255 characters' },
      { path: 'roleIds.1', message: 'must be a numeric Udesk id' },
      { path: 'vendorFields.callout_number_id', message: 'must be a numeric Udesk id' },
      { path: 'vendorFields.custom_fields', message: 'must be an object of custom field keys to values' },
    ]);
  });
});
