/**
 * Property tests (fast-check) over the KF5 adapter's pure mappings and its input validation:
 * (a) model → wire → model round-trips on the lossless fields, and whatever does not come back is warned;
 * (b) any wire user/group the wire schema accepts maps to a model object that passes core's schemas;
 * (c) random bad inputs never send a request and always give a ValidationError naming a field.
 */
import fc from 'fast-check';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertRandomObjectsRejected, namesField, rejected, undefinedKeys } from '../../../test/support/validation';
import {
  AgentInputSchema,
  AgentPatchSchema,
  AgentSchema,
  GroupSchema,
  LocaleSchema,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type MappingWarning,
} from '@contactkit/core';
import {
  Kf5GroupSchema,
  Kf5UserSchema,
  agentInputToWire,
  agentPatchToWire,
  createKf5Client,
  groupInputToWire,
  isKf5AgentRole,
  groupFromWire,
  agentFromWire,
  parseKf5RoleId,
  type Kf5User,
  type Kf5UserWrite,
} from '@contactkit/kf5';

const RUNS = 150;

// ---------------------------------------------------------------------------------------------
// arbitraries

const emailArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9_+-]{0,15}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('com', 'cn', 'net', 'io'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const textArb = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const nameArb = textArb(40).filter((s) => s.trim().length > 0);
const kf5IdArb = fc.integer({ min: 1, max: 2_000_000_000 }).map(String);
const channelArb = fc.constantFrom('chat', 'voice', 'video', 'ticket', 'outbound' as const);
/** BCP 47 tags as KF5 writes them back (language lower, region upper, script title) */
const localeArb = fc.constantFrom('zh-CN', 'en-US', 'zh-TW', 'ja-JP', 'fr', 'zh-Hant-TW', 'de-DE', 'es-419');
/** KF5 roles: one base role, at most one custom role */
const roleIdsArb = fc
  .tuple(fc.subarray(['agent', 'admin']), fc.option(fc.integer({ min: 1, max: 99999 }), { nil: undefined }))
  .chain(([base, custom]) => fc.shuffledSubarray([...base, ...(custom === undefined ? [] : [`custom:${custom}`])], { minLength: 0 }));

const agentInputArb: fc.Arbitrary<AgentInput> = fc.record(
  {
    email: emailArb,
    name: nameArb,
    password: fc.stringMatching(/^[A-Za-z0-9!@#$%^&*-]{6,40}$/),
    loginName: fc.option(fc.stringMatching(/^[a-z0-9._-]{1,20}$/), { nil: null }),
    nickname: fc.option(textArb(30), { nil: null }),
    phone: fc.option(fc.stringMatching(/^\+?[0-9]{5,15}$/), { nil: null }),
    status: fc.constantFrom('active', 'disabled' as const),
    channels: fc.array(channelArb, { maxLength: 4 }),
    roleIds: roleIdsArb,
    groupIds: fc.uniqueArray(kf5IdArb, { maxLength: 6 }),
    departmentIds: fc.array(kf5IdArb, { maxLength: 3 }),
    employeeNo: fc.option(textArb(20), { nil: null }),
    locale: fc.option(localeArb, { nil: null }),
  },
  { requiredKeys: ['email', 'name'] },
);

// ---------------------------------------------------------------------------------------------
// helpers

/** What KF5 would hand back for a user written with `body`; groups_info as the client writes them through the groups. */
function echo(body: Kf5UserWrite, id: number, groupIds: readonly string[] | undefined): Kf5User {
  const wire: Record<string, unknown> = { id, email: body.email ?? 'unchanged@example.com', role: body.role ?? 'agent' };
  if (body.name !== undefined) wire.name = body.name;
  if (body.agent_display_name !== undefined) wire.agent_display_name = body.agent_display_name;
  if (body.phone !== undefined) wire.phone = body.phone;
  if (body.language !== undefined) wire.language = body.language;
  wire.status = body.status ?? 'active';
  if (body.custom_role_id !== undefined) wire.custom_role_id = body.custom_role_id;
  if (groupIds !== undefined) wire.groups_info = groupIds.map((g) => ({ id: Number(g), name: `g${g}` }));
  return Kf5UserSchema.parse(wire);
}

/** KF5 holds one base role (admin wins over agent, agent by default) plus at most one custom role. */
function canonicalRoles(roleIds: readonly string[]): string[] {
  const custom = roleIds.filter((r) => parseKf5RoleId(r)?.kind === 'custom');
  return [roleIds.includes('admin') ? 'admin' : 'agent', ...custom];
}

const MODEL_FIELDS = ['email', 'name', 'loginName', 'nickname', 'phone', 'status', 'channels', 'roleIds', 'groupIds', 'departmentIds', 'employeeNo', 'locale'] as const;

function same(field: (typeof MODEL_FIELDS)[number], given: unknown, back: unknown): boolean {
  if (field === 'channels' || field === 'departmentIds') return JSON.stringify([...new Set(given as string[])].sort()) === JSON.stringify([...new Set(back as string[])].sort());
  if (field === 'roleIds') return JSON.stringify(canonicalRoles(given as string[])) === JSON.stringify(back);
  if (field === 'locale' && typeof given === 'string' && typeof back === 'string') return given.toLowerCase() === back.toLowerCase();
  // KF5 reads "" as null (text fields): the same "no value"
  if ((given === '' || given === null) && (back === '' || back === null)) return true;
  return JSON.stringify(given) === JSON.stringify(back);
}

function lost(input: AgentPatch, back: Agent): string[] {
  return MODEL_FIELDS.filter((f) => input[f] !== undefined && !same(f, input[f], back[f]));
}

const warned = (warnings: MappingWarning[]) => new Set(warnings.map((w) => w.field.split('.')[0]!));

// ---------------------------------------------------------------------------------------------
// (a) round trips

describe('kf5 mapping round-trips (model → wire → model)', () => {
  /** the README's lossless fields (roleIds in KF5's canonical form, locale case-insensitively) */
  const LOSSLESS = ['email', 'name', 'nickname', 'phone', 'status', 'groupIds'] as const;

  it('create: lossless fields come back equal; every other field that differs is in the warnings', () => {
    fc.assert(
      fc.property(agentInputArb, fc.integer({ min: 1, max: 1e9 }), (raw, id) => {
        const input = AgentInputSchema.parse(raw);
        const { value: body, warnings } = agentInputToWire(input);
        const back = agentFromWire(echo(body, id, input.groupIds)).value;
        for (const f of LOSSLESS) if (input[f] !== undefined) expect(back[f], f).toEqual(input[f]);
        expect(back.roleIds).toEqual(canonicalRoles(input.roleIds ?? []));
        if (input.locale) expect(back.locale?.toLowerCase()).toBe(input.locale.toLowerCase());
        const missing = lost(input, back).filter((f) => !warned(warnings).has(f));
        expect(missing, `lost without a warning: ${missing.join(', ')}`).toEqual([]);
        expect(AgentSchema.safeParse(back).success).toBe(true);
        expect('password' in (back.remoteData as object)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('update (any subset of fields): the same holds for a patch', () => {
    fc.assert(
      fc.property(
        agentInputArb.chain((full) => fc.subarray(Object.keys(full)).map((keys) => Object.fromEntries(keys.map((k) => [k, full[k as keyof AgentInput]])) as AgentPatch)),
        (raw) => {
          const patch = AgentPatchSchema.parse(raw);
          const { value: body, warnings } = agentPatchToWire(patch);
          const back = agentFromWire(echo(body, 3, patch.groupIds)).value;
          for (const f of LOSSLESS) if (patch[f] !== undefined) expect(back[f], f).toEqual(patch[f]);
          const missing = lost(patch, back).filter((f) => !warned(warnings).has(f));
          expect(missing, `lost without a warning: ${missing.join(', ')}`).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('groups: name (trimmed) and memberIds round-trip', () => {
    fc.assert(
      fc.property(nameArb, fc.array(kf5IdArb, { maxLength: 30 }), fc.integer({ min: 1, max: 1e9 }), (name, memberIds, id) => {
        const { value, warnings } = groupInputToWire({ name, memberIds });
        expect(warnings).toEqual([]);
        const back = groupFromWire(Kf5GroupSchema.parse({ id, name: value.name, agents: value.agents!.map((a) => ({ id: a })) })).value;
        expect(back.name).toBe(name.trim());
        expect(back.memberIds).toEqual(memberIds);
        expect(GroupSchema.safeParse(back).success).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (b) any wire object the schema accepts maps to a valid model object

const nullish = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const wireIdArb = fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.stringMatching(/^\d{1,18}$/));
const anyText = fc.string({ unit: 'grapheme', maxLength: 20 });

const wireUserArb = fc.record(
  {
    id: wireIdArb,
    url: nullish(fc.string()),
    email: nullish(fc.oneof(emailArb, fc.string())),
    name: nullish(anyText),
    agent_display_name: nullish(anyText),
    role: fc.constantFrom('agent', 'admin'),
    phone: nullish(fc.oneof(anyText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))), // JSON has no NaN/Infinity
    language: nullish(fc.oneof(fc.constantFrom('zh_cn', 'en_us', 'zh_hant_tw', 'ja', 'EN-us'), anyText)),
    status: nullish(fc.oneof(fc.constantFrom('active', 'suspended', 'unverified'), anyText)),
    groups_info: nullish(fc.array(fc.record({ id: wireIdArb, name: nullish(fc.string()) }), { maxLength: 4 })),
    custom_role_id: nullish(wireIdArb),
    created_at: nullish(fc.oneof(fc.constantFrom('2013-05-01 11:52:06', '2024-13-40 99:99:99', '2024-01-01T00:00:00Z'), anyText)),
    updated_at: nullish(anyText),
    password: nullish(fc.string()),
    token: nullish(fc.string()),
    extra_field: fc.anything(),
  },
  { requiredKeys: ['id', 'role'] },
);

describe('kf5 wire → model: anything the wire schema accepts gives a valid model object', () => {
  it('agent/admin users pass AgentSchema, with string ids, no undefined field, a BCP 47 locale and no credential in remoteData', () => {
    fc.assert(
      fc.property(wireUserArb, fc.constantFrom(undefined, '+08:00', 'Z', '-05:30'), (raw, timezone) => {
        const wire = Kf5UserSchema.parse(raw);
        const { value } = agentFromWire(wire, { timezone });
        const parsed = AgentSchema.safeParse(value);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        expect(undefinedKeys(value)).toEqual([]);
        expect(value.locale === null || LocaleSchema.safeParse(value.locale).success).toBe(true);
        const remote = value.remoteData as Record<string, unknown>;
        expect('password' in remote || 'token' in remote).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('the client only maps agent/admin users: any other role is filtered before mapping', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom('end_user', '', 'Agent', 'owner'), fc.string()), (role) => {
        expect(isKf5AgentRole(role)).toBe(role === 'agent' || role === 'admin');
      }),
      { numRuns: 50 },
    );
  });

  it('groups pass GroupSchema', () => {
    const groupArb = fc.record(
      {
        id: wireIdArb,
        name: fc.string(),
        created_at: nullish(anyText),
        agents: nullish(fc.array(fc.record({ id: wireIdArb, username: nullish(fc.string()) }), { maxLength: 6 })),
        x: fc.anything(),
      },
      { requiredKeys: ['id', 'name'] },
    );
    fc.assert(
      fc.property(groupArb, (raw) => {
        const group = groupFromWire(Kf5GroupSchema.parse(raw)).value;
        expect(GroupSchema.safeParse(group).success).toBe(true);
        expect(undefinedKeys(group)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (c) bad inputs never leave the process

describe('kf5: random bad inputs give a ValidationError naming the field, and send nothing', () => {
  let attempts = 0;
  const client = createKf5Client({
    baseUrl: 'https://demo.kf5.com/apiv2',
    email: 'admin@example.com',
    apiToken: 'property-token',
    retry: false,
    hooks: { beforeRequest: () => void attempts++ },
  });
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  const badAgentField = fc.oneof(
    fc.tuple(fc.constant('email'), fc.constantFrom('', 'x', 'a@', '@b.com', 'a b@c.com', `${'a'.repeat(250)}@x.com`, 42, null)),
    fc.tuple(fc.constant('name'), fc.constantFrom('', '   ', 7, null, ['a'])),
    fc.tuple(fc.constant('password'), fc.constantFrom('', 123456, null)),
    fc.tuple(fc.constant('nickname'), fc.constantFrom(5, {})),
    fc.tuple(fc.constant('phone'), fc.constantFrom(13800000000, [])),
    fc.tuple(fc.constant('status'), fc.constantFrom('gone', 'suspended', 1, null)),
    fc.tuple(fc.constant('channels'), fc.constantFrom(['fax'], 'chat', [1])),
    fc.tuple(fc.constant('roleIds'), fc.oneof(
      fc.constantFrom(['supervisor'], [''], ['custom:'], ['custom:x'], ['custom:1', 'custom:2'], ['Admin'], 'admin'),
      fc.array(fc.string().filter((s) => !parseKf5RoleId(s)), { minLength: 1, maxLength: 3 }),
    )),
    fc.tuple(fc.constant('groupIds'), fc.oneof(
      fc.constantFrom(['abc'], [''], ['1.5'], ['-1'], [1], '1'),
      fc.array(fc.string().filter((s) => !/^\d{1,15}$/.test(s)), { minLength: 1, maxLength: 3 }),
    )),
    fc.tuple(fc.constant('locale'), fc.constantFrom('zh_CN', 'ZH', 'english', '', 5)),
    fc.tuple(fc.constant('vendorFields'), fc.constantFrom({ foo: 1 }, { moderator: 'yes' }, { mark_star: 2 }, { tags: 'a' }, { ticket_restriction: 'none' }, { organization_id: 'x' }, 'x')),
  );
  const validAgent = { email: 'ok.agent@example.com', name: 'Ok Agent', password: 'Good-pass-1' };


  it('agents.create', async () => {
    await fc.assert(
      fc.asyncProperty(badAgentField, async ([field, value]) => {
        const before = attempts;
        const e = await rejected(client.agents.create({ ...validAgent, [field]: value } as AgentInput));
        expect(namesField(e, field), `${field}: ${JSON.stringify(e.issues)}`).toBe(true);
        expect(attempts).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('agents.create with random objects', async () => {
    await assertRandomObjectsRejected((input) => client.agents.create(input as AgentInput), () => attempts);
  });

  it('agents.update (bad field or bad id)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(badAgentField.map((b) => ['7', b] as const), fc.constantFrom('', 'abc', '1.5', '-3', ' 7', '1234567890123456', '../7').map((id) => [id, null] as const)), async ([id, bad]) => {
        const before = attempts;
        const patch = bad ? ({ [bad[0]]: bad[1] } as AgentPatch) : { name: 'New Name' };
        const e = await rejected(client.agents.update(id, patch));
        expect(namesField(e, bad ? bad[0] : 'id'), JSON.stringify(e.issues)).toBe(true);
        expect(attempts).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('groups.create', async () => {
    const badGroup = fc.oneof(
      fc.tuple(fc.constant('name'), fc.constantFrom('', '  ', 5, null)),
      fc.tuple(fc.constant('memberIds'), fc.oneof(fc.constantFrom(['x'], [''], ['1.5'], 'abc', [3]), fc.array(fc.string().filter((s) => !/^\d{1,15}$/.test(s)), { minLength: 1, maxLength: 4 }))),
      fc.tuple(fc.constant('vendorFields'), fc.constantFrom({ a: 1 }, { agents: [1] }, 'x')),
    );
    await fc.assert(
      fc.asyncProperty(badGroup, async ([field, value]) => {
        const before = attempts;
        const e = await rejected(client.groups.create({ name: 'Support', memberIds: ['1'], [field]: value } as never));
        expect(namesField(e, field), JSON.stringify(e.issues)).toBe(true);
        expect(attempts).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('no request was attempted in any of the above', () => {
    expect(attempts).toBe(0);
    expect(client.stats().attempts).toBe(0);
  });
});
