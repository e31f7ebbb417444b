import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidResponseError, NotFoundError, ValidationError } from '@contactkit/core';
import { KF5_CAPABILITIES, KF5_PASSWORD_RULES, createKf5Client, kf5RequiredRole, kf5Roles, leastPrivilegedRole } from '@contactkit/kf5';
import { API, EMAIL, ORIGIN, PASSWORD, PASSWORD_AUTH, TOKEN, TOKEN_AUTH, client, group, page, user } from './fixtures';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

function expectNoRequest(fn: () => Promise<unknown>) {
  const spy = vi.fn();
  nock(ORIGIN).persist().intercept(/.*/, 'GET').reply(() => { spy(); return [500]; }).intercept(/.*/, 'POST').reply(() => { spy(); return [500]; }).intercept(/.*/, 'PUT').reply(() => { spy(); return [500]; }).intercept(/.*/, 'DELETE').reply(() => { spy(); return [500]; });
  return fn().then(
    () => { throw new Error('expected a rejection'); },
    (e: unknown) => { expect(spy).not.toHaveBeenCalled(); return e; },
  );
}

/** The error `fn` throws; fails the test when it throws nothing. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('factory and auth', () => {
  it('token form: Authorization is Basic base64(email/token:apiToken), JSON headers, default base URL', async () => {
    const c = client();
    expect(c.vendor).toBe('kf5');
    expect(c.authMode).toBe('token');
    expect(c.baseUrl).toBe(API);
    const scope = nock(ORIGIN, { reqheaders: { authorization: TOKEN_AUTH, accept: 'application/json', 'content-type': 'application/json' } })
      .get('/apiv2/users/886.json')
      .reply(200, { user: user() });
    await c.agents.get('886');
    expect(scope.isDone()).toBe(true);
  });

  it('password form: Authorization is Basic base64(email:password)', async () => {
    const c = client({ apiToken: undefined, password: PASSWORD });
    expect(c.authMode).toBe('password');
    const scope = nock(ORIGIN, { reqheaders: { authorization: PASSWORD_AUTH } }).get('/apiv2/groups/165.json').reply(200, { group: group() });
    await c.groups.get('165');
    expect(scope.isDone()).toBe(true);
  });

  it('both credentials: reads and agent calls sign with the token, admin-only calls with the password', async () => {
    const c = client({ password: PASSWORD });
    expect(c.authMode).toBe('token+password');
    const asToken = nock(ORIGIN, { reqheaders: { authorization: TOKEN_AUTH } })
      .get('/apiv2/groups/165.json')
      .reply(200, { group: group() })
      .get('/apiv2/groups.json')
      .query(true)
      .reply(200, page('groups', [group()], null))
      .get('/apiv2/users/886.json')
      .times(2)
      .reply(200, { user: user() });
    const asPassword = nock(ORIGIN, { reqheaders: { authorization: PASSWORD_AUTH } })
      .post('/apiv2/groups.json')
      .reply(201, { group: group() })
      .put('/apiv2/groups/165.json')
      .reply(200, { group: group() })
      .delete('/apiv2/groups/165.json')
      .reply(200, {})
      .delete('/apiv2/users/886.json')
      .reply(200, {});
    await c.groups.get('165');
    await c.groups.list().toArray();
    await c.groups.create({ name: 'Support' });
    await c.groups.update('165', { name: 'Support' });
    await c.groups.delete('165');
    await c.agents.get('886');
    await c.agents.delete('886'); // reads the user (token), deletes it (password)
    expect(asToken.isDone()).toBe(true);
    expect(asPassword.isDone()).toBe(true);
  });

  it('kf5RequiredRole: group writes and user deletes are admin calls, everything else agent', () => {
    expect(kf5RequiredRole('GET', '/apiv2/groups.json')).toBe('agent');
    expect(kf5RequiredRole('GET', '/apiv2/users/1/groups.json')).toBe('agent');
    expect(kf5RequiredRole('POST', '/apiv2/groups.json')).toBe('admin');
    expect(kf5RequiredRole('PUT', '/apiv2/groups/2.json')).toBe('admin');
    expect(kf5RequiredRole('DELETE', '/apiv2/groups/2.json')).toBe('admin');
    expect(kf5RequiredRole('DELETE', '/apiv2/users/2.json')).toBe('admin');
    expect(kf5RequiredRole('POST', '/apiv2/users.json')).toBe('agent');
    expect(kf5RequiredRole('PUT', '/apiv2/users/2.json')).toBe('agent');
  });

  it('rejects bad factory options before any request', () => {
    expect(() => createKf5Client({ subdomain: 'demo', email: EMAIL })).toThrow(ValidationError);
    expect(() => createKf5Client({ subdomain: 'demo', email: '', apiToken: TOKEN })).toThrow(/email/);
    expect(() => createKf5Client({ subdomain: 'demo', email: 'a:b@example.com', apiToken: TOKEN })).toThrow(/email/);
    expect(() => createKf5Client({ email: EMAIL, apiToken: TOKEN })).toThrow(/subdomain/);
    expect(() => createKf5Client({ baseUrl: 'http://kf5.example.com/apiv2', email: EMAIL, apiToken: TOKEN })).toThrow(/https/);
    expect(() => client({ timezone: 'Asia/Shanghai' })).toThrow(/timezone/);
    const e = thrown(() => createKf5Client({ subdomain: 'demo', email: 'a:b', password: PASSWORD }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(e) + String(e)).not.toContain(PASSWORD);
  });

  it('baseUrl overrides the subdomain (plain http on loopback)', async () => {
    const c = createKf5Client({ baseUrl: 'http://127.0.0.1:9/apiv2/', email: EMAIL, apiToken: TOKEN });
    expect(c.baseUrl).toBe('http://127.0.0.1:9/apiv2');
    nock('http://127.0.0.1:9').get('/apiv2/groups/1.json').reply(200, { group: group({ id: 1 }) });
    expect((await c.groups.get('1')).id).toBe('1');
  });

  it('capabilities and password rules', () => {
    const c = client();
    expect(c.capabilities).toEqual(KF5_CAPABILITIES);
    expect(c.capabilities.roles.create).toBe(false);
    // KF5 users carry no writable membership: groups are written through the groups, not the create
    const { groupsInCreate, ...agentOps } = c.capabilities.agents;
    expect(groupsInCreate).toBe(false);
    // a disabled agent is created disabled: `status` travels in the create body
    expect(c.capabilities.agents.statusInCreate).toBe(true);
    expect(Object.values(agentOps).every(Boolean)).toBe(true);
    expect(Object.values(c.capabilities.groups).every(Boolean)).toBe(true);
    expect(c.passwordRules).toEqual(KF5_PASSWORD_RULES);
    expect(c.passwordRules).toMatchObject({ minLength: 6, maxLength: 128, requiredClasses: [] });
  });

  it('request(): raw call with auth', async () => {
    nock(ORIGIN, { reqheaders: { authorization: TOKEN_AUTH } }).get('/apiv2/users/me.json').query({ x: '1' }).reply(200, { user: user() });
    const c = client();
    const me = await c.request<{ user: { id: number } }>({ method: 'GET', path: 'users/me.json', query: { x: 1 } });
    expect(me.user.id).toBe(886);
    expect(c.stats().requests).toBe(1);
  });
});

describe('agents', () => {
  it('list: role=agent,admin, page/per_page, follows absolute next_page over 3 pages, drops suspended and end users', async () => {
    const scope = nock(ORIGIN)
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '1', per_page: '2' })
      .reply(200, page('users', [user({ id: 1 }), user({ id: 2, status: 'suspended' })], `${API}/users.json?role=agent%2Cadmin&page=2&per_page=2`, 5))
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '2', per_page: '2' })
      .reply(200, page('users', [user({ id: 3, role: 'admin' }), user({ id: 4, role: 'end_user' })], `${API}/users.json?role=agent%2Cadmin&page=3&per_page=2`, 5))
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '3', per_page: '2' })
      .reply(200, page('users', [user({ id: 5 })], null, 5));
    const ids: string[] = [];
    for await (const a of client().agents.list({ pageSize: 2 })) ids.push(a.id);
    expect(ids).toEqual(['1', '3', '5']);
    expect(scope.isDone()).toBe(true);
  });

  it('list: includeDisabled keeps suspended agents as disabled; pageSize is capped at 100', async () => {
    nock(ORIGIN)
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '1', per_page: '100' })
      .reply(200, page('users', [user({ id: 1 }), user({ id: 2, status: 'suspended' })], null));
    const all = await client().agents.list({ pageSize: 500, includeDisabled: true }).toArray();
    expect(all.map((a) => [a.id, a.status])).toEqual([['1', 'active'], ['2', 'disabled']]);
  });

  it('list: stops early without fetching further pages', async () => {
    const first = nock(ORIGIN).get('/apiv2/users.json').query(true).reply(200, page('users', [user({ id: 1 }), user({ id: 2 })], `${API}/users.json?page=2&per_page=2`));
    const second = nock(ORIGIN).get('/apiv2/users.json').query({ page: '2', per_page: '2' }).reply(200, page('users', [user({ id: 3 })], null));
    const got = await client().agents.list({ pageSize: 2 }).toArray({ limit: 2 });
    expect(got.map((a) => a.id)).toEqual(['1', '2']);
    expect(first.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
  });

  it('list: a page emptied by the filter does not end the walk', async () => {
    nock(ORIGIN)
      .get('/apiv2/users.json')
      .query(true)
      .reply(200, page('users', [user({ id: 1, status: 'suspended' })], `${API}/users.json?page=2&per_page=1`))
      .get('/apiv2/users.json')
      .query({ page: '2', per_page: '1' })
      .reply(200, page('users', [user({ id: 2 })], null));
    expect((await client().agents.list({ pageSize: 1 }).toArray()).map((a) => a.id)).toEqual(['2']);
  });

  it('list: a next_page off the API root is refused, not followed', async () => {
    nock(ORIGIN).get('/apiv2/users.json').query(true).reply(200, page('users', [user({ id: 1 })], 'https://evil.example.com/apiv2/users.json?page=2'));
    const evil = nock('https://evil.example.com').get(/.*/).reply(200, page('users', [], null));
    const err = await client().agents.list().toArray().catch((e) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(evil.isDone()).toBe(false);
  });

  it('list: rejects a bad pageSize', () => {
    expect(() => client().agents.list({ pageSize: 0 })).toThrow(ValidationError);
  });

  it('get: maps the user; an end user is not an agent; 404 → NotFoundError; a non-numeric id sends nothing', async () => {
    nock(ORIGIN).get('/apiv2/users/886.json').reply(200, { user: user({ custom_role_id: 4 }) });
    const a = await client().agents.get('886');
    expect(a).toMatchObject({ id: '886', email: 'ann@example.com', nickname: 'Annie', roleIds: ['agent', 'custom:4'], groupIds: ['165'], locale: 'zh-CN' });
    nock(ORIGIN).get('/apiv2/users/5.json').reply(200, { user: user({ id: 5, role: 'end_user' }) });
    await expect(client().agents.get('5')).rejects.toBeInstanceOf(NotFoundError);
    nock(ORIGIN).get('/apiv2/users/6.json').reply(404, { error: 'NotFound', message: 'User not found' });
    await expect(client().agents.get('6')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404, vendorCode: 'NotFound' });
    const err = await expectNoRequest(() => client().agents.get('../groups'));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]!.path).toBe('id');
  });

  it('findByEmail: users/search.json with an exact email match; null when none or only an end user', async () => {
    nock(ORIGIN)
      .get('/apiv2/users/search.json')
      .query({ query: 'Ann@Example.com', exact_query_fields: 'email', page: '1', per_page: '100' })
      .reply(200, page('users', [user({ id: 1, email: 'annie@example.com' }), user({ id: 886 })], null));
    expect((await client().agents.findByEmail('Ann@Example.com'))?.id).toBe('886');
    nock(ORIGIN).get('/apiv2/users/search.json').query(true).reply(200, page('users', [], null));
    expect(await client().agents.findByEmail('nobody@example.com')).toBeNull();
    nock(ORIGIN).get('/apiv2/users/search.json').query(true).reply(200, page('users', [user({ role: 'end_user' })], null));
    expect(await client().agents.findByEmail('ann@example.com')).toBeNull();
    const err = await expectNoRequest(() => client().agents.findByEmail('not-an-email'));
    expect((err as ValidationError).issues[0]!.path).toBe('email');
  });

  it('create: POST /users.json with role agent, password write-only, 201', async () => {
    let sent: unknown;
    nock(ORIGIN)
      .post('/apiv2/users.json', (b) => { sent = b; return true; })
      .reply(201, { user: user({ id: 901, email: 'bo@example.com', name: 'Bo', agent_display_name: 'Bobo', phone: '139', language: 'en_us', groups_info: [] }) }, { Location: `${API}/users/901.json` });
    const a = await client().agents.create({ email: 'bo@example.com', name: 'Bo', nickname: 'Bobo', phone: '139', locale: 'en-US', password: 'pw-123456' });
    expect(sent).toEqual({ user: { email: 'bo@example.com', name: 'Bo', agent_display_name: 'Bobo', phone: '139', language: 'en_us', password: 'pw-123456', role: 'agent' } });
    expect(a).toMatchObject({ id: '901', email: 'bo@example.com', locale: 'en-US', roleIds: ['agent'], groupIds: [] });
    expect(JSON.stringify(a)).not.toContain('pw-123456');
  });

  it('create: roleIds admin + custom, status disabled, vendorFields passed through', async () => {
    let sent: unknown;
    nock(ORIGIN).post('/apiv2/users.json', (b) => { sent = b; return true; }).reply(201, { user: user({ role: 'admin', custom_role_id: 9, status: 'suspended' }) });
    const a = await client().agents.create({
      email: 'ann@example.com',
      name: 'Ann',
      roleIds: ['admin', 'custom:9'],
      status: 'disabled',
      vendorFields: { signature: 'Regards', ticket_restriction: 'groups', moderator: false },
    });
    expect(sent).toEqual({
      user: { email: 'ann@example.com', name: 'Ann', role: 'admin', custom_role_id: 9, status: 'suspended', signature: 'Regards', ticket_restriction: 'groups', moderator: false },
    });
    expect(a.roleIds).toEqual(['admin', 'custom:9']);
    expect(a.status).toBe('disabled');
  });

  it('create with groupIds: the agent is added through each group (read, then PUT agents), then read back', async () => {
    const puts: unknown[] = [];
    const scope = nock(ORIGIN)
      .post('/apiv2/users.json')
      .reply(201, { user: user({ id: 901, groups_info: [] }) })
      .get('/apiv2/groups/165.json')
      .reply(200, { group: group() })
      .put('/apiv2/groups/165.json', (b) => { puts.push(b); return true; })
      .reply(200, { group: group() })
      .get('/apiv2/users/901.json')
      .reply(200, { user: user({ id: 901, groups_info: [{ id: 165, name: 'Support' }] }) });
    const a = await client().agents.create({ email: 'ann@example.com', name: 'Ann', groupIds: ['165'] });
    expect(puts).toEqual([{ group: { agents: [886, 733, 901] } }]);
    expect(a.groupIds).toEqual(['165']);
    expect(scope.isDone()).toBe(true);
  });

  it('create: lossy fields are warned to the logger; validation names each bad field and sends nothing', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    nock(ORIGIN).post('/apiv2/users.json').reply(201, { user: user() });
    await client({ logger }).agents.create({ email: 'ann@example.com', name: 'Ann', channels: ['voice'], employeeNo: 'E1', departmentIds: ['2'] });
    const call = logger.warn.mock.calls.find((c) => String(c[0]).includes('mapping'));
    expect(call?.[1]).toMatchObject({ operation: 'agents.create', warnings: [{ field: 'channels' }, { field: 'employeeNo' }, { field: 'departmentIds' }] });

    const err = (await expectNoRequest(() =>
      client().agents.create({
        email: 'bad',
        name: '  ',
        roleIds: ['supervisor', 'custom:1', 'custom:2'],
        groupIds: ['12', 'sales'],
        vendorFields: { favourite_colour: 'red', ticket_restriction: 'everything' },
      } as never),
    )) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    const paths = err.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'name']));
    // zod fails first; then the vendor rules on a valid model input:
    const err2 = (await expectNoRequest(() =>
      client().agents.create({
        email: 'ok@example.com',
        name: 'Ok',
        roleIds: ['supervisor', 'custom:1', 'custom:2'],
        groupIds: ['12', 'sales'],
        vendorFields: { favourite_colour: 'red', ticket_restriction: 'everything' },
      }),
    )) as ValidationError;
    expect(err2.issues.map((i) => i.path).sort()).toEqual(['groupIds.1', 'roleIds.0', 'roleIds.2', 'vendorFields.favourite_colour', 'vendorFields.ticket_restriction']);
  });

  it('preview: the body that would be sent, password redacted, and the warnings', () => {
    const p = client().agents.preview({ email: 'x@example.com', name: 'X', password: 'pw-123456', channels: ['chat'], vendorFields: { signature: 'sig' } });
    expect(p.body).toEqual({ user: { email: 'x@example.com', name: 'X', password: '[REDACTED]', role: 'agent', signature: 'sig' } });
    expect(p.warnings.map((w) => w.field)).toEqual(['channels']);
  });

  it('update: reads the user first, PUTs only the given fields; roleIds replace', async () => {
    let sent: unknown;
    const scope = nock(ORIGIN)
      .get('/apiv2/users/886.json')
      .reply(200, { user: user({ custom_role_id: 3 }) })
      .put('/apiv2/users/886.json', (b) => { sent = b; return true; })
      .reply(200, { user: user({ name: 'Ann Wang', phone: null }) });
    const a = await client().agents.update('886', { name: 'Ann Wang', phone: null, roleIds: ['agent'] });
    expect(sent).toEqual({ user: { name: 'Ann Wang', phone: null, role: 'agent', custom_role_id: null } });
    expect(a).toMatchObject({ name: 'Ann Wang', phone: null });
    expect(scope.isDone()).toBe(true);
  });

  it('update: an end user is not written', async () => {
    nock(ORIGIN).get('/apiv2/users/5.json').reply(200, { user: user({ id: 5, role: 'end_user' }) });
    const put = nock(ORIGIN).put('/apiv2/users/5.json').reply(200, { user: user() });
    await expect(client().agents.update('5', { name: 'X' })).rejects.toBeInstanceOf(NotFoundError);
    expect(put.isDone()).toBe(false);
  });

  it('update with groupIds: joins new groups and leaves dropped ones', async () => {
    const puts: Record<string, unknown> = {};
    const scope = nock(ORIGIN)
      .get('/apiv2/users/886.json')
      .reply(200, { user: user({ groups_info: [{ id: 165, name: 'Support' }] }) })
      .get('/apiv2/groups/211.json')
      .reply(200, { group: group({ id: 211, agents: [{ id: 733 }] }) })
      .put('/apiv2/groups/211.json', (b) => { puts['211'] = b; return true; })
      .reply(200, { group: group({ id: 211 }) })
      .get('/apiv2/groups/165.json')
      .reply(200, { group: group() })
      .put('/apiv2/groups/165.json', (b) => { puts['165'] = b; return true; })
      .reply(200, { group: group({ agents: [{ id: 733 }] }) })
      .get('/apiv2/users/886.json')
      .reply(200, { user: user({ groups_info: [{ id: 211, name: 'Sales' }] }) });
    const a = await client().agents.update('886', { groupIds: ['211'] });
    expect(puts).toEqual({ '211': { group: { agents: [733, 886] } }, '165': { group: { agents: [733] } } });
    expect(a.groupIds).toEqual(['211']);
    expect(scope.isDone()).toBe(true);
  });

  it('delete: checks the role, accepts 200 {} and 204', async () => {
    const s1 = nock(ORIGIN).get('/apiv2/users/886.json').reply(200, { user: user() }).delete('/apiv2/users/886.json').reply(200, {});
    await client().agents.delete('886');
    expect(s1.isDone()).toBe(true);
    const s2 = nock(ORIGIN).get('/apiv2/users/887.json').reply(200, { user: user({ id: 887 }) }).delete('/apiv2/users/887.json').reply(204);
    await client().agents.delete('887');
    expect(s2.isDone()).toBe(true);
    nock(ORIGIN).get('/apiv2/users/5.json').reply(200, { user: user({ id: 5, role: 'end_user' }) });
    const del = nock(ORIGIN).delete('/apiv2/users/5.json').reply(200, {});
    await expect(client().agents.delete('5')).rejects.toBeInstanceOf(NotFoundError);
    expect(del.isDone()).toBe(false);
    const err = (await expectNoRequest(() => client().agents.delete('886', { vendorFields: { owner_id: 1 } }))) as ValidationError;
    expect(err.issues[0]!.path).toBe('vendorFields.owner_id');
  });

  it('groupsOf: follows next_page; a non-numeric id sends nothing', async () => {
    const scope = nock(ORIGIN)
      .get('/apiv2/users/886/groups.json')
      .reply(200, page('groups', [group()], `${API}/users/886/groups.json?page=2`, 2))
      .get('/apiv2/users/886/groups.json')
      .query({ page: '2' })
      .reply(200, page('groups', [group({ id: 211, name: 'Sales' })], null, 2));
    expect((await client().agents.groupsOf('886')).map((g) => g.id)).toEqual(['165', '211']);
    expect(scope.isDone()).toBe(true);
    const err = (await expectNoRequest(() => client().agents.groupsOf('886/../x'))) as ValidationError;
    expect(err.issues.map((i) => i.path)).toEqual(['id']);
  });

  it('vendorFields: a model field is not a vendor field; each bad key and value is named in one error', async () => {
    const err = (await expectNoRequest(() =>
      client().agents.update('886', { vendorFields: { email: 'x@example.com', role: 'admin', mark_star: 2, tags: 'vip' } }),
    )) as ValidationError;
    expect(err.issues.map((i) => i.path).sort()).toEqual(['vendorFields.email', 'vendorFields.mark_star', 'vendorFields.role', 'vendorFields.tags']);
    expect(err.issues.find((i) => i.path === 'vendorFields.email')!.message).toBe('not a field this call takes');
  });

  it('groupsOf: GET /users/{id}/groups.json', async () => {
    nock(ORIGIN).get('/apiv2/users/886/groups.json').reply(200, { groups: [group(), group({ id: 211, name: 'Sales', agents: undefined })] });
    const gs = await client().agents.groupsOf('886');
    expect(gs.map((g) => [g.id, g.name, g.memberIds])).toEqual([
      ['165', 'Support', ['886', '733']],
      ['211', 'Sales', null],
    ]);
  });
});

