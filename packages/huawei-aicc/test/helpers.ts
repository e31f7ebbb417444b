import nock from 'nock';
import { createHuaweiAiccClient, type HuaweiAiccClientOptions } from '../src';

export const BASE = 'https://aicc.example.com';
export const APP_KEY = 'app-key-0001';
export const APP_SECRET = 'app-secret-very-private-9f3';
export const TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';
export const API = '/apiaccess/rest/cc-management/v1';

export function client(extra: Partial<HuaweiAiccClientOptions> = {}) {
  return createHuaweiAiccClient({
    baseUrl: BASE,
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    retry: { minDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
}

export function tokenReply(token: string, opts: { createTime?: string | undefined; expires?: string } = {}) {
  const createTime = 'createTime' in opts ? opts.createTime : String(Math.floor(Date.now() / 1000));
  return {
    AccessToken: token,
    ApplyType: 'Bearer',
    ...(createTime === undefined ? {} : { CreateTime: createTime }),
    Expires: opts.expires ?? '600',
    Scope: 'default',
    AppKey: APP_KEY,
    UserID: 'Anonymous',
  };
}

/** A token endpoint that hands out tok-1, tok-2 … and counts its hits. */
export function tokenEndpoint(opts: { expires?: string; createTime?: () => string | undefined } = {}) {
  const state = { hits: 0, bodies: [] as unknown[], headers: [] as Record<string, unknown>[] };
  const scope = nock(BASE)
    .post(TOKEN_PATH)
    .times(1000)
    .reply(function (_uri, body) {
      state.hits++;
      state.bodies.push(body);
      state.headers.push({ ...this.req.headers });
      const createTime = opts.createTime ? opts.createTime() : String(Math.floor(Date.now() / 1000));
      return [200, tokenReply(`tok-${state.hits}`, { createTime, expires: opts.expires ?? '600' })];
    });
  return { state, scope };
}

export const ok = { resultCode: '0', resultMessage: 'success' };
export const skillOk = { returnCode: '0', description: 'success' };

export function wireAgent(userAccount: string, extra: Record<string, unknown> = {}) {
  return {
    userAccount,
    userName: 'Alice Liu',
    phone: '13800000000',
    email: `${userAccount}@example.com`,
    agentType: 5,
    ccRoleId: 2,
    sipAccount: '88880001',
    skills: [{ skillId: 3, agentWeight: 2, skillWeight: 1 }],
    workNo: 108,
    transparentDisplayFlag: false,
    ...extra,
  };
}

export function queryReply(agents: unknown[], total?: number) {
  return { resultCode: '0', resultMessage: 'get agent account info success', data: agents, total: total ?? agents.length };
}
