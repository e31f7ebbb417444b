import type { CommonSimulatorOptions, SimReply } from '../server';
import type { SimulatorHandle } from '../handle';
import type { SeedTenant } from '../tenant';
import type { SeedResult } from '../types';

// ---------------------------------------------------------------------------------------------
// Wire types (what the Udesk Open API sends)
// ---------------------------------------------------------------------------------------------

export type UdeskProfile = 'all' | 'im' | 'call' | 'ticket' | 'dial';

/** An agent as `GET /agents` lists it. */
export interface UdeskAgentWire {
  id: number;
  email: string;
  nick_name: string | null;
  profile: UdeskProfile;
  aliase: string | null;
  cellphone: string | null;
  /** Not a role's name: the docs print "agent" here for an agent whose role 11 is "Customer Service". */
  role_name: string | null;
  duty: string | null;
  im_ability_value: number;
  user_group_ids: number[];
  /** SIP account (secret). */
  number: string;
  /** SIP password (secret). */
  password: string;
  avatar: string | null;
  work_id: string | null;
  /** An array (the docs' example), or the first department as an object (`departmentsForm: 'object'`, the table's type). */
  departments: Array<{ id: number; name: string }> | { id: number; name: string } | null;
  agent_callout_display_number: string | null;
  disable_status: 'enable' | 'disable';
  availability: boolean;
  im_welcomes: string | null;
  lang: 'zh-cn' | 'en-us' | null;
}

/** An agent as `GET /agents/get_agent` and `PUT /agents/:id` return it. */
export interface UdeskAgentDetailWire extends UdeskAgentWire {
  user_groups: Array<{ id: number; name: string }>;
  agent_roles: Array<{ id: number; name: string }>;
}

/** An agent as `PUT /agents/:id` returns it: the documented reply fields only. */
export type UdeskAgentPutWire = Omit<UdeskAgentDetailWire, 'role_name' | 'user_group_ids'>;

export interface UdeskUserGroupWire {
  id: number;
  name: string;
  agents: Array<{ id: number; nick_name: string | null }>;
}
export interface UdeskRoleWire {
  id: number;
  name: string;
  description: string;
}
export interface UdeskDepartmentWire {
  id: number;
  name: string;
  sub_department: UdeskDepartmentWire[];
}

/** What `state.addAgent` takes: create-body fields plus optional fixed values. */
export interface UdeskAgentInput {
  email: string;
  /** Log-in password (never returned). Default 'Passw0rd!'. */
  password?: string;
  id?: number;
  nick_name?: string | null;
  aliase?: string | null;
  cellphone?: string | null;
  profile?: UdeskProfile;
  duty?: string | null;
  im_ability_value?: number;
  avatar?: string | null;
  work_id?: string | null;
  im_welcomes?: string | null;
  availability?: boolean;
  lang?: 'zh-cn' | 'en-us' | null;
  disable_status?: 'enable' | 'disable';
  agent_callout_display_number?: string | null;
  agent_role_ids?: number[];
  user_group_ids?: number[];
  department_ids?: number[];
  /** SIP credentials; generated when absent. */
  number?: string;
  sip_password?: string;
  custom_fields?: Record<string, unknown>;
}

export interface UdeskCredentials {
  /** Super-administrator email: the `email` query parameter. */
  email: string;
  /** `open_api_token`: the signing secret. */
  apiToken: string;
  /** Log-in password for `POST /log_in`. */
  password: string;
}

/**
 * The readings of what the docs leave open. Defaults are the strictest reading; the adapter's
 * e2e suite runs against each.
 */
export interface UdeskReadings {
  /** Serve at most n items per page whatever `per_page` says (meta stays correct): real replies do. */
  pageCap?: number | undefined;
  /** `departments` on agents: an array (the example, default) or an object (the table's type). */
  departmentsForm?: 'array' | 'object' | undefined;
  /** `meta` total field: `total_count` (default) or `count` (older replies). */
  metaTotalField?: 'total_count' | 'count' | undefined;
  /**
   * `DELETE /agents/:id` `owner_group_id`: 'required' (the table, default) or 'optional' (the
   * note: without it the agent's customers are left with no owner).
   */
  deleteOwnerGroup?: 'required' | 'optional' | undefined;
  /** The text field of error bodies: `message` (the seed's table, default) or `code_message` (a client reads that). */
  errorMessageField?: 'message' | 'code_message' | undefined;
  /** `GET /user_groups/:id/agents` with `meta` (default, our choice) or without (the notes show none). */
  groupMembersMeta?: boolean | undefined;
}

