import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTenant, huaweiMediaFits, startHuaweiAiccSimulator, type HuaweiAiccSimulator } from '../src/index';
import { json } from './helpers';

let sim: HuaweiAiccSimulator;
let clock = Date.parse('2025-03-01T08:00:00Z');
let token = '';
const API = '/apiaccess/rest/cc-management/v1';

async function fetchToken(expire?: string, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (expire !== undefined) headers['x-token-expire'] = expire;
  const res = await fetch(`${sim.baseUrl}/apigovernance/api/oauth/tokenByAkSk`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body ?? { app_key: sim.credentials.appKey, app_secret: sim.credentials.appSecret }),
  });
  return { status: res.status, body: await json(res) };
}

async function post(path: string, body: unknown, opts: { token?: string; appKey?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${opts.token ?? token}` };
  if (opts.appKey !== null) headers['x-app-key'] = opts.appKey ?? sim.credentials.appKey;
  const res = await fetch(`${sim.baseUrl}${API}/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await json(res) };
}

beforeAll(async () => {
  sim = await startHuaweiAiccSimulator({ now: () => clock });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.state.reset();
  token = (await fetchToken('3600')).body.AccessToken;
});

const agent = (extra: Record<string, unknown> = {}) => ({
  userAccount: 'test123456',
  userName: 'test111',
  password: 'Te$t1234',
  email: 'test@huawei.example.com',
  agentType: 5,
  ccRoleId: 2,
  ...extra,
});
const skill = (extra: Record<string, unknown> = {}) => ({
  name: 'Chat queue',
  description: 'web chat',
  mediaTypeId: 53,
  maxWaitTime: 60,
  maxWaitNum: 100,
  maxAgentWrapupTime: 30,
  skillParam: { noAgents: 0, busy: 0, timeOut: 0, answerFunction: 0, waitVoice: '' },
  ...extra,
});