describe('groups', () => {
  it('list: page/per_page, 3 pages through absolute next_page links, stop on null', async () => {
    const scope = nock(ORIGIN)
      .get('/apiv2/groups.json')
      .query({ page: '1', per_page: '100' })
      .reply(200, page('groups', [group({ id: 1, agents: undefined })], `${API}/groups.json?page=2&per_page=100`, 3))
      .get('/apiv2/groups.json')
      .query({ page: '2', per_page: '100' })
      .reply(200, page('groups', [group({ id: 2 })], `${API}/groups.json?page=3&per_page=100`, 3))
      .get('/apiv2/groups.json')
      .query({ page: '3', per_page: '100' })
      .reply(200, page('groups', [group({ id: 3, agents: [] })], null, 3));
    const pages: string[][] = [];
    for await (const p of client().groups.list().pages()) pages.push(p.map((g) => g.id));
    expect(pages).toEqual([['1'], ['2'], ['3']]);
    expect(scope.isDone()).toBe(true);
    nock(ORIGIN).get('/apiv2/groups.json').query(true).reply(200, page('groups', [group({ id: 1, agents: undefined }), group({ id: 3, agents: [] })], null));
    expect((await client().groups.list().toArray()).map((g) => g.memberIds)).toEqual([null, []]);
  });

  it('get', async () => {
    nock(ORIGIN).get('/apiv2/groups/165.json').reply(200, { group: group() });
    expect(await client().groups.get('165')).toMatchObject({ id: '165', vendor: 'kf5', name: 'Support', memberIds: ['886', '733'] });
  });

  it('create: {group:{name, agents:[ints]}} → 201 with Location', async () => {
    let sent: unknown;
    nock(ORIGIN)
      .post('/apiv2/groups.json', (b) => { sent = b; return true; })
      .reply(201, { group: group({ id: 234, name: 'My Group' }) }, { Location: `${API}/groups/234.json` });
    const g = await client().groups.create({ name: 'My Group', memberIds: ['886', '733'] });
    expect(sent).toEqual({ group: { name: 'My Group', agents: [886, 733] } });
    expect(g).toMatchObject({ id: '234', name: 'My Group', memberIds: ['886', '733'] });
  });

  it('update: agents REPLACES the members; [] clears them', async () => {
    const bodies: unknown[] = [];
    nock(ORIGIN)
      .put('/apiv2/groups/165.json', (b) => { bodies.push(b); return true; })
      .reply(200, { group: group({ name: 'Interesting Group', agents: [{ id: 733 }] }) })
      .put('/apiv2/groups/165.json', (b) => { bodies.push(b); return true; })
      .reply(200, { group: group({ agents: [] }) });
    expect((await client().groups.update('165', { name: 'Interesting Group', memberIds: ['733'] })).memberIds).toEqual(['733']);
    expect((await client().groups.update('165', { memberIds: [] })).memberIds).toEqual([]);
    expect(bodies).toEqual([{ group: { name: 'Interesting Group', agents: [733] } }, { group: { agents: [] } }]);
  });

  it('update with nothing to change reads the group', async () => {
    nock(ORIGIN).get('/apiv2/groups/165.json').reply(200, { group: group() });
    expect((await client().groups.update('165', {})).id).toBe('165');
  });

  it('delete: 200 {} and 204', async () => {
    const s = nock(ORIGIN).delete('/apiv2/groups/165.json').reply(200, {}).delete('/apiv2/groups/166.json').reply(204);
    await client().groups.delete('165');
    await client().groups.delete('166');
    expect(s.isDone()).toBe(true);
  });

  it('validation: member ids must be numeric, names non-empty, no vendor fields; nothing is sent', async () => {
    const e1 = (await expectNoRequest(() => client().groups.create({ name: 'G', memberIds: ['886', 'ann'] }))) as ValidationError;
    expect(e1.issues).toEqual([expect.objectContaining({ path: 'memberIds.1' })]);
    const e2 = (await expectNoRequest(() => client().groups.create({ name: ' ' }))) as ValidationError;
    expect(e2.issues[0]!.path).toBe('name');
    const e3 = (await expectNoRequest(() => client().groups.update('165', { vendorFields: { is_public: true } }))) as ValidationError;
    expect(e3.issues[0]!.path).toBe('vendorFields.is_public');
    const e4 = (await expectNoRequest(() => client().groups.delete('x1'))) as ValidationError;
    expect(e4.issues[0]!.path).toBe('id');
    const e5 = (await expectNoRequest(() => client().groups.delete('165', { vendorFields: { force: true, cascade: 1 } }))) as ValidationError;
    expect(e5.issues).toEqual([
      { path: 'vendorFields.force', message: 'not a field this call takes' },
      { path: 'vendorFields.cascade', message: 'not a field this call takes' },
    ]);
    const e6 = (await expectNoRequest(() => client().groups.update('165', { memberIds: ['1', 'x1'], vendorFields: { x: 1 } }))) as ValidationError;
    expect(e6.issues.map((i) => i.path)).toEqual(['memberIds.1', 'vendorFields.x']);
  });

  it('preview', () => {
    expect(client().groups.preview({ name: 'G', memberIds: ['1'] })).toEqual({ body: { group: { name: 'G', agents: [1] } }, warnings: [] });
  });
});

