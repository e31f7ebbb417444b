import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR, startScim, startVendor, type Scim, type Vendor } from './harness';

// The request examples of RFC 7644 replayed verbatim (bodies, paths, filters and headers as printed
// in the RFC) against a server on the KF5 simulator. The RFC's own ids are given to two seeded
// agents and a group through the store, so the examples address real resources.
const BABS = '2819c223-7f76-453a-919d-413861904646';
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';
const GROUP_ID = 'acbf3ae7-8463-4692-b4fd-9b4da3f908ce';

let v: Vendor;
let huawei: Vendor;
let scim: Scim;
let vendorIds: { babs: string; james: string; group: string };

beforeAll(async () => {
  [v, huawei] = await Promise.all([startVendor('kf5'), startVendor('huawei-aicc')]);
  scim = await startScim({ client: v.client });
  const babs = await v.client.agents.create({ email: 'babs.jensen@example.com', name: 'Babs Jensen', password: 'Start-1234' });
  const james = await v.client.agents.create({ email: 'james.smith@example.com', name: 'James Smith', password: 'Start-1234' });
  const group = await v.client.groups.create({ name: 'Tour Guides' });
  vendorIds = { babs: babs.id, james: james.id, group: group.id };
  const now = '2011-08-01T18:29:49.793Z';
  const record = (type: 'User' | 'Group', id: string, vendorId: string) => ({ type, id, vendorId, externalId: null, created: now, lastModified: now, version: 1, fingerprint: '' });
  await scim.store.put(record('User', BABS, babs.id));
  await scim.store.put(record('User', JAMES, james.id));
  await scim.store.put(record('Group', GROUP_ID, group.id));
});
afterAll(async () => {
  await scim?.close();
  await v?.close();
  await huawei?.close();
});

const members = async () => (await v.client.groups.get(vendorIds.group)).memberIds;