export interface UdeskSimulatorOptions extends CommonSimulatorOptions, UdeskReadings {
  tenant?: SeedTenant;
  credentials?: Partial<UdeskCredentials>;
  /** custom field keys the tenant marks required: a create without them is refused (code 2000) */
  requiredCustomFields?: readonly string[] | undefined;
  /** trunk number ids a `callout_number_id` may take (default none: any id is invalid) */
  calloutNumberIds?: readonly number[] | undefined;
  /** the company's limit of agents per employee type: beyond it "The current type of employee has reached the limit" */
  profileLimits?: Partial<Record<UdeskProfile, number>> | undefined;
}

/** Agent states the API cannot set but refuses writes for (the seed's 11006, 11007 and delete rows). */
export interface UdeskAgentFlags {
  /** 11006: the employee IM is online, cannot be updated */
  imOnline?: boolean;
  /** 11007: the employee has IM sessions not closed, cannot be updated */
  openImSessions?: boolean;
  /** 2000 "…has responsible customers and cannot be deleted" */
  responsibleTickets?: boolean;
}

export interface UdeskState {
  listAgents(): UdeskAgentDetailWire[];
  getAgent(id: number): UdeskAgentDetailWire | undefined;
  findAgentByEmail(email: string): UdeskAgentDetailWire | undefined;
  listGroups(): UdeskUserGroupWire[];
  getGroup(id: number): UdeskUserGroupWire | undefined;
  listRoles(): UdeskRoleWire[];
  listDepartments(): UdeskDepartmentWire[];
  addAgent(input: UdeskAgentInput): UdeskAgentDetailWire;
  addGroup(input: { name: string; agent_ids?: number[] }): UdeskUserGroupWire;
  addRole(input: { name: string; description?: string }): UdeskRoleWire;
  addDepartment(input: { name: string; parent_id?: number }): { id: number; name: string; parent_id: number };
  /** The log-in password of an agent (for tests of create/update). */
  agentLoginPassword(id: number): string | undefined;
  /** The SIP password of an agent (what replies print as `password`). */
  agentSipPassword(id: number): string | undefined;
  /** The custom_fields last written for an agent (replies do not print them). */
  agentCustomFields(id: number): Record<string, unknown> | undefined;
  /** Sets the states that make PUT/DELETE refuse (IM online, open sessions, responsible tickets). */
  setAgentFlags(id: number, flags: UdeskAgentFlags): void;
  counts(): { agents: number; groups: number; roles: number; departments: number };
  seed(tenant: SeedTenant): SeedResult<number>;
  reset(): void;
}

export interface UdeskSimulator extends SimulatorHandle<UdeskState, UdeskCredentials> {
  /** Issue a new open_api_token; the old one stops working at once. Returns the new one. */
  rotateToken(): string;
}

// ---------------------------------------------------------------------------------------------
// Codes and reply bodies shared by auth and routes
// ---------------------------------------------------------------------------------------------

export const UDESK_CODES = {
  OK: 1000,
  INVALID: 2000,
  NOT_FOUND: 2005,
  BAD_SIGN: 2059,
  TIMESTAMP_INVALID: 20621,
  TIMESTAMP_EXPIRED: 20622,
  NONCE_REUSED: 20623,
  NONCE_EMPTY: 20624,
} as const;

/** The API root below the origin. */
export const UDESK_API_PREFIX = '/open_api_v1';

export const PROFILES: readonly UdeskProfile[] = ['all', 'im', 'call', 'ticket', 'dial'];

export function ok(body: Record<string, unknown>): SimReply {
  return { status: 200, body: { code: UDESK_CODES.OK, ...body } };
}
export function fail(code: number, message: string, extra?: Record<string, unknown>): SimReply {
  return { status: 200, body: { code, message, ...extra } };
}
