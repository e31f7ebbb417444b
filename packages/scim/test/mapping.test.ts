import { describe, expect, it } from 'vitest';
import type { Agent, VendorId } from '@contactkit/core';
import { ENTERPRISE_SCHEMA, USER_SCHEMA, agentToScimUser, scimAttributeOf, scimUserToFields } from '../src';

const agent = (vendor: VendorId, over: Partial<Agent> = {}): Agent => ({
  id: vendor === 'huawei-aicc' ? 'ann_lee' : '42',
  vendor,
  email: 'ann.lee@example.com',
  loginName: vendor === 'huawei-aicc' ? 'ann_lee' : null,
  name: 'Ann Lee',
  nickname: 'Annie',
  phone: '13800000001',
  status: 'active',
  channels: ['chat'],
  roleIds: ['3'],
  groupIds: ['g1'],
  departmentIds: ['7', '8'],
  employeeNo: 'E100',
  locale: 'en-US',
  ...over,
});

const refs = { groups: [{ value: 'scim-g1' }], roles: [{ value: '3', display: 'Inspector' }] };

describe('agent → SCIM User', () => {
  it.each<[VendorId, string]>([
    ['udesk', 'ann.lee@example.com'],
    ['kf5', 'ann.lee@example.com'],
    ['huawei-aicc', 'ann_lee'],
  ])('%s: userName is the vendor login (%s)', (vendor, userName) => {
    expect(agentToScimUser(agent(vendor), refs)).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
      userName,
      name: { formatted: 'Ann Lee' },
      displayName: 'Ann Lee',
      nickName: 'Annie',
      active: true,
      emails: [{ value: 'ann.lee@example.com', type: 'work', primary: true }],
      phoneNumbers: [{ value: '13800000001', type: 'work' }],
      preferredLanguage: 'en-US',
      locale: 'en-US',
      roles: [{ value: '3', display: 'Inspector' }],
      groups: [{ value: 'scim-g1' }],
      // only the first department is carried (SCIM has one department string): lossy, documented
      [ENTERPRISE_SCHEMA]: { employeeNumber: 'E100', department: '7' },
    });
  });

  it('leaves out what the agent does not have; disabled is active false', () => {
    const user = agentToScimUser(agent('kf5', { nickname: null, phone: null, locale: null, employeeNo: null, departmentIds: [], roleIds: [], status: 'disabled' }), { groups: [], roles: [] });
    expect(user).toEqual({ schemas: [USER_SCHEMA], userName: 'ann.lee@example.com', name: { formatted: 'Ann Lee' }, displayName: 'Ann Lee', active: false, emails: [{ value: 'ann.lee@example.com', type: 'work', primary: true }], groups: [] });
  });
});

describe('SCIM User → model fields', () => {
  const body = {
    schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
    userName: 'ann_lee',
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [{ value: 'old@example.com', type: 'home' }, { value: 'ann.lee@example.com', type: 'work', primary: true }],
    phoneNumbers: [{ value: '1', type: 'work' }, { value: '2', type: 'mobile' }],
    preferredLanguage: 'en_US, en;q=0.9',
    active: 'False',
    roles: [{ value: 'Inspector' }, { display: 'Agent' }],
    password: 'Secret#1',
    [ENTERPRISE_SCHEMA]: { employeeNumber: 'E1', department: '7' },
  };

  it('huawei-aicc: userName is the userAccount (loginName), the email comes from emails', () => {
    expect(scimUserToFields(body, 'huawei-aicc')).toEqual({
      email: 'ann.lee@example.com',
      loginName: 'ann_lee',
      name: 'Ann Lee',
      nickname: null,
      phone: '2',
      status: 'disabled',
      roles: ['Inspector', 'Agent'],
      departmentIds: ['7'],
      employeeNo: 'E1',
      locale: 'en-US',
      password: 'Secret#1',
    });
  });

  it('udesk/kf5: userName is the email; displayName wins over name parts', () => {
    for (const vendor of ['udesk', 'kf5'] as const) {
      const fields = scimUserToFields({ ...body, userName: 'Ann.Lee@example.com', displayName: 'Ann L.' }, vendor);
      expect(fields).toMatchObject({ email: 'Ann.Lee@example.com', loginName: undefined, name: 'Ann L.' });
    }
  });

  it('round trip: a rendered agent reads back as the same fields', () => {
    for (const vendor of ['udesk', 'kf5', 'huawei-aicc'] as const) {
      const a = agent(vendor);
      const fields = scimUserToFields(agentToScimUser(a, refs), vendor);
      expect(fields).toEqual({
        email: a.email,
        loginName: vendor === 'huawei-aicc' ? 'ann_lee' : undefined,
        name: a.name,
        nickname: a.nickname,
        phone: a.phone,
        status: 'active',
        roles: ['3'],
        departmentIds: ['7'],
        employeeNo: a.employeeNo,
        locale: a.locale,
        password: undefined,
      });
    }
  });
});

describe('ValidationError field → SCIM attribute', () => {
  it.each<[string, VendorId, string]>([
    ['email', 'udesk', 'userName'],
    ['email', 'huawei-aicc', 'emails'],
    ['loginName', 'huawei-aicc', 'userName'],
    ['name', 'huawei-aicc', 'displayName'],
    ['phone', 'kf5', 'phoneNumbers'],
    ['roleIds.0', 'kf5', 'roles'],
    ['departmentIds', 'udesk', `${ENTERPRISE_SCHEMA}:department`],
    ['employeeNo', 'udesk', `${ENTERPRISE_SCHEMA}:employeeNumber`],
    ['status', 'huawei-aicc', 'active'],
    ['memberIds.1', 'kf5', 'members'],
    ['vendorFields.duty', 'udesk', 'duty'],
  ])('%s (%s) → %s', (path, vendor, expected) => {
    expect(scimAttributeOf(path, vendor)).toBe(expected);
  });
});