describe('roles', () => {
  it('fixed roles plus every custom_role_id carried by an agent', async () => {
    nock(ORIGIN)
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '1', per_page: '100' })
      .reply(200, page('users', [user({ id: 1, custom_role_id: 12 }), user({ id: 2, status: 'suspended', custom_role_id: 3 })], `${API}/users.json?page=2`))
      .get('/apiv2/users.json')
      .query({ page: '2' })
      .reply(200, page('users', [user({ id: 3, custom_role_id: 12 }), user({ id: 4, role: 'end_user', custom_role_id: 99 })], null));
    const roles = await client().roles.list();
    expect(roles.map((r) => r.id)).toEqual(['agent', 'admin', 'custom:3', 'custom:12']);
    expect(roles[3]).toMatchObject({ name: 'Custom role 12', vendor: 'kf5' });
    expect(client().roles.leastPrivileged?.(roles)?.id).toBe('agent');
  });

  it('leastPrivileged: the base agent role wherever it stands; none when the list lacks it; no request', () => {
    nock(ORIGIN).persist().get(/.*/).reply(500);
    const roles = kf5Roles([12, 3]);
    const pick = client().roles.leastPrivileged!;
    expect(pick([...roles].reverse())).toEqual(roles[0]);
    expect(pick(roles)?.id).toBe('agent');
    // custom roles' permissions are not readable: none is taken for the least privileged
    expect(pick(roles.filter((r) => r.id !== 'agent'))).toBeUndefined();
    expect(pick([])).toBeUndefined();
    // another vendor's role named agent is not KF5's
    expect(leastPrivilegedRole([{ ...roles[0]!, vendor: 'udesk' }])).toBeUndefined();
    expect(nock.pendingMocks()).toHaveLength(1);
  });
});

