/**
 * Every request and response example of the Huawei documents (the seed doc and
 * ../shared/vendors/huawei-aicc.md), kept verbatim in fixtures/doc-examples/ with the section each comes
 * from, replayed two ways:
 * (a) the simulator accepts each documented request (our token added) and answers in the documented shape;
 * (b) the adapter's wire schemas and mappers take each documented response exactly as printed (via nock).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHuaweiAiccSimulator, type HuaweiAiccSimulator } from '@contactkit/testkit';
import { TokenReplySchema, tokenTimes } from '../src';
import { API, BASE, client, queryReply, tokenEndpoint, wireAgent } from './helpers';

interface DocExample {
  source: string;
  operation: string;
  requestText?: string;
  responseText?: string;
  responseMessage?: string;
  responseSchematic?: string;
  elided?: string;
}

const DIR = join(__dirname, 'fixtures', 'doc-examples');
const examples = new Map<string, DocExample>(readdirSync(DIR).map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as DocExample]));
const example = (file: string): DocExample => {
  const found = examples.get(file);
  if (!found) throw new Error(`no fixture ${file}`);
  return found;
};
/** JSON as printed; the notes' `{skillIds:"3,4"}` has bare keys, which are quoted first */
const parse = (text: string): Record<string, unknown> => JSON.parse(text.replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":')) as Record<string, unknown>;

/** The structure of a value: keys and JSON types, recursively (arrays by their first item). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return [v.length > 0 ? shape(v[0]) : 'empty'];
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  return v === null ? 'null' : typeof v;
}

const USED = new Set<string>();
const use = (file: string) => {
  USED.add(file);
  return example(file);
};

describe('(a) the simulator accepts each documented request and answers in the documented shape', () => {
  let sim: HuaweiAiccSimulator;
  let token = '';
  beforeAll(async () => {
    sim = await startHuaweiAiccSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.state.reset();
    token = (await fetchToken(JSON.stringify({ app_key: sim.credentials.appKey, app_secret: sim.credentials.appSecret }))).body.AccessToken as string;
  });

  async function fetchToken(body: string) {
    const res = await fetch(`${sim.tokenBaseUrl}/apigovernance/api/oauth/tokenByAkSk`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-token-expire': '600' }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  async function post(operation: string, body: unknown) {
    const res = await fetch(`${sim.baseUrl}${API}/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-app-key': sim.credentials.appKey },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('tokenByAkSk: the documented body (our key and secret in place of "...") → every documented field, all strings', async () => {
    const e = use('notes-1-tokenbyaksk.json');
    const request = parse(e.requestText!);
    expect(Object.keys(request)).toEqual(['app_key', 'app_secret']);
    const r = await fetchToken(JSON.stringify({ ...request, app_key: sim.credentials.appKey, app_secret: sim.credentials.appSecret }));
    expect(r.status).toBe(200);
    expect(shape(r.body)).toEqual(shape(parse(e.responseText!)));
  });

  it('agentAccount/create: the seed doc example as printed (masked password and email included) → {resultCode, resultMessage, workNo}', async () => {
    const e = use('seed-agentaccount-create.json');
    // skills 2 and 3 exist and fit a video agent (agentType 11 → media type 5)
    for (const name of ['one', 'two', 'three']) sim.state.addSkill({ name, mediaTypeId: 5 });
    const reply = await post(e.operation, parse(e.requestText!));
    const documented = parse(e.responseText!);
    expect(reply).toMatchObject({ resultCode: '0', resultMessage: documented.resultMessage });
    expect(shape(reply)).toEqual(shape(documented));
    expect(sim.state.getAgent('test123456')?.skills.map((s) => s.skillId)).toEqual([3, 2]);
  });

  it('agentAccount/update: the notes sample (elided "…" values filled in) → {resultCode, resultMessage "edit success"}', async () => {
    const e = use('notes-3.2-agentaccount-update.json');
    sim.state.addSkill({ name: 'chat', mediaTypeId: 53 });
    sim.state.addAgent({ userAccount: 'test123456', userName: 'test111', email: 'test@example.com', password: 'Old#1234', agentType: 5 });
    const request = { ...parse(e.requestText!), email: 'test123@example.com', phone: '13800000000', oldPassWord: 'Old#1234', newPassWord: 'New#1234' };
    const reply = await post(e.operation, request);
    expect(reply).toEqual(parse(e.responseText!));
    expect(sim.state.getAgent('test123456')).toMatchObject({ userName: 'test123', skills: [{ skillId: 1, agentWeight: 1, skillWeight: 1 }] });
  });

  it('agentAccount/delete: the notes sample → {resultCode "0", resultMessage "delete AgentAccount success"}', async () => {
    const e = use('notes-3.3-agentaccount-delete.json');
    sim.state.addAgent({ userAccount: 'test123456', userName: 'test111', email: 'test@example.com' });
    expect(await post(e.operation, parse(e.requestText!))).toEqual(parse(e.responseText!));
  });

  it.each(['notes-2-agentaccount-query-by-account.json', 'notes-2-agentaccount-query-page.json', 'notes-2-agentaccount-query-postman.json'])(
    'agentAccount/query: %s → "get agent account info success" with data[]',
    async (file) => {
      const e = use(file);
      sim.state.addAgent({ userAccount: 'test123456', userName: 'test111', email: 'test@example.com' });
      const reply = await post(e.operation, parse(e.requestText!));
      expect(reply).toMatchObject({ resultCode: '0', resultMessage: e.responseMessage, data: [expect.objectContaining({ userAccount: 'test123456' })] });
    },
  );

  it('skill/querySkills: the notes sample {"limit":"10","offset":0} → {returnCode "0", description "success", total, data}', async () => {
    const e = use('notes-3.6-queryskills.json');
    sim.state.addSkill({ name: 'chat', mediaTypeId: 53 });
    const reply = await post(e.operation, parse(e.requestText!));
    expect(reply).toMatchObject({ returnCode: '0', description: 'success', total: 1 });
    const keys = ['skillId', 'name', 'description', 'mediaTypeId', 'maxWaitTime', 'maxWaitNum', 'maxAgentWrapupTime', 'skillParam'];
    expect(e.responseSchematic).toContain(keys.join(', '));
    expect(Object.keys((reply.data as Array<Record<string, unknown>>)[0]!).sort()).toEqual([...keys].sort());
  });

  it('skill/deleteSkill: the notes sample {skillIds:"3,4"} → {returnCode, description}', async () => {
    const e = use('notes-3.6-deleteskill.json');
    for (const name of ['one', 'two', 'three', 'four']) sim.state.addSkill({ name, mediaTypeId: 53 });
    const reply = await post(e.operation, parse(e.requestText!));
    expect(Object.keys(reply).sort()).toEqual(['description', 'returnCode']);
    expect(reply.returnCode).toBe('0');
    expect(sim.state.listGroups().map((g) => g.skillId)).toEqual([1, 2]);
  });

  it('agentAccount/addSkillsToAgent → {resultCode, resultMessage "success"} as the notes print it', async () => {
    const e = use('notes-3.5-addskillstoagent.json');
    sim.state.addSkill({ name: 'chat', mediaTypeId: 53 });
    sim.state.addAgent({ userAccount: 'test123456', userName: 'test111', email: 'test@example.com', agentType: 5 });
    const reply = await post(e.operation, { userAccounts: ['test123456'], skillId: 1, agentWeight: 1, skillWeight: 1 });
    expect(e.responseSchematic).toBe('{resultCode, resultMessage:"success"}');
    expect(reply).toEqual({ resultCode: '0', resultMessage: 'success' });
  });
});

describe('(b) the adapter takes each documented response exactly as printed', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
  const api = () => nock(BASE).matchHeader('authorization', /^Bearer tok-\d+$/);

  it('tokenByAkSk: the documented reply parses, and its Expires/CreateTime strings give the token lifetime', () => {
    // ("…" cannot travel in an Authorization header, so this one is checked on the schema and the mapper)
    const reply = TokenReplySchema.parse(parse(example('notes-1-tokenbyaksk.json').responseText!));
    expect(reply.AccessToken).toBe('…');
    const times = tokenTimes(reply, 600, 1545650171_000);
    expect(times.expiresAt).toBe((1545650171 + 600) * 1000);
  });

  it('agentAccount/create: the seed doc reply (workNo 108) is read; the agent comes back with employeeNo "108"', async () => {
    tokenEndpoint();
    const e = example('seed-agentaccount-create.json');
    api()
      .post(`${API}/agentAccount/create`)
      .reply(200, parse(e.responseText!))
      .post(`${API}/agentAccount/query`)
      // not visible yet: the adapter answers from what it sent and the documented workNo
      .reply(200, queryReply([]));
    const agent = await client().agents.create({ email: 'test@example.com', name: 'test111', password: 'Te****34', loginName: 'test123456' });
    expect(agent).toMatchObject({ id: 'test123456', employeeNo: '108' });
  });

  it('agentAccount/update: the documented "edit success" reply is a success', async () => {
    tokenEndpoint();
    const scope = api()
      .post(`${API}/agentAccount/update`)
      .reply(200, parse(example('notes-3.2-agentaccount-update.json').responseText!))
      .post(`${API}/agentAccount/query`)
      .reply(200, queryReply([wireAgent('test123456', { userName: 'test123' })]));
    expect((await client().agents.update('test123456', { name: 'test123' })).name).toBe('test123');
    expect(scope.isDone()).toBe(true);
  });

  it('agentAccount/delete: the documented reply is a success', async () => {
    tokenEndpoint();
    const scope = api().post(`${API}/agentAccount/delete`).reply(200, parse(example('notes-3.3-agentaccount-delete.json').responseText!));
    await client().agents.delete('test123456');
    expect(scope.isDone()).toBe(true);
  });

  it('agentAccount/query: a reply with the documented message and without workNo or total (the samples omit both) maps', async () => {
    tokenEndpoint();
    const { workNo: _w, ...noWorkNo } = wireAgent('test123456');
    api()
      .post(`${API}/agentAccount/query`)
      .reply(200, { resultCode: '0', resultMessage: example('notes-2-agentaccount-query-by-account.json').responseMessage, data: [noWorkNo] });
    expect(await client().agents.get('test123456')).toMatchObject({ id: 'test123456', employeeNo: null });
  });
});

// last: after the replays above have marked what they used
it('every fixture names the doc section it comes from and is replayed above', () => {
  for (const [file, e] of examples) {
    expect(e.source, file).toMatch(/^(seeds\/huawei-aicc-agentaccount-create\.txt|huawei-aicc\.md), /);
    expect(e.requestText ?? e.responseText ?? e.responseSchematic, file).toBeDefined();
  }
  expect([...examples.keys()].sort()).toEqual([...USED].sort());
});
