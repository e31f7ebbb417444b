import { simulatorHandle } from '../handle';
import { SimServer, type RouteDef, type VendorProfile } from '../server';
import { DEFAULT_CREDENTIALS, HuaweiTokens, tokenRoute } from './auth';
import { gwError } from './replies';
import { HUAWEI_API_PREFIX, huaweiRoutes, type HuaweiRouteContext } from './routes';
import { HuaweiStore, huaweiState } from './store';
import type { HuaweiAiccCredentials, HuaweiAiccSimulator, HuaweiAiccSimulatorOptions, HuaweiAiccState } from './types';

export { HUAWEI_TOKEN_PATH } from './auth';
export { HUAWEI_API_PREFIX } from './routes';
export { huaweiCheckPassword, huaweiMediaFits } from './rules';
export type * from './types';

function huaweiProfile(routes: RouteDef[], tokens: HuaweiTokens): VendorProfile {
  return {
    apiPrefix: HUAWEI_API_PREFIX,
    caseInsensitivePaths: true,
    routes,
    authenticate: (req) => tokens.authenticate(req),
    notFound: () => gwError(404, 'APIGW.0404', 'The API does not exist or has not been published'),
    badRequest: (message) => gwError(400, 'APIGW.0400', message),
    tooManyRequests: () => gwError(429, 'APIGW.0308', 'The throttling threshold has been reached'),
    serverError: (status) => gwError(status, 'APIGW.0500', 'Internal server error'),
    malformedBody: '{"resultCode":"0","resultMessage":"get agent account info success","data":[{"userAccount":"',
  };
}

function routeContext(store: HuaweiStore, opts: HuaweiAiccSimulatorOptions): HuaweiRouteContext {
  return {
    store,
    bodyForm: opts.bodyForm ?? 'flat',
    passwordLength: opts.passwordLength ?? 'exactly-8',
    pageCap: opts.pageCap ?? Infinity,
  };
}

/** The business server; tokenByAkSk is served here too unless `tokenOrigin: 'separate'`. */
function businessServer(store: HuaweiStore, tokens: HuaweiTokens, opts: HuaweiAiccSimulatorOptions): SimServer {
  const routes = huaweiRoutes(routeContext(store, opts));
  const separate = opts.tokenOrigin === 'separate';
  const server = new SimServer((s) => huaweiProfile(separate ? routes : [tokenRoute(tokens, s.extra), ...routes], tokens), opts);
  server.extra.tokenRequests = 0;
  return server;
}

/** The auth module on its own origin (AICC's :28070): faults and rate limits stay on the business one. */
async function separateTokenServer(business: SimServer, tokens: HuaweiTokens, opts: HuaweiAiccSimulatorOptions): Promise<SimServer> {
  const server = new SimServer(huaweiProfile([tokenRoute(tokens, business.extra)], tokens), { now: opts.now });
  await server.listen(opts.host ?? '127.0.0.1', 0);
  return server;
}

function snapshot(state: HuaweiAiccState) {
  return { counts: state.counts(), agents: state.listAgents(), groups: state.listGroups(), roles: state.listRoles() };
}

export async function startHuaweiAiccSimulator(opts: HuaweiAiccSimulatorOptions = {}): Promise<HuaweiAiccSimulator> {
  const creds: HuaweiAiccCredentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  const store = new HuaweiStore();
  const tokens = new HuaweiTokens(creds, opts.now ?? Date.now);
  const server = businessServer(store, tokens, opts);
  if (opts.tenant) store.seed(opts.tenant);
  await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  const tokenServer = opts.tokenOrigin === 'separate' ? await separateTokenServer(server, tokens, opts) : undefined;
  const state = huaweiState(store);
  return simulatorHandle(server, {
    prefix: '',
    state,
    credentials: () => ({ ...creds }),
    control: { seed: (tenant) => store.seed(tenant), reset: () => store.reset(), snapshot: () => snapshot(state) },
    extras: {
      tokenBaseUrl: (tokenServer ?? server).origin,
      expireTokens: () => tokens.expireAll(),
      activeTokens: () => tokens.active(),
    },
    closeAlso: tokenServer ? [tokenServer] : [],
  });
}
