import nock from 'nock';
import { createUdeskClient, type UdeskClientOptions } from '@contactkit/udesk';

export const ORIGIN = 'https://demo.udesk.cn';
export const BASE = '/open_api_v1';
export const EMAIL = 'admin@udesk.cn';
export const TOKEN = '00000000-1111-2222-3333-444444444444';
export const PASSWORD = 'Adm1n-Secret-Pass';

export type Query = Record<string, string>;

/** The create defaults of the test client (Udesk requires the three id arrays, non-empty). */
export const DEFAULTS = { roleIds: ['11'], groupIds: ['21'], departmentIds: ['31'] };

/** A client on the fake origin: no limiter, fast retries, create defaults configured. */
export function client(overrides: Partial<UdeskClientOptions> = {}) {
  return createUdeskClient({
    subdomain: 'demo',
    email: EMAIL,
    apiToken: TOKEN,
    defaults: DEFAULTS,
    rateLimit: false,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  } as UdeskClientOptions);
}

export function api() {
  return nock(ORIGIN);
}

/** A nock query matcher that records every query it sees and accepts it. */
export function recordQuery(into: Query[], extra?: Query) {
  return (q: Record<string, unknown>) => {
    into.push(q as Query);
    if (!extra) return true;
    return Object.entries(extra).every(([k, v]) => q[k] === v);
  };
}

/** A wire agent as the list returns it (SIP credentials included, as Udesk sends them). */
export function wireAgent(overrides: Record<string, unknown> = {}) {
  return {
    id: 1,
    email: 'agent1@sample.com',
    nick_name: 'Test Customer Service 1',
    profile: 'im',
    aliase: null,
    cellphone: '13300000001',
    role_name: 'agent',
    duty: null,
    im_ability_value: 10,
    user_group_ids: [1, 2],
    number: '100000000',
    password: 'sip-secret-8f2a1c',
    avatar: null,
    work_id: '',
    departments: [{ id: 1, name: 'demo' }],
    agent_callout_display_number: '10000000000',
    disable_status: 'enable',
    availability: true,
    im_welcomes: null,
    lang: null,
    ...overrides,
  };
}

/** A wire agent as get_agent / PUT return it. */
export function wireAgentDetail(overrides: Record<string, unknown> = {}) {
  return wireAgent({
    lang: 'zh-cn',
    work_id: '123',
    user_groups: [{ id: 1, name: 'Test Group' }, { id: 2, name: 'G2' }],
    agent_roles: [{ id: 11, name: 'Customer Service' }],
    ...overrides,
  });
}
