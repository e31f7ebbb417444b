import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  agentFromWire,
  agentInputToWire,
  agentPatchToWire,
  agentTypeFromChannels,
  ccRoleIdFromRoleIds,
  channelsFromAgentType,
  cleanSkillName,
  cleanUserName,
  deriveUserAccount,
  groupFromWire,
  groupInputToWire,
  groupPatchToWire,
  roleIdsFromCcRoleId,
  roleFromWire,
  HUAWEI_ROLES,
  skillsFromGroupIds,
  skillWeightsFromWire,
  suffixUserAccount,
  accountCandidate,
  loginNameFor,
  modelFieldOf,
  USER_ACCOUNT_PATTERN,
  deleteAccountProblems,
  tokenTimes,
  refreshMarginMs,
} from '../src';
import { wireAgent } from './helpers';

describe('channels ⇄ agentType', () => {
  it('reads the table', () => {
    expect(channelsFromAgentType(4)).toEqual({ value: ['voice'], warnings: [] });
    expect(channelsFromAgentType('11')).toEqual({ value: ['video'], warnings: [] });
    expect(channelsFromAgentType(5)).toEqual({ value: ['chat'], warnings: [] });
    expect(channelsFromAgentType(99)).toEqual({ value: ['chat', 'voice', 'video'], warnings: [] });
  });
  it('warns on idle and unknown types', () => {
    expect(channelsFromAgentType(255).value).toEqual([]);
    expect(channelsFromAgentType(255).warnings[0]?.message).toMatch(/idle/);
    expect(channelsFromAgentType(7).warnings).toHaveLength(1);
    expect(channelsFromAgentType(undefined)).toEqual({ value: [], warnings: [] });
  });
  it('writes the smallest type covering the channels', () => {
    expect(agentTypeFromChannels(['voice'])).toEqual({ value: 4, warnings: [] });
    expect(agentTypeFromChannels(['video'])).toEqual({ value: 11, warnings: [] });
    expect(agentTypeFromChannels(['chat'])).toEqual({ value: 5, warnings: [] });
    expect(agentTypeFromChannels(['chat', 'voice', 'video'])).toEqual({ value: 99, warnings: [] });
    expect(agentTypeFromChannels(undefined)).toEqual({ value: 5, warnings: [] });
  });
  it('warns when widening, and for ticket / outbound', () => {
    const two = agentTypeFromChannels(['voice', 'video']);
    expect(two.value).toBe(99);
    expect(two.warnings[0]?.message).toMatch(/versatile/);
    const ticket = agentTypeFromChannels(['chat', 'ticket']);
    expect(ticket.value).toBe(5);
    expect(ticket.warnings.map((w) => w.value)).toEqual(['ticket']);
    const outbound = agentTypeFromChannels(['outbound']);
    expect(outbound.value).toBe(5);
    expect(outbound.warnings.map((w) => w.message).join(' ')).toMatch(/role.*'4'/);
    expect(outbound.warnings).toHaveLength(2);
  });
  it('round-trips every wire type', () => {
    for (const t of [4, 11, 5, 99]) expect(agentTypeFromChannels(channelsFromAgentType(t).value).value).toBe(t);
  });
});

describe('roles ⇄ ccRoleId', () => {
  it('reads and writes', () => {
    expect(roleIdsFromCcRoleId(3)).toEqual({ value: ['3'], warnings: [] });
    expect(roleIdsFromCcRoleId('4')).toEqual({ value: ['4'], warnings: [] });
    expect(roleIdsFromCcRoleId(255).value).toEqual([]);
    expect(roleIdsFromCcRoleId(255).warnings).toHaveLength(1);
    expect(ccRoleIdFromRoleIds(['3'])).toEqual({ value: 3, warnings: [] });
    expect(ccRoleIdFromRoleIds(undefined)).toEqual({ value: undefined, warnings: [] });
  });
  it('keeps the first of several roles with a warning', () => {
    const r = ccRoleIdFromRoleIds(['4', '2', '3']);
    expect(r.value).toBe(4);
    expect(r.warnings[0]).toMatchObject({ field: 'roleIds', value: ['2', '3'] });
  });
  it('maps the fixed role table', () => {
    const roles = HUAWEI_ROLES.map((row) => roleFromWire(row));
    expect(roles.map((r) => [r.value.id, r.value.name])).toEqual([
      ['2', 'Agent'],
      ['3', 'Inspector'],
      ['4', 'Outbound-call agent'],
    ]);
    expect(roles.every((r) => r.value.vendor === 'huawei-aicc' && r.warnings.length === 0)).toBe(true);
    expect(roleFromWire({ ccRoleId: 3, name: 'Inspector', description: 'd' }).value).toEqual({ id: '3', vendor: 'huawei-aicc', name: 'Inspector', description: 'd', remoteData: { ccRoleId: 3 } });
  });
});

