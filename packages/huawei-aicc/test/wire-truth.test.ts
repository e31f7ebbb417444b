/**
 * Issue 12 "wire truth": what the Huawei documents require, checked on the wire (nock). Each block names
 * the doc rule it holds the adapter to.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError, checkPassword, generatePassword } from '@contactkit/core';
import { API, APP_KEY, BASE, TOKEN_PATH, client, ok, queryReply, skillOk, tokenEndpoint, tokenReply, wireAgent } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const api = () => nock(BASE).matchHeader('authorization', /^Bearer tok-\d+$/).matchHeader('x-app-key', APP_KEY);
const good = { email: 'alice.liu@example.com', name: 'Alice Liu', password: 'Secret#1', loginName: 'alice01' };
const release53 = { deviceType: '1', transferType: 'Release' };

/** The ValidationError of a call that must fail before anything is sent: no token fetch, no request. */
async function refusedBeforeSending(run: (c: ReturnType<typeof client>) => Promise<unknown>, extra: Parameters<typeof client>[0] = {}): Promise<ValidationError> {
  const token = tokenEndpoint();
  const c = client(extra);
  const e = await run(c).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  expect(token.state.hits).toBe(0);
  expect(c.stats().requests).toBe(0);
  return e as ValidationError;
}
const paths = (e: ValidationError) => e.issues.map((i) => i.path);

describe('passwords: the default rule group is "a string of eight characters" with four classes', () => {
  it('passwordRules say exactly 8, and generated passwords pass the adapter and the rule', () => {
    const c = client();
    expect(c.passwordRules).toEqual({ minLength: 8, maxLength: 8, requiredClasses: ['upper', 'lower', 'digit', 'special'], specials: expect.any(String) });
    for (let i = 0; i < 30; i++) {
      const p = generatePassword(c.passwordRules);
      expect([...p]).toHaveLength(8);
      expect(checkPassword(p, c.passwordRules)).toEqual([]);
      expect(() => c.agents.preview({ ...good, password: p })).not.toThrow();
    }
  });

  it("a caller's 9-character password is a ValidationError on password (nothing sent)", async () => {
    const e = await refusedBeforeSending((c) => c.agents.create({ ...good, password: 'Secret#12' }));
    expect(e.issues).toEqual([{ path: 'password', message: expect.stringMatching(/exactly 8 characters/) }]);
    const u = await refusedBeforeSending((c) => c.agents.update('alice01', { vendorFields: { oldPassWord: 'Old#1234', newPassWord: 'Newer#123' } }));
    expect(paths(u)).toEqual(['vendorFields.newPassWord']);
  });

  it('passwordLength configures the rule (a tenant with another rule group): 9 characters are sent, rules follow', async () => {
    tokenEndpoint();
    const c = client({ passwordLength: { min: 8, max: 32 } });
    expect(c.passwordRules).toMatchObject({ minLength: 8, maxLength: 32 });
    const scope = api()
      .post(`${API}/agentAccount/create`, (b) => b.password === 'Secret#12')
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 108 })
      .post(`${API}/agentAccount/query`)
      .reply(200, queryReply([wireAgent('alice01')]));
    await c.agents.create({ ...good, password: 'Secret#12' });
    expect(scope.isDone()).toBe(true);
  });

  it('a bad passwordLength option is refused when the client is built', () => {
    expect(() => client({ passwordLength: { min: 9, max: 8 } })).toThrow(ValidationError);
    expect(() => client({ passwordLength: { min: 2, max: 8 } })).toThrow(/passwordLength/);
  });
});