describe('huawei token', () => {
  it('issues a token with string fields; Expires echoes X-Token-Expire, default 600', async () => {
    const r = await fetchToken('1200');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      AccessToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      ApplyType: 'Bearer',
      CreateTime: String(Math.floor(clock / 1000)),
      Expires: '1200',
      Scope: expect.any(String),
      AppKey: sim.credentials.appKey,
      UserID: 'Anonymous',
    });
    expect((await fetchToken()).body.Expires).toBe('600');
  });

  it('X-Token-Expire above 3600 → 400; wrong key or secret → 401 APIGW.0101', async () => {
    const big = await fetchToken('3601');
    expect(big.status).toBe(400);
    const bad = await fetchToken('600', { app_key: sim.credentials.appKey, app_secret: 'nope' });
    expect(bad).toEqual({ status: 401, body: { error_code: 'APIGW.0101', error_msg: 'invalid app_key or app_secret' } });
    const badKey = await fetchToken('600', { app_key: 'nope', app_secret: sim.credentials.appSecret });
    expect(badKey.status).toBe(401);
  });

  it('tokens expire by the injected clock', async () => {
    const t = (await fetchToken('600')).body.AccessToken;
    expect((await post('agentAccount/query', { pageNum: 0, pageSize: 10 }, { token: t })).status).toBe(200);
    clock += 599_000;
    expect((await post('agentAccount/query', { pageNum: 0, pageSize: 10 }, { token: t })).status).toBe(200);
    clock += 1_000;
    const r = await post('agentAccount/query', { pageNum: 0, pageSize: 10 }, { token: t });
    expect(r).toEqual({ status: 401, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect token' } });
    token = (await fetchToken('3600')).body.AccessToken;
  });

  it('401 on a wrong or missing x-app-key, an unknown token, no Authorization', async () => {
    expect((await post('agentAccount/query', { pageNum: 0 }, { appKey: 'other' })).status).toBe(401);
    expect((await post('agentAccount/query', { pageNum: 0 }, { appKey: null })).status).toBe(401);
    expect((await post('agentAccount/query', { pageNum: 0 }, { token: 'f'.repeat(32) })).body.error_code).toBe('APIGW.0301');
    const res = await fetch(`${sim.baseUrl}${API}/agentAccount/query`, {
      method: 'POST',
      headers: { 'x-app-key': sim.credentials.appKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });

  it('expireTokens revokes every issued token and counts token requests', async () => {
    const before = sim.stats().tokenRequests ?? 0;
    const t2 = (await fetchToken('600')).body.AccessToken;
    expect(sim.stats().tokenRequests).toBe(before + 1);
    expect(sim.activeTokens()).toBeGreaterThanOrEqual(2);
    sim.expireTokens();
    expect(sim.activeTokens()).toBe(0);
    expect((await post('agentAccount/query', { pageNum: 0 }, { token: t2 })).status).toBe(401);
    expect((await post('agentAccount/query', { pageNum: 0 })).status).toBe(401);
    token = (await fetchToken('3600')).body.AccessToken;
    expect((await post('agentAccount/query', { pageNum: 0 })).status).toBe(200);
  });

  it('unknown paths → 404', async () => {
    const r = await post('agentAccount/nope', {});
    expect(r.status).toBe(404);
    expect(r.body.error_code).toEqual(expect.any(String));
  });
});

describe('huawei agent accounts', () => {
  it('creates (flat or wrapped body), queries, updates and deletes', async () => {
    const c = await post('agentAccount/create', agent());
    expect(c.body).toEqual({ resultCode: '0', resultMessage: 'create agent account success', workNo: expect.any(Number) });
    const w = await post('agentAccount/create', { requestParam: agent({ userAccount: 'wrapped01', email: 'w@huawei.example.com' }) });
    expect(w.body.resultCode).toBe('0');
    expect(w.body.workNo).toBe(c.body.workNo + 1);

    const q = await post('agentAccount/query', { requestParams: { userAccount: 'test123456' } });
    expect(q.body).toEqual({
      resultCode: '0',
      resultMessage: 'get agent account info success',
      data: [
        {
          userAccount: 'test123456',
          userName: 'test111',
          phone: null,
          email: 'test@huawei.example.com',
          agentType: 5,
          ccRoleId: 2,
          sipAccount: expect.any(String),
          skills: [],
          workNo: c.body.workNo,
          transparentDisplayFlag: false,
        },
      ],
      total: 1,
    });

    const u = await post('agentAccount/update', { userAccount: 'test123456', userName: 'test123', phone: '13900000000', ccRoleId: 3 });
    expect(u.body).toEqual({ resultCode: '0', resultMessage: 'edit success' });
    expect(sim.state.getAgent('test123456')).toMatchObject({ userName: 'test123', phone: '13900000000', ccRoleId: 3, email: 'test@huawei.example.com' });

    const pw = await post('agentAccount/update', { userAccount: 'test123456', oldPassWord: 'Te$t1234', newPassWord: 'N3w!passw' });
    expect(pw.body.resultCode).toBe('0');
    expect(sim.state.agentPassword('test123456')).toBe('N3w!passw');
    expect((await post('agentAccount/update', { userAccount: 'test123456', oldPassWord: 'wrong', newPassWord: 'N3w!passw2' })).body.resultCode).toBe('1');

    const d = await post('agentAccount/delete', { userAccount: 'test123456' });
    expect(d.body).toEqual({ resultCode: '0', resultMessage: 'delete AgentAccount success' });
    expect((await post('agentAccount/query', { userAccount: 'test123456' })).body).toMatchObject({ data: [], total: 0 });
    expect((await post('agentAccount/delete', { userAccount: 'test123456' })).body.resultCode).toBe('1');
    expect((await post('agentAccount/update', { userAccount: 'test123456', userName: 'x' })).body.resultCode).toBe('1');
  });

  it.each([
    ['userAccount too short', { userAccount: 'abc12' }],
    ['userAccount bad char', { userAccount: 'bad account!' }],
    ['userAccount too long', { userAccount: 'a'.repeat(51) }],
    ['userName too long', { userName: '一二三四五六七八九十一二三四五六七八九十一' }],
    ['userName forbidden char', { userName: 'a<b>' }],
    ['password too short', { password: 'Ab1!' }],
    ['password without special', { password: 'Abcdefg12' }],
    ['password without upper', { password: 'abcdef1!x' }],
    ['password without digit', { password: 'Abcdefg!x' }],
    ['email local part > 64', { email: `${'a'.repeat(65)}@huawei.example.com` }],
    ['email label > 63', { email: `a@${'b'.repeat(64)}.com` }],
    ['email without @', { email: 'nope' }],
    ['phone > 25', { phone: '1'.repeat(26) }],
    ['agentType', { agentType: 7 }],
    ['ccRoleId', { ccRoleId: 5 }],
    ['missing email', { email: undefined }],
  ])('create rejects %s with resultCode "1"', async (_name, extra) => {
    const r = await post('agentAccount/create', agent(extra));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ resultCode: '1', resultMessage: expect.any(String) });
    expect(sim.state.counts().agents).toBe(0);
  });

  it('accepts boundary values: 6 and 50 char accounts, 20 char names, 8 char passwords', async () => {
    expect((await post('agentAccount/create', agent({ userAccount: 'a.b-c@', userName: '一二三四五六七八九十一二三四五六七八九十', password: 'Ab1!abcd' }))).body.resultCode).toBe('0');
    expect((await post('agentAccount/create', agent({ userAccount: 'x'.repeat(50) }))).body.resultCode).toBe('0');
  });

  it('duplicate userAccount → "userAccount already exists"', async () => {
    await post('agentAccount/create', agent());
    expect((await post('agentAccount/create', agent())).body).toEqual({ resultCode: '1', resultMessage: 'userAccount already exists' });
  });

  it('skills on create: weights >= 1, skill exists, media type fits the agent type', async () => {
    const chat = (await post('skill/createSkill', skill())).body.skillId;
    const voice = (await post('skill/createSkill', skill({ name: 'Voice', mediaTypeId: 5 }))).body.skillId;
    expect((await post('agentAccount/create', agent({ skills: [{ skillId: chat, agentWeight: 0, skillWeight: 1 }] }))).body.resultCode).toBe('1');
    expect((await post('agentAccount/create', agent({ skills: [{ skillId: 999, agentWeight: 1, skillWeight: 1 }] }))).body.resultCode).toBe('1');
    // multimedia agent (5) cannot take a voice skill (5)
    expect((await post('agentAccount/create', agent({ skills: [{ skillId: voice, agentWeight: 1, skillWeight: 1 }] }))).body.resultCode).toBe('1');
    // audio agent (4) cannot take a multimedia skill (53)
    expect((await post('agentAccount/create', agent({ agentType: 4, skills: [{ skillId: chat, agentWeight: 1, skillWeight: 1 }] }))).body.resultCode).toBe('1');
    // versatile (99) takes both
    const ok = await post('agentAccount/create', agent({ agentType: 99, skills: [{ skillId: chat, agentWeight: 2, skillWeight: 3 }, { skillId: voice, agentWeight: 1, skillWeight: 1 }] }));
    expect(ok.body.resultCode).toBe('0');
    expect(sim.state.getAgent('test123456')!.skills).toEqual([
      { skillId: chat, agentWeight: 2, skillWeight: 3 },
      { skillId: voice, agentWeight: 1, skillWeight: 1 },
    ]);
    // changing the type to one the bound skills do not fit is refused
    expect((await post('agentAccount/update', { userAccount: 'test123456', agentType: 4 })).body.resultCode).toBe('1');
    // update with skills replaces them
    expect((await post('agentAccount/update', { userAccount: 'test123456', agentType: 4, skills: [{ skillId: voice, agentWeight: 1, skillWeight: 1 }] })).body.resultCode).toBe('0');
    expect(sim.state.skillMembers(chat)).toEqual([]);
    expect(sim.state.skillMembers(voice)).toEqual(['test123456']);
    expect(huaweiMediaFits(11, 5)).toBe(true);
    expect(huaweiMediaFits(11, 53)).toBe(false);
  });

  it('pages agentAccount/query from pageNum 0, filters agentType, caps pageSize at 100', async () => {
    sim.state.seed(generateTenant({ seed: 8, agents: 130 }));
    const p0 = await post('agentAccount/query', { pageNum: 0, pageSize: 100 });
    expect(p0.body.total).toBe(130);
    expect(p0.body.data).toHaveLength(100);
    const p1 = await post('agentAccount/query', { pageNum: 1, pageSize: 100 });
    expect(p1.body.data).toHaveLength(30);
    expect(new Set([...p0.body.data, ...p1.body.data].map((a: any) => a.userAccount)).size).toBe(130);
    expect((await post('agentAccount/query', { pageNum: 2, pageSize: 100 })).body.data).toEqual([]);
    expect((await post('agentAccount/query', { pageNum: 0, pageSize: 101 })).body.resultCode).toBe('1');
    const multi = await post('agentAccount/query', { pageNum: 0, pageSize: 100, agentType: [5] });
    expect(multi.body.data.every((a: any) => a.agentType === 5)).toBe(true);
    expect(multi.body.total).toBe(sim.state.listAgents().filter((a) => a.agentType === 5).length);
  });
});

describe('huawei skills and bindings', () => {
  it('skill CRUD with returnCode envelopes', async () => {
    const c = await post('skill/createSkill', skill());
    expect(c.body).toEqual({ returnCode: '0', description: 'success', skillId: expect.any(Number) });
    const id = c.body.skillId;
    const q = await post('skill/querySkills', { limit: '10', offset: 0 });
    expect(q.body).toEqual({
      returnCode: '0',
      description: 'success',
      total: 1,
      data: [{ skillId: id, name: 'Chat queue', description: 'web chat', mediaTypeId: 53, maxWaitTime: 60, maxWaitNum: 100, maxAgentWrapupTime: 30, skillParam: skill().skillParam }],
    });
    expect((await post('skill/querySkills', { limit: '10', offset: 0, name: 'Chat queue' })).body.total).toBe(1);
    expect((await post('skill/querySkills', { limit: '10', offset: 0, name: 'Other' })).body.total).toBe(0);
    expect((await post('skill/querySkills', { limit: '101', offset: 0 })).body.returnCode).not.toBe('0');
    expect((await post('skill/modifySkill', { skillId: id, name: 'Renamed' })).body).toEqual({ returnCode: '0', description: 'success' });
    expect(sim.state.getGroup(id)!.name).toBe('Renamed');
    expect((await post('skill/createSkill', skill({ maxWaitTime: 60001 }))).body.returnCode).not.toBe('0');
    expect((await post('skill/createSkill', skill({ mediaTypeId: 7 }))).body.returnCode).not.toBe('0');
    expect((await post('skill/createSkill', { name: 'x' })).body).toEqual({ returnCode: '1', description: expect.any(String) });
    expect((await post('skill/deleteSkill', { skillIds: `${id}` })).body.returnCode).toBe('0');
    expect(sim.state.counts().skills).toBe(0);
    expect((await post('skill/deleteSkill', { skillIds: `${id}` })).body.returnCode).toBe('1');
    expect((await post('skill/deleteSkill', { skillIds: '1,2,3,4,5,6,7,8,9,10,11' })).body.returnCode).toBe('1');
  });

  it('addSkillsToAgent / queryAgentInfoBySkillId / releaseAgentBySkillId stay consistent with agent skills', async () => {
    const id = (await post('skill/createSkill', skill())).body.skillId;
    for (let i = 0; i < 3; i++) await post('agentAccount/create', agent({ userAccount: `agent${i}xx`, email: `a${i}@huawei.example.com` }));
    await post('agentAccount/create', agent({ userAccount: 'voiceonly', agentType: 4 }));
    expect((await post('agentAccount/addSkillsToAgent', { userAccounts: ['agent0xx', 'agent1xx', 'agent2xx'], skillId: id, agentWeight: 1, skillWeight: 2 })).body).toEqual({ resultCode: '0', resultMessage: 'success' });
    expect((await post('agentAccount/addSkillsToAgent', { userAccounts: ['voiceonly'], skillId: id, agentWeight: 1, skillWeight: 1 })).body.resultCode).toBe('1');
    expect((await post('agentAccount/addSkillsToAgent', { userAccounts: Array.from({ length: 51 }, (_, i) => `x${i}`), skillId: id, agentWeight: 1, skillWeight: 1 })).body.resultCode).toBe('1');
    expect(sim.state.getAgent('agent1xx')!.skills).toEqual([{ skillId: id, agentWeight: 1, skillWeight: 2 }]);

    const q = await post('agentAccount/queryAgentInfoBySkillId', { skillId: id, pageSize: 2, pageNum: 0 });
    expect(q.body.total).toBe(3);
    expect(q.body.data).toEqual([
      { userAccount: 'agent0xx', userName: 'test111', workNo: expect.any(Number), agentType: 5 },
      { userAccount: 'agent1xx', userName: 'test111', workNo: expect.any(Number), agentType: 5 },
    ]);
    expect((await post('agentAccount/queryAgentInfoBySkillId', { skillId: id, pageSize: 2, pageNum: 1 })).body.data).toHaveLength(1);
    expect((await post('agentAccount/queryAgentInfoBySkillId', { skillId: id, pageSize: 101, pageNum: 0 })).body.resultCode).toBe('1');

    await post('agentAccount/releaseAgentBySkillId', { skillId: id, userAccounts: ['agent0xx'] });
    expect(sim.state.skillMembers(id)).toEqual(['agent1xx', 'agent2xx']);
    expect(sim.state.getAgent('agent0xx')!.skills).toEqual([]);
    await post('agentAccount/releaseAgentBySkillId', { skillId: id, userAccounts: [] });
    expect(sim.state.skillMembers(id)).toEqual([]);
    expect(sim.state.getAgent('agent2xx')!.skills).toEqual([]);

    // deleting a skill or an agent removes the bindings on the other side
    await post('agentAccount/addSkillsToAgent', { userAccounts: ['agent0xx'], skillId: id, agentWeight: 1, skillWeight: 1 });
    await post('agentAccount/delete', { userAccount: 'agent0xx' });
    expect(sim.state.skillMembers(id)).toEqual([]);
    await post('agentAccount/addSkillsToAgent', { userAccounts: ['agent1xx'], skillId: id, agentWeight: 1, skillWeight: 1 });
    await post('skill/deleteSkill', { skillIds: String(id) });
    expect(sim.state.getAgent('agent1xx')!.skills).toEqual([]);
  });

  it('modifySkill refuses a media type that does not fit bound agents', async () => {
    const id = (await post('skill/createSkill', skill())).body.skillId;
    await post('agentAccount/create', agent({ skills: [{ skillId: id, agentWeight: 1, skillWeight: 1 }] }));
    expect((await post('skill/modifySkill', { skillId: id, mediaTypeId: 5 })).body.returnCode).toBe('1');
    expect(sim.state.getGroup(id)!.mediaTypeId).toBe(53);
  });

  it('seeded data is valid by the simulator own rules', async () => {
    sim.state.seed(generateTenant({ seed: 11, agents: 300, groups: 6 }));
    for (const a of sim.state.listAgents()) {
      expect(a.userAccount).toMatch(/^[A-Za-z0-9@._-]{6,50}$/);
      expect([...a.userName].length).toBeLessThanOrEqual(20);
      for (const s of a.skills) expect(huaweiMediaFits(a.agentType, sim.state.getGroup(s.skillId)!.mediaTypeId)).toBe(true);
      expect([2, 3, 4]).toContain(a.ccRoleId);
    }
    const total = sim.state.listGroups().reduce((n, g) => n + sim.state.skillMembers(g.skillId).length, 0);
    expect(total).toBe(sim.state.listAgents().reduce((n, a) => n + a.skills.length, 0));
  });
});
