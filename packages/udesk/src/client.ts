import { bindContext, clientMembers, type CallOptions, type CommonClientOptions, type ContactCenterClient } from '@contactkit/core';
import { UDESK_REQUIRED_ID_FIELDS, type Department, type UdeskCreateDefaults, type UdeskRequiredIdField } from './mapping';
import { createAgent, deleteAgent, findAgentByEmail, getAgent, listAgents, previewAgent, unknownAgentFields, updateAgent } from './resources/agents';
import { createResourceContext } from './resources/context';
import { listDepartments } from './resources/departments';
import { createGroup, deleteGroup, getGroup, listGroups, previewGroup, updateGroup } from './resources/groups';
import { leastPrivilegedRole, listRoles } from './resources/roles';

export interface UdeskClientOptions extends CommonClientOptions {
  /** `demo` for https://demo.udesk.cn/open_api_v1 (or give `baseUrl`) */
  subdomain?: string | undefined;
  /** the super-administrator email */
  email: string;
  /** the `open_api_token`; give it, or `password` (or both: the password then re-logs in when the token is rejected) */
  apiToken?: string | undefined;
  /** the administrator password: `POST /log_in` fetches the token */
  password?: string | undefined;
  /** keep the SIP `number`/`password` of agents in `remoteData` (default false: they are removed) */
  exposeSipCredentials?: boolean | undefined;
  /** `im_ability_value` sent on create when `vendorFields.im_ability_value` is absent (default 1) */
  defaultImAbilityValue?: number | undefined;
  /**
   * Ids sent on create when the input's `roleIds` / `groupIds` / `departmentIds` is absent or empty:
   * Udesk requires all three, non-empty. Without a default such an input is a ValidationError naming
   * the field, and nothing is sent. `missingDefaults()` tells which are not configured.
   */
  defaults?: UdeskCreateDefaults | undefined;
  /**
   * `GET /agents` items carry no role ids. 'unknown' (default): listed agents have `roleIds: []`
   * meaning unknown (`roleIdsKnown(agent)` false). 'get_agent': each listed agent is read again
   * with `get_agent` for its real role ids: one more request per agent (60 per minute by default).
   */
  roleIdsOnList?: 'unknown' | 'get_agent' | undefined;
  /** clock in ms for the sign's timestamp (tests) */
  now?: (() => number) | undefined;
  /** nonce source for the sign (tests); must return a new value every call */
  nonce?: (() => string) | undefined;
}

export interface DepartmentsResource {
  /** the department tree flattened, parents before children */
  list(options?: CallOptions): Promise<Department[]>;
}

export interface UdeskClient extends ContactCenterClient {
  readonly vendor: 'udesk';
  readonly departments: DepartmentsResource;
  /**
   * The required create fields (of UDESK_REQUIRED_ID_FIELDS) with no configured `defaults` entry:
   * an agent input that leaves one of them empty cannot be created by this client.
   */
  missingDefaults(): UdeskRequiredIdField[];
}

/** A Udesk Open API client. Checks the options (credentials, defaults, base URL) before anything is sent. */
export function createUdeskClient(options: UdeskClientOptions): UdeskClient {
  const ctx = createResourceContext(options);
  return {
    ...clientMembers(ctx),
    vendor: 'udesk',
    agents: {
      ...bindContext(ctx, { list: listAgents, get: getAgent, findByEmail: findAgentByEmail, create: createAgent, update: updateAgent, delete: deleteAgent, preview: previewAgent }),
      unknownFields: unknownAgentFields,
    },
    groups: bindContext(ctx, { list: listGroups, get: getGroup, create: createGroup, update: updateGroup, delete: deleteGroup, preview: previewGroup }),
    roles: { ...bindContext(ctx, { list: listRoles }), leastPrivileged: leastPrivilegedRole },
    departments: bindContext(ctx, { list: listDepartments }),
    missingDefaults: () => UDESK_REQUIRED_ID_FIELDS.filter((field) => !ctx.defaults[field]?.length),
  };
}
