import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidResponseError,
  NotFoundError,
  RateLimitError,
  ValidationError,
  VendorError,
  checkPassword,
  generatePassword,
} from '@contactkit/core';
import { API, BASE, client, ok, queryReply, skillOk, tokenEndpoint, wireAgent } from './helpers';

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  tokenEndpoint();
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const api = () => nock(BASE).matchHeader('authorization', /^Bearer tok-\d+$/).matchHeader('x-app-key', 'app-key-0001');
const good = { email: 'alice.liu@example.com', name: 'Alice Liu', password: 'Secret#1' };

async function validationOf(p: Promise<unknown>): Promise<ValidationError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  return e as ValidationError;
}

describe('client surface', () => {
  it('has the contract members', () => {
    const c = client();
    expect(c.vendor).toBe('huawei-aicc');
    expect(c.capabilities.roles).toEqual({ list: true, create: false });
    expect(c.capabilities.groups.members).toBe(true);
    expect(c.passwordRules).toMatchObject({ minLength: 8, maxLength: 8, requiredClasses: ['upper', 'lower', 'digit', 'special'] });
    expect(c.stats().requests).toBe(0);
  });
  it('password rules generate passwords that pass', () => {
    const c = client();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword(c.passwordRules);
      expect(checkPassword(p, c.passwordRules)).toEqual([]);
      expect(c.agents.preview({ ...good, password: p }).warnings).toEqual([]);
    }
  });
  it('roles.list is static (no request)', async () => {
    const c = client();
    expect((await c.roles.list()).map((r) => r.id)).toEqual(['2', '3', '4']);
    expect(c.stats().requests).toBe(0);
  });
});

describe('members the migration engine reads', () => {
  it('roles.leastPrivileged: the agent (ccRoleId 2) from the list roles.list returns, in any order; none when absent', async () => {
    const c = client();
    const roles = await c.roles.list();
    expect(c.roles.leastPrivileged?.(roles)).toMatchObject({ id: '2', name: 'Agent' });
    expect(c.roles.leastPrivileged?.([...roles].reverse())?.id).toBe('2');
    expect(c.roles.leastPrivileged?.(roles.filter((r) => r.id !== '2'))).toBeUndefined();
    expect(c.stats().requests).toBe(0);
  });

  it('agents.loginNameFor: the derived userAccount, suffixed -2, -3 … past the taken ones, without a request', () => {
    const c = client();
    const taken = new Set(['alice_liu', 'alice_liu-2']);
    expect(c.agents.loginNameFor?.('alice.liu@example.com', () => false)).toBe('alice_liu');
    expect(c.agents.loginNameFor?.('alice.liu@example.com', (x) => taken.has(x))).toBe('alice_liu-3');
    expect(c.agents.loginNameFor?.('bo@example.com', () => false)).toBe('bo0000');
    expect(c.stats().requests).toBe(0);
  });

  it('capabilities: a create sets the skill bindings; Huawei has no disabled state, so a create never costs a follow-up update', () => {
    const c = client();
    expect(c.capabilities.agents.groupsInCreate).toBe(true);
    expect(c.capabilities.agents.statusInCreate).toBeUndefined();
  });

  it('passwordRules follow the tenant length rule (passwordLength)', () => {
    expect(client({ passwordLength: { min: 8, max: 12 } }).passwordRules).toMatchObject({ minLength: 8, maxLength: 12 });
  });
});

describe('adapter definition', () => {
  it('a non-2xx reply names Huawei\'s resultMessage (messageFields)', async () => {
    api().post(`${API}/agentAccount/query`).reply(400, { resultCode: '100-001', resultMessage: 'pageSize is invalid' });
    const e = await client().agents.list().toArray().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VendorError);
    expect((e as Error).message).toContain('pageSize is invalid');
  });

  it('a read Huawei could not carry whole is logged at debug (agentType 255), the list still maps', async () => {
    api().post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('idle0001', { agentType: 255 })]));
    const debug: unknown[] = [];
    const c = client({ logger: { debug: (_m: string, meta?: Record<string, unknown>) => void debug.push(meta), info() {}, warn() {}, error() {} } });
    const agents = await c.agents.list().toArray();
    expect(agents.map((a) => a.channels)).toEqual([[]]);
    // the transport logs each request at debug too: the mapping notes are the entries with warnings
    const notes = debug.filter((meta) => typeof meta === 'object' && meta !== null && 'warnings' in meta);
    expect(notes).toEqual([{ vendor: 'huawei-aicc', operation: 'agents.list', warnings: [expect.objectContaining({ field: 'channels', value: 255 })] }]);
  });
});