describe('names', () => {
  it('leaves a good name alone', () => {
    expect(cleanUserName('Alice Liu')).toEqual({ value: 'Alice Liu', warnings: [] });
  });
  it('removes forbidden characters with a warning', () => {
    const r = cleanUserName('O\'Neil (Sales), <B>');
    expect(r.value).toBe('ONeil Sales B');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ field: 'name', value: 'O\'Neil (Sales), <B>' });
  });
  it('shortens to 20 characters (not bytes) with a warning', () => {
    const r = cleanUserName('Maximilian Alexander Montgomery');
    expect(r.value).toBe('Maximilian Alexander');
    expect(r.warnings[0]?.message).toMatch(/20 characters/);
    expect(cleanUserName('张三李四王五赵六孙七周八吴九郑十冯十一陈十二').value).toHaveLength(20);
  });
  it('always yields a valid userName (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (name) => {
        const v = cleanUserName(name).value;
        return [...v].length <= 20 && ![...v].some((c) => `"[]'&()=;<>,`.includes(c));
      }),
    );
  });
  it('cleans skill names to 100 bytes', () => {
    // the doc's forbidden set starts with a space: blanks become "_"
    expect(cleanSkillName('Sales & Support').value).toBe('Sales_Support');
    expect(cleanSkillName('Sales & Support').warnings).toHaveLength(1);
    const long = cleanSkillName('队'.repeat(40)); // 120 bytes
    expect(Buffer.byteLength(long.value)).toBeLessThanOrEqual(100);
    expect(long.value).toBe('队'.repeat(33));
    expect(long.warnings[0]?.message).toMatch(/100 bytes/);
  });
});

describe('userAccount derivation', () => {
  it('takes the email local part, filtered', () => {
    // "." and "@" are allowed by create but forbidden by delete: they become "_"
    expect(deriveUserAccount('alice.liu@example.com')).toBe('alice_liu');
    expect(deriveUserAccount('a+b!c@example.com')).toBe('a_b_c0');
    expect(deriveUserAccount('bo@example.com')).toBe('bo0000');
    expect(deriveUserAccount('张三@example.com')).toBe('agent0');
    expect(deriveUserAccount(`${'x'.repeat(64)}@example.com`)).toBe('x'.repeat(50));
  });
  it('suffixes within 50 characters', () => {
    expect(suffixUserAccount('alice.liu', 2)).toBe('alice.liu-2');
    expect(suffixUserAccount('x'.repeat(50), 12)).toBe('x'.repeat(47) + '-12');
  });
  it('always yields a valid userAccount (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 2, max: 999 }), (local, n) => {
        const base = deriveUserAccount(`${local}@example.com`);
        const suffixed = suffixUserAccount(base, n);
        // creatable, and deletable later (agentAccount/delete has its own, stricter pattern)
        return [base, suffixed].every((a) => USER_ACCOUNT_PATTERN.test(a) && deleteAccountProblems(a).length === 0);
      }),
    );
  });
});

describe('agent wire → model', () => {
  it('maps every field', () => {
    const wire = wireAgent('alice01', { skills: [{ skillId: 3, agentWeight: 2, skillWeight: 1 }, { skillId: '7', agentWeight: 1, skillWeight: 1 }] });
    const { value, warnings } = agentFromWire(wire);
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      id: 'alice01',
      vendor: 'huawei-aicc',
      email: 'alice01@example.com',
      loginName: 'alice01',
      name: 'Alice Liu',
      nickname: null,
      phone: '13800000000',
      status: 'active',
      channels: ['chat'],
      roleIds: ['2'],
      groupIds: ['3', '7'],
      departmentIds: [],
      employeeNo: '108',
      locale: null,
      remoteData: wire,
    });
  });
  it('turns missing and empty values into null', () => {
    const { value } = agentFromWire({ userAccount: 'bob0001' });
    expect(value).toMatchObject({ email: '', name: '', phone: null, employeeNo: null, channels: [], roleIds: [], groupIds: [] });
    expect(agentFromWire({ userAccount: 'bob0001', phone: '' }).value.phone).toBeNull();
  });
  it('keeps the skill weights for a round trip', () => {
    expect(skillWeightsFromWire([{ skillId: 3, agentWeight: 2, skillWeight: '4' }])).toEqual({ '3': { agentWeight: 2, skillWeight: 4 } });
  });
});

