/**
 * KF5 roles: the base roles `agent` (客服) and `admin` (管理员), and custom roles (premium plan)
 * known only by the `custom_role_id` agents carry: KF5 has no API that lists roles.
 */
import type { CallOptions, Role } from '@contactkit/core';
import { isKf5AgentRole, kf5Roles } from '../mapping';
import { Kf5UserListReplySchema, type Kf5User } from '../wire';
import { listKf5, type ResourceContext } from './context';

/** agent, admin, and every custom_role_id carried by an agent (one walk of the agents list). */
export async function listRoles(ctx: ResourceContext, options?: CallOptions): Promise<Role[]> {
  const pageSize = ctx.pageSize();
  const users = listKf5(ctx, {
    operation: 'roles.list',
    path: 'users.json',
    query: { role: 'agent,admin', page: 1, per_page: pageSize },
    pageSize,
    schema: Kf5UserListReplySchema,
    itemsOf: (reply) => reply.users,
    map: (items: Kf5User[]) => items,
    signal: options?.signal,
  });
  const customs = new Set<string>();
  for await (const user of users) {
    if (isKf5AgentRole(user.role) && user.custom_role_id !== null && user.custom_role_id !== undefined) customs.add(String(user.custom_role_id));
  }
  return kf5Roles(customs);
}

/**
 * `agent`: KF5's base roles are end_user < agent < admin, and an agent's permission flags
 * (moderator, ticket_restriction…) narrow it further only per user. A custom role's permissions
 * are not readable through the API, so none is taken for the least privileged.
 */
export function leastPrivilegedRole(roles: Role[]): Role | undefined {
  return roles.find((role) => role.vendor === 'kf5' && role.id === 'agent');
}
