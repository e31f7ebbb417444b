/**
 * The KF5 docs' own examples (test/fixtures/doc-examples, copied verbatim, see index.json):
 * (a) the simulator accepts each documented request (our auth added) and answers in the documented
 *     shape; (b) the adapter parses each documented response exactly as printed, served by nock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKf5Client } from '@contactkit/kf5';
import { startKf5Simulator, type Kf5Simulator } from '@contactkit/testkit';

const DIR = join(__dirname, 'fixtures', 'doc-examples');
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');

/**
 * The docs print JSON loosely: `...` for elided fields and a missing comma after `"id": 211`.
 * Only those two liberties are undone here; anything else must parse as printed.
 */
function readDocJson(printed: string): unknown {
  const lines = printed.split('\n').filter((l) => l.trim() !== '...' && l.trim() !== '...,');
  const joined = lines
    .map((l, i) => (/^\s*"[^"]+"\s*:\s*[^,{[\s][^,]*$/.test(l) && /^\s*"/.test(lines[i + 1] ?? '') ? `${l},` : l))
    .join('\n')
    .replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(joined);
}

/** Every key of the documented object is in `actual`, with the same JSON type (arrays: item by item against the first). */
function expectShape(actual: unknown, documented: unknown, path = '$'): void {
  const type = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  expect(type(actual), path).toBe(type(documented));
  if (Array.isArray(documented) && documented.length > 0) {
    for (const [i, item] of (actual as unknown[]).entries()) expectShape(item, documented[0], `${path}[${i}]`);
  } else if (type(documented) === 'object') {
    for (const [k, v] of Object.entries(documented as Record<string, unknown>)) {
      expect(actual as object, `${path}.${k}`).toHaveProperty([k]);
      expectShape((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  }
}

const GROUP = readDocJson(text('group-json-example.response.txt')) as Record<string, unknown>;

describe('the docs print valid examples once the two printed liberties are undone', () => {
  it('every fixture file parses; the index names a doc section for each', () => {
    const index = JSON.parse(text('index.json')) as { examples: Array<{ file: string | null; source: string }> };
    for (const e of index.examples) {
      expect(e.source).toMatch(/kf5/);
      if (e.file) expect(() => readDocJson(text(e.file!))).not.toThrow();
    }
    expect(GROUP).toMatchObject({ id: 165, name: '支持组', created_at: '2013-05-01 11:52:06' });
  });
});

describe('(a) the simulator accepts the documented requests and answers in the documented shape', () => {
  let sim: Kf5Simulator;
  let auth: string;
  beforeAll(async () => {
    sim = await startKf5Simulator();
    auth = `Basic ${Buffer.from(`${sim.credentials.email}:${sim.credentials.password}`).toString('base64')}`;
    for (const id of [123, 232, 886, 733]) sim.state.addUser({ id, email: `agent${id}@example.com`, name: `agent ${id}`, role: 'agent' });
  });
  afterAll(() => sim.close());

  const send = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${sim.origin}${path}`, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body });
    const raw = await res.text();
    return { status: res.status, location: res.headers.get('location'), body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined };
  };

  it('创建客服组: POST the printed body → 201, Location of the new group, the group in the documented shape', async () => {
    const r = await send('POST', '/apiv2/groups.json', text('groups-create.request.txt'));
    expect(r.status).toBe(201);
    const group = r.body!.group as Record<string, unknown>;
    expectShape(r.body, readDocJson(text('groups-create.response.txt')));
    expect(group.name).toBe('My Group');
    expectShape({ ...group, agents: [{ id: 1, url: '', username: '', name: '' }] }, GROUP); // agents: [] has no item to compare
    expect(r.location).toBe(`${sim.origin}/apiv2/groups/${String(group.id)}.json`);
  });

  it('创建客服组 Note: agents as an array of agent ids (inside `group`, as the PHP SDK sends it)', async () => {
    const note = JSON.parse(text('groups-create-agents-note.request.txt')) as { agents: number[] };
    const r = await send('POST', '/apiv2/groups.json', JSON.stringify({ group: { name: 'My Group', ...note } }));
    expect(r.status).toBe(201);
    expectShape(r.body!.group, GROUP);
    expect((r.body!.group as { agents: Array<{ id: number }> }).agents.map((a) => a.id)).toEqual(note.agents);
  });

  it('客服组列表 / 查看客服组 / 修改客服组 / 删除客服组 in the documented shapes and statuses', async () => {
    const created = await send('POST', '/apiv2/groups.json', JSON.stringify({ group: { name: 'Seed', agents: [886, 733] } }));
    const id = String((created.body!.group as { id: number }).id);
    const list = await send('GET', '/apiv2/groups.json');
    expect(list.status).toBe(200);
    expectShape(list.body, readDocJson(text('groups-list.response.txt')));
    for (const g of list.body!.groups as unknown[]) expectShape(g, GROUP);

    const show = await send('GET', `/apiv2/groups/${id}.json`);
    expect(show.status).toBe(200);
    expectShape(show.body, readDocJson(text('groups-show.response.txt')));
    expectShape(show.body!.group, GROUP);

    const put = await send('PUT', `/apiv2/groups/${id}.json`, text('groups-update.request.txt'));
    expect(put.status).toBe(200);
    expectShape(put.body, readDocJson(text('groups-update.response.txt')));
    expect((put.body!.group as { name: string }).name).toBe('Interesting Group');

    expect((await send('DELETE', `/apiv2/groups/${id}.json`)).status).toBe(200);
    expect((await send('GET', `/apiv2/groups/${id}.json`)).status).toBe(404);
  });

  it('users: the PHP SDK create sample, wrapped in `user`, creates a user (201)', async () => {
    const r = await send('POST', '/apiv2/users.json', JSON.stringify({ user: JSON.parse(text('users-create-php-sample.request.txt')) }));
    expect(r.status).toBe(201);
    expect(r.body!.user).toMatchObject({ name: 'pencil', email: 'pen@qq.com', role: 'end_user' });
  });
});

describe('(b) the adapter parses the documented responses as printed', () => {
  const ORIGIN = 'https://demo.kf5.com';
  const client = () => createKf5Client({ subdomain: 'demo', email: 'admin@example.com', password: 'pw-123456', retry: false });
  const serve = (file: string) => readDocJson(text(file)) as nock.Body;
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('JSON示例: every documented field reaches the model (agents → memberIds, created_at read at +08:00)', async () => {
    nock(ORIGIN).get('/apiv2/groups/165.json').reply(200, { group: GROUP } as nock.Body);
    const g = await client().groups.get('165');
    expect(g).toMatchObject({ id: '165', name: '支持组', memberIds: ['886', '733'] });
    expect(g.remoteData).toMatchObject({ url: 'https://support.kf5.com/apiv2/groups/165.json', created_at: '2013-05-01 11:52:06' });
  });

  it('客服组列表: only id and name printed, no count or next_page: two groups, members unknown', async () => {
    nock(ORIGIN).get('/apiv2/groups.json').query(true).reply(200, serve('groups-list.response.txt'));
    const groups = await client().groups.list().toArray();
    expect(groups.map((g) => [g.id, g.name, g.memberIds])).toEqual([['211', 'group1', null], ['122', 'group2', null]]);
  });

  it('查看客服组 / 创建客服组 / 修改客服组 replies', async () => {
    nock(ORIGIN)
      .get('/apiv2/groups/211.json')
      .reply(200, serve('groups-show.response.txt'))
      .post('/apiv2/groups.json', JSON.parse(text('groups-create.request.txt')) as nock.RequestBodyMatcher)
      .reply(201, serve('groups-create.response.txt'), { Location: 'https://demo.kf5.com/apiv2/groups/234.json' })
      .put('/apiv2/groups/234.json', JSON.parse(text('groups-update.request.txt')) as nock.RequestBodyMatcher)
      .reply(200, serve('groups-update.response.txt'))
      .delete('/apiv2/groups/234.json')
      .reply(200);
    const c = client();
    expect(await c.groups.get('211')).toMatchObject({ id: '211', name: 'group1' });
    expect(await c.groups.create({ name: 'My Group' })).toMatchObject({ id: '234', name: 'My Group' });
    expect(await c.groups.update('234', { name: 'Interesting Group' })).toMatchObject({ id: '234', name: 'Interesting Group' });
    await expect(c.groups.delete('234')).resolves.toBeUndefined(); // 删除客服组: Status 200 OK, nothing printed
    expect(nock.pendingMocks()).toEqual([]);
  });
});