describe('userName: 20 characters on create, 20 bytes (UTF-8) on update; never changed silently', () => {
  it('create takes 8 Chinese characters (24 bytes); update refuses them, naming name, sending nothing', async () => {
    tokenEndpoint();
    const scope = api()
      .post(`${API}/agentAccount/create`, (b) => b.userName === '张三李四王五赵六')
      .reply(200, { resultCode: '0', resultMessage: 'create agent account success', workNo: 108 })
      .post(`${API}/agentAccount/query`)
      .reply(200, queryReply([wireAgent('alice01', { userName: '张三李四王五赵六' })]));
    await client().agents.create({ ...good, name: '张三李四王五赵六' });
    expect(scope.isDone()).toBe(true);
    nock.cleanAll();
    const e = await refusedBeforeSending((c) => c.agents.update('alice01', { name: '张三李四王五赵六' }));
    expect(e.issues).toEqual([{ path: 'name', message: expect.stringMatching(/20 bytes/) }]);
  });

  it('update forbids only "[]=;<> (its own, shorter set): an apostrophe is sent as is', async () => {
    tokenEndpoint();
    const scope = api()
      .post(`${API}/agentAccount/update`, { userAccount: 'alice01', userName: "O'Neil" })
      .reply(200, ok)
      .post(`${API}/agentAccount/query`)
      .reply(200, queryReply([wireAgent('alice01', { userName: "O'Neil" })]));
    await client().agents.update('alice01', { name: "O'Neil" });
    expect(scope.isDone()).toBe(true);
    expect(paths(await refusedBeforeSending((c) => c.agents.update('alice01', { name: 'a=b' })))).toEqual(['name']);
    expect(paths(await refusedBeforeSending((c) => c.agents.create({ ...good, name: "O'Neil" })))).toEqual(['name']);
  });

  it('a too long or forbidden name: ValidationError naming name, no token fetch, no request', async () => {
    const e = await refusedBeforeSending((c) => c.agents.create({ ...good, name: 'Alice (Support) Liu of the night shift' }));
    expect(paths(e)).toEqual(['name', 'name']);
    expect(paths(await refusedBeforeSending((c) => c.groups.create({ name: 'Sales Team' })))).toEqual(['name']);
  });

  it('fitNames: true fits the name and reports each change as a MappingWarning (preview shows them)', async () => {
    const c = client({ fitNames: true });
    const preview = c.agents.preview({ ...good, name: 'Alice (Support) Liu of the night shift' });
    expect((preview.body as { userName: string }).userName).toBe('Alice Support Liu of');
    expect(preview.warnings).toEqual([
      { field: 'name', message: expect.stringMatching(/removed/), value: 'Alice (Support) Liu of the night shift' },
      { field: 'name', message: expect.stringMatching(/shortened to "Alice Support Liu of"/), value: 'Alice (Support) Liu of the night shift' },
    ]);
    const group = c.groups.preview({ name: 'Sales Team' });
    expect(group.body).toMatchObject({ name: 'Sales_Team' });
    expect(group.warnings.map((w) => w.field)).toEqual(['name']);
    tokenEndpoint();
    const scope = api()
      .post(`${API}/agentAccount/update`, { userAccount: 'alice01', userName: '张三李四王五' })
      .reply(200, ok)
      .post(`${API}/agentAccount/query`)
      .reply(200, queryReply([wireAgent('alice01')]));
    await c.agents.update('alice01', { name: '张三李四王五赵六' });
    expect(scope.isDone()).toBe(true);
  });
});

