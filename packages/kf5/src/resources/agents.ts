/**
 * KF5 agents: users whose role is `agent` or `admin` (`/users.json`). An end user (a customer) is never
 * read, written or deleted as an agent. KF5 users carry no writable membership: an agent's groups
 * are written through each group's member list.
 */
import {
  AgentInputSchema,
  AgentPatchSchema,
  EmailSchema,
  InvalidResponseError,
  NotFoundError,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type CallOptions,
  type DeleteOptions,
  type Group,
  type ListOptions,
  type PagedIterable,
  type WritePreview,
} from '@contactkit/core';
import { z } from 'zod';
import { agentFromWire, agentInputToWire, agentPatchToWire, groupPatchToWire, isKf5AgentRole, parseKf5RoleId } from '../mapping';
import {
  Kf5DeleteReplySchema,
  Kf5GroupListReplySchema,
  Kf5IdTextSchema,
  Kf5UserListReplySchema,
  Kf5UserReplySchema,
  Kf5UserVendorFieldsSchema,
  type Kf5User,
  type Kf5UserWrite,
} from '../wire';
import { listKf5, type ResourceContext } from './context';
import { NoVendorFieldsSchema, getGroupWire, putGroup, readGroup } from './groups';

/** roleIds as KF5 carries them: one base role (`role`) and at most one custom role (`custom_role_id`). */
const RoleIdsSchema = z.array(z.string()).superRefine((roleIds, issues) => {
  let customs = 0;
  roleIds.forEach((roleId, i) => {
    const ref = parseKf5RoleId(roleId);
    if (!ref) issues.addIssue({ code: 'custom', path: [i], message: "not a KF5 agent role: use 'agent', 'admin' or 'custom:<n>'" });
    else if (ref.kind === 'custom' && ++customs > 1) issues.addIssue({ code: 'custom', path: [i], message: 'a KF5 agent has at most one custom role' });
  });
});

/** KF5's rules on an agent write, past core's: its roles, group ids that are KF5 ids, and only the user fields KF5 lets us write. */
const AgentRulesSchema = z.object({
  roleIds: RoleIdsSchema.optional(),
  groupIds: z.array(Kf5IdTextSchema).optional(),
  vendorFields: Kf5UserVendorFieldsSchema.strict().optional(),
});

function checkAgentInput(ctx: ResourceContext, input: unknown): AgentInput {
  const parsed = ctx.validate(AgentInputSchema, input);
  ctx.validate(AgentRulesSchema, parsed);
  return parsed;
}

function checkAgentPatch(ctx: ResourceContext, patch: unknown): AgentPatch {
  const parsed = ctx.validate(AgentPatchSchema, patch);
  ctx.validate(AgentRulesSchema, parsed);
  return parsed;
}

/** A user read → Agent; what the mapping could not carry is noted at debug. */
function readAgent(ctx: ResourceContext, operation: string, user: Kf5User): Agent {
  // the user was parsed for this read alone: it becomes remoteData without a copy
  const { value, warnings } = agentFromWire(user, { timezone: ctx.timezone, owned: true });
  ctx.note(operation, warnings);
  return value;
}

async function getUser(ctx: ResourceContext, operation: string, id: string, signal?: AbortSignal): Promise<Kf5User> {
  return (await ctx.call(operation, { method: 'GET', path: `users/${id}.json`, schema: Kf5UserReplySchema, signal })).user;
}

/** The user behind an agent id; NotFoundError for an end user (a customer), which agents.* never touch. */
async function getAgentUser(ctx: ResourceContext, operation: string, id: string, signal?: AbortSignal): Promise<Kf5User> {
  const user = await getUser(ctx, operation, ctx.validate(Kf5IdTextSchema, id, 'id'), signal);
  if (!isKf5AgentRole(user.role)) throw new NotFoundError(`kf5 user ${id} is not an agent (role ${user.role})`, { vendor: ctx.vendor, status: 200 });
  return user;
}

const groupIdsOf = (user: Kf5User): string[] => (user.groups_info ?? []).map((g) => String(g.id));

/**
 * Moves an agent from its `current` groups to `target` through each group's member list (read it,
 * then PUT `agents` with the agent added or removed). Not atomic: see README.
 */
async function syncAgentGroups(ctx: ResourceContext, operation: string, agentId: string, target: string[], current: string[], signal?: AbortSignal): Promise<void> {
  const changes: Array<[groupId: string, join: boolean]> = [
    ...[...new Set(target)].filter((g) => !current.includes(g)).map((g): [string, boolean] => [g, true]),
    ...current.filter((g) => !target.includes(g)).map((g): [string, boolean] => [g, false]),
  ];
  for (const [groupId, join] of changes) {
    const group = await getGroupWire(ctx, operation, groupId, signal);
    if (!Array.isArray(group.agents)) {
      throw new InvalidResponseError(`kf5 group ${groupId} reply does not list its agents; membership not changed`, { vendor: ctx.vendor });
    }
    const members = group.agents.map((a) => String(a.id));
    if (members.includes(agentId) === join) continue;
    const memberIds = join ? [...members, agentId] : members.filter((m) => m !== agentId);
    await putGroup(ctx, operation, groupId, { group: groupPatchToWire({ memberIds }).value }, signal);
  }
}

