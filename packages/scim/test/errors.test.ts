import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR, GROUP, TOKEN, USER, call, patch, q, startScim, startVendor, type Scim, type Vendor } from './harness';

// Every error form the server answers, in SCIM form (RFC 7644 §3.12), against the simulators.
let udesk: Vendor;
let huawei: Vendor;
let scim: Scim;
let userId: string;

beforeAll(async () => {
  [udesk, huawei] = await Promise.all([startVendor('udesk'), startVendor('huawei-aicc')]);
  scim = await startScim({ client: udesk.client, ...udesk.serverOptions });
  const created = await scim.call('POST', '/Users', { schemas: [USER], userName: 'taken@example.com', displayName: 'Taken' });
  expect(created.status).toBe(201);
  userId = created.body.id;
});
afterAll(async () => {
  await scim?.close();
  await udesk?.close();
  await huawei?.close();
});

const scimError = (status: number, scimType?: string) => ({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail: expect.any(String) });

describe('authentication', () => {
  it('401 in SCIM form without a token, with a wrong one, or another scheme; never the token in the answer', async () => {
    const variants: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong-token' }, { Authorization: `Basic ${TOKEN}` }, { Authorization: `Bearer ${TOKEN}x` }];
    for (const headers of variants) {
      const r = await call(scim.url, 'GET', '/Users', undefined, headers);
      expect(r.status).toBe(401);
      expect(r.body).toEqual(scimError(401));
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(r.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(JSON.stringify(r.body)).not.toContain(TOKEN);
    }
    // discovery endpoints need the token too
    expect((await call(scim.url, 'GET', '/ServiceProviderConfig')).status).toBe(401);
    expect((await scim.call('GET', '/ServiceProviderConfig')).status).toBe(200);
  });
});

describe('client errors', () => {
  it('409 uniqueness for a taken userName (email)', async () => {
    const r = await scim.call('POST', '/Users', { schemas: [USER], userName: 'TAKEN@example.com', displayName: 'Again' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual(scimError(409, 'uniqueness'));
  });

  it('409 uniqueness when a PATCH moves a user onto a taken email at the vendor', async () => {
    const other = await scim.call('POST', '/Users', { schemas: [USER], userName: 'other@example.com', displayName: 'Other' });
    const r = await scim.call('PATCH', `/Users/${other.body.id}`, patch({ op: 'replace', path: 'userName', value: 'taken@example.com' }));
    expect(r.status).toBe(409);
    expect(r.body).toEqual(scimError(409, 'uniqueness'));
  });

  it('400 invalidValue naming the SCIM attribute for what the vendor forbids', async () => {
    // not an email where the login is the email
    const bad = await scim.call('POST', '/Users', { schemas: [USER], userName: 'bjensen', displayName: 'Babs' });
    expect(bad.body).toEqual(scimError(400, 'invalidValue'));
    expect(bad.body.detail).toMatch(/^userName: /);
    // an unknown role
    const role = await scim.call('POST', '/Users', { schemas: [USER], userName: 'role@example.com', displayName: 'R', roles: [{ value: 'no-such-role' }] });
    expect(role.body).toEqual(scimError(400, 'invalidValue'));
    expect(role.body.detail).toMatch(/^roles: .*no-such-role/);
    // a locale that is not a language tag
    const locale = await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'replace', path: 'locale', value: '12' }));
    expect(locale.body).toEqual(scimError(400, 'invalidValue'));
    expect(locale.body.detail).toMatch(/^locale: /);
    // a member that is not a User of this server
    const member = await scim.call('POST', '/Groups', { schemas: [GROUP], displayName: 'G', members: [{ value: 'nobody' }] });
    expect(member.body).toEqual(scimError(400, 'invalidValue'));
    expect(member.body.detail).toMatch(/members/);
  });

  it('400 invalidValue: a Udesk create without the required departments when no defaults are configured', async () => {
    const bare = await startScim({ client: udesk.client });
    try {
      const r = await bare.call('POST', '/Users', { schemas: [USER], userName: 'nodept@example.com', displayName: 'No Dept' });
      expect(r.body).toEqual(scimError(400, 'invalidValue'));
      expect(r.body.detail).toContain('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department');
      expect(r.body.detail).toMatch(/roles: /);
      expect(await udesk.client.agents.findByEmail('nodept@example.com')).toBeNull();
    } finally {
      await bare.close();
    }
  });

  it('400 invalidValue: a Huawei name over 20 characters names displayName', async () => {
    const hw = await startScim({ client: huawei.client });
    try {
      const r = await hw.call('POST', '/Users', { schemas: [USER], userName: 'longname', emails: [{ value: 'long@example.com' }], displayName: 'A name longer than twenty' });
      expect(r.body).toEqual(scimError(400, 'invalidValue'));
      expect(r.body.detail).toMatch(/^displayName: /);
    } finally {
      await hw.close();
    }
  });

  it('400 mutability: a Huawei userName (the userAccount) cannot change', async () => {
    const hw = await startScim({ client: huawei.client });
    try {
      const created = await hw.call('POST', '/Users', { schemas: [USER], userName: 'fixed_account', emails: [{ value: 'fixed@example.com' }], displayName: 'Fixed' });
      expect(created.status).toBe(201);
      const r = await hw.call('PATCH', `/Users/${created.body.id}`, patch({ op: 'replace', path: 'userName', value: 'other_account' }));
      expect(r.body).toEqual(scimError(400, 'mutability'));
      expect(r.body.detail).toMatch(/^userName: /);
    } finally {
      await hw.close();
    }
  });

  it('400 mutability for read-only attributes (id, meta, groups on the User)', async () => {
    for (const op of [{ op: 'replace', path: 'id', value: 'x' }, { op: 'add', path: 'groups', value: [{ value: 'g' }] }, { op: 'replace', value: { meta: { version: '1' } } }]) {
      const r = await scim.call('PATCH', `/Users/${userId}`, patch(op));
      expect(r.status).toBe(400);
      expect(r.body).toEqual(scimError(400, 'mutability'));
    }
  });

  it('400 invalidFilter for bad syntax, unknown operators, unterminated strings', async () => {
    for (const filter of ['userName eq', 'userName xx "a"', 'userName eq "a', '(userName eq "a"', 'userName eq "a" and', 'userName eq bare']) {
      const r = await scim.call('GET', `/Users?${q(filter)}`);
      expect(r.status, filter).toBe(400);
      expect(r.body).toEqual(scimError(400, 'invalidFilter'));
    }
  });

  it('400 tooMany for a filter with more terms than the server evaluates', async () => {
    const filter = Array.from({ length: 65 }, (_, i) => `userName eq "u${i}@example.com"`).join(' or ');
    const r = await scim.call('GET', `/Users?${q(filter)}`);
    expect(r.body).toEqual(scimError(400, 'tooMany'));
  });

  it('400 noTarget: remove without a path, or a value filter that matches nothing and cannot be created', async () => {
    const noPath = await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'remove' }));
    expect(noPath.body).toEqual(scimError(400, 'noTarget'));
    const noMatch = await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'replace', path: 'emails[value co "nowhere"].value', value: 'x@example.com' }));
    expect(noMatch.body).toEqual(scimError(400, 'noTarget'));
  });

  it('400 invalidSyntax for a body that is not JSON or not a PatchOp; invalidPath for a bad path', async () => {
    expect((await scim.call('POST', '/Users', '{not json')).body).toEqual(scimError(400, 'invalidSyntax'));
    expect((await scim.call('PATCH', `/Users/${userId}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] })).body).toEqual(scimError(400, 'invalidSyntax'));
    expect((await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'move', path: 'displayName', value: 'x' }))).body).toEqual(scimError(400, 'invalidSyntax'));
    expect((await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'replace', path: 'name..x', value: 'x' }))).body).toEqual(scimError(400, 'invalidPath'));
    expect((await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'replace', path: 'urn:example:unknown:attr', value: 'x' }))).body).toEqual(scimError(400, 'invalidPath'));
  });

  it('404 for an unknown id or endpoint; 405 for a method the endpoint lacks', async () => {
    expect((await scim.call('GET', '/Users/2819c223-0000-0000-0000-000000000000')).body).toEqual(scimError(404));
    expect((await scim.call('GET', '/Groups/nope')).body).toEqual(scimError(404));
    expect((await scim.call('GET', '/Bulk')).body).toEqual(scimError(404));
    expect((await scim.call('DELETE', '/Users')).body).toEqual(scimError(405));
    expect((await call(scim.url.replace('/scim/v2', ''), 'GET', '/other')).status).toBe(404);
  });
});

describe('versions (ETag)', () => {
  it('ETag equals meta.version; If-Match honoured (412 on mismatch); If-None-Match answers 304', async () => {
    const got = await scim.call('GET', `/Users/${userId}`);
    const etag = got.headers.get('etag')!;
    expect(etag).toBe(got.body.meta.version);
    expect(etag).toMatch(/^W\/"\d+"$/);
    expect((await scim.call('GET', `/Users/${userId}`, undefined, { 'If-None-Match': etag })).status).toBe(304);

    const stale = await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'replace', path: 'nickName', value: 'Nick' }), { 'If-Match': 'W/"999"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual(scimError(412));
    expect((await scim.call('GET', `/Users/${userId}`)).body.nickName).toBeUndefined();

    const fresh = await scim.call('PATCH', `/Users/${userId}`, patch({ op: 'replace', path: 'nickName', value: 'Nick' }), { 'If-Match': etag });
    expect(fresh.status).toBe(200);
    expect(fresh.body.nickName).toBe('Nick');
    expect(fresh.headers.get('etag')).not.toBe(etag);
    // the old version no longer matches for PUT or DELETE either
    expect((await scim.call('PUT', `/Users/${userId}`, { schemas: [USER], userName: 'taken@example.com', displayName: 'Taken' }, { 'If-Match': etag })).status).toBe(412);
    expect((await scim.call('DELETE', `/Users/${userId}`, undefined, { 'If-Match': etag })).status).toBe(412);
  });

  it('a change made at the vendor, outside SCIM, bumps version and lastModified', async () => {
    const before = (await scim.call('GET', `/Users/${userId}`)).body;
    const vendorId = (await scim.store.get('User', userId))!.vendorId;
    await new Promise((r) => setTimeout(r, 5));
    await udesk.client.agents.update(vendorId, { nickname: 'Changed elsewhere' });
    const after = (await scim.call('GET', `/Users/${userId}`)).body;
    expect(after.meta.version).not.toBe(before.meta.version);
    expect(Date.parse(after.meta.lastModified)).toBeGreaterThan(Date.parse(before.meta.lastModified));
    expect(after.meta.created).toBe(before.meta.created);
  });
});

describe('vendor throttling', () => {
  it('a vendor 429 answers 429 with Retry-After in SCIM form', async () => {
    const throttled = await startScim({ client: udesk.clientNoRetry, ...udesk.serverOptions });
    udesk.faults.set({ rate: 1, kinds: ['429'], retryAfterSeconds: 7 });
    try {
      const r = await throttled.call('GET', '/Users');
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.body).toEqual(scimError(429));
    } finally {
      udesk.faults.clear();
      await throttled.close();
    }
  });
});