describe('agent model → wire', () => {
  const input = { email: 'alice.liu@example.com', name: 'Alice Liu', password: 'Secret#1', phone: '13800000000', channels: ['voice' as const], roleIds: ['3'], groupIds: ['3', '7'] };
  it('maps a create', () => {
    const { value, warnings } = agentInputToWire(input, { userAccount: 'alice.liu' });
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      userAccount: 'alice.liu',
      userName: 'Alice Liu',
      password: 'Secret#1',
      email: 'alice.liu@example.com',
      agentType: 4,
      ccRoleId: 3,
      skills: [
        { skillId: 3, agentWeight: 1, skillWeight: 1 },
        { skillId: 7, agentWeight: 1, skillWeight: 1 },
      ],
      phone: '13800000000',
    });
  });
  it('defaults: multimedia, agent role, no skills, no phone', () => {
    const { value } = agentInputToWire({ email: 'a@b.co', name: 'A', password: 'x' }, { userAccount: 'a00000' });
    expect(value).toEqual({ userAccount: 'a00000', userName: 'A', password: 'x', email: 'a@b.co', agentType: 5, ccRoleId: 2 });
  });
  it('takes weights from vendorFields.skillWeights and passes other vendorFields through', () => {
    const { value } = agentInputToWire({ ...input, vendorFields: { skillWeights: { '7': { agentWeight: 5, skillWeight: 2 } }, transparentDisplayFlag: true } }, { userAccount: 'alice.liu' });
    expect(value.skills?.[1]).toEqual({ skillId: 7, agentWeight: 5, skillWeight: 2 });
    expect(value).toMatchObject({ transparentDisplayFlag: true });
    expect(value).not.toHaveProperty('skillWeights');
  });
  it('warns for everything Huawei cannot carry', () => {
    const { warnings } = agentInputToWire(
      { ...input, name: 'A very long name that goes on', status: 'disabled', employeeNo: '42', departmentIds: ['9'], locale: 'zh-CN', nickname: 'Al', roleIds: ['2', '3'], channels: ['chat', 'ticket'] },
      { userAccount: 'alice_liu', fitNames: true },
    );
    expect(warnings.map((w) => w.field).sort()).toEqual(['channels', 'departmentIds', 'employeeNo', 'locale', 'name', 'nickname', 'roleIds', 'status']);
  });
  it('sends names as given unless fitNames', () => {
    expect(agentInputToWire({ ...input, name: 'A (B)' }, { userAccount: 'alice_liu' })).toMatchObject({ value: { userName: 'A (B)' }, warnings: [] });
    expect(agentInputToWire({ ...input, name: 'A (B)' }, { userAccount: 'alice_liu', fitNames: true }).value.userName).toBe('A B');
  });
  it('maps an update: only the fields given', () => {
    expect(agentPatchToWire('alice01', {}).value).toEqual({ userAccount: 'alice01' });
    expect(agentPatchToWire('alice01', { name: 'New Name', phone: null, channels: ['video'], roleIds: ['4'] }).value).toEqual({
      userAccount: 'alice01',
      userName: 'New Name',
      phone: '',
      agentType: 11,
      ccRoleId: 4,
    });
  });
  it('keeps current weights when groupIds change', () => {
    const { value } = agentPatchToWire('alice01', { groupIds: ['3', '9'] }, { currentSkills: [{ skillId: 3, agentWeight: 4, skillWeight: 2 }] });
    expect(value.skills).toEqual([
      { skillId: 3, agentWeight: 4, skillWeight: 2 },
      { skillId: 9, agentWeight: 1, skillWeight: 1 },
    ]);
  });
  it('applies skillWeights alone to the current skills', () => {
    const { value } = agentPatchToWire('alice01', { vendorFields: { skillWeights: { '3': { agentWeight: 9 } } } }, { currentSkills: [{ skillId: 3, agentWeight: 4, skillWeight: 2 }] });
    expect(value.skills).toEqual([{ skillId: 3, agentWeight: 9, skillWeight: 2 }]);
  });
  it('warns instead of clearing channels or roles', () => {
    const r = agentPatchToWire('alice01', { channels: [], roleIds: [] });
    expect(r.value).toEqual({ userAccount: 'alice01' });
    expect(r.warnings.map((w) => w.field)).toEqual(['channels', 'roleIds']);
  });
  it('passes a password change through', () => {
    expect(agentPatchToWire('alice01', { vendorFields: { oldPassWord: 'Old#1234', newPassWord: 'New#1234' } }).value).toEqual({ userAccount: 'alice01', oldPassWord: 'Old#1234', newPassWord: 'New#1234' });
  });
  it('skillsFromGroupIds defaults to weight 1', () => {
    expect(skillsFromGroupIds(['1'])).toEqual([{ skillId: 1, agentWeight: 1, skillWeight: 1 }]);
  });
});

