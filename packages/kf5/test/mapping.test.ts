import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Kf5UserSchema,
  agentInputToWire,
  agentPatchToWire,
  groupInputToWire,
  groupPatchToWire,
  groupFromWire,
  kf5LanguageToLocale,
  kf5Roles,
  agentFromWire,
  localeToKf5Language,
  parseKf5DateTime,
  parseKf5RoleId,
  parseTimezoneOffset,
  roleFromWire,
  type Kf5User,
} from '@contactkit/kf5';

const wireUser = (over: Partial<Kf5User> & Record<string, unknown> = {}): Kf5User =>
  Kf5UserSchema.parse({
    id: 886,
    url: 'https://demo.kf5.com/apiv2/users/886.json',
    email: 'ann@example.com',
    name: 'Ann Li',
    agent_display_name: 'Annie',
    role: 'agent',
    phone: '13800000000',
    language: 'zh_cn',
    status: 'active',
    groups_info: [
      { id: 165, name: 'Support', display_name: 'Support' },
      { id: 211, name: 'Sales', display_name: 'Sales' },
    ],
    custom_role_id: null,
    created_at: '2013-05-01 11:52:06',
    updated_at: '2013-05-02 08:00:00',
    signature: 'Best, Ann',
    ...over,
  });

describe('KF5 user → Agent', () => {
  it('leaves its input untouched unless the caller hands it over (owned): then the input is remoteData, credential keys dropped', () => {
    const input = { ...wireUser(), password: 'never-kept-1' } as ReturnType<typeof wireUser>;
    const before = structuredClone(input);
    const copied = agentFromWire(input).value.remoteData as Record<string, unknown>;
    expect(input).toEqual(before);
    expect(copied).not.toBe(input);
    expect(copied.password).toBeUndefined();
    const owned = agentFromWire(input, { owned: true }).value.remoteData as Record<string, unknown>;
    expect(owned).toBe(input);
    expect(owned.password).toBeUndefined();
    expect(owned).toEqual(copied);
  });

  it('maps every model field', () => {
    const { value, warnings } = agentFromWire(wireUser());
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({
      id: '886',
      vendor: 'kf5',
      email: 'ann@example.com',
      loginName: null,
      name: 'Ann Li',
      nickname: 'Annie',
      phone: '13800000000',
      status: 'active',
      channels: [],
      roleIds: ['agent'],
      groupIds: ['165', '211'],
      departmentIds: [],
      employeeNo: null,
      locale: 'zh-CN',
    });
    const remote = value.remoteData as Record<string, unknown>;
    expect(remote.signature).toBe('Best, Ann');
    expect(remote.created_at).toBe('2013-05-01 11:52:06');
    expect(remote.contactkit).toEqual({ createdAt: '2013-05-01T03:52:06.000Z', updatedAt: '2013-05-02T00:00:00.000Z', timezone: '+08:00' });
  });

  it('reads created_at in the configured timezone', () => {
    const { value } = agentFromWire(wireUser(), { timezone: 'Z' });
    expect((value.remoteData as { contactkit: { createdAt: string } }).contactkit.createdAt).toBe('2013-05-01T11:52:06.000Z');
    const minus = agentFromWire(wireUser(), { timezone: '-05:30' }).value;
    expect((minus.remoteData as { contactkit: { createdAt: string } }).contactkit.createdAt).toBe('2013-05-01T17:22:06.000Z');
  });

  it('suspended → disabled; unverified → active with a warning; unknown status → active with a warning', () => {
    expect(agentFromWire(wireUser({ status: 'suspended' })).value.status).toBe('disabled');
    const unverified = agentFromWire(wireUser({ status: 'unverified' }));
    expect(unverified.value.status).toBe('active');
    expect(unverified.warnings).toEqual([expect.objectContaining({ field: 'status', value: 'unverified' })]);
    const odd = agentFromWire(wireUser({ status: 'frozen' }));
    expect(odd.value.status).toBe('active');
    expect(odd.warnings[0]).toMatchObject({ field: 'status', value: 'frozen' });
  });

  it('roleIds = [role] plus custom:<n>', () => {
    expect(agentFromWire(wireUser({ role: 'admin', custom_role_id: 7 })).value.roleIds).toEqual(['admin', 'custom:7']);
  });

  it('absent optional fields become null or empty', () => {
    const u = Kf5UserSchema.parse({ id: '12', role: 'agent', email: 'x@example.com', name: 'X' });
    const { value, warnings } = agentFromWire(u);
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({ id: '12', nickname: null, phone: null, locale: null, groupIds: [], status: 'active' });
  });

  it('a numeric phone is read as text; an unreadable language and created_at are reported', () => {
    const { value, warnings } = agentFromWire(wireUser({ phone: 13800000000, language: '!!', created_at: 'yesterday' }));
    expect(value.phone).toBe('13800000000');
    expect(value.locale).toBeNull();
    expect(warnings.map((w) => w.field).sort()).toEqual(['locale', 'remoteData.contactkit.createdAt']);
  });

  it('never keeps a secret-looking field in remoteData', () => {
    const { value } = agentFromWire(wireUser({ password: 'hunter22' } as never));
    expect(JSON.stringify(value.remoteData)).not.toContain('hunter22');
  });
});

