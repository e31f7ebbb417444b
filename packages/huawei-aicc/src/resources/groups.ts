/** Groups: Huawei skill queues (skill/*), their members bound through agentAccount/addSkillsToAgent. */
import {
  GroupInputSchema,
  GroupPatchSchema,
  InvalidResponseError,
  NotFoundError,
  ValidationError,
  groupAsWritten,
  listPages,
  type Agent,
  type AgentInput,
  type CallOptions,
  type CreateOptions,
  type DeleteOptions,
  type Group,
  type GroupInput,
  type GroupPatch,
  type ListOptions,
  type MappingWarning,
  type PagedIterable,
  type WritePreview,
} from '@contactkit/core';
import { MEDIA_TYPES_WITH_DEFAULT_SKILL_PARAM, groupFromWire, groupInputToWire, groupPatchToWire, memberWeights, membershipWarning, modelFieldOf, toNumber } from '../mapping';
import {
  AgentResultReplySchema,
  CreateSkillBodySchema,
  CreateSkillReplySchema,
  MAX_ACCOUNTS_PER_BINDING,
  MAX_PAGE_SIZE,
  MEDIA_TYPE_VALUES,
  ModifySkillBodySchema,
  SkillIdParamSchema,
  SkillMembersReplySchema,
  SkillMembershipSchema,
  SkillQueryReplySchema,
  SkillResultReplySchema,
  type CreateSkillBody,
  type SkillMembership,
  type WireSkill,
} from '../wire';
import { post, type ResourceContext } from './context';

export function listGroups(ctx: ResourceContext, options: ListOptions = {}): PagedIterable<Group> {
  const limit = ctx.pageSize(options);
  return listPages({
    vendor: ctx.vendor,
    operation: 'groups.list',
    style: 'offset',
    pageSize: limit,
    fetch: async ({ offset }) => {
      // limit and offset are strings in the parameter table
      const reply = await querySkills(ctx, { limit: String(limit), offset: String(offset) }, options.signal);
      return { items: reply.data ?? [], total: { items: toNumber(reply.total) } };
    },
    // the list does not read members (one more request per queue): memberIds null
    map: (skills) => skills.map((skill) => groupFromWire(skill, null).value),
  });
}

export async function getGroup(ctx: ResourceContext, id: string, options: CallOptions = {}): Promise<Group> {
  return readGroup(ctx, skillIdOf(ctx, id), options.signal);
}

export async function createGroup(ctx: ResourceContext, input: GroupInput, options: CreateOptions = {}): Promise<Group> {
  const { body, warnings, parsed, membership } = prepareCreate(ctx, input);
  ctx.warn('groups.create', warnings);
  const reply = await post(ctx, 'skill/createSkill', body, CreateSkillReplySchema, { idempotent: false, signal: options.signal });
  // the docs do not show skillId in the reply: use it when present, else look the queue up by name
  const skillId = toNumber(reply.skillId) ?? (await skillIdByName(ctx, body.name, options.signal));
  if (skillId === undefined) {
    throw new InvalidResponseError(`huawei-aicc created skill queue "${body.name}" but neither the reply nor querySkills gives its skillId`, { vendor: ctx.vendor });
  }
  const members = [...new Set(membership.userAccounts)];
  await addMembers(ctx, skillId, members, membership, options.signal);
  if (options.readBack === false) return groupAsWritten(ctx.vendor, String(skillId), { ...parsed, name: body.name, memberIds: members });
  return readGroup(ctx, skillId, options.signal);
}

export async function updateGroup(ctx: ResourceContext, id: string, patch: GroupPatch, options: CallOptions = {}): Promise<Group> {
  const skillId = skillIdOf(ctx, id);
  const parsed = ctx.validate(GroupPatchSchema, patch);
  const membership = checkGroupInput(ctx, parsed);
  const mapped = groupPatchToWire(skillId, parsed, { fitNames: ctx.fitNames });
  const body = mapped.value && ctx.validateWire(ModifySkillBodySchema, mapped.value, (path) => modelFieldOf(path, parsed));
  ctx.warn('groups.update', mapped.warnings);
  if (body) await post(ctx, 'skill/modifySkill', body, SkillResultReplySchema, { idempotent: true, signal: options.signal });
  if (parsed.memberIds !== undefined) await setMembers(ctx, skillId, membership, options.signal);
  return readGroup(ctx, skillId, options.signal);
}

export async function deleteGroup(ctx: ResourceContext, id: string, options: DeleteOptions = {}): Promise<void> {
  const skillId = skillIdOf(ctx, id);
  await post(ctx, 'skill/deleteSkill', { ...(options.vendorFields ?? {}), skillIds: String(skillId) }, SkillResultReplySchema, { idempotent: true, signal: options.signal });
}

export function previewGroup(ctx: ResourceContext, input: GroupInput): WritePreview {
  const { body, warnings } = prepareCreate(ctx, input);
  return { body: ctx.transport.redactor.redact(body), warnings };
}

/** Whether `member` can serve `group` (a skill queue's media type must fit the agent type): pure, no request. */
export function previewMembership(group: Group | GroupInput, member: Agent | AgentInput): MappingWarning | null {
  return membershipWarning(group, member);
}

// ---- validation and mapping ---------------------------------------------------------------------

function skillIdOf(ctx: ResourceContext, id: string): number {
  return Number(ctx.validate(SkillIdParamSchema, id, 'id'));
}

