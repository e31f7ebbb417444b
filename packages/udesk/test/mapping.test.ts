import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel } from '@contactkit/core';
import {
  PROFILE_CHANNELS,
  agentFromWire,
  agentInputToWire,
  agentPatchToWire,
  channelsToProfile,
  flattenDepartments,
  groupFromWire,
  groupInputToWire,
  groupPatchToWire,
  langToLocale,
  localeToLang,
  modelFieldOf,
  profileToChannels,
  ROLE_IDS_UNKNOWN,
  roleIdsKnown,
  roleFromWire,
  sanitizeRemoteData,
  SIP_FIELDS,
  statusFromWire,
  statusToWire,
  type UdeskAgent,
  type UdeskProfile,
} from '@contactkit/udesk';
import { wireAgent, wireAgentDetail } from './helpers';

describe('profile ⇄ channels', () => {
  it('wire → model: the table', () => {
    expect(profileToChannels('im')).toEqual({ value: ['chat'], warnings: [] });
    expect(profileToChannels('call').value).toEqual(['voice']);
    expect(profileToChannels('ticket').value).toEqual(['ticket']);
    expect(profileToChannels('dial').value).toEqual(['outbound']);
    expect(profileToChannels('all').value).toEqual(['chat', 'voice', 'ticket', 'outbound']);
    expect(profileToChannels(null)).toEqual({ value: [], warnings: [] });
    const odd = profileToChannels('robot');
    expect(odd.value).toEqual([]);
    expect(odd.warnings).toEqual([expect.objectContaining({ field: 'channels', value: 'robot' })]);
  });

  it('model → wire: the exact profile, in any order and with duplicates', () => {
    expect(channelsToProfile(['chat'])).toEqual({ value: 'im', warnings: [] });
    expect(channelsToProfile(['voice', 'voice'])).toEqual({ value: 'call', warnings: [] });
    expect(channelsToProfile(['outbound', 'ticket', 'voice', 'chat'])).toEqual({ value: 'all', warnings: [] });
  });

  it('model → wire: several channels without an exact profile → all, with a warning', () => {
    const m = channelsToProfile(['chat', 'voice']);
    expect(m.value).toBe('all');
    expect(m.warnings).toEqual([expect.objectContaining({ field: 'channels', value: ['chat', 'voice'] })]);
  });

  it('model → wire: video has no profile (warning); empty → no profile (warning)', () => {
    const v = channelsToProfile(['video', 'ticket']);
    expect(v.value).toBe('ticket');
    expect(v.warnings).toEqual([expect.objectContaining({ field: 'channels', value: 'video' })]);
    const only = channelsToProfile(['video']);
    expect(only.value).toBeUndefined();
    expect(only.warnings).toHaveLength(2);
    expect(channelsToProfile([]).value).toBeUndefined();
    expect(channelsToProfile([]).warnings).toHaveLength(1);
  });

  it('every profile survives a round trip (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(PROFILE_CHANNELS) as UdeskProfile[])), (p) => {
        const m = channelsToProfile(profileToChannels(p).value);
        return m.value === p && m.warnings.length === 0;
      }),
    );
  });

  it('any channel list maps to some profile or reports why not (property)', () => {
    const channel = fc.constantFrom<Channel>('chat', 'voice', 'video', 'ticket', 'outbound');
    fc.assert(
      fc.property(fc.array(channel, { maxLength: 6 }), (channels) => {
        const m = channelsToProfile(channels);
        if (m.warnings.length === 0) {
          // lossless: the profile serves exactly the channels asked for
          return m.value !== undefined && new Set(PROFILE_CHANNELS[m.value]).size === new Set(channels).size;
        }
        return true;
      }),
    );
  });
});

describe('lang ⇄ locale, status', () => {
  it('both directions', () => {
    expect(langToLocale('zh-cn')).toEqual({ value: 'zh-CN', warnings: [] });
    expect(langToLocale('en-us')).toEqual({ value: 'en-US', warnings: [] });
    expect(langToLocale(null)).toEqual({ value: null, warnings: [] });
    expect(langToLocale('ja-jp')).toEqual({ value: 'ja-JP', warnings: [expect.objectContaining({ field: 'locale' })] });
    expect(localeToLang('zh-CN')).toEqual({ value: 'zh-cn', warnings: [] });
    expect(localeToLang('en-US')).toEqual({ value: 'en-us', warnings: [] });
    expect(localeToLang(null)).toEqual({ value: null, warnings: [] });
    expect(localeToLang('fr-FR')).toEqual({ value: undefined, warnings: [expect.objectContaining({ field: 'locale', value: 'fr-FR' })] });
    expect(statusFromWire('enable').value).toBe('active');
    expect(statusFromWire('disable').value).toBe('disabled');
    expect(statusFromWire('frozen').warnings).toHaveLength(1);
    expect(statusToWire('active')).toBe('enable');
    expect(statusToWire('disabled')).toBe('disable');
  });
});

