import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError, NotFoundError } from '@contactkit/core';
import { BASE, api, client, recordQuery, type Query } from './helpers';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('groups (user_groups)', () => {
  it('list: GET /user_groups page/per_page, members from agents', async () => {
    const seen: Query[] = [];
    api()
      .get(`${BASE}/user_groups`)
      .query(recordQuery(seen))
      .reply(200, { code: 1000, meta: { current_page: 1, total_pages: 1, total_count: 2 }, user_groups: [{ id: 1, name: 'G1', agents: [{ id: 5, nick_name: 'a' }] }, { id: 2, name: 'G2', agents: [] }] });
    const groups = await client().groups.list({ pageSize: 10 }).toArray();
    expect(seen[0]).toMatchObject({ page: '1', per_page: '10' });
    expect(groups).toEqual([
      { id: '1', vendor: 'udesk', name: 'G1', memberIds: ['5'], remoteData: { id: 1, name: 'G1', agents: [{ id: 5, nick_name: 'a' }] } },
      { id: '2', vendor: 'udesk', name: 'G2', memberIds: [], remoteData: { id: 2, name: 'G2', agents: [] } },
    ]);
  });

  it('get: walks /user_groups/:id/agents pages for the members', async () => {
    const agents = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, nick_name: `a${from + i}`, email: `a${from + i}@x.com`, cellphone: null }));
    const pages: string[] = [];
    api().get(`${BASE}/user_groups/3/agents`).query((q) => (pages.push(q.page as string), q.page === '1' && q.per_page === '100')).reply(200, { code: 1000, meta: { current_page: 1, total_pages: 2, total_count: 130 }, user_group: { id: 3, name: 'Big', agents: agents(1, 100) } });
    api().get(`${BASE}/user_groups/3/agents`).query((q) => (pages.push(q.page as string), q.page === '2')).reply(200, { code: 1000, meta: { current_page: 2, total_pages: 2, total_count: 130 }, user_group: { id: 3, name: 'Big', agents: agents(101, 30) } });
    const g = await client().groups.get('3');
    expect(pages).toEqual(['1', '2']);
    expect(g).toMatchObject({ id: '3', name: 'Big' });
    expect(g.memberIds).toHaveLength(130);
    expect(g.memberIds![129]).toBe('130');
  });

  it('get: without meta, stops on a short page', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ id: i + 1 }));
    api().get(`${BASE}/user_groups/4/agents`).query((q) => q.page === '1').reply(200, { code: 1000, user_group: { id: 4, name: 'G', agents: full } });
    api().get(`${BASE}/user_groups/4/agents`).query((q) => q.page === '2').reply(200, { code: 1000, user_group: { id: 4, name: 'G', agents: [{ id: 101 }] } });
    const g = await client().groups.get('4');
    expect(g.memberIds).toHaveLength(101);
    expect(nock.isDone()).toBe(true);
  });

  it('get: a page that repeats the previous members (paging ignored) → InvalidResponseError, not a short member list', async () => {
    const full = Array.from({ length: 100 }, (_, i) => ({ id: i + 1 }));
    api().get(`${BASE}/user_groups/4/agents`).query((q) => q.page === '1').reply(200, { code: 1000, user_group: { id: 4, name: 'G', agents: full } });
    api().get(`${BASE}/user_groups/4/agents`).query((q) => q.page === '2').reply(200, { code: 1000, user_group: { id: 4, name: 'G', agents: full } });
    await expect(client().groups.get('4')).rejects.toBeInstanceOf(InvalidResponseError);
    expect(nock.isDone()).toBe(true);
  });

  it('get: unknown id (2005) → NotFoundError', async () => {
    api().get(`${BASE}/user_groups/9/agents`).query(true).reply(200, { code: 2005, message: 'No such resource was found' });
    await expect(client().groups.get('9')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('create: POST /user_groups {name, agent_ids} (flat body)', async () => {
    let body: unknown;
    api().post(`${BASE}/user_groups`, (b) => ((body = b), true)).query(true).reply(200, { code: 1000, user_group: { id: 7, name: 'New', agents: [{ id: 1, nick_name: 'a' }, { id: 2, nick_name: 'b' }] } });
    const g = await client().groups.create({ name: 'New', memberIds: ['1', '2'] });
    expect(body).toEqual({ name: 'New', agent_ids: [1, 2] });
    expect(g).toMatchObject({ id: '7', name: 'New', memberIds: ['1', '2'] });
  });

  it('update: PUT /user_groups/:id with only the given fields (agent_ids replaces the members)', async () => {
    const bodies: unknown[] = [];
    api().put(`${BASE}/user_groups/7`, (b) => (bodies.push(b), true)).query(true).times(2).reply(200, { code: 1000, user_group: { id: 7, name: 'Renamed', agents: [] } });
    const c = client();
    await c.groups.update('7', { name: 'Renamed' });
    const g = await c.groups.update('7', { memberIds: [] });
    expect(bodies).toEqual([{ name: 'Renamed' }, { agent_ids: [] }]);
    expect(g.memberIds).toEqual([]);
  });

  it('delete: DELETE /user_groups/:id', async () => {
    const del = api().delete(`${BASE}/user_groups/7`).query(true).reply(200, { code: 1000, message: 'ok' });
    await client().groups.delete('7');
    expect(del.isDone()).toBe(true);
  });
});

describe('roles and departments', () => {
  it('roles.list: GET /agent_roles', async () => {
    api().get(`${BASE}/agent_roles`).query(true).reply(200, { code: 1000, agent_roles: [{ id: 1, name: 'Role 1', description: '' }, { id: 2, name: 'Role 2', description: 'two' }] });
    expect(await client().roles.list()).toEqual([
      { id: '1', vendor: 'udesk', name: 'Role 1', description: null, remoteData: { id: 1, name: 'Role 1', description: '' } },
      { id: '2', vendor: 'udesk', name: 'Role 2', description: 'two', remoteData: { id: 2, name: 'Role 2', description: 'two' } },
    ]);
  });

  it('departments.list: the tree flattened to {id, name, parentId, path}', async () => {
    api()
      .get(`${BASE}/departments`)
      .query(true)
      .reply(200, {
        code: 1000,
        departments: [
          { id: 1, name: 'HQ', sub_department: [{ id: 2, name: 'Sales', sub_department: [{ id: 4, name: 'East', sub_department: [] }] }, { id: 3, name: 'Support' }] },
          { id: 5, name: 'Lab', sub_department: null },
        ],
      });
    expect(await client().departments.list()).toEqual([
      { id: '1', name: 'HQ', parentId: null, path: ['HQ'] },
      { id: '2', name: 'Sales', parentId: '1', path: ['HQ', 'Sales'] },
      { id: '4', name: 'East', parentId: '2', path: ['HQ', 'Sales', 'East'] },
      { id: '3', name: 'Support', parentId: '1', path: ['HQ', 'Support'] },
      { id: '5', name: 'Lab', parentId: null, path: ['Lab'] },
    ]);
  });
});