function prepareCreate(ctx: ResourceContext, input: GroupInput): { body: CreateSkillBody; warnings: MappingWarning[]; parsed: GroupInput; membership: SkillMembership } {
  const parsed = ctx.validate(GroupInputSchema, input);
  const membership = checkGroupInput(ctx, parsed);
  const mapped = groupInputToWire(parsed, { fitNames: ctx.fitNames });
  const media = mapped.value.mediaTypeId;
  // a media type needing answerFunction and waitVoice: one issue naming skillParam, not one per missing part
  if (parsed.vendorFields?.skillParam === undefined && MEDIA_TYPE_VALUES.some((m) => m === media) && !MEDIA_TYPES_WITH_DEFAULT_SKILL_PARAM.some((m) => m === media)) {
    const message = `mediaTypeId ${media} needs answerFunction and waitVoice, which have no safe default: pass vendorFields.skillParam`;
    throw new ValidationError([{ path: 'vendorFields.skillParam', message }], { vendor: ctx.vendor });
  }
  const body = ctx.validateWire(CreateSkillBodySchema, mapped.value, (path) => modelFieldOf(path, parsed));
  return { body, warnings: mapped.warnings, parsed, membership };
}

/** The members and binding weights a group write gives, checked as addSkillsToAgent takes them. */
function checkGroupInput(ctx: ResourceContext, input: GroupPatch): SkillMembership {
  // by hand: the wire cannot tell a skillId the caller passed from the one Huawei assigned
  if (input.vendorFields?.skillId !== undefined) throw new ValidationError([{ path: 'vendorFields.skillId', message: 'the skillId is assigned by Huawei' }], { vendor: ctx.vendor });
  const membership = { userAccounts: input.memberIds ?? [], ...memberWeights(input.vendorFields) };
  return ctx.validateWire(SkillMembershipSchema, membership, (path) => modelFieldOf(path, input));
}

// ---- reads and member bindings ------------------------------------------------------------------

async function querySkills(ctx: ResourceContext, body: Record<string, unknown>, signal?: AbortSignal) {
  return post(ctx, 'skill/querySkills', body, SkillQueryReplySchema, { idempotent: true, signal });
}

async function readGroup(ctx: ResourceContext, skillId: number, signal?: AbortSignal): Promise<Group> {
  const reply = await querySkills(ctx, { limit: String(MAX_PAGE_SIZE), offset: '0', skillIds: [String(skillId)] }, signal);
  const skill: WireSkill | undefined = (reply.data ?? []).find((s) => String(s.skillId) === String(skillId));
  if (!skill) throw new NotFoundError(`huawei-aicc has no skill queue ${skillId}`, { vendor: ctx.vendor });
  return groupFromWire(skill, await memberAccounts(ctx, skillId, signal)).value;
}

async function skillIdByName(ctx: ResourceContext, name: string, signal?: AbortSignal): Promise<number | undefined> {
  const reply = await querySkills(ctx, { name, limit: String(MAX_PAGE_SIZE), offset: '0' }, signal);
  const ids = (reply.data ?? []).filter((s) => s.name === name).map((s) => toNumber(s.skillId)).filter((n): n is number => n !== undefined);
  return ids.length > 0 ? Math.max(...ids) : undefined;
}

async function memberAccounts(ctx: ResourceContext, skillId: number, signal?: AbortSignal): Promise<string[]> {
  const members = listPages({
    vendor: ctx.vendor,
    operation: 'groups.members',
    style: 'page-number',
    pageSize: MAX_PAGE_SIZE,
    firstPage: 0,
    fetch: async ({ page }) => {
      const body = { skillId, pageSize: MAX_PAGE_SIZE, pageNum: page };
      const reply = await post(ctx, 'agentAccount/queryAgentInfoBySkillId', body, SkillMembersReplySchema, { idempotent: true, signal, wrap: 'requestParam' });
      return { items: reply.data ?? [], total: { items: toNumber(reply.total) } };
    },
    map: (wires) => wires.map((member) => member.userAccount),
  });
  return [...new Set(await members.toArray())];
}

/** Makes the queue's members exactly `membership.userAccounts`: releases the others, binds the missing. */
async function setMembers(ctx: ResourceContext, skillId: number, membership: SkillMembership, signal?: AbortSignal): Promise<void> {
  const wanted = [...new Set(membership.userAccounts)];
  const current = await memberAccounts(ctx, skillId, signal);
  await releaseMembers(ctx, skillId, current.filter((a) => !wanted.includes(a)), signal);
  await addMembers(ctx, skillId, wanted.filter((a) => !current.includes(a)), membership, signal);
}

async function addMembers(ctx: ResourceContext, skillId: number, accounts: readonly string[], weights: SkillMembership, signal?: AbortSignal): Promise<void> {
  for (const batch of chunks(accounts, MAX_ACCOUNTS_PER_BINDING)) {
    const body = { userAccounts: batch, skillId, agentWeight: weights.agentWeight, skillWeight: weights.skillWeight };
    // binding is a set operation: replaying it leaves the same state
    await post(ctx, 'agentAccount/addSkillsToAgent', body, AgentResultReplySchema, { idempotent: true, signal });
  }
}

async function releaseMembers(ctx: ResourceContext, skillId: number, accounts: readonly string[], signal?: AbortSignal): Promise<void> {
  // chunks are never empty: Huawei reads `userAccounts: []` as "release every agent of the skill"
  for (const batch of chunks(accounts, MAX_ACCOUNTS_PER_BINDING)) {
    await post(ctx, 'agentAccount/releaseAgentBySkillId', { skillId, userAccounts: batch }, AgentResultReplySchema, { idempotent: true, signal });
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
