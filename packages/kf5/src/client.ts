import { bindContext, clientMembers, type AgentsResource, type CallOptions, type CommonClientOptions, type ContactCenterClient, type Group } from '@contactkit/core';
import { kf5UserPass, type Kf5AuthMode, type Kf5Credentials } from './auth';
import { createAgent, deleteAgent, findAgentByEmail, getAgent, groupsOf, listAgents, previewAgent, updateAgent } from './resources/agents';
import { createResourceContext } from './resources/context';
import { createGroup, deleteGroup, getGroup, listGroups, previewGroup, updateGroup } from './resources/groups';
import { leastPrivilegedRole, listRoles } from './resources/roles';

export interface Kf5ClientOptions extends CommonClientOptions, Kf5Credentials {
  /** `demo` → `https://demo.kf5.com/apiv2`; `baseUrl` overrides it */
  subdomain?: string | undefined;
  /** the UTC offset KF5 timestamps are read in, e.g. '+08:00' (default) or 'Z' */
  timezone?: string | undefined;
}

export interface Kf5AgentsResource extends AgentsResource {
  /** the groups one agent belongs to (`GET /users/{id}/groups.json`) */
  groupsOf(id: string, options?: CallOptions): Promise<Group[]>;
}

export interface Kf5Client extends ContactCenterClient {
  readonly vendor: 'kf5';
  readonly agents: Kf5AgentsResource;
  /** which credential the client signs with: 'token' (`email/token:apiToken`) or 'password' */
  readonly authMode: Kf5AuthMode;
  /** the API root requests go to */
  readonly baseUrl: string;
}

/** A KF5 apiv2 client. Checks the options (credentials, timezone, base URL) before anything is sent. */
export function createKf5Client(options: Kf5ClientOptions): Kf5Client {
  const ctx = createResourceContext(options);
  return {
    ...clientMembers(ctx),
    vendor: 'kf5',
    authMode: kf5UserPass(options).mode,
    baseUrl: ctx.transport.baseUrl,
    agents: bindContext(ctx, { list: listAgents, get: getAgent, findByEmail: findAgentByEmail, create: createAgent, update: updateAgent, delete: deleteAgent, preview: previewAgent, groupsOf }),
    groups: bindContext(ctx, { list: listGroups, get: getGroup, create: createGroup, update: updateGroup, delete: deleteGroup, preview: previewGroup }),
    roles: { ...bindContext(ctx, { list: listRoles }), leastPrivileged: leastPrivilegedRole },
  };
}
