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
/** skillParam as the createSkill table shapes it for a media type */
const skillParamFor = (mediaTypeId: number) => {
  const release = mediaTypeId === 53 ? { deviceType: '1', transferType: 'Release' } : { transferType: 'Release' };
  const three = { noAgents: release, busy: release, timeOut: release };
  return mediaTypeId === 5 || mediaTypeId === 19 ? { ...three, answerFunction: '0', waitVoice: '' } : three;
};
const skill = (extra: Record<string, unknown> = {}) => ({
  name: 'Chat_queue',
  description: 'webchat',
  mediaTypeId: 53,
  maxWaitTime: 60,
  maxWaitNum: 100,
  maxAgentWrapupTime: 30,
  skillParam: skillParamFor(typeof extra.mediaTypeId === 'number' ? extra.mediaTypeId : 53),
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
  it('creates, queries, updates and deletes (flat bodies by default; a wrapped one is refused)', async () => {
    const c = await post('agentAccount/create', agent());
    expect(c.body).toEqual({ resultCode: '0', resultMessage: 'create agent account success', workNo: expect.any(Number) });
    const w = await post('agentAccount/create', { requestParam: agent({ userAccount: 'wrapped01', email: 'w@huawei.example.com' }) });
    expect(w.body).toEqual({ resultCode: '1', resultMessage: 'userAccount is required' });

    const q = await post('agentAccount/query', { userAccount: 'test123456', pageNum: 0, pageSize: 1 });
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

    const pw = await post('agentAccount/update', { userAccount: 'test123456', oldPassWord: 'Te$t1234', newPassWord: 'N3w!pass' });
    expect(pw.body.resultCode).toBe('0');
    expect(sim.state.agentPassword('test123456')).toBe('N3w!pass');
    expect((await post('agentAccount/update', { userAccount: 'test123456', oldPassWord: 'wrong', newPassWord: 'N3w!pas2' })).body.resultCode).toBe('1');

    const d = await post('agentAccount/delete', { userAccount: 'test123456' });
    expect(d.body).toEqual({ resultCode: '0', resultMessage: 'delete AgentAccount success' });
    expect((await post('agentAccount/query', { userAccount: 'test123456', pageNum: 0 })).body).toMatchObject({ data: [], total: 0 });
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
    ['password without special', { password: 'Abcdefg1' }],
    ['password without upper', { password: 'abcdef1!' }],
    ['password without digit', { password: 'Abcdefg!' }],
    ['password of 9 characters (exactly-8)', { password: 'Abcdef1!x' }],
    ['agentType as a string (Integer in the table)', { agentType: '5' }],
    ['ccRoleId as a string (Integer in the table)', { ccRoleId: '2' }],
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
    expect(new Set([...p0.body.data, ...p1.body.data].map((a: { userAccount: string }) => a.userAccount)).size).toBe(130);
    expect((await post('agentAccount/query', { pageNum: 2, pageSize: 100 })).body.data).toEqual([]);
    expect((await post('agentAccount/query', { pageNum: 0, pageSize: 101 })).body.resultCode).toBe('1');
    const multi = await post('agentAccount/query', { pageNum: 0, pageSize: 100, agentType: [5] });
    expect(multi.body.data.every((a: { agentType: number }) => a.agentType === 5)).toBe(true);
    expect(multi.body.total).toBe(sim.state.listAgents().filter((a) => a.agentType === 5).length);
    // pageNum is mandatory, even with userAccount
    expect((await post('agentAccount/query', { pageSize: 10 })).body).toEqual({ resultCode: '1', resultMessage: 'pageNum is required' });
    expect((await post('agentAccount/query', { pageNum: '0', pageSize: 10 })).body.resultCode).toBe('1');
    // by account: the sample sends no paging fields; the ones sent are checked all the same
    const account = sim.state.listAgents()[0]!.userAccount;
    expect((await post('agentAccount/query', { userAccount: account })).body.total).toBe(1);
    expect((await post('agentAccount/query', { userAccount: account, pageNum: 0, pageSize: 1 })).body.total).toBe(1);
    expect((await post('agentAccount/query', { userAccount: account, pageNum: '0', pageSize: 1 })).body.resultCode).toBe('1');
    expect((await post('agentAccount/query', { userAccount: account, pageNum: 0, pageSize: 101 })).body.resultCode).toBe('1');
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
      data: [{ skillId: id, name: 'Chat_queue', description: 'webchat', mediaTypeId: 53, maxWaitTime: 60, maxWaitNum: 100, maxAgentWrapupTime: 30, skillParam: skill().skillParam }],
    });
    expect((await post('skill/querySkills', { limit: '10', offset: '0', name: 'Chat_queue' })).body.total).toBe(1);
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

/** a simulator with other readings, its token, and a post helper bound to it */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read as loose JSON: each test asserts the shape it needs
async function withSim(options: Parameters<typeof startHuaweiAiccSimulator>[0], body: (call: (path: string, b: unknown) => Promise<any>, other: HuaweiAiccSimulator) => Promise<void>) {
  const other = await startHuaweiAiccSimulator(options);
  try {
    const tokenRes = await fetch(`${other.tokenBaseUrl}/apigovernance/api/oauth/tokenByAkSk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_key: other.credentials.appKey, app_secret: other.credentials.appSecret }),
    });
    const t = (await json(tokenRes)).AccessToken as string;
    const call = async (path: string, b: unknown) => {
      const res = await fetch(`${other.baseUrl}${API}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t}`, 'x-app-key': other.credentials.appKey },
        body: JSON.stringify(b),
      });
      return json(res);
    };
    await body(call, other);
  } finally {
    await other.close();
  }
}

describe('huawei documented rules (strict by default)', () => {
  it('password: exactly 8 characters by default ("a string of eight characters"); 8 to 32 with passwordLength "8-to-32"', async () => {
    expect((await post('agentAccount/create', agent({ password: 'Abcdef1!x' }))).body).toEqual({
      resultCode: '1',
      resultMessage: 'password must be exactly 8 characters and contain uppercase letters, lowercase letters, digits and special characters',
    });
    expect((await post('agentAccount/create', agent({ password: 'Abcde1!x' }))).body.resultCode).toBe('0');
    expect((await post('agentAccount/update', { userAccount: 'test123456', oldPassWord: 'Abcde1!x', newPassWord: 'Abcdef1!xy' })).body.resultCode).toBe('1');
    await withSim({ passwordLength: '8-to-32' }, async (call) => {
      expect((await call('agentAccount/create', agent({ password: 'Abcdef1!x' }))).resultCode).toBe('0');
      expect((await call('agentAccount/create', agent({ userAccount: 'second01', password: `Ab1!${'x'.repeat(29)}` }))).resultCode).toBe('1');
    });
  });

  it('userName: 20 characters and "[]\'&()=;<>, on create; 20 BYTES and "[]=;<> on update', async () => {
    expect((await post('agentAccount/create', agent({ userName: '张三李四王五赵六' }))).body.resultCode).toBe('0');
    // 8 characters but 24 bytes: too long for update
    expect((await post('agentAccount/update', { userAccount: 'test123456', userName: '张三李四王五赵六' })).body).toEqual({ resultCode: '1', resultMessage: 'userName must be at most 20 bytes' });
    expect((await post('agentAccount/update', { userAccount: 'test123456', userName: '张三李四王五' })).body.resultCode).toBe('0');
    // "'" is forbidden on create only
    expect((await post('agentAccount/create', agent({ userAccount: 'oneil001', userName: "O'Neil" }))).body.resultCode).toBe('1');
    expect((await post('agentAccount/update', { userAccount: 'test123456', userName: "O'Neil" })).body.resultCode).toBe('0');
    expect((await post('agentAccount/update', { userAccount: 'test123456', userName: 'a=b' })).body.resultCode).toBe('1');
  });

  it('delete checks its own userAccount pattern: "@" and "." (allowed by create) are refused', async () => {
    expect((await post('agentAccount/create', agent({ userAccount: 'alice.liu' }))).body.resultCode).toBe('0');
    expect((await post('agentAccount/delete', { userAccount: 'alice.liu' })).body).toEqual({
      resultCode: '1',
      resultMessage: 'userAccount must be 6 to 50 characters without blanks or special characters',
    });
    expect((await post('agentAccount/create', agent({ userAccount: 'alice_liu-2', email: 'b@huawei.example.com' }))).body.resultCode).toBe('0');
    expect((await post('agentAccount/delete', { userAccount: 'alice_liu-2' })).body.resultCode).toBe('0');
  });

  it.each([
    ['a blank in the description', { description: 'web chat' }],
    ['punctuation in the description', { description: 'web-chat' }],
    ['a description of 51 characters', { description: 'a'.repeat(51) }],
    ['an empty description', { description: '' }],
    ['a space in the name (the forbidden set starts with one)', { name: 'Chat queue' }],
    ['a full-width bracket in the name', { name: '客服（一）' }],
    ['a name over 100 bytes', { name: '队'.repeat(34) }],
    ['media type 53 without deviceType', { skillParam: { noAgents: { transferType: 'Release' }, busy: { transferType: 'Release' }, timeOut: { transferType: 'Release' } } }],
    ['media type 53 with deviceType as a number', { skillParam: { noAgents: { deviceType: 1, transferType: 'Release' }, busy: { deviceType: '1', transferType: 'Release' }, timeOut: { deviceType: '1', transferType: 'Release' } } }],
    ['media type 53 with answerFunction', { skillParam: { ...skillParamFor(53), answerFunction: '0' } }],
    ['Release with a value', { skillParam: { ...skillParamFor(53), busy: { deviceType: '1', transferType: 'Release', value: 3 } } }],
    ['media type 5 without answerFunction and waitVoice', { mediaTypeId: 5, skillParam: skillParamFor(53) }],
    ['mediaTypeId as a string (number in the table)', { mediaTypeId: '53' }],
  ])('createSkill refuses %s (returnCode "1")', async (_name, extra) => {
    const r = await post('skill/createSkill', skill(extra));
    expect(r.body).toEqual({ returnCode: '1', description: expect.any(String) });
    expect(sim.state.counts().skills).toBe(0);
  });

  it('createSkill accepts Chinese, letters and digits in the description, and a Transfer to a skill queue', async () => {
    const transfer = { deviceType: '1', transferType: 'Transfer', value: 1 };
    const r = await post('skill/createSkill', skill({ description: '在线客服Chat24', skillParam: { ...skillParamFor(53), timeOut: transfer } }));
    expect(r.body.returnCode).toBe('0');
    expect((await post('skill/modifySkill', { skillId: r.body.skillId, description: 'web chat' })).body.returnCode).toBe('1');
    expect((await post('skill/modifySkill', { skillId: r.body.skillId, skillParam: { ...skillParamFor(53), answerFunction: '0' } })).body.returnCode).toBe('1');
  });

  it('querySkills takes limit, mediaTypeId and skillIds as strings; offset as the table (string) or the sample (number) prints it', async () => {
    await post('skill/createSkill', skill());
    expect((await post('skill/querySkills', { limit: 10, offset: '0' })).body).toEqual({ returnCode: '1', description: 'limit must be a string' });
    expect((await post('skill/querySkills', { limit: '10', offset: '0', skillIds: [1] })).body.returnCode).toBe('1');
    expect((await post('skill/querySkills', { limit: '10', offset: '0', mediaTypeId: 53 })).body.returnCode).toBe('1');
    expect((await post('skill/querySkills', { limit: '10', offset: '0', mediaTypeId: '53', skillIds: ['1'] })).body.total).toBe(1);
    expect((await post('skill/querySkills', { limit: '10', offset: 0 })).body.total).toBe(1);
    // the name filter carries the createSkill name rules (a space is forbidden)
    expect((await post('skill/querySkills', { limit: '10', offset: '0', name: 'Chat queue' })).body.returnCode).toBe('1');
  });

  it('bodyForm "wrapped": requestParam for create/update/queryAgentInfoBySkillId, requestParams for query/delete, skill calls flat', async () => {
    await withSim({ bodyForm: 'wrapped' }, async (call) => {
      expect((await call('agentAccount/create', agent())).resultMessage).toBe('userAccount is required');
      expect((await call('agentAccount/create', { requestParam: agent() })).resultCode).toBe('0');
      expect((await call('agentAccount/create', { requestParams: agent({ userAccount: 'other0001' }) })).resultCode).toBe('1');
      expect((await call('agentAccount/query', { requestParams: { userAccount: 'test123456', pageNum: 0, pageSize: 1 } })).total).toBe(1);
      expect((await call('agentAccount/query', { userAccount: 'test123456', pageNum: 0, pageSize: 1 })).resultCode).toBe('1');
      expect((await call('agentAccount/update', { requestParam: { userAccount: 'test123456', userName: 'renamed' } })).resultCode).toBe('0');
      const skillId = (await call('skill/createSkill', skill())).skillId;
      expect((await call('agentAccount/addSkillsToAgent', { userAccounts: ['test123456'], skillId, agentWeight: 1, skillWeight: 1 })).resultCode).toBe('0');
      expect((await call('agentAccount/queryAgentInfoBySkillId', { requestParam: { skillId, pageNum: 0, pageSize: 10 } })).total).toBe(1);
      expect((await call('agentAccount/delete', { requestParams: { userAccount: 'test123456' } })).resultCode).toBe('0');
    });
  });

  it('pageCap serves pages shorter than asked while total counts everything', async () => {
    await withSim({ pageCap: 3, tenant: generateTenant({ seed: 3, agents: 10, groups: 2 }) }, async (call, other) => {
      const p0 = await call('agentAccount/query', { pageNum: 0, pageSize: 5 });
      expect(p0.data).toHaveLength(3);
      expect(p0.total).toBe(10);
      const p1 = await call('agentAccount/query', { pageNum: 1, pageSize: 5 });
      // the server pages by its own size: page 1 starts right after page 0 (item 3), nothing skipped
      expect(p1.data[0].userAccount).toBe(other.state.listAgents()[3]!.userAccount);
      const skills = await call('skill/querySkills', { limit: '100', offset: '0' });
      expect(skills.data.length).toBeLessThanOrEqual(3);
      expect(skills.total).toBe(other.state.counts().skills);
    });
  });

  it('tokenOrigin "separate": tokenByAkSk lives on tokenBaseUrl only', async () => {
    await withSim({ tokenOrigin: 'separate' }, async (call, other) => {
      expect(other.tokenBaseUrl).not.toBe(other.baseUrl);
      const onBusiness = await fetch(`${other.baseUrl}/apigovernance/api/oauth/tokenByAkSk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(onBusiness.status).toBe(404);
      // the token fetched from tokenBaseUrl (by withSim) is good on the business origin
      expect((await call('agentAccount/query', { pageNum: 0, pageSize: 1 })).resultCode).toBe('0');
      expect(other.stats().tokenRequests).toBe(1);
    });
  });
});
