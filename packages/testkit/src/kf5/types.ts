import type { SimulatorHandle } from '../handle';
import type { CommonSimulatorOptions } from '../server';
import type { SeedTenant } from '../tenant';
import type { SeedResult } from '../types';

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

export type Kf5Role = 'end_user' | 'agent' | 'admin';
export type Kf5Status = 'active' | 'suspended' | 'unverified';

export interface Kf5UserWire {
  id: number;
  url: string;
  email: string;
  name: string;
  remark_name: string | null;
  agent_display_name: string | null;
  mark_star: 0 | 1;
  role: Kf5Role;
  phone: string | null;
  phone_bind: boolean;
  landline: string | null;
  signature: string | null;
  details: string | null;
  notes: string | null;
  organization_id: number | null;
  language: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  status: Kf5Status;
  groups_info: Array<{ id: number; name: string; display_name: string }>;
  photo: string | null;
  moderator: boolean;
  public_comments: boolean;
  manage_people: boolean;
  ticket_restriction: 'all' | 'groups' | 'assigned';
  custom_role_id: number | null;
  wechat_appid: string | null;
  wechat_openid: string | null;
  tags: string[];
  user_fields: Array<{ name: string; value: string }>;
}

export interface Kf5GroupWire {
  id: number;
  url: string;
  name: string;
  created_at: string;
  agents: Array<{ id: number; url: string; username: string; name: string }>;
}

/** A KF5 custom role (`custom_role_id`); KF5 has no role API, so these exist only in state. */
export interface Kf5CustomRole {
  id: number;
  name: string;
  description: string;
}

export interface Kf5UserInput {
  email: string;
  name: string;
  id?: number;
  role?: Kf5Role;
  phone?: string | null;
  agent_display_name?: string | null;
  language?: string;
  status?: Kf5Status;
  custom_role_id?: number | null;
  password?: string | null;
  /** Group ids to join (agents and admins only). */
  group_ids?: number[];
}

export interface Kf5Credentials {
  email: string;
  password: string;
  apiToken: string;
}

export interface Kf5SimulatorOptions extends CommonSimulatorOptions {
  tenant?: SeedTenant;
  credentials?: Partial<Kf5Credentials>;
  /** Status of `DELETE /users/{id}.json` and `DELETE /groups/{id}.json`: 200 `{}` (default) or 204 no body. */
  deleteStatus?: 200 | 204;
  /**
   * How `next_page` links are written. 'same' (default): the origin the request came to. 'http': as a
   * tenant behind a TLS-terminating proxy prints them, `http://<host>/…` with the port dropped (same
   * host, scheme and port differ from what the client called).
   */
  nextPageOrigin?: Kf5NextPageOrigin;
  /** Serve at most this many items per page whatever `per_page` asks (`count`/`next_page` still say more). */
  pageCap?: number;
  /**
   * What an `email/token:apiToken` login may do. 'agent' (default): agent calls only, admin calls
   * (group writes, user delete) answer 403 — the official PHP SDK says calls needing agent or more use
   * the password. 'admin': everything. 'end_user': every agent/admin call answers 403.
   */
  tokenRole?: Kf5TokenRole;
  /**
   * Group write bodies. 'strict' (default): only `name` and `agents` (what the examples and the note
   * write); `id`, `url`, `created_at` (read-only in the field table) or any other key answer 422.
   * 'lenient': other keys are ignored.
   */
  groupWriteFields?: 'strict' | 'lenient';
}

export type Kf5NextPageOrigin = 'same' | 'http';
export type Kf5TokenRole = 'end_user' | 'agent' | 'admin';

export interface Kf5State {
  /** Users with role agent or admin. */
  listAgents(): Kf5UserWire[];
  /** Every user, end users included. */
  listUsers(): Kf5UserWire[];
  getAgent(id: number): Kf5UserWire | undefined;
  findUserByEmail(email: string): Kf5UserWire | undefined;
  listGroups(): Kf5GroupWire[];
  getGroup(id: number): Kf5GroupWire | undefined;
  listRoles(): Kf5CustomRole[];
  addUser(input: Kf5UserInput): Kf5UserWire;
  addGroup(input: { name: string; agents?: number[] }): Kf5GroupWire;
  addRole(input: { name: string; description?: string }): Kf5CustomRole;
  userPassword(id: number): string | null | undefined;
  counts(): { users: number; agents: number; groups: number; roles: number };
  seed(tenant: SeedTenant): SeedResult<number>;
  reset(): void;
}

export interface Kf5Simulator extends SimulatorHandle<Kf5State, Kf5Credentials> {
  /** `http://127.0.0.1:PORT/apiv2` */
  readonly baseUrl: string;
}