describe('Agent input → KF5 user', () => {
  it('create: maps the fields, role agent by default, password write-only', () => {
    const { value, warnings } = agentInputToWire({
      email: 'bo@example.com',
      name: ' Bo ',
      nickname: 'Bobo',
      phone: '139',
      locale: 'en-US',
      status: 'disabled',
      password: 'pa55word',
      channels: [],
      departmentIds: [],
    });
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      email: 'bo@example.com',
      name: 'Bo',
      agent_display_name: 'Bobo',
      phone: '139',
      language: 'en_us',
      status: 'suspended',
      password: 'pa55word',
      role: 'agent',
    });
  });

  it('create: admin and custom roles', () => {
    expect(agentInputToWire({ email: 'a@b.co', name: 'A', roleIds: ['agent', 'admin', 'custom:42'] }).value).toMatchObject({ role: 'admin', custom_role_id: 42 });
    expect(agentInputToWire({ email: 'a@b.co', name: 'A', roleIds: ['custom:3'] }).value).toMatchObject({ role: 'agent', custom_role_id: 3 });
  });

  it('update: only the fields given; roleIds replace role and custom role', () => {
    expect(agentPatchToWire({ phone: null }).value).toEqual({ phone: null });
    expect(agentPatchToWire({ roleIds: ['agent'] }).value).toEqual({ role: 'agent', custom_role_id: null });
    expect(agentPatchToWire({ status: 'active', locale: null }).value).toEqual({ status: 'active' });
  });

  it('reports what KF5 cannot carry: channels, employeeNo, departmentIds, loginName', () => {
    const { value, warnings } = agentInputToWire({
      email: 'c@example.com',
      name: 'C',
      channels: ['chat', 'voice'],
      employeeNo: 'E-7',
      departmentIds: ['3'],
      loginName: 'cee',
    });
    expect(warnings.map((w) => w.field)).toEqual(['channels', 'employeeNo', 'departmentIds', 'loginName']);
    expect(warnings[0]).toMatchObject({ value: ['chat', 'voice'] });
    expect(value).not.toHaveProperty('channels');
    expect(value).not.toHaveProperty('employeeNo');
  });

  it('vendorFields pass through', () => {
    expect(agentInputToWire({ email: 'd@example.com', name: 'D', vendorFields: { signature: 'sig', moderator: true } }).value).toMatchObject({
      signature: 'sig',
      moderator: true,
    });
  });
});