describe('agents', () => {
  it('wire → model (list item: role ids unknown, never guessed from role_name; SIP out of remoteData)', () => {
    const { value, warnings } = agentFromWire(wireAgent() as UdeskAgent);
    expect(warnings).toEqual([{ field: 'roleIds', message: ROLE_IDS_UNKNOWN, value: 'agent' }]);
    expect(value).toMatchObject({ id: '1', name: 'Test Customer Service 1', roleIds: [], groupIds: ['1', '2'], departmentIds: ['1'], channels: ['chat'], loginName: null });
    expect(roleIdsKnown(value)).toBe(false);
    expect(value.remoteData).not.toHaveProperty('password');
    expect(value.remoteData).not.toHaveProperty('number');
    expect(agentFromWire(wireAgent() as UdeskAgent, { exposeSipCredentials: true }).value.remoteData).toHaveProperty('password');
  });

  it('never changes its input; handed over (owned) with SIP credentials exposed, the input is remoteData', () => {
    const input = wireAgent() as UdeskAgent;
    const before = structuredClone(input);
    const copied = agentFromWire(input).value.remoteData;
    const owned = agentFromWire(input, { owned: true }).value.remoteData;
    expect(input).toEqual(before);
    expect(input).toHaveProperty('password');
    expect(copied).not.toBe(input);
    expect(owned).toEqual(copied);
    expect(owned).not.toHaveProperty('password');
    expect(owned).not.toHaveProperty('number');
    expect(agentFromWire(input, { owned: true, exposeSipCredentials: true }).value.remoteData).toBe(input);
    expect(agentFromWire(input, { exposeSipCredentials: true }).value.remoteData).not.toBe(input);
  });

  it('wire → model: departments as an object (the table) or an array (the example)', () => {
    expect(agentFromWire(wireAgent({ departments: { id: 4, name: 'd' } }) as UdeskAgent).value.departmentIds).toEqual(['4']);
    expect(agentFromWire(wireAgent({ departments: [{ id: 4, name: 'd' }, { id: 5, name: 'e' }] }) as UdeskAgent).value.departmentIds).toEqual(['4', '5']);
    expect(agentFromWire(wireAgent({ departments: null }) as UdeskAgent).value.departmentIds).toEqual([]);
  });

  it('wire → model (detail: agent_roles and user_groups win)', () => {
    const { value, warnings } = agentFromWire(wireAgentDetail({ user_group_ids: undefined, aliase: 'Nick', disable_status: 'disable' }) as UdeskAgent);
    expect(warnings).toEqual([]);
    expect(roleIdsKnown(value)).toBe(true);
    expect(value).toMatchObject({ roleIds: ['11'], groupIds: ['1', '2'], nickname: 'Nick', status: 'disabled', locale: 'zh-CN', employeeNo: '123' });
  });

  it('model → wire, create: the required id arrays from the input, else the defaults (warned), never empty', () => {
    const { value, warnings } = agentInputToWire({ email: 'a@x.com', name: 'A', password: 'pw-123456' });
    expect(warnings).toEqual([]);
    expect(value).toEqual({ email: 'a@x.com', password: 'pw-123456', nick_name: 'A', im_ability_value: 1 });
    const defaults = { roleIds: ['1'], groupIds: ['2'], departmentIds: ['3'] };
    const withDefaults = agentInputToWire({ email: 'a@x.com', name: 'A', roleIds: [], groupIds: ['9'] }, { defaults });
    expect(withDefaults.value).toMatchObject({ agent_role_ids: [1], user_group_ids: [9], department_ids: [3] });
    expect(withDefaults.warnings.map((w) => w.field)).toEqual(['roleIds', 'departmentIds']);
    // update sends exactly what was given (the docs require the arrays on create only)
    expect(agentPatchToWire({ roleIds: [] }).value).toEqual({ agent_role_ids: [] });
    expect(agentInputToWire({ email: 'a@x.com', name: 'A', vendorFields: { im_ability_value: 9 } }, { defaultImAbilityValue: 3 }).value.im_ability_value).toBe(9);
    expect(agentInputToWire({ email: 'a@x.com', name: 'A' }, { defaultImAbilityValue: 3 }).value.im_ability_value).toBe(3);
  });

  it('model → wire, update: only the given fields; nulls clear', () => {
    expect(agentPatchToWire({ nickname: null, phone: null, employeeNo: null, locale: null, status: 'active' })).toEqual({
      value: { aliase: null, cellphone: null, work_id: null, lang: null, disable_status: 'enable' },
      warnings: [],
    });
    const m = agentPatchToWire({ loginName: 'bob', channels: ['chat', 'ticket'] });
    expect(m.value).toEqual({ profile: 'all' });
    expect(m.warnings.map((w) => w.field)).toEqual(['channels', 'loginName']);
  });

  it('round trip: model → wire → model keeps what Udesk can hold', () => {
    const input = { email: 'r@x.com', name: 'R', nickname: 'Arr', phone: '123', channels: ['voice'] as Channel[], roleIds: ['4'], groupIds: ['5', '6'], departmentIds: ['7'], employeeNo: 'E1', locale: 'en-US', status: 'disabled' as const };
    const wire = agentPatchToWire(input).value;
    const back = agentFromWire({
      id: 3,
      email: wire.email!,
      nick_name: wire.nick_name,
      aliase: wire.aliase,
      cellphone: wire.cellphone,
      profile: wire.profile,
      work_id: wire.work_id,
      lang: wire.lang,
      disable_status: wire.disable_status,
      user_group_ids: wire.user_group_ids,
      departments: wire.department_ids!.map((id) => ({ id, name: 'd' })),
      agent_roles: wire.agent_role_ids!.map((id) => ({ id, name: 'r' })),
    } as UdeskAgent).value;
    expect(back).toMatchObject(input);
  });

  it('sanitizeRemoteData drops number, password and ucpapp_subaccount (every one of SIP_FIELDS), owned or not', () => {
    const wire = () => ({ id: 1, number: '1', password: 'p', ucpapp_subaccount: {}, ...Object.fromEntries(SIP_FIELDS.map((f) => [f, 'secret'])) });
    for (const owned of [false, true]) {
      const out = sanitizeRemoteData(wire(), false, owned);
      expect(out).toEqual({ id: 1 });
      for (const f of SIP_FIELDS) expect(Object.hasOwn(out, f)).toBe(false);
    }
    expect(sanitizeRemoteData(wire(), true)).toEqual(wire());
  });
});

