/** KF5 groups (客服组): `/groups.json`. Group writes are admin calls (see auth.ts). */
import {
  GroupInputSchema,
  GroupPatchSchema,
  type CallOptions,
  type DeleteOptions,
  type Group,
  type GroupInput,
  type GroupPatch,
  type ListOptions,
  type PagedIterable,
  type WritePreview,
} from '@contactkit/core';
import { z } from 'zod';
import { groupFromWire, groupInputToWire, groupPatchToWire } from '../mapping';
import { Kf5DeleteReplySchema, Kf5GroupListReplySchema, Kf5GroupReplySchema, Kf5IdTextSchema, type Kf5Group, type Kf5GroupWriteBody } from '../wire';
import { listKf5, type ResourceContext } from './context';

/** KF5 takes no vendor fields on group writes nor on deletes. */
export const NoVendorFieldsSchema = z.strictObject({}).optional();

/** KF5's rules on a group write, past core's: members are KF5 ids, no vendor fields. */
const GroupRulesSchema = z.object({ memberIds: z.array(Kf5IdTextSchema).optional(), vendorFields: NoVendorFieldsSchema });

/** A group read → Group, its timestamps in the client's timezone. */
export function readGroup(ctx: ResourceContext, group: Kf5Group): Group {
  return groupFromWire(group, { timezone: ctx.timezone }).value;
}

/** The group as KF5 sends it (the agents' groups are written through it). */
export async function getGroupWire(ctx: ResourceContext, operation: string, id: string, signal?: AbortSignal): Promise<Kf5Group> {
  return (await ctx.call(operation, { method: 'GET', path: `groups/${id}.json`, schema: Kf5GroupReplySchema, signal })).group;
}

/** A PUT of the group's `group` body: `agents`, when given, replaces the members. */
export async function putGroup(ctx: ResourceContext, operation: string, id: string, body: Kf5GroupWriteBody, signal?: AbortSignal): Promise<Kf5Group> {
  return (await ctx.call(operation, { method: 'PUT', path: `groups/${id}.json`, body, schema: Kf5GroupReplySchema, signal })).group;
}

function checkGroupInput(ctx: ResourceContext, input: unknown): GroupInput {
  const parsed = ctx.validate(GroupInputSchema, input);
  ctx.validate(GroupRulesSchema, parsed);
  return parsed;
}

function checkGroupPatch(ctx: ResourceContext, patch: unknown): GroupPatch {
  const parsed = ctx.validate(GroupPatchSchema, patch);
  ctx.validate(GroupRulesSchema, parsed);
  return parsed;
}

export function listGroups(ctx: ResourceContext, options?: ListOptions): PagedIterable<Group> {
  const pageSize = ctx.pageSize(options);
  return listKf5(ctx, {
    operation: 'groups.list',
    path: 'groups.json',
    query: { page: 1, per_page: pageSize },
    pageSize,
    schema: Kf5GroupListReplySchema,
    itemsOf: (reply) => reply.groups,
    map: (groups) => groups.map((g) => readGroup(ctx, g)),
    signal: options?.signal,
  });
}

export async function getGroup(ctx: ResourceContext, id: string, options?: CallOptions): Promise<Group> {
  return readGroup(ctx, await getGroupWire(ctx, 'groups.get', ctx.validate(Kf5IdTextSchema, id, 'id'), options?.signal));
}

export async function createGroup(ctx: ResourceContext, input: GroupInput, options?: CallOptions): Promise<Group> {
  const body: Kf5GroupWriteBody = { group: groupInputToWire(checkGroupInput(ctx, input)).value };
  const reply = await ctx.call('groups.create', { method: 'POST', path: 'groups.json', body, schema: Kf5GroupReplySchema, signal: options?.signal });
  return readGroup(ctx, reply.group);
}

export async function updateGroup(ctx: ResourceContext, id: string, patch: GroupPatch, options?: CallOptions): Promise<Group> {
  ctx.validate(Kf5IdTextSchema, id, 'id');
  const group = groupPatchToWire(checkGroupPatch(ctx, patch)).value;
  // nothing to change: read the group rather than send an empty body
  if (Object.keys(group).length === 0) return readGroup(ctx, await getGroupWire(ctx, 'groups.update', id, options?.signal));
  return readGroup(ctx, await putGroup(ctx, 'groups.update', id, { group }, options?.signal));
}

export async function deleteGroup(ctx: ResourceContext, id: string, options?: DeleteOptions): Promise<void> {
  ctx.validate(Kf5IdTextSchema, id, 'id');
  ctx.validate(NoVendorFieldsSchema, options?.vendorFields, 'vendorFields');
  await ctx.call('groups.delete', { method: 'DELETE', path: `groups/${id}.json`, schema: Kf5DeleteReplySchema, signal: options?.signal });
}

export function previewGroup(ctx: ResourceContext, input: GroupInput): WritePreview {
  const { value, warnings } = groupInputToWire(checkGroupInput(ctx, input));
  return { body: { group: value }, warnings };
}