describe('groups', () => {
  it('reads a skill', () => {
    const skill = { skillId: 12, name: 'Sales', description: 'Sales', mediaTypeId: 53 };
    expect(groupFromWire(skill, ['alice01']).value).toEqual({ id: '12', vendor: 'huawei-aicc', name: 'Sales', memberIds: ['alice01'], remoteData: skill });
    expect(groupFromWire({ skillId: '12', name: 'Sales' }, null).value.memberIds).toBeNull();
  });
  it('writes createSkill with the documented defaults', () => {
    const { value, warnings } = groupInputToWire({ name: 'Sales' });
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      name: 'Sales',
      description: 'Sales',
      mediaTypeId: 53,
      maxWaitTime: 60,
      maxWaitNum: 100,
      maxAgentWrapupTime: 30,
      skillParam: { noAgents: { deviceType: '1', transferType: 'Release' }, busy: { deviceType: '1', transferType: 'Release' }, timeOut: { deviceType: '1', transferType: 'Release' } },
    });
  });
  it('truncates the description to 50 and lets vendorFields win', () => {
    const long = 'S'.repeat(80);
    expect(groupInputToWire({ name: long }).value.description).toBe('S'.repeat(50));
    const v = groupInputToWire({ name: 'Voice', vendorFields: { mediaTypeId: '5', maxWaitTime: 120, agentWeight: 3 } }).value;
    expect(v).toMatchObject({ mediaTypeId: 5, maxWaitTime: 120 });
    expect(v).not.toHaveProperty('agentWeight');
  });
  it('writes modifySkill only when something changes', () => {
    expect(groupPatchToWire(12, { memberIds: ['a'] }).value).toBeUndefined();
    expect(groupPatchToWire(12, { name: 'New' }).value).toEqual({ skillId: 12, name: 'New' });
    const media = groupPatchToWire(12, { vendorFields: { mediaTypeId: 5 } });
    expect(media.value).toBeUndefined();
    expect(media.warnings).toHaveLength(1);
  });
});

describe('token times', () => {
  it('uses CreateTime + Expires − margin', () => {
    const now = 1_700_000_000_000;
    const t = tokenTimes({ CreateTime: String(now / 1000 - 100), Expires: '600' }, 600, now);
    expect(t.expiresAt).toBe(now - 100_000 + 600_000);
    expect(t.refreshAt).toBe(t.expiresAt - 60_000);
  });
  it('falls back to local time when CreateTime is missing, unreadable or far off', () => {
    const now = 1_700_000_000_000;
    expect(tokenTimes({ Expires: '600' }, 600, now).expiresAt).toBe(now + 600_000);
    expect(tokenTimes({ CreateTime: 'yesterday', Expires: '600' }, 600, now).expiresAt).toBe(now + 600_000);
    expect(tokenTimes({ CreateTime: '1000', Expires: '600' }, 600, now).expiresAt).toBe(now + 600_000);
    expect(tokenTimes({ CreateTime: String(now / 1000) }, 300, now).expiresAt).toBe(now + 300_000);
  });
  it('margin is 60 s or 10 %', () => {
    expect(refreshMarginMs(600_000)).toBe(60_000);
    expect(refreshMarginMs(3_600_000)).toBe(60_000);
    expect(refreshMarginMs(100_000)).toBe(10_000);
  });
});

