/** Udesk roles (`GET /agent_roles`): tenant-defined, listed whole (no paging). */
import type { CallOptions, Role } from '@contactkit/core';
import { roleFromWire } from '../mapping';
import { UdeskRoleListReplySchema } from '../wire';
import type { ResourceContext } from './context';

export async function listRoles(ctx: ResourceContext, options: CallOptions = {}): Promise<Role[]> {
  const reply = await ctx.call('roles.list', { method: 'GET', path: 'agent_roles', schema: UdeskRoleListReplySchema, signal: options.signal });
  return reply.agent_roles.map((role) => {
    const { value, warnings } = roleFromWire(role);
    ctx.note('roles.list', warnings);
    return value;
  });
}

/**
 * The names of Udesk's front-line role: the docs print role 11 "Customer Service" for an agent
 * listed with role_name "agent"; the Chinese console calls it 客服. Administrator (管理员) and
 * supervisor (客服主管, 组长) roles grant more.
 */
const FRONT_LINE_ROLE = /^(客服|customer service|agent)$/i;

/**
 * The least-privileged Udesk role among `roles`: the front-line customer-service role. Udesk roles
 * are tenant-defined and their permissions are not readable through the API, so the role is known
 * by its name only; undefined when no role carries it.
 */
export function leastPrivilegedRole(roles: readonly Role[]): Role | undefined {
  return roles.find((role) => role.vendor === 'udesk' && FRONT_LINE_ROLE.test(role.name.trim()));
}
