import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, USER, VENDORS, patch, q, startScim, startVendor, type Scim, type Vendor } from './harness';

// startIndex/count paging with totalResults, and filters on every supported attribute.

describe.each(VENDORS)('%s: paging through 1,000 users', (vendor) => {
  let v: Vendor;
  let scim: Scim;
  beforeAll(async () => {
    v = await startVendor(vendor);
    v.seedAgents(1000, 'page');
    scim = await startScim({ client: v.client, ...v.serverOptions });
  });
  afterAll(async () => {
    await scim?.close();
    await v?.close();
  });

  it('walks every page once; totalResults is 1000 on each; past the end is empty', async () => {
    const seen = new Set<string>();
    for (let start = 1; start <= 1000; start += 250) {
      const r = await scim.call('GET', `/Users?startIndex=${start}&count=250&attributes=userName`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ totalResults: 1000, startIndex: start, itemsPerPage: 250 });
      for (const u of r.body.Resources) {
        expect(Object.keys(u).sort()).toEqual(['id', 'schemas', 'userName']);
        seen.add(u.id);
      }
    }
    expect(seen.size).toBe(1000);
    const past = await scim.call('GET', '/Users?startIndex=1001&count=10');
    expect(past.body).toMatchObject({ totalResults: 1000, itemsPerPage: 0, Resources: [] });
    // count=0 answers only totalResults; startIndex below 1 is read as 1
    expect((await scim.call('GET', '/Users?count=0')).body).toMatchObject({ totalResults: 1000, Resources: [] });
    expect((await scim.call('GET', '/Users?startIndex=0&count=1')).body.startIndex).toBe(1);
    // the same ids on a second walk: the store keeps the id map
    const again = await scim.call('GET', '/Users?startIndex=1&count=1000&attributes=id');
    expect(new Set(again.body.Resources.map((u: { id: string }) => u.id))).toEqual(seen);
  });
});

describe('filters on every supported attribute (KF5)', () => {
  let v: Vendor;
  let scim: Scim;
  const ids: Record<string, string> = {};
  let between: string;

  beforeAll(async () => {
    v = await startVendor('kf5');
    scim = await startScim({ client: v.client, ...v.serverOptions });
    const make = async (key: string, body: Record<string, unknown>) => {
      const r = await scim.call('POST', '/Users', { schemas: [USER, ENTERPRISE], ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[key] = r.body.id;
    };
    await make('ann', { userName: 'ann.lee@example.com', displayName: 'Ann Lee', externalId: 'okta-ann' });
    await make('bob', { userName: 'bob.smith@example.org', displayName: 'Bob Smith', externalId: 'okta-bob', nickName: 'Bobby' });
    await new Promise((r) => setTimeout(r, 20));
    between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await make('cat', { userName: 'cat.smith@example.com', displayName: 'Cat Smith', active: false });
  });
  afterAll(async () => {
    await scim?.close();
    await v?.close();
  });

  const hits = async (filter: string) => {
    const r = await scim.call('GET', `/Users?${q(filter)}`);
    expect(r.status, `${filter}: ${JSON.stringify(r.body)}`).toBe(200);
    const names = Object.entries(ids).filter(([, id]) => r.body.Resources.some((u: { id: string }) => u.id === id)).map(([k]) => k);
    expect(r.body.totalResults).toBe(names.length);
    return names.sort();
  };

  it.each([
    ['userName eq "ANN.LEE@example.com"', ['ann']],
    ['userName ne "ann.lee@example.com"', ['bob', 'cat']],
    ['userName co "smith"', ['bob', 'cat']],
    ['userName sw "bob"', ['bob']],
    ['userName ew ".org"', ['bob']],
    ['userName pr', ['ann', 'bob', 'cat']],
    ['externalId eq "okta-bob"', ['bob']],
    ['externalId eq "OKTA-BOB"', []],
    ['externalId pr', ['ann', 'bob']],
    ['not (externalId pr)', ['cat']],
    ['emails.value eq "cat.smith@example.com"', ['cat']],
    ['emails co "example.org"', ['bob']],
    ['emails[type eq "work" and value sw "ann"]', ['ann']],
    ['displayName eq "bob smith"', ['bob']],
    ['displayName co "Smith" and active eq true', ['bob']],
    ['active eq false', ['cat']],
    ['active ne false', ['ann', 'bob']],
    ['nickName pr', ['bob']],
    [`meta.lastModified gt "${'BETWEEN'}"`, ['cat']],
    [`meta.lastModified le "${'BETWEEN'}"`, ['ann', 'bob']],
    ['userName sw "ann" or (displayName co "smith" and not (active eq true))', ['ann', 'cat']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob.smith@example.org"', ['bob']],
  ])('%s', async (filter, expected) => {
    expect(await hits(filter.replace('BETWEEN', between))).toEqual(expected);
  });

  it('meta.lastModified moves with a PATCH, so "changed since" finds the patched user', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await scim.call('PATCH', `/Users/${ids.ann}`, patch({ op: 'replace', path: 'nickName', value: 'Annie' }));
    expect(await hits(`meta.lastModified ge "${since}"`)).toEqual(['ann']);
  });

  it('filters Groups on displayName and externalId; excludedAttributes/attributes shape the answer', async () => {
    await scim.call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Support Tier 1', externalId: 'grp-1', members: [{ value: ids.ann }] });
    const r = await scim.call('GET', `/Groups?${q('displayName sw "support" and externalId eq "grp-1"')}&attributes=displayName,members.value`);
    expect(r.body.totalResults).toBe(1);
    expect(r.body.Resources[0]).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: expect.any(String), displayName: 'Support Tier 1', members: [{ value: ids.ann }] });
    const ex = await scim.call('GET', `/Groups?${q('externalId eq "grp-1"')}&excludedAttributes=members,meta`);
    expect(ex.body.Resources[0].members).toBeUndefined();
    expect(ex.body.Resources[0].meta).toBeUndefined();
    expect(ex.body.Resources[0].displayName).toBe('Support Tier 1');
    const user = await scim.call('GET', `/Users/${ids.bob}?attributes=name.formatted,${ENTERPRISE}:department,emails.value`);
    expect(user.body).toEqual({ schemas: expect.any(Array), id: ids.bob, name: { formatted: 'Bob Smith' }, emails: [{ value: 'bob.smith@example.org' }] });
  });
});