describe('agents: wire', () => {
  it('get: agentAccount/query {userAccount}', async () => {
    const scope = api().post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 }).reply(200, queryReply([wireAgent('alice01')]));
    const agent = await client().agents.get('alice01');
    expect(scope.isDone()).toBe(true);
    expect(agent).toMatchObject({ id: 'alice01', loginName: 'alice01', name: 'Alice Liu', channels: ['chat'], roleIds: ['2'], groupIds: ['3'], employeeNo: '108', status: 'active' });
  });

  it('get: empty data → NotFoundError; a page of others (ignored filter) → NotFoundError', async () => {
    api().post(`${API}/agentAccount/query`).reply(200, queryReply([]));
    await expect(client().agents.get('nobody1')).rejects.toBeInstanceOf(NotFoundError);
    api().post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('other01')]));
    await expect(client().agents.get('nobody1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('get: resultCode 1 "not exist" → NotFoundError', async () => {
    api().post(`${API}/agentAccount/query`).reply(200, { resultCode: '1', resultMessage: 'agent account does not exist' });
    await expect(client().agents.get('nobody1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('list: pages from 0, pageSize ≤ 100, stops at total', async () => {
    const page = (n: number, count: number) => Array.from({ length: count }, (_, i) => wireAgent(`agent${n}${String(i).padStart(3, '0')}`));
    const scope = api()
      .post(`${API}/agentAccount/query`, { pageNum: 0, pageSize: 100 })
      .reply(200, queryReply(page(0, 100), 150))
      .post(`${API}/agentAccount/query`, { pageNum: 1, pageSize: 100 })
      .reply(200, queryReply(page(1, 50), 150));
    const all = await client().agents.list({ pageSize: 500 }).toArray();
    expect(all).toHaveLength(150);
    expect(scope.isDone()).toBe(true);
  });

  it('list: stops on a full last page when total says so, and is lazy', async () => {
    const scope = api()
      .post(`${API}/agentAccount/query`, { pageNum: 0, pageSize: 2 })
      .reply(200, queryReply([wireAgent('agent001'), wireAgent('agent002')], 4))
      .post(`${API}/agentAccount/query`, { pageNum: 1, pageSize: 2 })
      .reply(200, queryReply([wireAgent('agent003'), wireAgent('agent004')], 4));
    const c = client();
    expect(await c.agents.list({ pageSize: 2 }).toArray({ limit: 1 })).toHaveLength(1);
    expect(scope.pendingMocks()).toHaveLength(1);
    api().post(`${API}/agentAccount/query`, { pageNum: 0, pageSize: 2 }).reply(200, queryReply([wireAgent('agent001'), wireAgent('agent002')], 4));
    const pages = [];
    for await (const p of c.agents.list({ pageSize: 2 }).pages()) pages.push(p.length);
    expect(pages).toEqual([2, 2]);
  });

  it('list: a bad pageSize is a ValidationError', () => {
    expect(() => client().agents.list({ pageSize: 0 })).toThrow(ValidationError);
  });

  it('findByEmail: scans pages, case-insensitive, first match; null when absent', async () => {
    const first = Array.from({ length: 100 }, (_, i) => wireAgent(`agent${String(i).padStart(3, '0')}`));
    api()
      .post(`${API}/agentAccount/query`, { pageNum: 0, pageSize: 100 })
      .reply(200, queryReply(first, 103))
      .post(`${API}/agentAccount/query`, { pageNum: 1, pageSize: 100 })
      .reply(200, queryReply([wireAgent('zed0001', { email: 'Zed@Example.com' }), wireAgent('zed0002', { email: 'zed@example.com' }), wireAgent('x000001')], 103));
    const c = client();
    expect((await c.agents.findByEmail('ZED@example.COM'))?.id).toBe('zed0001');
    api().post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('agent001')], 1));
    expect(await c.agents.findByEmail('none@example.com')).toBeNull();
  });

  it('create: derived userAccount, checked free, then create, then query', async () => {
    const create = {
      userAccount: 'alice_liu',
      userName: 'Alice Liu',
      password: 'Secret#1',
      email: 'alice.liu@example.com',
      agentType: 99,
      ccRoleId: 3,
      skills: [{ skillId: 3, agentWeight: 2, skillWeight: 1 }],
      phone: '13800000000',
    };
    const scope = api()
      .post(`${API}/agentAccount/query`, { userAccount: 'alice_liu', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([]))
      .post(`${API}/agentAccount/create`, create)
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 108 })
      .post(`${API}/agentAccount/query`, { userAccount: 'alice_liu', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice_liu', { agentType: 99, ccRoleId: 3 })]));
    const agent = await client().agents.create({
      ...good,
      phone: '13800000000',
      channels: ['chat', 'voice', 'video'],
      roleIds: ['3'],
      groupIds: ['3'],
      vendorFields: { skillWeights: { '3': { agentWeight: 2, skillWeight: 1 } } },
    });
    expect(scope.isDone()).toBe(true);
    expect(agent).toMatchObject({ id: 'alice_liu', loginName: 'alice_liu', channels: ['chat', 'voice', 'video'], roleIds: ['3'] });
  });

  it('create: a taken derived userAccount gets -2, -3 … with a warning', async () => {
    const warnings: unknown[] = [];
    api()
      .post(`${API}/agentAccount/query`, { userAccount: 'alice_liu', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice_liu')]))
      .post(`${API}/agentAccount/query`, { userAccount: 'alice_liu-2', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice_liu-2')]))
      .post(`${API}/agentAccount/query`, { userAccount: 'alice_liu-3', pageNum: 0, pageSize: 1 })
      .reply(200, { resultCode: '1', resultMessage: 'userAccount not exist' })
      .post(`${API}/agentAccount/create`, (b) => b.userAccount === 'alice_liu-3')
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 109 })
      .post(`${API}/agentAccount/query`, { userAccount: 'alice_liu-3', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice_liu-3')]));
    const c = client({ logger: { debug() {}, info() {}, error() {}, warn: (_m: string, meta?: Record<string, unknown>) => void warnings.push(meta) } });
    const agent = await c.agents.create(good);
    expect(agent.id).toBe('alice_liu-3');
    expect(JSON.stringify(warnings)).toContain('alice_liu-3');
  });

  it('create: an explicit loginName is not pre-checked; a duplicate → ConflictError', async () => {
    const scope = api()
      .post(`${API}/agentAccount/create`, (b) => b.userAccount === 'alice01')
      .reply(200, { resultCode: '1', resultMessage: 'userAccount already exists' });
    const e = await client().agents.create({ ...good, loginName: 'alice01' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConflictError);
    expect(e).toMatchObject({ vendorCode: '1', status: 200, retryable: false });
    expect((e as Error).message).toContain('userAccount already exists');
    expect(scope.isDone()).toBe(true);
  });

  it('create: answers from what was sent when the new account is not yet visible', async () => {
    api()
      .post(`${API}/agentAccount/create`)
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 110 })
      .post(`${API}/agentAccount/query`)
      .reply(200, queryReply([]));
    const agent = await client().agents.create({ ...good, loginName: 'alice01' });
    expect(agent).toMatchObject({ id: 'alice01', employeeNo: '110', email: good.email });
    expect(JSON.stringify(agent)).not.toContain('Secret#1');
  });

  it('create with readBack: false and a loginName: exactly one request, the agent as written with its skills', async () => {
    const scope = api()
      .post(`${API}/agentAccount/create`, (b) => b.userAccount === 'alice01' && JSON.stringify(b.skills) === JSON.stringify([{ skillId: 3, agentWeight: 1, skillWeight: 1 }, { skillId: 4, agentWeight: 1, skillWeight: 1 }]))
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 111 });
    const agent = await client().agents.create({ ...good, loginName: 'alice01', groupIds: ['3', '4'] }, { readBack: false });
    expect(scope.isDone()).toBe(true);
    expect(agent).toMatchObject({ id: 'alice01', employeeNo: '111', groupIds: ['3', '4'], email: good.email });
    expect(JSON.stringify(agent)).not.toContain('Secret#1');
  });

  it('create is not retried on 500; a read is', async () => {
    const creates = api().post(`${API}/agentAccount/create`).reply(500, { resultCode: '1', resultMessage: 'internal error' });
    const e = await client().agents.create({ ...good, loginName: 'alice01' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VendorError);
    expect(e).toMatchObject({ status: 500, retryable: true });
    expect(creates.isDone()).toBe(true);
    api().post(`${API}/agentAccount/query`).reply(503, 'busy').post(`${API}/agentAccount/query`).reply(500, 'oops').post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('alice01')]));
    const c = client();
    await expect(c.agents.get('alice01')).resolves.toMatchObject({ id: 'alice01' });
    expect(c.stats().retries).toBe(2);
  });

  it('429 with Retry-After is retried, then surfaces as RateLimitError', async () => {
    api().post(`${API}/agentAccount/query`).times(4).reply(429, 'slow down', { 'Retry-After': '0' });
    await expect(client({ retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2 } }).agents.get('alice01')).rejects.toBeInstanceOf(RateLimitError);
  });

  it('update: userAccount fixed, only the fields given, then query', async () => {
    const scope = api()
      .post(`${API}/agentAccount/update`, { userAccount: 'alice01', userName: 'Alice L', email: 'new@example.com', phone: '', agentType: 4, ccRoleId: 4 })
      .reply(200, { resultCode: '0', resultMessage: 'edit success' })
      .post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice01', { userName: 'Alice L' })]));
    const agent = await client().agents.update('alice01', { name: 'Alice L', email: 'new@example.com', phone: null, channels: ['voice'], roleIds: ['4'] });
    expect(scope.isDone()).toBe(true);
    expect(agent.name).toBe('Alice L');
  });

  it('update: groupIds replace skills, keeping current weights', async () => {
    const scope = api()
      .post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice01')]))
      .post(`${API}/agentAccount/update`, { userAccount: 'alice01', skills: [{ skillId: 3, agentWeight: 2, skillWeight: 1 }, { skillId: 8, agentWeight: 1, skillWeight: 1 }] })
      .reply(200, { resultCode: '0', resultMessage: 'edit success' })
      .post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 })
      .reply(200, queryReply([wireAgent('alice01')]));
    await client().agents.update('alice01', { groupIds: ['3', '8'] });
    expect(scope.isDone()).toBe(true);
  });

  it('update: a password change only through vendorFields {oldPassWord, newPassWord}', async () => {
    const scope = api()
      .post(`${API}/agentAccount/update`, { userAccount: 'alice01', oldPassWord: 'Old#1234', newPassWord: 'New#1234' })
      .reply(500, 'oops');
    const e = await client().agents.update('alice01', { vendorFields: { oldPassWord: 'Old#1234', newPassWord: 'New#1234' } }).catch((x: unknown) => x);
    // a password change is never retried
    expect(e).toBeInstanceOf(VendorError);
    expect(scope.isDone()).toBe(true);
    expect(JSON.stringify(e) + (e as Error).message).not.toMatch(/Old#1234|New#1234/);
  });

  it('update: an empty patch sends no update, only the query', async () => {
    const scope = api().post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 }).reply(200, queryReply([wireAgent('alice01')]));
    await client().agents.update('alice01', {});
    expect(scope.isDone()).toBe(true);
  });

  it('delete: agentAccount/delete {userAccount}', async () => {
    const scope = api().post(`${API}/agentAccount/delete`, { userAccount: 'alice01' }).reply(200, { resultCode: '0', resultMessage: 'delete AgentAccount success' });
    await client().agents.delete('alice01');
    expect(scope.isDone()).toBe(true);
    api().post(`${API}/agentAccount/delete`).reply(200, { resultCode: '1', resultMessage: 'agent account not exist' });
    await expect(client().agents.delete('alice01')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('wrapRequestParams', () => {
  it('wraps create/update/queryAgentInfoBySkillId in requestParam, query/delete in requestParams; others stay flat', async () => {
    const scope = api()
      .post(`${API}/agentAccount/update`, { requestParam: { userAccount: 'alice01', userName: 'Bob Bob' } })
      .reply(200, ok)
      .post(`${API}/agentAccount/query`, { requestParams: { userAccount: 'alice01', pageNum: 0, pageSize: 1 } })
      .reply(200, queryReply([wireAgent('alice01')]))
      .post(`${API}/agentAccount/create`, (b) => b.requestParam?.userAccount === 'bob0001' && b.userAccount === undefined)
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 1 })
      .post(`${API}/agentAccount/query`, { requestParams: { userAccount: 'bob0001', pageNum: 0, pageSize: 1 } })
      .reply(200, queryReply([wireAgent('bob0001')]))
      .post(`${API}/agentAccount/delete`, { requestParams: { userAccount: 'alice01' } })
      .reply(200, ok)
      .post(`${API}/agentAccount/query`, { requestParams: { pageNum: 0, pageSize: 100 } })
      .reply(200, queryReply([wireAgent('alice01')]))
      .post(`${API}/skill/querySkills`, { limit: '100', offset: '0', skillIds: ['3'] })
      .reply(200, { ...skillOk, total: 1, data: [{ skillId: 3, name: 'Sales' }] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`, { requestParam: { skillId: 3, pageSize: 100, pageNum: 0 } })
      .reply(200, { ...ok, data: [], total: 0 });
    const c = client({ wrapRequestParams: true });
    await c.agents.update('alice01', { name: 'Bob Bob' });
    await c.agents.create({ ...good, loginName: 'bob0001' });
    await c.agents.delete('alice01');
    await c.agents.list().toArray();
    await c.groups.get('3');
    expect(scope.pendingMocks()).toEqual([]);
  });
});

describe('groups: wire', () => {
  const skill = { skillId: 3, name: 'Sales', description: 'Sales', mediaTypeId: 53, maxWaitTime: 60, maxWaitNum: 100, maxAgentWrapupTime: 30, skillParam: {} };

  it('list: querySkills limit (string) + offset, memberIds null', async () => {
    const scope = api()
      .post(`${API}/skill/querySkills`, { limit: '2', offset: '0' })
      .reply(200, { ...skillOk, total: 3, data: [skill, { ...skill, skillId: 4, name: 'Support' }] })
      .post(`${API}/skill/querySkills`, { limit: '2', offset: '2' })
      .reply(200, { ...skillOk, total: 3, data: [{ ...skill, skillId: '5', name: 'VIP' }] });
    const groups = await client().groups.list({ pageSize: 2 }).toArray();
    expect(groups.map((g) => [g.id, g.name, g.memberIds])).toEqual([
      ['3', 'Sales', null],
      ['4', 'Support', null],
      ['5', 'VIP', null],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('get: querySkills by skillIds + queryAgentInfoBySkillId pages', async () => {
    const members = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ userAccount: `agent${String(from + i).padStart(3, '0')}`, userName: 'x', workNo: 1, agentType: 5 }));
    const scope = api()
      .post(`${API}/skill/querySkills`, { limit: '100', offset: '0', skillIds: ['3'] })
      .reply(200, { ...skillOk, total: 1, data: [skill] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`, { skillId: 3, pageSize: 100, pageNum: 0 })
      .reply(200, { ...ok, data: members(0, 100), total: 120 })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`, { skillId: 3, pageSize: 100, pageNum: 1 })
      .reply(200, { ...ok, data: members(100, 20), total: 120 });
    const group = await client().groups.get('3');
    expect(group.memberIds).toHaveLength(120);
    expect(group).toMatchObject({ id: '3', name: 'Sales', vendor: 'huawei-aicc', remoteData: skill });
    expect(scope.isDone()).toBe(true);
  });

  it('get: an unknown skill → NotFoundError; a non-numeric id → ValidationError (no request)', async () => {
    api().post(`${API}/skill/querySkills`).reply(200, { ...skillOk, total: 0, data: [] });
    await expect(client().groups.get('99')).rejects.toBeInstanceOf(NotFoundError);
    const c = client();
    await validationOf(c.groups.get('abc'));
    expect(c.stats().requests).toBe(0);
  });

  it('create: createSkill defaults, skillId from the reply, members batched by 50', async () => {
    const accounts = Array.from({ length: 120 }, (_, i) => `agent${String(i).padStart(3, '0')}`);
    const batches: string[][] = [];
    const scope = api()
      .post(`${API}/skill/createSkill`, {
        name: 'Sales',
        description: 'Sales',
        mediaTypeId: 53,
        maxWaitTime: 60,
        maxWaitNum: 100,
        maxAgentWrapupTime: 30,
        // media type 53: deviceType "can only be 1" (a string in the table)
        skillParam: { noAgents: { deviceType: '1', transferType: 'Release' }, busy: { deviceType: '1', transferType: 'Release' }, timeOut: { deviceType: '1', transferType: 'Release' } },
      })
      .reply(200, { ...skillOk, skillId: 7 })
      .post(`${API}/agentAccount/addSkillsToAgent`, (b) => b.skillId === 7 && b.agentWeight === 1 && b.skillWeight === 1)
      .times(3)
      .reply(200, (_u, b) => {
        batches.push((b as { userAccounts: string[] }).userAccounts);
        return ok;
      })
      .post(`${API}/skill/querySkills`, { limit: '100', offset: '0', skillIds: ['7'] })
      .reply(200, { ...skillOk, total: 1, data: [{ ...skill, skillId: 7 }] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`, { skillId: 7, pageSize: 100, pageNum: 0 })
      .reply(200, { ...ok, data: accounts.slice(0, 100).map((userAccount) => ({ userAccount })), total: 120 })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`, { skillId: 7, pageSize: 100, pageNum: 1 })
      .reply(200, { ...ok, data: accounts.slice(100).map((userAccount) => ({ userAccount })), total: 120 });
    const group = await client().groups.create({ name: 'Sales', memberIds: accounts });
    expect(scope.isDone()).toBe(true);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(accounts);
    expect(group).toMatchObject({ id: '7', memberIds: accounts });
  });

  it('create: no skillId in the reply → looked up by name (newest of equal names)', async () => {
    const scope = api()
      .post(`${API}/skill/createSkill`)
      .reply(200, skillOk)
      .post(`${API}/skill/querySkills`, { name: 'Sales', limit: '100', offset: '0' })
      .reply(200, { ...skillOk, total: 3, data: [skill, { ...skill, skillId: 9 }, { ...skill, skillId: 12, name: 'Sales 2' }] })
      .post(`${API}/skill/querySkills`, { limit: '100', offset: '0', skillIds: ['9'] })
      .reply(200, { ...skillOk, total: 1, data: [{ ...skill, skillId: 9 }] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`)
      .reply(200, { ...ok, data: [], total: 0 });
    const group = await client().groups.create({ name: 'Sales' });
    expect(group.id).toBe('9');
    expect(scope.isDone()).toBe(true);
  });

  it('create with readBack: false: the id is looked up by name but the queue is not read back', async () => {
    const scope = api()
      .post(`${API}/skill/createSkill`)
      .reply(200, skillOk)
      .post(`${API}/skill/querySkills`, { name: 'Sales', limit: '100', offset: '0' })
      .reply(200, { ...skillOk, total: 1, data: [{ ...skill, skillId: 9 }] });
    const group = await client().groups.create({ name: 'Sales' }, { readBack: false });
    expect(group).toEqual({ id: '9', vendor: 'huawei-aicc', name: 'Sales', memberIds: [] });
    expect(scope.isDone()).toBe(true);
  });

  it('create: not found by name either → InvalidResponseError', async () => {
    api().post(`${API}/skill/createSkill`).reply(200, skillOk).post(`${API}/skill/querySkills`).reply(200, { ...skillOk, total: 0, data: [] });
    await expect(client().groups.create({ name: 'Sales' })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('create: returnCode ≠ 0 → VendorError with the description; "exists" → ConflictError', async () => {
    api().post(`${API}/skill/createSkill`).reply(200, { returnCode: '02000001', description: 'param invalid' });
    await expect(client().groups.create({ name: 'Sales' })).rejects.toMatchObject({ code: 'VENDOR', vendorCode: '02000001', message: expect.stringContaining('param invalid') });
    api().post(`${API}/skill/createSkill`).reply(200, { returnCode: '1', description: 'skill name already exists' });
    await expect(client().groups.create({ name: 'Sales' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('update: modifySkill, then memberIds REPLACE: release the removed, add the new', async () => {
    const calls: Array<[string, unknown]> = [];
    const rec = (name: string, reply: unknown) => (_u: string, b: unknown) => {
      calls.push([name, b]);
      return reply;
    };
    api()
      .post(`${API}/skill/modifySkill`)
      .reply(200, rec('modify', skillOk))
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`)
      .reply(200, rec('members', { ...ok, data: [{ userAccount: 'keep001' }, { userAccount: 'drop001' }, { userAccount: 'drop002' }], total: 3 }))
      .post(`${API}/agentAccount/releaseAgentBySkillId`)
      .reply(200, rec('release', ok))
      .post(`${API}/agentAccount/addSkillsToAgent`)
      .reply(200, rec('add', ok))
      .post(`${API}/skill/querySkills`)
      .reply(200, { ...skillOk, total: 1, data: [{ ...skill, name: 'Sales EU' }] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`)
      .reply(200, { ...ok, data: [{ userAccount: 'keep001' }, { userAccount: 'new0001' }], total: 2 });
    const group = await client().groups.update('3', { name: 'Sales_EU', memberIds: ['keep001', 'new0001'], vendorFields: { agentWeight: 2 } });
    expect(calls).toEqual([
      ['modify', { skillId: 3, name: 'Sales_EU' }],
      ['members', { skillId: 3, pageSize: 100, pageNum: 0 }],
      ['release', { skillId: 3, userAccounts: ['drop001', 'drop002'] }],
      ['add', { userAccounts: ['new0001'], skillId: 3, agentWeight: 2, skillWeight: 1 }],
    ]);
    expect(group.memberIds).toEqual(['keep001', 'new0001']);
  });

  it('update: memberIds [] releases the current members by name, never with an empty list', async () => {
    const released: unknown[] = [];
    api()
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`)
      .reply(200, { ...ok, data: [{ userAccount: 'drop001' }], total: 1 })
      .post(`${API}/agentAccount/releaseAgentBySkillId`)
      .reply(200, (_u, b) => {
        released.push(b);
        return ok;
      })
      .post(`${API}/skill/querySkills`)
      .reply(200, { ...skillOk, total: 1, data: [skill] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`)
      .reply(200, { ...ok, data: [], total: 0 });
    await client().groups.update('3', { memberIds: [] });
    expect(released).toEqual([{ skillId: 3, userAccounts: ['drop001'] }]);
  });

  it('delete: deleteSkill {skillIds: "3"}', async () => {
    const scope = api().post(`${API}/skill/deleteSkill`, { skillIds: '3' }).reply(200, skillOk);
    await client().groups.delete('3');
    expect(scope.isDone()).toBe(true);
  });
});

describe('validation: no request leaves the process', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['missing password', { password: undefined }, 'password'],
    ['short password', { password: 'Se#1a' }, 'password'],
    ['password without upper', { password: 'secret#1' }, 'password'],
    ['password without lower', { password: 'SECRET#1' }, 'password'],
    ['password without digit', { password: 'Secret#a' }, 'password'],
    ['password without special', { password: 'Secret12' }, 'password'],
    ['password with a space', { password: 'Secret #123' }, 'password'],
    ['password too long', { password: 'Secret#1'.repeat(4) }, 'password'],
    ['loginName too short', { loginName: 'abc' }, 'loginName'],
    ['loginName bad characters', { loginName: 'alice liu!' }, 'loginName'],
    ['loginName too long', { loginName: 'a'.repeat(51) }, 'loginName'],
    ['email local part > 64', { email: `${'a'.repeat(65)}@example.com` }, 'email'],
    ['email label > 63', { email: `a@${'b'.repeat(64)}.com` }, 'email'],
    ['phone > 25', { phone: '1'.repeat(26) }, 'phone'],
    ['unknown role', { roleIds: ['9'] }, 'roleIds.0'],
    ['non-numeric group', { groupIds: ['3', 'sales'] }, 'groupIds.1'],
    // each of these reads as a number (0, 1000, 12): not a skillId as given, so refused, not converted
    ['blank group', { groupIds: [' '] }, 'groupIds.0'],
    ['group in exponent notation', { groupIds: ['3', '1e3'] }, 'groupIds.1'],
    ['group with spaces around', { groupIds: [' 12 '] }, 'groupIds.0'],
    ['weight below 1', { groupIds: ['3'], vendorFields: { skillWeights: { '3': { agentWeight: 0 } } } }, 'vendorFields.skillWeights.3.agentWeight'],
    ['agentType outside the set', { vendorFields: { agentType: 7 } }, 'vendorFields.agentType'],
    ['ccRoleId outside the set', { vendorFields: { ccRoleId: 1 } }, 'vendorFields.ccRoleId'],
    ['userAccount through vendorFields', { vendorFields: { userAccount: 'x' } }, 'vendorFields.userAccount'],
    ['name only forbidden characters', { name: '()' }, 'name'],
  ];
  it.each(cases)('create: %s', async (_label, patch, path) => {
    const c = client();
    const e = await validationOf(c.agents.create({ ...good, ...patch } as never));
    expect(e.issues.map((i) => i.path)).toContain(path);
    expect(c.stats().requests).toBe(0);
    expect(c.tokenFetches()).toBe(0);
    expect(JSON.stringify(e) + e.message).not.toContain('Secret');
  });

  it('create: every Huawei rule the wire cannot see is named at once (a role past the first, reserved vendorFields)', async () => {
    const c = client();
    const e = await validationOf(c.agents.create({ ...good, roleIds: ['2', '9'], vendorFields: { userAccount: 'other01', workNo: 7 } }));
    expect(e.issues.map((i) => i.path)).toEqual(['roleIds.1', 'vendorFields.userAccount', 'vendorFields.workNo']);
    expect(c.stats().requests).toBe(0);
  });

  it('update: half a password change names the missing half; nothing is sent', async () => {
    const c = client();
    const e = await validationOf(c.agents.update('alice01', { vendorFields: { newPassWord: 'Secret#1' } }));
    expect(e.issues).toEqual([{ path: 'vendorFields.oldPassWord', message: expect.stringMatching(/needs both/) }]);
    const other = await validationOf(c.agents.update('alice01', { loginName: 'other01' }));
    expect(other.issues).toEqual([{ path: 'loginName', message: expect.stringMatching(/cannot be changed/) }]);
    expect(c.stats().requests).toBe(0);
  });

  it('create: a missing password is reported once', async () => {
    const { password: _p, ...noPassword } = good;
    const e = await validationOf(client().agents.create(noPassword));
    expect(e.issues).toEqual([{ path: 'password', message: expect.stringMatching(/requires a password/) }]);
  });

  it('a long or forbidden userName is a ValidationError naming name; fitNames: true shortens it with warnings', async () => {
    const c = client();
    const e = await validationOf(c.agents.create({ ...good, name: 'Alice (Sales) with a very long name' }));
    expect(e.issues.filter((i) => i.path === 'name').map((i) => i.message)).toHaveLength(2);
    expect(c.stats().requests).toBe(0);
    const preview = client({ fitNames: true }).agents.preview({ ...good, name: 'Alice (Sales) with a very long name' });
    expect((preview.body as { userName: string }).userName).toBe('Alice Sales with a v');
    expect(preview.warnings.map((w) => w.field)).toEqual(['name', 'name']);
  });

  it('update: a plain password → ValidationError explaining oldPassWord/newPassWord', async () => {
    const c = client();
    const e = await validationOf(c.agents.update('alice01', { password: 'Secret#1' }));
    expect(e.issues[0]).toMatchObject({ path: 'password', message: expect.stringMatching(/oldPassWord, newPassWord/) });
    await validationOf(c.agents.update('alice01', { vendorFields: { newPassWord: 'Secret#1' } }));
    const weak = await validationOf(c.agents.update('alice01', { vendorFields: { oldPassWord: 'Old#1234', newPassWord: 'weak' } }));
    expect(weak.issues.map((i) => i.path)).toContain('vendorFields.newPassWord');
    await validationOf(c.agents.update('alice01', { loginName: 'other01' }));
    await validationOf(c.agents.update('bad id!', { name: 'x' }));
    await validationOf(c.agents.update('alice01', { groupIds: ['x'] }));
    expect(c.stats().requests).toBe(0);
  });

  it('get/delete/findByEmail check their argument', async () => {
    const c = client();
    await validationOf(c.agents.get(''));
    await validationOf(c.agents.delete('ab'));
    await validationOf(c.agents.findByEmail('not-an-email'));
    expect(c.stats().requests).toBe(0);
  });

  it('groups: bad member ids, weights, media types and skillParam', async () => {
    const c = client();
    expect((await validationOf(c.groups.create({ name: 'Sales', memberIds: ['ok00001', 'x'] }))).issues.map((i) => i.path)).toEqual(['memberIds.1']);
    expect((await validationOf(c.groups.create({ name: 'Sales', vendorFields: { agentWeight: 0 } }))).issues.map((i) => i.path)).toEqual(['vendorFields.agentWeight']);
    expect((await validationOf(c.groups.create({ name: 'Sales', vendorFields: { mediaTypeId: 7 } }))).issues.map((i) => i.path)).toContain('vendorFields.mediaTypeId');
    expect((await validationOf(c.groups.create({ name: 'Voice', vendorFields: { mediaTypeId: 5 } }))).issues.map((i) => i.path)).toEqual(['vendorFields.skillParam']);
    expect((await validationOf(c.groups.create({ name: 'Sales', vendorFields: { maxWaitTime: 70000 } }))).issues.map((i) => i.path)).toEqual(['vendorFields.maxWaitTime']);
    expect((await validationOf(c.groups.create({ name: 'Sales', vendorFields: { description: 'd'.repeat(51) } }))).issues.map((i) => i.path)).toEqual(['vendorFields.description']);
    expect((await validationOf(c.groups.create({ name: 'Sales & Support' }))).issues.map((i) => i.path)).toEqual(['name']);
    await validationOf(c.groups.update('3', { memberIds: ['bad'] }));
    await validationOf(c.groups.delete('x'));
    expect(c.stats().requests).toBe(0);
  });
});

describe('malformed replies → InvalidResponseError', () => {
  it.each([
    ['query without data items shape', `${API}/agentAccount/query`, { resultCode: '0', data: [{ userName: 'no account' }] }],
    ['query data not an array', `${API}/agentAccount/query`, { resultCode: '0', data: 'nope' }],
    ['no result code at all', `${API}/agentAccount/query`, { hello: 'world' }],
    ['not JSON', `${API}/agentAccount/query`, '<html>gateway</html>'],
  ])('%s', async (_label, path, body) => {
    api().post(path).times(4).reply(200, body as never);
    await expect(client({ retry: false }).agents.get('alice01')).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('querySkills item without skillId', async () => {
    api().post(`${API}/skill/querySkills`).reply(200, { returnCode: '0', data: [{ name: 'x' }] });
    await expect(client().groups.list().toArray()).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('errors by status', () => {
  it('400 → VendorError, 404 → NotFoundError', async () => {
    api().post(`${API}/agentAccount/delete`).reply(400, { resultCode: '1', resultMessage: 'bad request' });
    await expect(client().agents.delete('alice01')).rejects.toMatchObject({ code: 'VENDOR', status: 400 });
    api().post(`${API}/skill/deleteSkill`).reply(404, 'no such path');
    await expect(client().groups.delete('3')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('raw request and preview', () => {
  it('request() carries auth and the classifier', async () => {
    const scope = api().post(`${API}/agentAccount/querySysInfo`, { a: 1 }).reply(200, { resultCode: '0', resultMessage: 'ok', data: { x: 1 } });
    const data = await client().request<{ data: { x: number } }>({ method: 'POST', path: `${API}/agentAccount/querySysInfo`, body: { a: 1 } });
    expect(data.data.x).toBe(1);
    expect(scope.isDone()).toBe(true);
    api().post(`${API}/agentAccount/querySysInfo`).reply(200, { resultCode: '1', resultMessage: 'denied' });
    await expect(client().request({ method: 'POST', path: `${API}/agentAccount/querySysInfo`, body: {} })).rejects.toBeInstanceOf(VendorError);
  });

  it('preview: redacted body and warnings, no request', () => {
    const c = client();
    const p = c.agents.preview({ ...good, status: 'disabled', channels: ['ticket'] });
    expect(p.body).toMatchObject({ userAccount: 'alice_liu', password: '[REDACTED]', agentType: 5 });
    expect(p.warnings.map((w) => w.field)).toEqual(['channels', 'channels', 'status']);
    expect(c.groups.preview({ name: 'Sales' }).body).toMatchObject({ mediaTypeId: 53, description: 'Sales' });
    expect(c.stats().requests).toBe(0);
  });
});
