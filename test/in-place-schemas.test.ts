/**
 * The agent item schemas the three adapters check in place (core's inPlace): each compiles to a
 * fast check (so a listed page does not fall back to zod item by item), that check accepts an item
 * as the vendor sends it, and it never accepts an item zod rejects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCheck } from '@contactkit/core';
import { AgentQueryReplySchema, WireAgentSchema } from '@contactkit/huawei-aicc';
import { Kf5UserListReplySchema, Kf5UserSchema } from '@contactkit/kf5';
import { UdeskAgentListReplySchema, UdeskAgentSchema } from '@contactkit/udesk';

const cases = [
  // KF5 apiv2 GET /users.json item, as the docs list its fields
  ['kf5 user', Kf5UserSchema, { id: 1001, url: 'https://x.kf5.com/apiv2/users/1001.json', email: 'gang.ma@example.cn', name: '马刚', remark_name: null, agent_display_name: null, role: 'agent', phone: '16056448466', language: 'zh_cn', created_at: '2026-12-08 03:27:57', updated_at: '2026-12-08 03:27:57', status: 'active', groups_info: [{ id: 3, name: 'A' }], custom_role_id: null, photo: null, tags: [] }],
  // Udesk GET /agents item
  ['udesk agent', UdeskAgentSchema, { id: 11, email: 'a@x.cn', nick_name: '张三', profile: 'all', aliase: null, cellphone: '13800000000', role_name: 'agent', user_group_ids: [1, 2], work_id: 'A1', departments: [{ id: 4, name: 'D' }], disable_status: 'enable', availability: true, lang: 'zh-cn', number: '8001', password: 'sip' }],
  // Huawei agentAccount/query data item
  ['huawei account', WireAgentSchema, { userAccount: 'gang.ma', userName: '马刚', phone: '16056448466', email: 'gang.ma@example.cn', agentType: 99, ccRoleId: 2, sipAccount: '88000101', skills: [{ skillId: 3, agentWeight: 1, skillWeight: '2' }], workNo: 101, transparentDisplayFlag: false }],
] as const;

const anyValue = fc.oneof(fc.constantFrom('', '1', 'x', 0, -1, 1.5, Number.NaN, Infinity, true, null, undefined, [], [{}], [{ id: 'x' }], {}), fc.anything());

describe.each(cases)('%s', (_, schema, item) => {
  // the loose schema: it accepts and rejects as its declared fields do (inPlace compiles those)
  const check = compileCheck(schema);

  it('compiles to a fast check that accepts the item as sent', () => {
    expect(check).toBeDefined();
    expect(check!(item)).toBe(true);
  });

  it('never accepts an item zod rejects (one or two fields changed or removed)', () => {
    const keys = Object.keys(schema.shape);
    const changes = fc.array(fc.tuple(fc.constantFrom(...keys), fc.option(anyValue, { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(changes, (edits) => {
        const candidate: Record<string, unknown> = { ...item };
        for (const [key, value, remove] of edits) {
          if (remove) delete candidate[key];
          else candidate[key] = value;
        }
        if (check!(candidate)) expect(schema.safeParse(candidate).success).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('the list replies are passed on as sent, and a bad item is named by its path', () => {
  const replies = [
    ['kf5', Kf5UserListReplySchema, (items: unknown[]) => ({ users: items, count: items.length, next_page: null, previous_page: null }), 'users'],
    ['udesk', UdeskAgentListReplySchema, (items: unknown[]) => ({ code: 1000, meta: { current_page: 1, total_pages: 1, total_count: items.length }, agents: items }), 'agents'],
    ['huawei', AgentQueryReplySchema, (items: unknown[]) => ({ resultCode: '0', resultMessage: 'ok', data: items, total: items.length }), 'data'],
  ] as const;
  it.each(replies.map((r, i) => [r[0], r, cases[i]![2]] as const))('%s', (_, [, schema, reply, key], item) => {
    const page = reply([item, { ...item }, { ...item }]);
    expect(schema.parse(page)).toBe(page);
    const first = Object.keys(item)[0]!;
    const bad = reply([item, { ...item, [first]: [] }, item]);
    const result = schema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(new Set(result.error!.issues.map((i) => i.path.join('.')))).toEqual(new Set([`${key}.1.${first}`]));
  });
});
