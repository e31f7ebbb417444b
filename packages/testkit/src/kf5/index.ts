import { simulatorHandle } from '../handle';
import { SimServer, type VendorProfile } from '../server';
import { DEFAULT_CREDENTIALS, kf5Authenticator } from './auth';
import { err, notFound } from './replies';
import { kf5Routes, type Kf5RouteContext } from './routes';
import { isStaff, Kf5Store, kf5State } from './store';
import type { Kf5Credentials, Kf5Simulator, Kf5SimulatorOptions, Kf5State } from './types';

export { KF5_SEARCH_FIELDS } from './rules';
export type * from './types';

const PREFIX = '/apiv2';

function routeContext(store: Kf5Store, now: () => number, opts: Kf5SimulatorOptions): Kf5RouteContext {
  if (opts.pageCap !== undefined && (!Number.isInteger(opts.pageCap) || opts.pageCap < 1)) throw new Error('pageCap must be a positive integer');
  return {
    store,
    now,
    deleteStatus: opts.deleteStatus ?? 200,
    groupWriteFields: opts.groupWriteFields ?? 'strict',
    page: { nextPageOrigin: opts.nextPageOrigin ?? 'same', pageCap: opts.pageCap },
  };
}

function kf5Profile(ctx: Kf5RouteContext, creds: Kf5Credentials, opts: Kf5SimulatorOptions): VendorProfile {
  return {
    apiPrefix: PREFIX,
    routes: kf5Routes(ctx),
    authenticate: kf5Authenticator(creds, opts.tokenRole ?? 'agent'),
    notFound: () => notFound(),
    badRequest: (message) => err(400, 'BadRequest', message),
    tooManyRequests: (s) => err(429, 'TooManyRequests', `Rate limit exceeded, retry in ${s} seconds`),
    serverError: (status) => err(status, 'InternalServerError', 'Something went wrong on our side'),
    malformedBody: '{"users":[{"id":1001,"url":"http://',
  };
}

/** Control-endpoint listing: staff and end users apart, as KF5's `role` filter splits them. */
function snapshot(store: Kf5Store, state: Kf5State) {
  const endUsers = store.users.values().filter((u) => !isStaff(u)).map((u) => store.userWire(u));
  return { counts: state.counts(), agents: state.listAgents(), endUsers, groups: state.listGroups(), roles: state.listRoles() };
}

export async function startKf5Simulator(opts: Kf5SimulatorOptions = {}): Promise<Kf5Simulator> {
  const creds: Kf5Credentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  const now = opts.now ?? Date.now;
  const store = new Kf5Store(now);
  const server = new SimServer(kf5Profile(routeContext(store, now, opts), creds, opts), opts);
  if (opts.tenant) store.seed(opts.tenant);
  await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  store.origin = server.origin;
  const state = kf5State(store);
  return simulatorHandle(server, {
    prefix: PREFIX,
    state,
    credentials: () => ({ ...creds }),
    control: { seed: (tenant) => store.seed(tenant), reset: () => store.reset(), snapshot: () => snapshot(store, state) },
  });
}