export function listAgents(ctx: ResourceContext, options?: ListOptions): PagedIterable<Agent> {
  const pageSize = ctx.pageSize(options);
  const wanted = (user: Kf5User) => isKf5AgentRole(user.role) && (options?.includeDisabled || user.status !== 'suspended');
  return listKf5(ctx, {
    operation: 'agents.list',
    path: 'users.json',
    query: { role: 'agent,admin', page: 1, per_page: pageSize },
    pageSize,
    schema: Kf5UserListReplySchema,
    itemsOf: (reply) => reply.users,
    map: (users) => {
      const agents: Agent[] = [];
      for (const user of users) if (wanted(user)) agents.push(readAgent(ctx, 'agents.list', user));
      return agents;
    },
    signal: options?.signal,
  });
}

export async function getAgent(ctx: ResourceContext, id: string, options?: CallOptions): Promise<Agent> {
  return readAgent(ctx, 'agents.get', await getAgentUser(ctx, 'agents.get', id, options?.signal));
}

/** `users/search.json` with an exact email match; end users and near matches are skipped. */
export async function findAgentByEmail(ctx: ResourceContext, email: string, options?: CallOptions): Promise<Agent | null> {
  const address = ctx.validate(EmailSchema, email, 'email').trim();
  const wanted = (user: Kf5User) => isKf5AgentRole(user.role) && (user.email ?? '').trim().toLowerCase() === address.toLowerCase();
  const pageSize = ctx.pageSize();
  const [found] = await listKf5(ctx, {
    operation: 'agents.findByEmail',
    path: 'users/search.json',
    query: { query: address, exact_query_fields: 'email', page: 1, per_page: pageSize },
    pageSize,
    schema: Kf5UserListReplySchema,
    itemsOf: (reply) => reply.users,
    map: (users) => users.filter(wanted),
    signal: options?.signal,
  }).toArray({ limit: 1 });
  return found ? readAgent(ctx, 'agents.findByEmail', found) : null;
}

async function putUser(ctx: ResourceContext, operation: string, id: string, user: Kf5UserWrite, signal?: AbortSignal): Promise<Kf5User> {
  return (await ctx.call(operation, { method: 'PUT', path: `users/${id}.json`, body: { user }, schema: Kf5UserReplySchema, signal })).user;
}

/** POST `/users.json`; `groupIds` are then joined through the groups and the agent read back. */
export async function createAgent(ctx: ResourceContext, input: AgentInput, options?: CallOptions): Promise<Agent> {
  const parsed = checkAgentInput(ctx, input);
  const { value, warnings } = agentInputToWire(parsed);
  ctx.warn('agents.create', warnings);
  const signal = options?.signal;
  let user = (await ctx.call('agents.create', { method: 'POST', path: 'users.json', body: { user: value }, schema: Kf5UserReplySchema, signal })).user;
  if (parsed.groupIds && parsed.groupIds.length > 0) {
    const id = String(user.id);
    await syncAgentGroups(ctx, 'agents.create', id, parsed.groupIds, groupIdsOf(user), signal);
    user = await getUser(ctx, 'agents.create', id, signal);
  }
  return readAgent(ctx, 'agents.create', user);
}

/** Reads the user first (an end user's id must not be written), PUTs the given fields, then moves its groups. */
export async function updateAgent(ctx: ResourceContext, id: string, patch: AgentPatch, options?: CallOptions): Promise<Agent> {
  ctx.validate(Kf5IdTextSchema, id, 'id');
  const parsed = checkAgentPatch(ctx, patch);
  const { value, warnings } = agentPatchToWire(parsed);
  ctx.warn('agents.update', warnings);
  const signal = options?.signal;
  let user = await getAgentUser(ctx, 'agents.update', id, signal);
  if (Object.keys(value).length > 0) user = await putUser(ctx, 'agents.update', id, value, signal);
  if (parsed.groupIds !== undefined) {
    const current = groupIdsOf(user);
    const target = [...new Set(parsed.groupIds)];
    if (target.length !== current.length || target.some((g) => !current.includes(g))) {
      await syncAgentGroups(ctx, 'agents.update', id, target, current, signal);
      user = await getUser(ctx, 'agents.update', id, signal);
    }
  }
  return readAgent(ctx, 'agents.update', user);
}

/** Reads the user first: agents.delete must never remove an end user (a customer). */
export async function deleteAgent(ctx: ResourceContext, id: string, options?: DeleteOptions): Promise<void> {
  ctx.validate(Kf5IdTextSchema, id, 'id');
  ctx.validate(NoVendorFieldsSchema, options?.vendorFields, 'vendorFields');
  await getAgentUser(ctx, 'agents.delete', id, options?.signal);
  await ctx.call('agents.delete', { method: 'DELETE', path: `users/${id}.json`, schema: Kf5DeleteReplySchema, signal: options?.signal });
}

export function previewAgent(ctx: ResourceContext, input: AgentInput): WritePreview {
  const { value, warnings } = agentInputToWire(checkAgentInput(ctx, input));
  return { body: ctx.transport.redactor.redact({ user: value }), warnings };
}

/** The groups one agent belongs to (`GET /users/{id}/groups.json`). */
export async function groupsOf(ctx: ResourceContext, id: string, options?: CallOptions): Promise<Group[]> {
  const path = `users/${ctx.validate(Kf5IdTextSchema, id, 'id')}/groups.json`;
  return listKf5(ctx, {
    operation: 'agents.groupsOf',
    path,
    pageSize: ctx.pageSize(),
    schema: Kf5GroupListReplySchema,
    itemsOf: (reply) => reply.groups,
    map: (groups) => groups.map((g) => readGroup(ctx, g)),
    signal: options?.signal,
  }).toArray();
}