describe('modelFieldOf: a wire issue path named by the model field the caller gave', () => {
  it('agent and group wire keys, indexes kept; other keys are vendor fields; model paths kept', () => {
    expect(modelFieldOf(['nick_name'])).toBe('name');
    expect(modelFieldOf(['agent_role_ids', 2])).toBe('roleIds.2');
    expect(modelFieldOf(['department_ids'])).toBe('departmentIds');
    expect(modelFieldOf(['work_id'])).toBe('employeeNo');
    expect(modelFieldOf(['agent_ids', 0])).toBe('memberIds.0');
    expect(modelFieldOf(['duty'])).toBe('vendorFields.duty');
    expect(modelFieldOf(['custom_fields', 'level'])).toBe('vendorFields.custom_fields.level');
    expect(modelFieldOf(['vendorFields', 'role_name'])).toBe('vendorFields.role_name');
    // own properties only: a key named like an Object.prototype member is a vendor field
    expect(modelFieldOf(['constructor'])).toBe('vendorFields.constructor');
    expect(modelFieldOf([])).toBe('');
  });

  it('ids that are not Udesk ids map to NaN (the wire schema refuses them), Udesk ids to numbers', () => {
    expect(agentPatchToWire({ groupIds: ['12', 'g1', '', '1e3'] }).value.user_group_ids).toEqual([12, Number.NaN, Number.NaN, Number.NaN]);
    expect(groupInputToWire({ name: 'G', memberIds: ['007'] }).value.agent_ids).toEqual([7]);
  });
});

describe('groups, roles, departments', () => {
  it('groups both ways', () => {
    expect(groupFromWire({ id: 1, name: 'G', agents: [{ id: 2 }] })).toMatchObject({ value: { id: '1', name: 'G', memberIds: ['2'], vendor: 'udesk' }, warnings: [] });
    expect(groupFromWire({ id: 1, name: 'G' }).value.memberIds).toBeNull();
    expect(groupInputToWire({ name: 'G', memberIds: ['3', '4'] })).toEqual({ value: { name: 'G', agent_ids: [3, 4] }, warnings: [] });
    expect(groupPatchToWire({ memberIds: ['5'] })).toEqual({ value: { agent_ids: [5] }, warnings: [] });
    expect(groupPatchToWire({}).value).toEqual({});
  });

  it('roles and departments', () => {
    expect(roleFromWire({ id: 1, name: 'R', description: 'd' })).toMatchObject({ value: { id: '1', description: 'd' }, warnings: [] });
    expect(roleFromWire({ id: 1, name: 'R', description: '' }).value.description).toBeNull();
    expect(flattenDepartments([{ id: 1, name: 'A', sub_department: [{ id: 2, name: 'B' }] }])).toEqual([
      { id: '1', name: 'A', parentId: null, path: ['A'] },
      { id: '2', name: 'B', parentId: '1', path: ['A', 'B'] },
    ]);
  });
});
