import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTenant, startKf5Simulator, type Kf5Simulator } from '../src/index';
import { basic, json } from './helpers';

let sim: Kf5Simulator;
let auth: string;

beforeAll(async () => {
  sim = await startKf5Simulator();
  auth = basic(sim.credentials.email, sim.credentials.password);
});
afterAll(() => sim.close());
beforeEach(() => sim.state.reset());

const call = async (method: string, path: string, body?: unknown, authorization = auth) => {
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

describe('kf5 auth', () => {
  it('accepts Basic email:password and email/token:apiToken', async () => {
    const c = sim.credentials;
    expect((await call('GET', '/users.json', undefined, basic(c.email, c.password))).status).toBe(200);
    expect((await call('GET', '/users.json', undefined, basic(`${c.email}/token`, c.apiToken))).status).toBe(200);
  });

  it('401 with the contract JSON on a wrong password, token used as password, missing header, bearer', async () => {
    const c = sim.credentials;
    const wrong = [
      basic(c.email, 'nope'),
      basic(c.email, c.apiToken),
      basic(`${c.email}/token`, c.password),
      basic('other@kf5.example.com', c.password),
      `Bearer ${c.apiToken}`,
      '',
    ];
    for (const h of wrong) {
      const r = await call('GET', '/groups.json', undefined, h);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('unknown routes → 404 NotFound (also paths without .json)', async () => {
    for (const p of ['/nope.json', '/users']) {
      const r = await call('GET', p);
      expect(r.status).toBe(404);
      expect(r.body.error).toBe('NotFound');
    }
  });
});

describe('kf5 users', () => {
  it('creates, shows, updates and deletes a user', async () => {
    const c = await call('POST', '/users.json', {
      user: { email: 'li.na@kf5.example.com', name: '李娜', role: 'agent', phone: '13800138000', language: 'zh_cn' },
    });
    expect(c.status).toBe(201);
    const u = c.body.user;
    expect(u).toMatchObject({
      id: expect.any(Number),
      email: 'li.na@kf5.example.com',
      name: '李娜',
      role: 'agent',
      phone: '13800138000',
      language: 'zh_cn',
      status: 'active',
      groups_info: [],
      custom_role_id: null,
    });
    expect(u.url).toBe(`${sim.baseUrl}/users/${u.id}.json`);
    expect(u.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const shown = await call('GET', `/users/${u.id}.json`);
    expect(shown.body.user).toEqual(u);

    const upd = await call('PUT', `/users/${u.id}.json`, { user: { name: '李娜娜', status: 'suspended' } });
    expect(upd.status).toBe(200);
    expect(upd.body.user).toMatchObject({ name: '李娜娜', status: 'suspended', email: 'li.na@kf5.example.com', phone: '13800138000' });

    const del = await call('DELETE', `/users/${u.id}.json`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({});
    expect((await call('GET', `/users/${u.id}.json`)).status).toBe(404);
    expect((await call('PUT', `/users/${u.id}.json`, { user: { name: 'x' } })).status).toBe(404);
    expect((await call('DELETE', `/users/${u.id}.json`)).status).toBe(404);
  });

  it('defaults role to end_user', async () => {
    const c = await call('POST', '/users.json', { user: { email: 'eu@kf5.example.com', name: 'End User' } });
    expect(c.body.user.role).toBe('end_user');
  });

  it('422 RecordInvalid with field errors: duplicate email, blank name, bad role, bad email', async () => {
    await call('POST', '/users.json', { user: { email: 'dup@kf5.example.com', name: 'A', role: 'agent' } });
    const dup = await call('POST', '/users.json', { user: { email: 'DUP@kf5.example.com', name: 'B' } });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({
      error: 'RecordInvalid',
      message: expect.any(String),
      errors: { email: ['has already been taken'] },
    });
    const bad = await call('POST', '/users.json', { user: { email: 'not-an-email', name: '', role: 'boss' } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['email', 'name', 'role']);
    const other = await call('POST', '/users.json', { user: { email: 'o@kf5.example.com', name: 'O' } });
    const upd = await call('PUT', `/users/${other.body.user.id}.json`, { user: { email: 'dup@kf5.example.com' } });
    expect(upd.status).toBe(422);
    expect(upd.body.errors.email).toEqual(['has already been taken']);
    expect(sim.state.counts().users).toBe(2);
  });

  it('filters by role and paginates with absolute next_page built from Host', async () => {
    sim.state.seed(generateTenant({ seed: 2, agents: 25 }));
    sim.state.addUser({ email: 'end1@kf5.example.com', name: 'End 1' });
    const r = await call('GET', '/users.json?role=agent,admin&per_page=10');
    expect(r.body.count).toBe(25);
    expect(r.body.users).toHaveLength(10);
    expect(r.body.previous_page).toBeNull();
    const next = new URL(r.body.next_page);
    expect(next.origin).toBe(sim.origin);
    expect(next.pathname).toBe('/apiv2/users.json');
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('role')).toBe('agent,admin');
    expect(next.searchParams.get('per_page')).toBe('10');
    // walk next_page to the end
    const seen = r.body.users.map((u: { id: number }) => u.id);
    let link: string | null = r.body.next_page;
    let pages = 1;
    while (link) {
      const res = await fetch(link, { headers: { authorization: auth } });
      const b = await json(res);
      seen.push(...b.users.map((u: { id: number }) => u.id));
      expect(b.previous_page).not.toBeNull();
      link = b.next_page;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    expect((await call('GET', '/users.json')).body.count).toBe(26);
    expect((await call('GET', '/users.json?role=end_user')).body.count).toBe(1);
    // per_page above 100 is clamped
    sim.state.reset();
    sim.state.seed(generateTenant({ seed: 9, agents: 120 }));
    const big = await call('GET', '/users.json?per_page=500');
    expect(big.body.users).toHaveLength(100);
    expect(new URL(big.body.next_page).searchParams.get('page')).toBe('2');
    const last = await call('GET', '/users.json?page=2&per_page=500');
    expect(last.body.users).toHaveLength(20);
    expect(last.body.next_page).toBeNull();
  });

  it('next_page uses the Host header the client sent', async () => {
    sim.state.seed(generateTenant({ seed: 2, agents: 3 }));
    const res = await fetch(`http://localhost:${sim.port}/apiv2/users.json?per_page=1`, { headers: { authorization: auth } });
    const b = await json(res);
    expect(b.next_page).toBe(`http://localhost:${sim.port}/apiv2/users.json?per_page=1&page=2`);
  });

  it('searches by email: exact and partial', async () => {
    const seeded = sim.state.seed(generateTenant({ seed: 4, agents: 10 }));
    const someone = sim.state.getAgent(Object.values(seeded.agents)[3]!)!;
    const exact = await call('GET', `/users/search.json?query=${encodeURIComponent(someone.email.toUpperCase())}&exact_query_fields=email`);
    expect(exact.body.count).toBe(1);
    expect(exact.body.users[0].id).toBe(someone.id);
    const partial = await call('GET', `/users/search.json?query=${encodeURIComponent(someone.email.split('@')[0]!)}&query_fields=email`);
    expect(partial.body.users.map((u: { id: number }) => u.id)).toContain(someone.id);
    const none = await call('GET', '/users/search.json?query=nobody%40nowhere.example&exact_query_fields=email');
    expect(none.body).toMatchObject({ users: [], count: 0, next_page: null, previous_page: null });
    expect((await call('GET', '/users/search.json')).status).toBe(422);
  });
});

describe('kf5 groups', () => {
  it('group CRUD with Location, membership both ways, /users/{id}/groups.json', async () => {
    const a = (await call('POST', '/users.json', { user: { email: 'a@kf5.example.com', name: 'A', role: 'agent' } })).body.user;
    const b = (await call('POST', '/users.json', { user: { email: 'b@kf5.example.com', name: 'B', role: 'admin' } })).body.user;
    const eu = (await call('POST', '/users.json', { user: { email: 'e@kf5.example.com', name: 'E' } })).body.user;

    const c = await call('POST', '/groups.json', { group: { name: '支持组', agents: [a.id] } });
    expect(c.status).toBe(201);
    const g = c.body.group;
    expect(c.headers.get('location')).toBe(`${sim.baseUrl}/groups/${g.id}.json`);
    expect(g).toEqual({
      id: expect.any(Number),
      url: `${sim.baseUrl}/groups/${g.id}.json`,
      name: '支持组',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      agents: [{ id: a.id, url: `${sim.baseUrl}/users/${a.id}.json`, username: 'a@kf5.example.com', name: 'A' }],
    });
    expect((await call('GET', `/users/${a.id}.json`)).body.user.groups_info).toEqual([{ id: g.id, name: '支持组', display_name: '支持组' }]);

    // an end user cannot be a member
    const bad = await call('POST', '/groups.json', { group: { name: 'X', agents: [eu.id] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.agents).toHaveLength(1);
    expect((await call('POST', '/groups.json', { group: { agents: [] } })).status).toBe(422);

    // PUT agents replaces
    const upd = await call('PUT', `/groups/${g.id}.json`, { group: { name: 'Support', agents: [b.id] } });
    expect(upd.body.group.agents.map((x: { id: number }) => x.id)).toEqual([b.id]);
    expect((await call('GET', `/users/${a.id}/groups.json`)).body.groups).toEqual([]);
    expect((await call('GET', `/users/${b.id}/groups.json`)).body.groups.map((x: { name: string }) => x.name)).toEqual(['Support']);
    expect((await call('GET', `/groups/${g.id}.json`)).body.group.name).toBe('Support');

    // demoting to end_user leaves the groups
    await call('PUT', `/users/${b.id}.json`, { user: { role: 'end_user' } });
    expect((await call('GET', `/groups/${g.id}.json`)).body.group.agents).toEqual([]);

    expect((await call('DELETE', `/groups/${g.id}.json`)).body).toEqual({});
    expect((await call('GET', `/groups/${g.id}.json`)).status).toBe(404);
    expect((await call('GET', '/users/999999/groups.json')).status).toBe(404);
  });

  it('deleting a user removes it from its groups', async () => {
    const seeded = sim.state.seed(generateTenant({ seed: 7, agents: 30, groups: 2 }));
    const g = sim.state.listGroups()[0]!;
    const member = g.agents[0]!.id;
    await call('DELETE', `/users/${member}.json`);
    expect(sim.state.getGroup(g.id)!.agents.map((x) => x.id)).not.toContain(member);
    expect(Object.values(seeded.agents)).toContain(member);
  });

  it('lists groups with count/next_page', async () => {
    sim.state.seed(generateTenant({ seed: 1, agents: 5, groups: 3 }));
    const r = await call('GET', '/groups.json?per_page=2');
    expect(r.body.count).toBe(3);
    expect(r.body.groups).toHaveLength(2);
    expect(r.body.next_page).toContain('page=2');
    const r2 = await call('GET', '/groups.json?per_page=2&page=2');
    expect(r2.body.groups).toHaveLength(1);
    expect(r2.body.next_page).toBeNull();
  });

  it('can answer DELETE with 204', async () => {
    const s204 = await startKf5Simulator({ deleteStatus: 204 });
    try {
      const u = s204.state.addUser({ email: 'x@kf5.example.com', name: 'X', role: 'agent' });
      const res = await fetch(`${s204.baseUrl}/users/${u.id}.json`, {
        method: 'DELETE',
        headers: { authorization: basic(s204.credentials.email, s204.credentials.password) },
      });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect(s204.state.counts().users).toBe(0);
    } finally {
      await s204.close();
    }
  });
});

describe('kf5 wire truth (readings of the docs)', () => {
  const withSim = async (options: Parameters<typeof startKf5Simulator>[0], fn: (s: Kf5Simulator) => Promise<void>) => {
    const s = await startKf5Simulator(options);
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };
  const req = async (s: Kf5Simulator, method: string, path: string, authorization: string, body?: unknown) => {
    const res = await fetch(`${s.baseUrl}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  it("tokenRole 'agent' (default): the token reads, admin-only calls answer 403; the password does both", async () => {
    await withSim({}, async (s) => {
      const token = basic(`${s.credentials.email}/token`, s.credentials.apiToken);
      const password = basic(s.credentials.email, s.credentials.password);
      expect((await req(s, 'GET', '/groups.json', token)).status).toBe(200);
      const denied = await req(s, 'POST', '/groups.json', token, { group: { name: 'X' } });
      expect(denied).toEqual({ status: 403, body: { error: 'Forbidden', message: expect.any(String) } });
      expect(s.state.counts().groups).toBe(0);
      const g = await req(s, 'POST', '/groups.json', password, { group: { name: 'X' } });
      expect(g.status).toBe(201);
      expect((await req(s, 'PUT', `/groups/${g.body.group.id}.json`, token, { group: { name: 'Y' } })).status).toBe(403);
      expect((await req(s, 'DELETE', `/groups/${g.body.group.id}.json`, token)).status).toBe(403);
      const u = s.state.addUser({ email: 'agent@example.com', name: 'A', role: 'agent' });
      expect((await req(s, 'PUT', `/users/${u.id}.json`, token, { user: { name: 'B' } })).status).toBe(200);
      expect((await req(s, 'DELETE', `/users/${u.id}.json`, token)).status).toBe(403);
      expect((await req(s, 'DELETE', `/users/${u.id}.json`, password)).status).toBe(200);
    });
  });

  it("tokenRole 'end_user' refuses every agent call with the token; 'admin' allows admin calls", async () => {
    await withSim({ tokenRole: 'end_user' }, async (s) => {
      expect((await req(s, 'GET', '/groups.json', basic(`${s.credentials.email}/token`, s.credentials.apiToken))).status).toBe(403);
    });
    await withSim({ tokenRole: 'admin' }, async (s) => {
      expect((await req(s, 'POST', '/groups.json', basic(`${s.credentials.email}/token`, s.credentials.apiToken), { group: { name: 'X' } })).status).toBe(201);
    });
  });

  it("nextPageOrigin: 'same' links to the origin asked; 'http' prints http://<host> without the port", async () => {
    for (const [reading, expected] of [['same', (s: Kf5Simulator) => s.origin], ['http', () => 'http://127.0.0.1']] as const) {
      await withSim({ nextPageOrigin: reading }, async (s) => {
        for (const n of ['a', 'b']) s.state.addGroup({ name: n });
        const r = await req(s, 'GET', '/groups.json?per_page=1', basic(s.credentials.email, s.credentials.password));
        expect(r.body.next_page).toBe(`${expected(s)}/apiv2/groups.json?per_page=1&page=2`);
      });
    }
  });

  it('pageCap serves short pages while count and next_page say more exist', async () => {
    await withSim({ pageCap: 2 }, async (s) => {
      for (const n of ['a', 'b', 'c', 'd', 'e']) s.state.addGroup({ name: n });
      const auth2 = basic(s.credentials.email, s.credentials.password);
      const first = await req(s, 'GET', '/groups.json?per_page=100', auth2);
      expect(first.body.groups.map((g: { name: string }) => g.name)).toEqual(['a', 'b']);
      expect(first.body.count).toBe(5);
      expect(new URL(first.body.next_page).searchParams.get('page')).toBe('2');
      const third = await req(s, 'GET', '/groups.json?per_page=100&page=3', auth2);
      expect(third.body).toMatchObject({ groups: [{ name: 'e' }], count: 5, next_page: null });
    });
    await expect(startKf5Simulator({ pageCap: 0 })).rejects.toThrow(/pageCap/);
  });

  it('users/search.json: query is required; exact_query_fields matches the whole value; undocumented fields are 422; other params ignored', async () => {
    const u = sim.state.addUser({ email: 'exact.one@example.com', name: 'Exact One', role: 'agent' });
    sim.state.addUser({ email: 'one@example.com', name: 'One', role: 'agent' });
    const ids = (r: { body: { users: Array<{ id: number }> } }) => r.body.users.map((x) => x.id);
    expect(ids(await call('GET', '/users/search.json?query=EXACT.ONE%40example.com&exact_query_fields=email'))).toEqual([u.id]);
    // a substring is no exact match; the fuzzy search does match it
    expect(ids(await call('GET', '/users/search.json?query=one%40example.com&exact_query_fields=email'))).toHaveLength(1);
    expect(ids(await call('GET', '/users/search.json?query=one%40example.com&query_fields=email'))).toHaveLength(2);
    // the value must come in `query`: `email=` is not a documented parameter
    const noQuery = await call('GET', `/users/search.json?exact_query_fields=email&email=${encodeURIComponent(u.email)}`);
    expect(noQuery).toMatchObject({ status: 422, body: { error: 'RecordInvalid', errors: { query: ["can't be blank"] } } });
    for (const bad of ['exact_query_fields=username', 'query_fields=email,password', 'exact_query_fields=']) {
      const r = await call('GET', `/users/search.json?query=x&${bad}`);
      expect(r.status).toBe(422);
    }
    for (const ok of ['name', 'email', 'phone', 'landline', 'wechat_openid']) {
      expect((await call('GET', `/users/search.json?query=x&query_fields=${ok}&exact_query_fields=${ok}`)).status).toBe(200);
    }
  });

  it('groups: agents take agent ids as numbers or digit strings; anything else is 422', async () => {
    const a = sim.state.addUser({ id: 733, email: 'a733@example.com', name: 'A', role: 'agent' });
    const ok = await call('POST', '/groups.json', { group: { name: '14hour group', agents: ['733', 733] } });
    expect(ok.status).toBe(201);
    expect(ok.body.group.agents.map((x: { id: number }) => x.id)).toEqual([a.id]);
    for (const agents of [['7.3'], [true], [{ id: 733 }], '733']) {
      expect((await call('POST', '/groups.json', { group: { name: 'bad', agents } })).status).toBe(422);
    }
    expect((await call('POST', '/groups.json', { group: { agents: [733] } })).body.errors).toEqual({ name: ["can't be blank"] });
  });

  it("groupWriteFields 'strict' (default) refuses read-only and undocumented group keys; 'lenient' ignores them", async () => {
    for (const extra of [{ id: 9 }, { url: 'x' }, { created_at: '2013-05-01 11:52:06' }, { description: 'd' }]) {
      const r = await call('POST', '/groups.json', { group: { name: 'G', ...extra } });
      expect(r.status).toBe(422);
      expect(Object.keys(r.body.errors)).toEqual(Object.keys(extra));
    }
    expect(sim.state.counts().groups).toBe(0);
    await withSim({ groupWriteFields: 'lenient' }, async (s) => {
      const r = await req(s, 'POST', '/groups.json', basic(s.credentials.email, s.credentials.password), { group: { name: 'G', id: 9, description: 'd' } });
      expect(r.status).toBe(201);
      expect(r.body.group.id).not.toBe(9);
    });
  });
});
