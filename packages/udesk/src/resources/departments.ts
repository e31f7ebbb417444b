/** Udesk departments (`GET /departments`): one tree, no paging; flattened parents first. */
import type { CallOptions } from '@contactkit/core';
import { flattenDepartments, type Department } from '../mapping';
import { UdeskDepartmentListReplySchema } from '../wire';
import type { ResourceContext } from './context';

export async function listDepartments(ctx: ResourceContext, options: CallOptions = {}): Promise<Department[]> {
  const reply = await ctx.call('departments.list', { method: 'GET', path: 'departments', schema: UdeskDepartmentListReplySchema, signal: options.signal });
  return flattenDepartments(reply.departments);
}