describe('next_page links and short pages', () => {
  it('a next_page printed with http:// for our https host is followed, over https on our own origin', async () => {
    const first = nock(ORIGIN).get('/apiv2/groups.json').query({ page: '1', per_page: '1' }).reply(200, page('groups', [group({ id: 1 })], 'http://demo.kf5.com/apiv2/groups.json?page=2&per_page=1', 2));
    const second = nock(ORIGIN).get('/apiv2/groups.json').query({ page: '2', per_page: '1' }).reply(200, page('groups', [group({ id: 2 })], null, 2));
    const plain = nock('http://demo.kf5.com').get(/.*/).reply(200, page('groups', [], null));
    expect((await client().groups.list({ pageSize: 1 }).toArray()).map((g) => g.id)).toEqual(['1', '2']);
    expect(first.isDone() && second.isDone()).toBe(true);
    expect(plain.isDone()).toBe(false); // credentials never go out over plain http
  });

  it('a next_page back to the first page is refused before asking it again', async () => {
    const first = nock(ORIGIN)
      .get('/apiv2/groups.json')
      .query({ page: '1', per_page: '100' })
      .times(2)
      .reply(200, page('groups', [group({ id: 1 })], `${API}/groups.json?per_page=100&page=1`, 5));
    const err = await client().groups.list().toArray().catch((e) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as Error).message).toMatch(/already fetched/);
    expect(first.pendingMocks()).toHaveLength(1);
  });

  it('same host on another explicit port, or another host, is refused before any request to it', async () => {
    for (const link of ['https://demo.kf5.com:8443/apiv2/groups.json?page=2', 'http://demo.kf5.com:8080/apiv2/groups.json?page=2', 'https://other.kf5.com/apiv2/groups.json?page=2']) {
      nock(ORIGIN).get('/apiv2/groups.json').query(true).reply(200, page('groups', [group({ id: 1 })], link, 2));
      const err = await client().groups.list().toArray().catch((e) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect(nock.pendingMocks()).toEqual([]);
    }
  });

  it('a short page without next_page is not the end while count says more: the next page number is asked', async () => {
    const scope = nock(ORIGIN)
      .get('/apiv2/groups.json')
      .query({ page: '1', per_page: '3' })
      .reply(200, { groups: [group({ id: 1 })], count: 3 })
      .get('/apiv2/groups.json')
      .query({ page: '2', per_page: '3' })
      .reply(200, { groups: [group({ id: 2 }), group({ id: 3 })], count: 3 });
    expect((await client().groups.list({ pageSize: 3 }).toArray()).map((g) => g.id)).toEqual(['1', '2', '3']);
    expect(scope.isDone()).toBe(true);
  });

  it('a short page with next_page is followed; next_page null with count reached ends the walk', async () => {
    const scope = nock(ORIGIN)
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '1', per_page: '100' })
      .reply(200, page('users', [user({ id: 1 })], `${API}/users.json?role=agent%2Cadmin&page=2&per_page=100`, 2))
      .get('/apiv2/users.json')
      .query({ role: 'agent,admin', page: '2', per_page: '100' })
      .reply(200, page('users', [user({ id: 2 })], null, 2));
    expect((await client().agents.list().toArray()).map((a) => a.id)).toEqual(['1', '2']);
    expect(scope.isDone()).toBe(true);
  });
});
