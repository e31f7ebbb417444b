/**
 * Udesk customer-service groups (`/user_groups`). A group's members are read from its own paged
 * list (`/user_groups/:id/agents`); a write's `agent_ids` replaces them.
 */
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
import { groupFromWire, groupInputToWire, groupPatchToWire, modelFieldOf } from '../mapping';
import {
  UdeskMessageReplySchema,
  UdeskUserGroupAgentsReplySchema,
  UdeskUserGroupListReplySchema,
  UdeskUserGroupReplySchema,
  UdeskUserGroupWriteSchema,
  type UdeskUserGroup,
  type UdeskUserGroupWrite,
} from '../wire';
import { checkId, listUdesk, type ResourceContext } from './context';

const NO_VENDOR_FIELDS = 'Udesk user groups take no vendor fields';
const NoVendorFieldsSchema = z.object({}).catchall(z.never({ error: NO_VENDOR_FIELDS }));

/**
 * The mapped body by Udesk's schema; in the same pass (one error names every bad field) any
 * vendorFields key, which the mapping does not carry, so the body cannot show it.
 */
function checkWire(ctx: ResourceContext, body: UdeskUserGroupWrite, input: GroupInput | GroupPatch): void {
  const noVendorFields = (_body: UdeskUserGroupWrite, issues: z.RefinementCtx<UdeskUserGroupWrite>) => {
    for (const key of Object.keys(input.vendorFields ?? {})) issues.addIssue({ code: 'custom', path: ['vendorFields', key], message: NO_VENDOR_FIELDS });
  };
  ctx.validateWire(UdeskUserGroupWriteSchema.superRefine(noVendorFields, { when: () => true }), body, modelFieldOf);
}

function readGroup(ctx: ResourceContext, operation: string, wire: UdeskUserGroup, memberIds?: readonly string[]): Group {
  const { value, warnings } = groupFromWire(wire, memberIds);
  ctx.note(operation, warnings);
  return value;
}

/** The group with every member: its own paged list, the group itself read from the first page. */
async function readWithMembers(ctx: ResourceContext, operation: string, id: number, signal: AbortSignal | undefined): Promise<Group> {
  let group: UdeskUserGroup | undefined;
  const members = await listUdesk(ctx, {
    operation,
    path: `user_groups/${id}/agents`,
    pageSize: ctx.definition.maxPageSize,
    schema: UdeskUserGroupAgentsReplySchema,
    itemsOf: (reply) => {
      group ??= reply.user_group;
      return reply.user_group.agents ?? [];
    },
    map: (agents) => agents.map((a) => String(a.id)),
    signal,
  }).toArray();
  // the first page always answers (an unknown id is an error), so the group is known here
  return readGroup(ctx, operation, { ...group!, agents: undefined }, members);
}

/** Validation one way: the model input by core's schema, then the mapped body by Udesk's. */
function prepareInput(ctx: ResourceContext, input: GroupInput) {
  const parsed = ctx.validate(GroupInputSchema, input);
  const mapped = groupInputToWire(parsed);
  checkWire(ctx, mapped.value, parsed);
  return mapped;
}

function preparePatch(ctx: ResourceContext, patch: GroupPatch) {
  const parsed = ctx.validate(GroupPatchSchema, patch);
  const mapped = groupPatchToWire(parsed);
  checkWire(ctx, mapped.value, parsed);
  return mapped;
}

async function sendGroup(ctx: ResourceContext, operation: string, method: 'POST' | 'PUT', path: string, body: UdeskUserGroupWrite, signal: AbortSignal | undefined): Promise<Group> {
  const reply = await ctx.call(operation, { method, path, body, schema: UdeskUserGroupReplySchema, signal });
  return readGroup(ctx, operation, reply.user_group);
}

export function listGroups(ctx: ResourceContext, options: ListOptions = {}): PagedIterable<Group> {
  return listUdesk(ctx, {
    operation: 'groups.list',
    path: 'user_groups',
    pageSize: ctx.pageSize(options),
    schema: UdeskUserGroupListReplySchema,
    itemsOf: (reply) => reply.user_groups,
    map: (groups) => groups.map((g) => readGroup(ctx, 'groups.list', g)),
    signal: options.signal,
  });
}

export async function getGroup(ctx: ResourceContext, id: string, options: CallOptions = {}): Promise<Group> {
  return readWithMembers(ctx, 'groups.get', checkId(ctx, id), options.signal);
}

export async function createGroup(ctx: ResourceContext, input: GroupInput, options: CallOptions = {}): Promise<Group> {
  const { value, warnings } = prepareInput(ctx, input);
  ctx.warn('groups.create', warnings);
  return sendGroup(ctx, 'groups.create', 'POST', 'user_groups', value, options.signal);
}

/** Nothing to change: no PUT, the current group is returned. */
export async function updateGroup(ctx: ResourceContext, id: string, patch: GroupPatch, options: CallOptions = {}): Promise<Group> {
  const numericId = checkId(ctx, id);
  const { value, warnings } = preparePatch(ctx, patch);
  ctx.warn('groups.update', warnings);
  if (Object.keys(value).length === 0) return readWithMembers(ctx, 'groups.update', numericId, options.signal);
  return sendGroup(ctx, 'groups.update', 'PUT', `user_groups/${numericId}`, value, options.signal);
}

export async function deleteGroup(ctx: ResourceContext, id: string, options: DeleteOptions = {}): Promise<void> {
  const numericId = checkId(ctx, id);
  ctx.validate(NoVendorFieldsSchema, options.vendorFields ?? {}, 'vendorFields');
  await ctx.call('groups.delete', { method: 'DELETE', path: `user_groups/${numericId}`, schema: UdeskMessageReplySchema, signal: options.signal });
}

export function previewGroup(ctx: ResourceContext, input: GroupInput): WritePreview {
  const { value, warnings } = prepareInput(ctx, input);
  return { body: ctx.transport.redactor.redact(value), warnings };
}
