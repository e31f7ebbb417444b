/**
 * Property tests (fast-check) over the Udesk adapter's pure mappings and its input validation:
 * (a) model → wire → model round-trips on the lossless fields, and whatever does not come back is warned;
 * (b) any wire agent/group the wire schema accepts maps to a model object that passes core's schemas;
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
  UdeskAgentSchema,
  UdeskUserGroupSchema,
  agentFromWire,
  agentInputToWire,
  agentPatchToWire,
  createUdeskClient,
  groupFromWire,
  groupInputToWire,
  type UdeskAgent,
  type UdeskAgentWrite,
} from '@contactkit/udesk';

const RUNS = 150;

// ---------------------------------------------------------------------------------------------
// arbitraries

const emailArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9_+-]{0,15}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('com', 'cn', 'net', 'io'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const textArb = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const nameArb = textArb(40).filter((s) => s.trim().length > 0);
/** canonical Udesk ids (integers as strings, no leading zeros) */
const udeskIdArb = fc.integer({ min: 1, max: 2_000_000_000 }).map(String);
const idsArb = fc.array(udeskIdArb, { maxLength: 10 });
const channelArb = fc.constantFrom('chat', 'voice', 'video', 'ticket', 'outbound' as const);
const localeArb = fc.constantFrom('zh-CN', 'en-US', 'zh-cn', 'en-us', 'ja-JP', 'fr', 'zh-Hant-TW', 'de-DE');
const passwordArb = fc.stringMatching(/^[A-Za-z0-9!@#$%^&*-]{6,40}$/);

const agentInputArb: fc.Arbitrary<AgentInput> = fc
  .record(
    {
      email: emailArb,
      name: nameArb,
      password: passwordArb,
      loginName: fc.option(fc.stringMatching(/^[a-z0-9._-]{1,20}$/), { nil: null }),
      nickname: fc.option(textArb(30), { nil: null }),
      phone: fc.option(fc.stringMatching(/^\+?[0-9]{5,15}$/), { nil: null }),
      status: fc.constantFrom('active', 'disabled' as const),
      channels: fc.array(channelArb, { maxLength: 6 }),
      roleIds: idsArb,
      groupIds: idsArb,
      departmentIds: idsArb,
      employeeNo: fc.option(textArb(20), { nil: null }),
      locale: fc.option(localeArb, { nil: null }),
    },
    { requiredKeys: ['email', 'name', 'password'] },
  )
  .filter((i) => i.password!.toLowerCase() !== i.email.toLowerCase());

// ---------------------------------------------------------------------------------------------
// helpers

/** What Udesk would hand back for an agent written with `body` (get_agent / PUT reply shape). */
function echo(body: UdeskAgentWrite, id: number): UdeskAgent {
  const wire: Record<string, unknown> = { id, email: body.email ?? 'unchanged@example.com' };
  if (body.nick_name !== undefined) wire.nick_name = body.nick_name;
  if (body.aliase !== undefined) wire.aliase = body.aliase;
  if (body.cellphone !== undefined) wire.cellphone = body.cellphone;
  if (body.profile !== undefined) wire.profile = body.profile;
  if (body.work_id !== undefined) wire.work_id = body.work_id;
  if (body.lang !== undefined) wire.lang = body.lang;
  if (body.disable_status !== undefined) wire.disable_status = body.disable_status;
  if (body.user_group_ids !== undefined) wire.user_group_ids = body.user_group_ids;
  if (body.agent_role_ids !== undefined) wire.agent_roles = body.agent_role_ids.map((r) => ({ id: r, name: `role ${r}` }));
  if (body.department_ids !== undefined) wire.departments = body.department_ids.map((d) => ({ id: d, name: `dep ${d}` }));
  return UdeskAgentSchema.parse(wire);
}

const MODEL_FIELDS = ['email', 'name', 'loginName', 'nickname', 'phone', 'status', 'channels', 'roleIds', 'groupIds', 'departmentIds', 'employeeNo', 'locale'] as const;

function same(field: (typeof MODEL_FIELDS)[number], given: unknown, back: unknown): boolean {
  if (field === 'channels') {
    const a = new Set(given as string[]);
    const b = new Set(back as string[]);
    return a.size === b.size && [...a].every((c) => b.has(c));
  }
  if (field === 'locale' && typeof given === 'string' && typeof back === 'string') return given.toLowerCase() === back.toLowerCase();
  return JSON.stringify(given) === JSON.stringify(back);
}

/** The model fields given in `input` that do not come back equal in `back`. */
function lost(input: AgentPatch, back: Agent): string[] {
  return MODEL_FIELDS.filter((f) => input[f] !== undefined && !same(f, input[f], back[f]));
}

const warned = (warnings: MappingWarning[]) => new Set(warnings.map((w) => w.field.split('.')[0]!));


// ---------------------------------------------------------------------------------------------
// (a) round trips

describe('udesk mapping round-trips (model → wire → model)', () => {
  /** the README's lossless fields: they always come back as given */
  const LOSSLESS = ['email', 'name', 'nickname', 'phone', 'status', 'roleIds', 'groupIds', 'departmentIds', 'employeeNo'] as const;

  it('create: lossless fields come back equal; every other field that differs is in the warnings', () => {
    fc.assert(
      fc.property(agentInputArb, fc.integer({ min: 1, max: 1e9 }), (raw, id) => {
        const input = AgentInputSchema.parse(raw);
        const { value: body, warnings } = agentInputToWire(input);
        const back = agentFromWire(echo(body, id)).value;
        for (const f of LOSSLESS) if (input[f] !== undefined) expect(back[f], f).toEqual(input[f]);
        const missing = lost(input, back).filter((f) => !warned(warnings).has(f));
        expect(missing, `lost without a warning: ${missing.join(', ')}`).toEqual([]);
        expect(AgentSchema.safeParse(back).success).toBe(true);
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
          const back = agentFromWire(echo(body, 7)).value;
          for (const f of LOSSLESS) if (patch[f] !== undefined) expect(back[f], f).toEqual(patch[f]);
          const missing = lost(patch, back).filter((f) => !warned(warnings).has(f));
          expect(missing, `lost without a warning: ${missing.join(', ')}`).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('channels with an exact profile and zh-CN/en-US locales are lossless too (no warning)', () => {
    const exact = fc.constantFrom(['chat'], ['voice'], ['ticket'], ['outbound'], ['chat', 'voice', 'ticket', 'outbound'], ['outbound', 'ticket', 'voice', 'chat', 'chat']);
    fc.assert(
      fc.property(exact, fc.constantFrom('zh-CN', 'en-US', null), (channels, locale) => {
        const { value: body, warnings } = agentPatchToWire({ channels: [...channels] as Agent['channels'], locale });
        const back = agentFromWire(echo(body, 1)).value;
        expect(warnings).toEqual([]);
        expect(new Set(back.channels)).toEqual(new Set(channels));
        expect(back.locale).toBe(locale);
      }),
      { numRuns: 30 },
    );
  });

  it('groups: name and memberIds round-trip', () => {
    fc.assert(
      fc.property(nameArb, fc.array(udeskIdArb, { maxLength: 30 }), fc.integer({ min: 1, max: 1e9 }), (name, memberIds, id) => {
        const { value, warnings } = groupInputToWire({ name, memberIds });
        expect(warnings).toEqual([]);
        const back = groupFromWire(UdeskUserGroupSchema.parse({ id, name: value.name, agents: value.agent_ids!.map((a) => ({ id: a })) })).value;
        expect(back.name).toBe(name);
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
const wireIdArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const refArb = fc.record({ id: wireIdArb, name: nullish(fc.string()) });
/** names of Object.prototype members: lookups in plain-object tables hit them (bugs with their own it.fails tests) */
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype);
const notProto = (s: string) => !PROTO_KEYS.includes(s) && !PROTO_KEYS.includes(s.toLowerCase());
const anyText = fc.string({ unit: 'grapheme', maxLength: 20 }).filter(notProto);

const wireAgentArb = fc.record(
  {
    id: wireIdArb,
    email: fc.string(),
    nick_name: nullish(anyText),
    profile: nullish(fc.oneof(fc.constantFrom('all', 'im', 'call', 'ticket', 'dial'), anyText)),
    aliase: nullish(anyText),
    cellphone: nullish(anyText),
    role_name: nullish(fc.oneof(fc.constantFrom('客服', '管理员', '客服,管理员'), anyText)),
    im_ability_value: nullish(fc.integer()),
    user_group_ids: nullish(fc.array(wireIdArb, { maxLength: 5 })),
    number: nullish(fc.string()),
    password: nullish(fc.string()),
    work_id: nullish(anyText),
    departments: nullish(fc.oneof(fc.array(refArb, { maxLength: 4 }), refArb)),
    disable_status: nullish(fc.oneof(fc.constantFrom('enable', 'disable'), anyText)),
    availability: nullish(fc.oneof(fc.boolean(), fc.string())),
    lang: nullish(fc.oneof(fc.constantFrom('zh-cn', 'en-us', 'ja-jp', 'zh_TW', 'EN-us'), anyText)),
    user_groups: nullish(fc.array(refArb, { maxLength: 4 })),
    agent_roles: nullish(fc.array(refArb, { maxLength: 4 })),
    extra_field: fc.anything(),
  },
  { requiredKeys: ['id', 'email'] },
);

describe('udesk wire → model: anything the wire schema accepts gives a valid model object', () => {
  it('agents pass AgentSchema, with string ids, no undefined field and no SIP credentials in remoteData', () => {
    fc.assert(
      fc.property(wireAgentArb, (raw) => {
        const wire = UdeskAgentSchema.parse(raw);
        const { value } = agentFromWire(wire);
        const parsed = AgentSchema.safeParse(value);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        expect(undefinedKeys(value)).toEqual([]);
        expect(typeof value.id).toBe('string');
        for (const ids of [value.roleIds, value.groupIds, value.departmentIds]) for (const id of ids) expect(typeof id).toBe('string');
        const remote = value.remoteData as Record<string, unknown>;
        expect('password' in remote || 'number' in remote).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  // Was a bug, fixed (udesk langToLocale): a `lang` outside the table is "carried over as a BCP 47 tag" without
  // checking that the result is one: lang "zh cn" → locale "zh cn", lang "_" → "-". Such an agent then
  // fails AgentInputSchema (LocaleSchema) when it is migrated to another vendor. KF5 checks its result.
  it('every locale read from Udesk is null or a BCP 47 tag (LocaleSchema)', () => {
    fc.assert(
      fc.property(wireAgentArb, (raw) => {
        const { value } = agentFromWire(UdeskAgentSchema.parse(raw));
        expect(value.locale === null || LocaleSchema.safeParse(value.locale).success, String(value.locale)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  // Was a bug, fixed (udesk mapping.ts): PROFILE_CHANNELS[profile] and LANG_TO_LOCALE[lang] are plain-object lookups, so a
  // reply with profile "toString"/"constructor"/"valueOf"… crashes agentFromWire with a TypeError
  // ("channels is not iterable") — agents.list throws a TypeError for the whole page — and lang
  // "constructor" gives `locale` = the Object function. Fix: look up with Object.hasOwn (or a Map).
  it('profile or lang named like an Object.prototype member maps without a crash to a valid Agent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTO_KEYS), fc.constantFrom('profile', 'lang'), (key, field) => {
        const { value } = agentFromWire(UdeskAgentSchema.parse({ id: 1, email: 'a@b.cn', [field]: key }));
        expect(AgentSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('user groups pass GroupSchema', () => {
    const groupArb = fc.record(
      { id: wireIdArb, name: fc.string(), agents: nullish(fc.array(fc.record({ id: wireIdArb, nick_name: nullish(anyText) }), { maxLength: 6 })), x: fc.anything() },
      { requiredKeys: ['id', 'name'] },
    );
    fc.assert(
      fc.property(groupArb, (raw) => {
        const group = groupFromWire(UdeskUserGroupSchema.parse(raw)).value;
        expect(GroupSchema.safeParse(group).success).toBe(true);
        expect(undefinedKeys(group)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (c) bad inputs never leave the process

describe('udesk: random bad inputs give a ValidationError naming the field, and send nothing', () => {
  let attempts = 0;
  const client = createUdeskClient({
    baseUrl: 'https://demo.udesk.cn/open_api_v1',
    email: 'admin@udesk.cn',
    apiToken: 'property-token',
    rateLimit: false,
    retry: false,
    hooks: { beforeRequest: () => void attempts++ },
  });
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  const long = 'x'.repeat(256);
  /** [field, bad value] pairs: each one alone makes an otherwise valid input invalid */
  const badAgentField = fc.oneof(
    fc.tuple(fc.constant('email'), fc.constantFrom('', 'x', 'a@', '@b.com', 'a b@c.com', `${'a'.repeat(250)}@x.com`, 42, null)),
    fc.tuple(fc.constant('name'), fc.constantFrom('', '   ', 7, null, long, ['a'])),
    fc.tuple(fc.constant('password'), fc.constantFrom('', '12345', long, 123456)),
    fc.tuple(fc.constant('nickname'), fc.constantFrom(long, 5, {})),
    fc.tuple(fc.constant('phone'), fc.constantFrom(long, 13800000000)),
    fc.tuple(fc.constant('employeeNo'), fc.constantFrom(long, 7)),
    fc.tuple(fc.constant('status'), fc.constantFrom('gone', 'enabled', 1, null)),
    fc.tuple(fc.constant('channels'), fc.constantFrom(['fax'], 'chat', [1], null)),
    fc.tuple(fc.constantFrom('roleIds', 'groupIds', 'departmentIds'), fc.oneof(
      fc.constantFrom(['abc'], [''], ['1.5'], ['-1'], ['1e3'], '1', [1], null),
      fc.array(udeskIdArb, { minLength: 11, maxLength: 14 }),
      fc.array(fc.string().filter((s) => !/^\d{1,15}$/.test(s)), { minLength: 1, maxLength: 3 }),
    )),
    fc.tuple(fc.constant('locale'), fc.constantFrom('zh_CN', 'ZH', 'english', '', 5)),
    fc.tuple(fc.constant('loginName'), fc.constantFrom('', 5)),
    fc.tuple(fc.constant('vendorFields'), fc.constantFrom({ unknown_key: 1 }, { im_ability_value: 'x' }, { availability: 'yes' }, { duty: long }, { callout_number_id: -1 }, 'x')),
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
    const patchBad = badAgentField.filter(([f, v]) => !(f === 'password' && v === undefined));
    await fc.assert(
      fc.asyncProperty(fc.oneof(patchBad.map((b) => ['7', b] as const), fc.constantFrom('', 'abc', '1.5', '-3', ' 7', '1234567890123456').map((id) => [id, null] as const)), async ([id, bad]) => {
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
      fc.tuple(fc.constant('name'), fc.constantFrom('', '  ', long, 5, null)),
      fc.tuple(fc.constant('memberIds'), fc.oneof(fc.constantFrom(['x'], [''], ['1.5'], 'abc', [3]), fc.array(fc.string().filter((s) => !/^\d{1,15}$/.test(s)), { minLength: 1, maxLength: 4 }))),
      fc.tuple(fc.constant('vendorFields'), fc.constantFrom({ a: 1 }, { agent_ids: [1] }, 'x')),
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

  // Was a bug, fixed (udesk client.ts checkAgentVendorFields): VENDOR_FIELD_CHECKS[key] is a plain-object lookup, so
  // vendorFields { constructor: 1 } (or toString, valueOf, hasOwnProperty…) finds Object.prototype's member
  // and throws "TypeError: check[0] is not a function" instead of a ValidationError naming
  // vendorFields.constructor. Fix: `Object.hasOwn(VENDOR_FIELD_CHECKS, key) ? VENDOR_FIELD_CHECKS[key] : undefined`.
  it('a vendorFields key named like an Object.prototype member is a ValidationError, not a TypeError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTO_KEYS.filter((k) => k !== '__proto__')), async (key) => {
        const e = await rejected(client.agents.create({ ...validAgent, vendorFields: { [key]: 1 } }));
        expect(namesField(e, `vendorFields.${key}`)).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('no request was attempted in any of the above', () => {
    expect(attempts).toBe(0);
    expect(client.stats().attempts).toBe(0);
  });
});
