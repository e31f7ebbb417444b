import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorId } from '@contactkit/core';
import { ENTERPRISE, GROUP, USER, VENDORS, patch, q, startScim, startVendor, type Scim, type Vendor } from './harness';

// The provisioning sequences Okta and Microsoft Entra ID document, replayed against each vendor's
// simulator through a real SCIM server on loopback. userName is the vendor login: an email on
// Udesk/KF5, the userAccount on Huawei.
/** Huawei AICC has no disabled state: a deactivation is refused naming `active`, never answered as done. */
const canDisable = (vendor: VendorId) => vendor !== 'huawei-aicc';

/** Huawei skill-queue names may not contain spaces. */
const groupName = (vendor: VendorId, name: string) => (vendor === 'huawei-aicc' ? name.replace(/ /g, '_') : name);

// (Huawei: no dot, as the adapter refuses agentAccount/delete of a userAccount holding one)
const login = (vendor: VendorId, local: string) => (vendor === 'huawei-aicc' ? local.replace(/\./g, '_') : `${local}@example.com`);

describe.each(VENDORS)('%s', (vendor) => {
  let v: Vendor;
  let scim: Scim;
  let scimDelete: Scim;

  beforeAll(async () => {
    v = await startVendor(vendor);
    scim = await startScim({ client: v.client, ...v.serverOptions });
    scimDelete = await startScim({ client: v.client, ...v.serverOptions, store: scim.store, allowDelete: true });
  });
  afterAll(async () => {
    await scim?.close();
    await scimDelete?.close();
    await v?.close();
  });

  it('Okta: look up by userName, create with externalId and password, PUT, deactivate, push a group', async () => {
    const userName = login(vendor, 'test.user');
    // 1. Okta checks the user does not exist yet
    const before = await scim.call('GET', `/Users?${q(`userName eq "${userName}"`)}&startIndex=1&count=100`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });

    // 2. create (Okta's body: name parts, work email, locale, externalId, password)
    const created = await scim.call('POST', '/Users', {
      schemas: [USER],
      userName,
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@example.com', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: v.password,
      active: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const user = created.body;
    expect(user).toMatchObject({ schemas: expect.arrayContaining([USER]), userName, externalId: '00ujl29u0le5T6Aj10h7', displayName: 'Test User', active: true });
    expect(user.emails[0].value).toBe('test.user@example.com');
    expect(user.meta).toMatchObject({ resourceType: 'User', location: `${scim.url}/Users/${user.id}`, version: 'W/"1"' });
    expect(created.headers.get('location')).toBe(user.meta.location);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(JSON.stringify(user)).not.toContain(v.password);
    const record = await scim.store.get('User', user.id);
    expect(record).toMatchObject({ externalId: '00ujl29u0le5T6Aj10h7' });
    expect(JSON.stringify(record)).not.toContain(v.password);
    // the IdP's password is the one set at the vendor
    expect(v.passwordOf(record!.vendorId)).toBe(v.password);
    const agent = await v.client.agents.get(record!.vendorId);
    expect(agent).toMatchObject({ name: 'Test User', status: 'active' });

    // 3. the lookup now finds it (an email in any case; a Huawei userAccount as written), and GET by id answers the same resource
    const asTyped = vendor === 'huawei-aicc' ? userName : userName.toUpperCase();
    const found = await scim.call('GET', `/Users?${q(`userName eq "${asTyped}"`)}`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(user.id);
    expect((await scim.call('GET', `/Users/${user.id}`)).body).toEqual(user);

    // 4. profile update by PUT (Okta sends the whole user)
    const put = await scim.call('PUT', `/Users/${user.id}`, {
      schemas: [USER],
      id: user.id,
      userName,
      name: { givenName: 'Test', familyName: 'Renamed' },
      emails: [{ primary: true, value: 'test.user@example.com', type: 'work' }],
      displayName: 'Test Renamed',
      nickName: 'Testy',
      phoneNumbers: [{ value: '13800000001', type: 'mobile' }],
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Test Renamed', phoneNumbers: [{ value: '13800000001' }], meta: { version: 'W/"2"' } });
    const renamed = await v.client.agents.get(record!.vendorId);
    expect(renamed).toMatchObject({ name: 'Test Renamed', phone: '13800000001' });

    // 5. deactivate (Okta: replace without a path)
    const off = await scim.call('PATCH', `/Users/${user.id}`, patch({ op: 'replace', value: { active: false } }));
    if (canDisable(vendor)) {
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect((await v.client.agents.get(record!.vendorId)).status).toBe('disabled');
      const on = await scim.call('PATCH', `/Users/${user.id}`, patch({ op: 'replace', value: { active: true } }));
      expect(on.body.active).toBe(true);
    } else {
      expect(off.status).toBe(400);
      expect(off.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('active') });
      expect((await v.client.agents.get(record!.vendorId)).status).toBe('active');
    }

    // 6. group push: create, add member, rename (Okta repeats the id), remove member, PUT, delete
    const group = await scim.call('POST', '/Groups', { schemas: [GROUP], displayName: groupName(vendor, 'Test SCIMv2'), members: [] });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const gid = group.body.id;
    const added = await scim.call('PATCH', `/Groups/${gid}`, patch({ op: 'add', path: 'members', value: [{ value: user.id, display: userName }] }));
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([expect.objectContaining({ value: user.id })]);
    const vendorGroupId = (await scim.store.get('Group', gid))!.vendorId;
    expect((await v.client.groups.get(vendorGroupId)).memberIds).toEqual([record!.vendorId]);
    // groups are read-only on the User and reflect membership
    expect((await scim.call('GET', `/Users/${user.id}`)).body.groups.map((g: { value: string }) => g.value)).toContain(gid);

    const rename = await scim.call('PATCH', `/Groups/${gid}`, patch({ op: 'replace', value: { id: gid, displayName: groupName(vendor, 'Test SCIMv2 renamed') } }));
    expect(rename.status).toBe(200);
    expect((await v.client.groups.get(vendorGroupId)).name).toBe(groupName(vendor, 'Test SCIMv2 renamed'));

    const removed = await scim.call('PATCH', `/Groups/${gid}`, patch({ op: 'remove', path: `members[value eq "${user.id}"]` }));
    expect(removed.status).toBe(200);
    expect(removed.body.members ?? []).toEqual([]);
    expect((await v.client.groups.get(vendorGroupId)).memberIds).toEqual([]);

    const replaced = await scim.call('PUT', `/Groups/${gid}`, { schemas: [GROUP], id: gid, displayName: groupName(vendor, 'Test SCIMv2'), members: [{ value: user.id, display: userName }] });
    expect(replaced.status).toBe(200);
    expect(await v.client.groups.get(vendorGroupId)).toMatchObject({ name: groupName(vendor, 'Test SCIMv2'), memberIds: [record!.vendorId] });

    expect((await scim.call('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect((await scim.call('GET', `/Groups/${gid}`)).status).toBe(404);
    await expect(v.client.groups.get(vendorGroupId)).rejects.toThrow();
  });

  it('Entra ID: filter, create, Replace/Add with value filters, "False" as a string, group members add/remove, DELETE', async () => {
    const userName = login(vendor, 'entra.user');
    const none = await scim.call('GET', `/Users?${q(`userName eq "${userName}"`)}`);
    expect(none.body.totalResults).toBe(0);

    const created = await scim.call('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName,
      active: true,
      emails: [{ primary: true, type: 'work', value: 'entra.user@example.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Entra User', familyName: 'User', givenName: 'Entra' },
      roles: [],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    const vendorId = (await scim.store.get('User', id))!.vendorId;
    // no password sent: a random one meeting the vendor's rules was set, and is nowhere in the answer or the store
    const generated = v.passwordOf(vendorId);
    expect(generated).toBeTruthy();
    expect(JSON.stringify(created.body)).not.toContain(generated);
    expect(JSON.stringify(await scim.store.get('User', id))).not.toContain(generated);

    const updated = await scim.call(
      'PATCH',
      `/Users/${id}`,
      patch(
        { op: 'Replace', path: 'displayName', value: 'Entra Renamed' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '13900000002' },
        { op: 'Replace', path: 'name.familyName', value: 'Renamed' },
        { op: 'Replace', path: 'roles', value: [{ value: v.role.name }] },
      ),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.displayName).toBe('Entra Renamed');
    const agent = await v.client.agents.get(vendorId);
    expect(agent).toMatchObject({ name: 'Entra Renamed', phone: '13900000002' });
    expect(agent.roleIds).toContain(v.role.id);

    const disabled = await scim.call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    if (canDisable(vendor)) {
      expect(disabled.body.active).toBe(false);
      expect((await v.client.agents.get(vendorId)).status).toBe('disabled');
    } else {
      expect(disabled.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    }

    // groups: Entra looks the group up by displayName with members excluded, creates it, then adds members
    const lookup = await scim.call('GET', `/Groups?excludedAttributes=members&${q(`displayName eq "${groupName(vendor, 'Sales')}"`)}`);
    expect(lookup.body.totalResults).toBe(0);
    const group = await scim.call('POST', '/Groups', { schemas: [GROUP], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: groupName(vendor, 'Sales'), meta: { resourceType: 'Group' } });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const gid = group.body.id;
    const add = await scim.call('PATCH', `/Groups/${gid}`, patch({ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }));
    expect(add.status).toBe(200);
    const byMember = await scim.call('GET', `/Groups?excludedAttributes=members&${q(`id eq "${gid}" and members eq "${id}"`)}`);
    expect(byMember.body.totalResults).toBe(1);
    expect(byMember.body.Resources[0]).toMatchObject({ id: gid, displayName: groupName(vendor, 'Sales'), externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    expect(byMember.body.Resources[0].members).toBeUndefined();
    const remove = await scim.call('PATCH', `/Groups/${gid}`, patch({ name: 'removeMember', op: 'Remove', path: 'members', value: [{ $ref: null, value: id }] }));
    expect(remove.status).toBe(200);
    const notMember = await scim.call('GET', `/Groups?excludedAttributes=members&${q(`id eq "${gid}" and members eq "${id}"`)}`);
    expect(notMember.body.totalResults).toBe(0);
    const rename = await scim.call('PATCH', `/Groups/${gid}`, patch({ op: 'Replace', path: 'displayName', value: groupName(vendor, 'Sales EMEA') }));
    expect(rename.body.displayName).toBe(groupName(vendor, 'Sales EMEA'));
    expect((await v.client.groups.get((await scim.store.get('Group', gid))!.vendorId)).name).toBe(groupName(vendor, 'Sales EMEA'));

    // DELETE without --allow-delete disables (where the vendor can); with it, deletes
    if (canDisable(vendor)) {
      await scim.call('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: true }));
      expect((await scim.call('DELETE', `/Users/${id}`)).status).toBe(204);
      expect((await v.client.agents.get(vendorId)).status).toBe('disabled');
      expect((await scim.call('GET', `/Users/${id}`)).body.active).toBe(false);
    } else {
      expect((await scim.call('DELETE', `/Users/${id}`)).body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      expect((await v.client.agents.get(vendorId)).status).toBe('active');
    }
    const deleted = await scimDelete.call('DELETE', `/Users/${id}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    await expect(v.client.agents.get(vendorId)).rejects.toThrow();
    expect((await scim.call('GET', `/Users/${id}`)).status).toBe(404);
  });
});