describe('membershipWarning (groups.previewMembership)', () => {
  it('a voice-only agent cannot join the default multimedia queue; a versatile one can join any', async () => {
    const { membershipWarning } = await import('@contactkit/huawei-aicc');
    const queue = { name: 'Sales' }; // default mediaTypeId 53
    expect(membershipWarning(queue, { email: 'a@x.com', name: 'A', channels: ['voice'] })).toMatchObject({ field: 'groupIds', value: { agentType: 4, mediaTypeId: 53 } });
    expect(membershipWarning(queue, { email: 'a@x.com', name: 'A', channels: ['chat'] })).toBeNull();
    expect(membershipWarning(queue, { email: 'a@x.com', name: 'A', channels: ['chat', 'voice', 'video'] })).toBeNull();
    const voiceQueue = { id: '3', vendor: 'huawei-aicc' as const, name: 'Hotline', memberIds: null, remoteData: { skillId: 3, name: 'Hotline', mediaTypeId: '5' } };
    expect(membershipWarning(voiceQueue, { email: 'a@x.com', name: 'A', channels: ['voice'] })).toBeNull();
    // an existing Huawei agent is judged by its own agentType, not by channels
    const agent = { id: 'amy001', vendor: 'huawei-aicc' as const, email: 'a@x.com', loginName: 'amy001', name: 'Amy', nickname: null, phone: null, status: 'active' as const, channels: ['chat' as const], roleIds: [], groupIds: [], departmentIds: [], employeeNo: null, locale: null, remoteData: { agentType: 4 } };
    expect(membershipWarning({ name: 'Chat', vendorFields: { mediaTypeId: 53 } }, agent)).not.toBeNull();
  });
});

describe('loginNameFor / accountCandidate', () => {
  it('tries the derived account, then -2, -3 …, each within 50 characters', () => {
    expect(accountCandidate('alice_liu', 1)).toBe('alice_liu');
    expect(accountCandidate('alice_liu', 2)).toBe('alice_liu-2');
    expect(accountCandidate('a'.repeat(50), 12)).toBe(`${'a'.repeat(47)}-12`);
    const asked: string[] = [];
    const name = loginNameFor('Alice.Liu@example.com', (x) => (asked.push(x), asked.length < 3));
    expect(asked).toEqual(['Alice_Liu', 'Alice_Liu-2', 'Alice_Liu-3']);
    expect(name).toBe('Alice_Liu-3');
    expect(USER_ACCOUNT_PATTERN.test(name) && deleteAccountProblems(name).length === 0).toBe(true);
  });
});

describe('modelFieldOf: wire issue paths → the caller\'s fields', () => {
  it('names model fields, vendorFields and skill weights as the caller gave them', () => {
    const input = { groupIds: ['3', '7'], vendorFields: { agentType: 7, skillWeights: { '7': { agentWeight: 0 } } } };
    expect(modelFieldOf(['userAccount'], {})).toBe('loginName');
    expect(modelFieldOf(['userName'], {})).toBe('name');
    expect(modelFieldOf(['ccRoleId'], {})).toBe('roleIds');
    expect(modelFieldOf(['agentType'], input)).toBe('vendorFields.agentType');
    expect(modelFieldOf(['agentType'], {})).toBe('channels');
    expect(modelFieldOf(['skills', 0, 'skillId'], input)).toBe('groupIds.0');
    expect(modelFieldOf(['skills', 0, 'agentWeight'], input)).toBe('groupIds.0');
    expect(modelFieldOf(['skills', 1, 'agentWeight'], input)).toBe('vendorFields.skillWeights.7.agentWeight');
    expect(modelFieldOf(['userAccounts', 2], {})).toBe('memberIds.2');
    expect(modelFieldOf(['agentWeight'], {})).toBe('vendorFields.agentWeight');
    expect(modelFieldOf(['skillParam', 'busy', 'deviceType'], {})).toBe('skillParam.busy.deviceType');
    expect(modelFieldOf([], {})).toBe('');
  });
});