describe('RFC 7644 §3.3 creating resources', () => {
  const body = `{
     "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
     "userName":"bjensen",
     "externalId":"bjensen",
     "name":{
       "formatted":"Ms. Barbara J Jensen III",
       "familyName":"Jensen",
       "givenName":"Barbara"
     }
   }`;

  it('KF5 logs in by email: userName "bjensen" is 400 invalidValue naming userName', async () => {
    const r = await scim.call('POST', '/Users', body);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    expect(r.body.detail).toMatch(/^userName: /);
  });

  it('Huawei: no email is 400 invalidValue naming emails; with one, the 24-character name names displayName', async () => {
    const hw = await startScim({ client: huawei.client });
    try {
      const r = await hw.call('POST', '/Users', body);
      expect(r.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      expect(r.body.detail).toMatch(/^emails: /);
      const withEmail = await hw.call('POST', '/Users', { ...JSON.parse(body), emails: [{ value: 'bjensen@example.com' }] });
      expect(withEmail.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      expect(withEmail.body.detail).toMatch(/^displayName: /);
    } finally {
      await hw.close();
    }
  });
});

describe('RFC 7644 §3.4 retrieving resources', () => {
  it('§3.4.1 GET /Users/2819c223-7f76-453a-919d-413861904646', async () => {
    const r = await scim.call('GET', `/Users/${BABS}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: BABS, userName: 'babs.jensen@example.com', meta: { resourceType: 'User', created: '2011-08-01T18:29:49.793Z', location: `${scim.url}/Users/${BABS}` } });
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
  });

  // §3.4.2.2: every filter example of the RFC parses and runs
  it.each([
    ['userName eq "bjensen"', []],
    [`name.familyName co "O'Malley"`, []],
    ['userName sw "J"', [JAMES]],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', [JAMES]],
    ['title pr', []],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', [BABS, JAMES]],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', [BABS, JAMES]],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', []],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', []],
    ['title pr and userType eq "Employee"', []],
    ['title pr or userType eq "Intern"', []],
    ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', []],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', []],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', []],
    ['userType eq "Employee" and (emails.type eq "work")', []],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', []],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', [BABS, JAMES]],
  ])('filter=%s', async (filter, expected) => {
    const r = await scim.call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect(r.status).toBe(200);
    expect(r.body.Resources.map((u: { id: string }) => u.id).sort()).toEqual([...expected].sort());
  });

  it('§3.4.2.4 GET /Users?startIndex=1&count=10', async () => {
    const r = await scim.call('GET', '/Users?startIndex=1&count=10');
    expect(r.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 2, startIndex: 1, itemsPerPage: 2 });
  });

  it('§3.4.3 POST /Users/.search', async () => {
    const r = await scim.call(
      'POST',
      '/Users/.search',
      `{
     "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
     "attributes": ["displayName", "userName"],
     "filter":
       "displayName sw \\"smith\\"",
     "startIndex": 1,
     "count": 10
   }`,
    );
    expect(r.status).toBe(200);
    // no displayName starts with "smith"
    expect(r.body).toMatchObject({ totalResults: 0, Resources: [] });
    const james = await scim.call('POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], attributes: ['displayName', 'userName'], filter: 'displayName ew "smith"', startIndex: 1, count: 10 });
    expect(james.body.Resources).toEqual([{ schemas: expect.any(Array), id: JAMES, displayName: 'James Smith', userName: 'james.smith@example.com' }]);
  });
});

describe('RFC 7644 §3.5.2 modifying with PATCH', () => {
  it('§3.5.2.1 add a member', async () => {
    const r = await scim.call(
      'PATCH',
      `/Groups/${GROUP_ID}`,
      `{ "schemas":
       ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations":[
       {
        "op":"add",
        "path":"members",
        "value":[
         {
           "display": "Babs Jensen",
           "$ref":
   "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
           "value": "2819c223-7f76-453a-919d-413861904646"
         }
        ]
       }
     ]
   }`,
    );
    expect(r.status).toBe(200);
    expect(await members()).toEqual([vendorIds.babs]);
  });

  it('§3.5.2.1 add without a path (emails and "nickname", case-insensitive)', async () => {
    const r = await scim.call(
      'PATCH',
      `/Users/${BABS}`,
      `{ "schemas":
       ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations":[{
       "op":"add",
       "value":{
         "emails":[
           {
             "value":"babs@jensen.org",
             "type":"home"
           }
         ],
         "nickname":"Babs"
     }}]
   }`,
    );
    expect(r.status).toBe(200);
    expect(r.body.nickName).toBe('Babs');
    expect((await v.client.agents.get(vendorIds.babs)).nickname).toBe('Babs');
  });

  it('§3.5.2.2 remove a member by value filter', async () => {
    const r = await scim.call(
      'PATCH',
      `/Groups/${GROUP_ID}`,
      `{ "schemas":
       ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations":[{
       "op":"remove",
       "path":"members[value eq \\"2819c223-7f76-453a-919d-413861904646\\"]"
     }]
   }`,
    );
    expect(r.status).toBe(200);
    expect(await members()).toEqual([]);
  });

  it('§3.5.2.2 remove all members, then add two', async () => {
    const r = await scim.call(
      'PATCH',
      `/Groups/${GROUP_ID}`,
      `{ "schemas":
       ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations": [
       {
         "op":"remove","path":"members"
       },
       {
         "op":"add",
         "path":"members",
         "value":[
         {
           "display": "Babs Jensen",
           "$ref":
   "https://example.com/v2/Users/2819c223...413861904646",
           "value": "2819c223-7f76-453a-919d-413861904646"
         },
         {
           "display": "James Smith",
           "$ref":
   "https://example.com/v2/Users/08e1d05d...473d93df9210",
           "value": "08e1d05d-121c-4561-8b96-473d93df9210"
         }]
       }
     ]
   }`,
    );
    expect(r.status).toBe(200);
    expect((await members())!.sort()).toEqual([vendorIds.babs, vendorIds.james].sort());
  });

  it('§3.5.2.3 replace members with the RFC\'s elided ids ("2819c223...413861904646") is 400 invalidValue', async () => {
    const r = await scim.call(
      'PATCH',
      `/Groups/${GROUP_ID}`,
      `{ "schemas":
       ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations": [{
       "op":"replace",
       "path":"members",
       "value":[
         {
           "display": "Babs Jensen",
           "$ref":
   "https://example.com/v2/Users/2819c223...413861904646",
           "value": "2819c223...413861904646"
         },
         {
           "display": "James Smith",
           "$ref":
   "https://example.com/v2/Users/08e1d05d...473d93df9210",
           "value": "08e1d05d...473d93df9210"
         }
       ]
     }]
   }`,
    );
    expect(r.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect((await members())!.length).toBe(2);
  });

  it('§3.5.2.3 replace without a path', async () => {
    const r = await scim.call(
      'PATCH',
      `/Users/${JAMES}`,
      `{ "schemas":
       ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
     "Operations": [{
       "op":"replace",
       "value":{
         "emails":[
           {
             "value":"bjensen@example.com",
             "type":"work",
             "primary":true
           },
           {
             "value":"babs@jensen.org",
             "type":"home"
           }
         ],
         "nickname":"Babs"
     }
     }]
   }`,
    );
    expect(r.status).toBe(200);
    expect(r.body.nickName).toBe('Babs');
    // KF5 logs in by email: userName (unchanged) is the email it holds; the emails list is not a second login
    expect((await v.client.agents.get(vendorIds.james)).email).toBe('james.smith@example.com');
  });
});

describe('RFC 7644 §3.14 versioning and §3.6 deleting', () => {
  it('If-Match: W/"e180ee84f0671b1" on a newer resource is 412', async () => {
    const put = await scim.call('PUT', `/Users/${BABS}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'babs.jensen@example.com' }, { 'If-Match': 'W/"e180ee84f0671b1"' });
    expect(put.status).toBe(412);
    expect(put.body).toMatchObject({ schemas: [ERROR], status: '412' });
  });

  it('§3.6 DELETE /Users/2819c223-7f76-453a-919d-413861904646 (disables: no --allow-delete)', async () => {
    const r = await scim.call('DELETE', `/Users/${BABS}`);
    expect(r.status).toBe(204);
    expect((await v.client.agents.get(vendorIds.babs)).status).toBe('disabled');
  });

  it('§3.12 an unknown resource answers the RFC\'s error shape', async () => {
    const r = await scim.call('GET', '/Users/b1c794f2-0000-0000-0000-000000000000');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: expect.any(String) });
  });
});

describe('RFC 7644 §4 discovery', () => {
  it('GET /ServiceProviderConfig', async () => {
    const r = await scim.call('GET', '/ServiceProviderConfig');
    expect(r.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
  });

  it('GET /ResourceTypes and /ResourceTypes/User', async () => {
    const all = await scim.call('GET', '/ResourceTypes');
    expect(all.body.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    const user = await scim.call('GET', '/ResourceTypes/User');
    expect(user.body).toMatchObject({ endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User', schemaExtensions: [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }] });
  });

  it('GET /Schemas and /Schemas/{urn}', async () => {
    const all = await scim.call('GET', '/Schemas');
    expect(all.body.totalResults).toBe(3);
    const user = await scim.call('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');
    expect(user.body.attributes.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['userName', 'name', 'emails', 'active', 'groups', 'roles']));
    expect(user.body.attributes.find((a: { name: string }) => a.name === 'groups').mutability).toBe('readOnly');
    expect(user.body.attributes.find((a: { name: string }) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });
});