describe('locale', () => {
  it('zh_cn ⇄ zh-CN, en_us ⇄ en-US, generic underscore ⇄ hyphen', () => {
    expect(kf5LanguageToLocale('zh_cn').value).toBe('zh-CN');
    expect(kf5LanguageToLocale('en_us').value).toBe('en-US');
    expect(kf5LanguageToLocale('zh_hant_tw').value).toBe('zh-Hant-TW');
    expect(kf5LanguageToLocale('ja').value).toBe('ja');
    expect(kf5LanguageToLocale(null).value).toBeNull();
    expect(localeToKf5Language('zh-CN')).toBe('zh_cn');
    expect(localeToKf5Language('en-US')).toBe('en_us');
    expect(localeToKf5Language('zh-Hant-TW')).toBe('zh_hant_tw');
  });

  it('a language read again is read the same, and each result belongs to the caller', () => {
    const first = kf5LanguageToLocale('not a tag!');
    expect(first).toEqual({ value: null, warnings: [{ field: 'locale', message: expect.stringContaining('not a readable language tag'), value: 'not a tag!' }] });
    first.warnings[0]!.message = 'changed';
    first.warnings.push({ field: 'x', message: 'y' });
    expect(kf5LanguageToLocale('not a tag!')).toEqual({ value: null, warnings: [{ field: 'locale', message: expect.stringContaining('not a readable language tag'), value: 'not a tag!' }] });
    expect(kf5LanguageToLocale('zh_cn')).toEqual(kf5LanguageToLocale('zh_cn'));
  });

  it('round-trips language-region tags', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{2}$/), fc.stringMatching(/^[a-z]{2}$/), (lang, region) => {
        const wire = `${lang}_${region}`;
        const locale = kf5LanguageToLocale(wire).value;
        expect(locale).toBe(`${lang}-${region.toUpperCase()}`);
        expect(localeToKf5Language(locale!)).toBe(wire);
      }),
    );
  });
});

describe('time', () => {
  it('parses offsets and KF5 timestamps', () => {
    expect(parseTimezoneOffset('+08:00')).toBe(480);
    expect(parseTimezoneOffset('-0530')).toBe(-330);
    expect(parseTimezoneOffset('UTC')).toBe(0);
    expect(parseTimezoneOffset('Asia/Shanghai')).toBeUndefined();
    expect(parseKf5DateTime('2013-05-01 11:52:06')).toBe('2013-05-01T03:52:06.000Z');
    expect(parseKf5DateTime('2013-05-01T11:52:06+08:00')).toBe('2013-05-01T03:52:06.000Z');
    expect(parseKf5DateTime('2013-13-01 11:52:06')).toBeNull();
    expect(parseKf5DateTime('2013-05-01 11:52:0x')).toBeNull();
    expect(parseKf5DateTime('2013-05-01 11-52-06')).toBeNull();
    expect(parseKf5DateTime('2013-05-01T11:52:06')).toBe('2013-05-01T03:52:06.000Z');
    expect(parseKf5DateTime('  2013-05-01 11:52:06 ')).toBe('2013-05-01T03:52:06.000Z');
    expect(parseKf5DateTime(null)).toBeNull();
  });

  it('reads any timestamp in any offset as Date would (day, month, year and leap-day boundaries included)', () => {
    const reference = (v: string, offsetMinutes: number) => {
      const [, y, mo, d, h, mi, s] = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v)!.map(Number);
      return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offsetMinutes * 60_000).toISOString();
    };
    const two = (n: number) => String(n).padStart(2, '0');
    const zone = (m: number) => `${m < 0 ? '-' : '+'}${two(Math.floor(Math.abs(m) / 60))}:${two(Math.abs(m) % 60)}`;
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          const v = date.toISOString().slice(0, 19).replace('T', ' ');
          expect(parseKf5DateTime(v, zone(offset))).toBe(reference(v, offset));
        },
      ),
      { numRuns: 2000 },
    );
    for (const [v, tz, iso] of [
      ['2024-03-01 07:59:59', '+08:00', '2024-02-29T23:59:59.000Z'],
      ['2023-12-31 20:00:00', '-05:00', '2024-01-01T01:00:00.000Z'],
      ['1970-01-01 00:00:00', '+00:30', '1969-12-31T23:30:00.000Z'],
    ] as const) expect(parseKf5DateTime(v, tz)).toBe(iso);
  });
});

