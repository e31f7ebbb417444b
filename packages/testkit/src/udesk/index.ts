import { simulatorHandle } from '../handle';
import { SimServer } from '../server';
import { UdeskAuth } from './auth';
import { udeskProfile } from './routes';
import { UdeskStore, udeskSnapshot, udeskStateView } from './store';
import { UDESK_API_PREFIX, type UdeskReadings, type UdeskSimulator, type UdeskSimulatorOptions } from './types';

export { UDESK_CODES } from './types';
export type {
  UdeskSimulator,
  UdeskSimulatorOptions,
  UdeskCredentials,
  UdeskState,
  UdeskAgentWire,
  UdeskAgentDetailWire,
  UdeskAgentPutWire,
  UdeskAgentInput,
  UdeskReadings,
  UdeskAgentFlags,
  UdeskUserGroupWire,
  UdeskRoleWire,
  UdeskDepartmentWire,
  UdeskProfile,
} from './types';

function readingsOf(opts: UdeskSimulatorOptions): UdeskReadings {
  if (opts.pageCap !== undefined && (!Number.isInteger(opts.pageCap) || opts.pageCap < 1)) throw new Error('pageCap must be a positive integer');
  return {
    pageCap: opts.pageCap,
    departmentsForm: opts.departmentsForm,
    metaTotalField: opts.metaTotalField,
    deleteOwnerGroup: opts.deleteOwnerGroup,
    errorMessageField: opts.errorMessageField,
    groupMembersMeta: opts.groupMembersMeta,
  };
}

/** Starts the Udesk Open API simulator: options → store + auth + routes → SimServer → handle. */
export async function startUdeskSimulator(opts: UdeskSimulatorOptions = {}): Promise<UdeskSimulator> {
  const readings = readingsOf(opts);
  const store = new UdeskStore(readings);
  const auth = new UdeskAuth(opts.credentials);
  const rules = { requiredCustomFields: opts.requiredCustomFields, calloutNumberIds: opts.calloutNumberIds, profileLimits: opts.profileLimits };
  const server = new SimServer((s) => udeskProfile({ store, auth, readings, rules, server: s }), opts);
  server.extra.logins = 0;
  if (opts.tenant) store.seed(opts.tenant);
  await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  const state = udeskStateView(store);
  return simulatorHandle(server, {
    prefix: UDESK_API_PREFIX,
    state,
    credentials: () => auth.credentials(),
    control: { seed: (t) => state.seed(t), reset: () => state.reset(), snapshot: () => udeskSnapshot(state) },
    extras: { rotateToken: () => auth.rotateToken() },
  });
}