describe('skill queues: names, descriptions and skillParam as createSkill documents them', () => {
  it('the description is built from the name with only Chinese characters, letters and digits', async () => {
    const c = client({ fitNames: true });
    expect(c.groups.preview({ name: 'VIP-客服_2024' }).body).toMatchObject({ name: 'VIP-客服_2024', description: 'VIP客服2024' });
    expect(c.groups.preview({ name: '---' }).body).toMatchObject({ description: 'skill' });
  });

  it.each([
    ['a blank', 'web chat'],
    ['punctuation', 'chat!'],
    ['51 characters', 'a'.repeat(51)],
    ['nothing', ''],
  ])('a description with %s is a ValidationError on vendorFields.description', async (_what, description) => {
    const e = await refusedBeforeSending((c) => c.groups.create({ name: 'Sales', vendorFields: { description } }));
    expect(paths(e)).toContain('vendorFields.description');
  });

  it.each([['a space', 'Sales Team'], ['a full-width bracket', '客服（一）'], ['a yen sign', 'A￥B'], ['a tab', 'A\tB']])(
    'a skill name with %s is a ValidationError on name',
    async (_what, name) => {
      expect(paths(await refusedBeforeSending((c) => c.groups.create({ name })))).toEqual(['name']);
    },
  );

  it('media type 53 sends deviceType "1" in noAgents, busy and timeOut; 2 and 18 do not', async () => {
    tokenEndpoint();
    const bodies: unknown[] = [];
    api()
      .post(`${API}/skill/createSkill`)
      .times(2)
      .reply(200, (_u, b) => {
        bodies.push(b);
        return { ...skillOk, skillId: bodies.length };
      })
      .post(`${API}/skill/querySkills`)
      .times(2)
      .reply(200, (_u, b) => ({ ...skillOk, total: 1, data: [{ skillId: Number((b as { skillIds: string[] }).skillIds[0]), name: 'Sales' }] }))
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`)
      .times(2)
      .reply(200, { ...ok, data: [], total: 0 });
    await client().groups.create({ name: 'Sales' });
    await client().groups.create({ name: 'Click', vendorFields: { mediaTypeId: 2 } });
    expect(bodies[0]).toMatchObject({ mediaTypeId: 53, skillParam: { noAgents: release53, busy: release53, timeOut: release53 } });
    expect(bodies[1]).toMatchObject({ mediaTypeId: 2, skillParam: { noAgents: { transferType: 'Release' } } });
    expect(JSON.stringify(bodies[1])).not.toContain('deviceType');
  });

  it('a caller skillParam for 53 without deviceType "1", or with answerFunction, is refused', async () => {
    const noDevice = { noAgents: { transferType: 'Release' }, busy: release53, timeOut: release53 };
    expect(paths(await refusedBeforeSending((c) => c.groups.create({ name: 'Sales', vendorFields: { skillParam: noDevice } })))).toEqual(['vendorFields.skillParam.noAgents.deviceType']);
    const extra = { noAgents: release53, busy: release53, timeOut: release53, answerFunction: '0' };
    expect(paths(await refusedBeforeSending((c) => c.groups.create({ name: 'Sales', vendorFields: { skillParam: extra } })))).toEqual(['vendorFields.skillParam.answerFunction']);
  });
});

describe('delete: its own userAccount pattern (no "@", no "."); derived accounts satisfy it', () => {
  it('an account with "." or "@" is a ValidationError on id (nothing sent); one without is deleted', async () => {
    expect(paths(await refusedBeforeSending((c) => c.agents.delete('alice.liu')))).toEqual(['id']);
    expect(paths(await refusedBeforeSending((c) => c.agents.delete('alice@corp')))).toEqual(['id']);
    tokenEndpoint();
    const scope = api().post(`${API}/agentAccount/delete`, { userAccount: 'alice_liu-2' }).reply(200, { resultCode: '0', resultMessage: 'delete AgentAccount success' });
    await client().agents.delete('alice_liu-2');
    expect(scope.isDone()).toBe(true);
  });

  it('an account derived from an email has no "." or "@"', () => {
    expect(client().agents.preview({ email: 'first.last@example.com', name: 'First', password: 'Secret#1' }).body).toMatchObject({ userAccount: 'first_last' });
  });
});

describe('documented types and paging fields', () => {
  it('agentAccount/query by account sends pageNum 0 and pageSize (pageNum is mandatory on the zh page)', async () => {
    tokenEndpoint();
    const scope = api().post(`${API}/agentAccount/query`, { userAccount: 'alice01', pageNum: 0, pageSize: 1 }).reply(200, queryReply([wireAgent('alice01')]));
    await client().agents.get('alice01');
    expect(scope.isDone()).toBe(true);
  });

  it('querySkills sends limit and offset as strings (the parameter table), skillIds as strings', async () => {
    tokenEndpoint();
    const scope = api()
      .post(`${API}/skill/querySkills`, { limit: '100', offset: '0', skillIds: ['3'] })
      .reply(200, { ...skillOk, total: 1, data: [{ skillId: 3, name: 'Sales' }] })
      .post(`${API}/agentAccount/queryAgentInfoBySkillId`, { skillId: 3, pageSize: 100, pageNum: 0 })
      .reply(200, { ...ok, data: [], total: 0 });
    await client().groups.get('3');
    expect(scope.isDone()).toBe(true);
  });

  it('a short agent page is not the end while total says more exist', async () => {
    tokenEndpoint();
    const scope = api()
      .post(`${API}/agentAccount/query`, { pageNum: 0, pageSize: 3 })
      .reply(200, queryReply([wireAgent('agent001')], 3))
      .post(`${API}/agentAccount/query`, { pageNum: 1, pageSize: 3 })
      .reply(200, queryReply([wireAgent('agent002')], 3))
      .post(`${API}/agentAccount/query`, { pageNum: 2, pageSize: 3 })
      .reply(200, queryReply([wireAgent('agent003')], 3));
    expect((await client().agents.list({ pageSize: 3 }).toArray()).map((a) => a.id)).toEqual(['agent001', 'agent002', 'agent003']);
    expect(scope.isDone()).toBe(true);
  });

  it('a short skill page is not the end while total says more; the next offset follows what came', async () => {
    tokenEndpoint();
    const skill = (id: number) => ({ skillId: id, name: `S${id}` });
    const scope = api()
      .post(`${API}/skill/querySkills`, { limit: '3', offset: '0' })
      .reply(200, { ...skillOk, total: 3, data: [skill(1), skill(2)] })
      .post(`${API}/skill/querySkills`, { limit: '3', offset: '2' })
      .reply(200, { ...skillOk, total: 3, data: [skill(3)] });
    expect((await client().groups.list({ pageSize: 3 }).toArray()).map((g) => g.id)).toEqual(['1', '2', '3']);
    expect(scope.isDone()).toBe(true);
  });

  it('without total a short page still ends the list', async () => {
    tokenEndpoint();
    const scope = api().post(`${API}/skill/querySkills`, { limit: '3', offset: '0' }).reply(200, { ...skillOk, data: [{ skillId: 1, name: 'S1' }] });
    expect(await client().groups.list({ pageSize: 3 }).toArray()).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });
});

describe('tokenBaseUrl: the token endpoint may live on another origin (default: the same as baseUrl)', () => {
  const TOKEN_BASE = 'https://aicc.example.com:28070';

  it('fetches the token from tokenBaseUrl and calls the API on baseUrl; the API origin never sees a token request', async () => {
    let tokenHits = 0;
    const tokenScope = nock(TOKEN_BASE)
      .post(TOKEN_PATH, { app_key: APP_KEY, app_secret: 'app-secret-very-private-9f3' })
      .reply(200, () => {
        tokenHits++;
        return tokenReply('tok-1');
      });
    const wrongOrigin = nock(BASE).post(TOKEN_PATH).reply(200, tokenReply('tok-wrong'));
    const scope = api().post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('alice01')]));
    const c = client({ tokenBaseUrl: TOKEN_BASE });
    expect((await c.agents.get('alice01')).id).toBe('alice01');
    expect(tokenScope.isDone()).toBe(true);
    expect(scope.isDone()).toBe(true);
    expect(wrongOrigin.isDone()).toBe(false);
    expect(tokenHits).toBe(1);
    // the token is a secret of the business transport too (its redactor scrubs the value anywhere)
    expect((c.agents.preview({ ...good, name: 'tok-1' }).body as { userName: string }).userName).not.toBe('tok-1');
    expect((client().agents.preview({ ...good, name: 'tok-1' }).body as { userName: string }).userName).toBe('tok-1');
  });

  it('by default the token comes from the baseUrl origin', async () => {
    const token = tokenEndpoint();
    api().post(`${API}/agentAccount/query`).reply(200, queryReply([wireAgent('alice01')]));
    await client().agents.get('alice01');
    expect(token.state.hits).toBe(1);
  });

  it('a tokenBaseUrl that is not a URL is refused when the client is built', () => {
    expect(() => client({ tokenBaseUrl: 'not a url' })).toThrow(/tokenBaseUrl/);
  });
});