describe('roles', () => {
  it('fixed roles plus custom roles seen, sorted, deduplicated', () => {
    const roles = kf5Roles([12, '3', 12]);
    expect(roles.map((r) => [r.id, r.name])).toEqual([
      ['agent', 'Agent'],
      ['admin', 'Administrator'],
      ['custom:3', 'Custom role 3'],
      ['custom:12', 'Custom role 12'],
    ]);
    expect(roles.every((r) => r.vendor === 'kf5')).toBe(true);
  });

  it('roleFromWire: a base role and a custom role id → Role; parseKf5RoleId reads the id back', () => {
    const agent = roleFromWire({ kind: 'base', role: 'agent' });
    expect(agent).toEqual({ value: { id: 'agent', vendor: 'kf5', name: 'Agent', description: 'KF5 agent (客服)', remoteData: { role: 'agent' } }, warnings: [] });
    const custom = roleFromWire({ kind: 'custom', customRoleId: 42 }).value;
    expect(custom).toMatchObject({ id: 'custom:42', name: 'Custom role 42', remoteData: { custom_role_id: 42 } });
    for (const ref of [{ kind: 'base', role: 'admin' }, { kind: 'custom', customRoleId: 7 }] as const) {
      expect(parseKf5RoleId(roleFromWire(ref).value.id)).toEqual(ref);
    }
  });

  it('parses role ids', () => {
    expect(parseKf5RoleId('admin')).toEqual({ kind: 'base', role: 'admin' });
    expect(parseKf5RoleId('custom:9')).toEqual({ kind: 'custom', customRoleId: 9 });
    expect(parseKf5RoleId('end_user')).toBeUndefined();
    expect(parseKf5RoleId('custom:x')).toBeUndefined();
  });
});

describe('groups', () => {
  it('KF5 group → Group, members from agents; null when the reply carries none', () => {
    const g = groupFromWire({ id: 165, name: '支持组', created_at: '2013-05-01 11:52:06', agents: [{ id: 886, username: 'a@x.co', name: 'A' }, { id: '733' }] });
    expect(g.value).toMatchObject({ id: '165', vendor: 'kf5', name: '支持组', memberIds: ['886', '733'] });
    expect((g.value.remoteData as { contactkit: { createdAt: string } }).contactkit.createdAt).toBe('2013-05-01T03:52:06.000Z');
    expect(groupFromWire({ id: 1, name: 'x' }).value.memberIds).toBeNull();
  });

  it('create and patch bodies differ only where the README says: role defaults on create, custom_role_id cleared on a patch', () => {
    expect(agentInputToWire({ email: 'a@b.co', name: 'A' }).value).toEqual({ email: 'a@b.co', name: 'A', role: 'agent' });
    expect(agentPatchToWire({ name: 'A' }).value).toEqual({ name: 'A' });
    expect(agentInputToWire({ email: 'a@b.co', name: 'A', roleIds: ['agent'] }).value).not.toHaveProperty('custom_role_id');
    expect(agentPatchToWire({ roleIds: ['admin'] }).value).toEqual({ role: 'admin', custom_role_id: null });
    expect(groupPatchToWire({ name: ' G ' }).value).toEqual(groupInputToWire({ name: ' G ' }).value);
  });

  it('Group input → KF5 group: agents as integers', () => {
    expect(groupInputToWire({ name: ' Support ', memberIds: ['886', '733'] }).value).toEqual({ name: 'Support', agents: [886, 733] });
    expect(groupPatchToWire({ memberIds: [] }).value).toEqual({ agents: [] });
    expect(groupInputToWire({ name: 'x' }).value).toEqual({ name: 'x' });
  });
});
