/** Roles: Huawei's fixed ccRoleId table (2 agent, 3 inspector, 4 outbound-call agent); no request. */
import type { CallOptions, Role } from '@contactkit/core';
import { DEFAULT_CC_ROLE_ID, HUAWEI_ROLES, roleFromWire } from '../mapping';
import type { ResourceContext } from './context';

/** The fixed table: the context is taken as by every resource function, and not used (no request). */
export async function listRoles(_ctx: ResourceContext, options: CallOptions = {}): Promise<Role[]> {
  if (options.signal?.aborted) throw options.signal.reason;
  return HUAWEI_ROLES.map((row) => roleFromWire(row).value);
}

/**
 * The least-privileged role among `roles`: ccRoleId 2, the agent (话务员), who answers contacts; the
 * inspector (3) reviews others' work and the outbound-call agent (4) adds outbound campaigns.
 */
export function leastPrivilegedRole(roles: readonly Role[]): Role | undefined {
  return roles.find((role) => role.id === String(DEFAULT_CC_ROLE_ID));
}
