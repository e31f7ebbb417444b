import { randomUUID } from 'node:crypto';
import {
  generatePassword,
  isContactKitError,
  ValidationError,
  type Agent,
  type AgentInput,
  type ContactCenterClient,
  type Group,
  type MappingWarning,
  type Role,
} from '@contactkit/core';
import type {
  AgentPlanEntry,
  EntityKind,
  GroupPlanEntry,
  MembershipPlanEntry,
  MigrationPlan,
  PlanAction,
  PlanOptions,
  RolePlanEntry,
} from './plan-types';
import { parseVendor } from './config';
import { collect, sameSet } from './util';

export interface PlanContext {
  signal?: AbortSignal;
  onProgress?: (event: { phase: string; done: number; total?: number }) => void;
  /**
   * What an earlier run already mapped: journal key (`<source vendor>:<agent|group>:<source id>`) →
   * target id (`new JournalState(await journal.load()).done`). Matched first, before email or name.
   */
  idMap?: ReadonlyMap<string, string>;
}

/** Reads both sides and decides, per entity, create / update / skip / conflict, with reasons. */
export async function plan(
  source: ContactCenterClient,
  target: ContactCenterClient,
  options: PlanOptions = {},
  context: PlanContext = {},
): Promise<MigrationPlan> {
  const includeDisabled = options.includeDisabled ?? true;
  const { signal } = context;
  const progress = context.onProgress ?? (() => {});
  const warnings: string[] = [];

  progress({ phase: 'read roles', done: 0 });
  const [sourceRoles, targetRoles] = await Promise.all([source.roles.list({ signal }), target.roles.list({ signal })]);
  const roles = planRoles(target, sourceRoles, targetRoles, options, warnings);
  const roleMap = new Map(roles.filter((r) => r.targetId).map((r) => [r.sourceId, r.targetId!]));
  const defaultTargetRoleId = fallbackRole(target, targetRoles, options)?.id ?? null;

  progress({ phase: 'read groups', done: 0 });
  const sourceGroups = await withMembers(source, await collect(source.groups.list({ signal })), signal);
  const targetGroups = await collect(target.groups.list({ signal }));
  const idOf = (kind: 'agent' | 'group', sourceId: string) => context.idMap?.get(`${source.vendor}:${kind}:${sourceId}`);
  const groups = planGroups(sourceGroups, targetGroups, target, (id) => idOf('group', id));

  progress({ phase: 'read agents', done: 0 });
  const sourceAgents: Agent[] = [];
  for await (const agent of source.agents.list({ includeDisabled, signal })) {
    sourceAgents.push(agent);
    if (sourceAgents.length % 500 === 0) progress({ phase: 'read source agents', done: sourceAgents.length });
  }
  const targetByEmail = new Map<string, Agent>();
  const targetById = new Map<string, Agent>();
  for await (const agent of target.agents.list({ includeDisabled: true, signal })) {
    targetByEmail.set(agent.email.toLowerCase(), agent);
    targetById.set(agent.id, agent);
  }

  const agents = planAgents(sourceAgents, { byEmail: targetByEmail, byId: targetById, mapped: (id) => idOf('agent', id) }, roleMap, defaultTargetRoleId, source, target);
  if (target.agents.loginNameFor) assignLoginNames(agents, targetById, target.agents.loginNameFor);
  let unverifiedRoles = 0;
  for (const a of agents) {
    const matched = a.action !== 'conflict' && a.targetId ? targetById.get(a.targetId) : undefined;
    if (matched && unknownFields(target, matched).includes('roleIds')) unverifiedRoles++;
  }
  if (unverifiedRoles) warnings.push(`${unverifiedRoles} matched ${target.vendor} agent(s): their current roles cannot be read from the list, so roles were not compared (an update sends the mapped roles only when another field changes)`);
  const unknownSourceRoles = sourceAgents.filter((a) => unknownFields(source, a).includes('roleIds')).length;
  if (unknownSourceRoles) warnings.push(`${unknownSourceRoles} source agent(s) were listed without role ids: they get the fallback role; read them with roleIdsOnList: 'get_agent' to keep their roles`);
  // a target that needs ids on every create the source cannot give (Udesk: a group and a department)
  const missingDefaults = (target as { missingDefaults?: () => string[] }).missingDefaults?.() ?? [];
  const needed = missingDefaults.filter((field) => agents.some((a) => a.action === 'conflict' && a.reason.includes(`${field}:`)));
  if (needed.length) warnings.push(`${target.vendor} needs ${needed.join(', ')} on every create: set ${target.vendor}.defaults in the config (ids of existing ${target.vendor} entities), then plan again`);

  const memberships = planMemberships(sourceGroups, groups, agents, targetGroups, targetByEmail, target, warnings);

  summariseLosses(agents, warnings);
  return {
    format: 'contactkit-migration-plan',
    version: 1,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    source: { vendor: parseVendor(source.vendor, 'source') },
    target: { vendor: parseVendor(target.vendor, 'target') },
    options: { ...options, includeDisabled },
    defaultTargetRoleId,
    roles,
    groups,
    agents,
    memberships,
    warnings,
    summary: summarise(roles, groups, agents),
    estimate: estimateApply(target, groups, agents, memberships, targetGroups.length),
  };
}

/**
 * The requests apply will send to the target, phase by phase, as apply spends them: one per create
 * (no read-back), a read and a write per update, a read and a write per membership set unless every
 * member joins its groups in its own create, and Udesk's PUT to disable an agent its create cannot.
 */
export function estimateApply(
  target: Pick<ContactCenterClient, 'vendor' | 'capabilities'>,
  groups: GroupPlanEntry[],
  agents: AgentPlanEntry[],
  memberships: MembershipPlanEntry[],
  targetGroupCount: number,
): NonNullable<MigrationPlan['estimate']> {
  const creates = (entries: Array<GroupPlanEntry | AgentPlanEntry>) => entries.filter((e) => e.action === 'create').length;
  const updates = (entries: Array<GroupPlanEntry | AgentPlanEntry>) => entries.filter((e) => e.action === 'update').length;
  const listPages = Math.max(1, Math.ceil((targetGroupCount + creates(groups)) / 100));
  const disabledCreates = target.capabilities.agents.statusInCreate === false ? agents.filter((a) => a.action === 'create' && a.input.status === 'disabled').length : 0;
  const createdIds = new Set(agents.filter((a) => a.action === 'create').map((a) => a.sourceId));
  const joinAtCreate = target.capabilities.agents.groupsInCreate === true;
  const membershipSets = memberships.filter((m) => m.sourceMemberIds.length > 0 && !(joinAtCreate && m.sourceMemberIds.every((id) => createdIds.has(id)))).length;
  const byPhase = {
    groups: listPages + creates(groups) + 2 * updates(groups),
    agents: creates(agents) + disabledCreates + 2 * updates(agents),
    memberships: 2 * membershipSets,
  };
  return { requests: byPhase.groups + byPhase.agents + byPhase.memberships, byPhase };
}

/**
 * Which source members each target group should get. Members the target cannot hold in that group
 * (its `previewMembership` says why) are listed as excluded, with the reason, instead of failing at apply.
 */
function planMemberships(
  sourceGroups: Group[],
  groups: GroupPlanEntry[],
  agents: AgentPlanEntry[],
  targetGroups: Group[],
  targetByEmail: Map<string, Agent>,
  target: ContactCenterClient,
  warnings: string[],
): MembershipPlanEntry[] {
  const plannedAgents = new Map(agents.filter((a) => a.action !== 'conflict').map((a) => [a.sourceId, a]));
  const targetGroupById = new Map(targetGroups.map((g) => [g.id, g]));
  const check = target.groups.previewMembership?.bind(target.groups);
  let excludedCount = 0;
  const out = groups
    .filter((g) => g.action !== 'conflict')
    .map((g) => {
      const group = sourceGroups.find((s) => s.id === g.sourceId)!;
      const targetGroup = (g.targetId && targetGroupById.get(g.targetId)) || g.input;
      const sourceMemberIds: string[] = [];
      const excluded: MembershipPlanEntry['excluded'] = [];
      for (const id of group.memberIds ?? []) {
        const agent = plannedAgents.get(id);
        if (!agent) continue;
        // an agent that stays as it is on the target is judged as it is there; the others as they will be written
        const member = agent.action === 'skip' ? targetByEmail.get(agent.input.email.toLowerCase()) ?? agent.input : agent.input;
        const warning = check?.(targetGroup, member) ?? null;
        if (warning) excluded.push({ sourceId: id, label: agent.label, reason: warning.message });
        else sourceMemberIds.push(id);
      }
      excludedCount += excluded.length;
      return { sourceGroupId: g.sourceId, groupLabel: g.label, sourceMemberIds, excluded };
    });
  if (excludedCount) warnings.push(`${excludedCount} group membership(s) cannot be carried over to ${target.vendor} (see memberships[].excluded)`);
  return out;
}

async function withMembers(client: ContactCenterClient, groups: Group[], signal?: AbortSignal): Promise<Group[]> {
  const out: Group[] = [];
  for (const g of groups) out.push(g.memberIds === null ? await client.groups.get(g.id, { signal }) : g);
  return out;
}


function findRole(targetRoles: Role[], ref: string | undefined): Role | undefined {
  return ref === undefined ? undefined : targetRoles.find((r) => r.id === ref) ?? targetRoles.find((r) => r.name.toLowerCase() === ref.toLowerCase());
}

/**
 * The role for agents whose roles are not mapped, or who have none: the configured one, else the one
 * the target adapter names least privileged (it knows its vendor's roles), else none.
 */
export function fallbackRole(target: ContactCenterClient, targetRoles: Role[], options: PlanOptions): Role | undefined {
  return findRole(targetRoles, options.defaultTargetRole) ?? target.roles.leastPrivileged(targetRoles);
}

function planRoles(target: ContactCenterClient, sourceRoles: Role[], targetRoles: Role[], options: PlanOptions, warnings: string[]): RolePlanEntry[] {
  const find = (ref: string | undefined) => findRole(targetRoles, ref);
  const fallback = fallbackRole(target, targetRoles, options);
  if (options.defaultTargetRole && !find(options.defaultTargetRole)) {
    warnings.push(`defaultTargetRole "${options.defaultTargetRole}" is not a target role; using "${fallback?.name ?? 'none'}"`);
  }
  return sourceRoles.map((role) => {
    const configured = options.roleMap?.[role.id] ?? options.roleMap?.[role.name];
    const mapped = find(configured);
    if (mapped) {
      return entry(role, 'skip', `mapped to target role "${mapped.name}" by roleMap`, mapped.id, []);
    }
    const sameName = targetRoles.find((r) => r.name.toLowerCase() === role.name.toLowerCase());
    if (!configured && sameName) return entry(role, 'skip', `mapped to target role "${sameName.name}" (same name)`, sameName.id, []);
    if (!fallback) return entry(role, 'conflict', 'not mapped, and the target has no least-privileged role to fall back to (set defaultTargetRole)', null, []);
    const why = configured ? `roleMap names "${configured}", which is not a target role` : 'not in roleMap';
    const warning = `role "${role.name}" (${role.id}) ${why}: falls back to the least-privileged target role "${fallback.name}"`;
    warnings.push(warning);
    return entry(role, 'skip', `mapped to "${fallback.name}" (fallback)`, fallback.id, [{ field: 'roleIds', message: warning, value: role.id }]);
  });

  function entry(role: Role, action: PlanAction, reason: string, targetId: string | null, w: MappingWarning[]): RolePlanEntry {
    return { kind: 'role', sourceId: role.id, label: role.name, action, reason, targetId, warnings: w };
  }
}

function planGroups(sourceGroups: Group[], targetGroups: Group[], target: ContactCenterClient, mapped: (sourceId: string) => string | undefined): GroupPlanEntry[] {
  const targetByName = new Map(targetGroups.map((g) => [g.name.trim(), g]));
  const targetById = new Map(targetGroups.map((g) => [g.id, g]));
  const seen = new Set<string>();
  return sourceGroups.map((group) => {
    const sourceName = group.name.trim();
    const base = { kind: 'group' as const, sourceId: group.id, label: sourceName, input: { name: sourceName }, targetId: null, warnings: [] as MappingWarning[] };
    try {
      base.warnings = target.groups.preview({ name: sourceName }).warnings;
    } catch (error) {
      return { ...base, action: 'conflict' as const, reason: describeInvalid(error) };
    }
    // a name the target fits (Huawei: blanks become "_") is planned, matched and verified as the target stores it
    const fitted = [...base.warnings].reverse().find((w) => w.field === 'name' && typeof w.written === 'string')?.written as string | undefined;
    const name = fitted ?? sourceName;
    base.input = { name };
    if (seen.has(name)) return { ...base, action: 'conflict' as const, reason: `another source group is also named "${name}" on the target` };
    seen.add(name);
    const byId = targetById.get(mapped(group.id) ?? '');
    if (byId) return { ...base, action: 'skip' as const, reason: 'mapped by an earlier run (id map)', targetId: byId.id };
    const existing = targetByName.get(name);
    if (existing) return { ...base, action: 'skip' as const, reason: 'a target group has the same name', targetId: existing.id };
    return { ...base, action: 'create' as const, reason: 'not on the target' };
  });
}

/** Source agent → what the target should hold. Group membership is a separate phase. */
export function toTargetInput(
  agent: Agent,
  roleMap: Map<string, string>,
  sameVendor: boolean,
  defaultRoleId: string | null = null,
): { input: AgentInput; warnings: MappingWarning[] } {
  const warnings: MappingWarning[] = [];
  const mapped = [...new Set(agent.roleIds.map((id) => roleMap.get(id)).filter((id): id is string => id !== undefined))];
  // an agent with no role gets the fallback role explicitly, rather than whatever the target defaults to
  const roleIds = mapped.length === 0 && defaultRoleId ? [defaultRoleId] : mapped;
  const input: AgentInput = {
    email: agent.email,
    name: agent.name,
    nickname: agent.nickname,
    phone: agent.phone,
    status: agent.status,
    channels: agent.channels,
    roleIds,
    employeeNo: agent.employeeNo,
    locale: agent.locale,
  };
  if (sameVendor) {
    input.departmentIds = agent.departmentIds;
    if (agent.loginName) input.loginName = agent.loginName;
  } else if (agent.departmentIds.length > 0) {
    warnings.push({ field: 'departmentIds', message: 'departments are not migrated across vendors', value: agent.departmentIds });
  }
  return { input, warnings };
}

interface TargetAgents {
  byEmail: Map<string, Agent>;
  byId: Map<string, Agent>;
  /** the target id an earlier run mapped this source id to */
  mapped: (sourceId: string) => string | undefined;
}

function planAgents(
  sourceAgents: Agent[],
  targets: TargetAgents,
  roleMap: Map<string, string>,
  defaultRoleId: string | null,
  source: ContactCenterClient,
  target: ContactCenterClient,
): AgentPlanEntry[] {
  const seenEmails = new Set<string>();
  const samplePassword = generatePassword(target.passwordRules);
  return sourceAgents.map((agent) => {
    const { input, warnings: mapWarnings } = toTargetInput(agent, roleMap, source.vendor === target.vendor, defaultRoleId);
    const base = { kind: 'agent' as const, sourceId: agent.id, label: agent.email, input, targetId: null as string | null, warnings: mapWarnings };
    const email = agent.email.toLowerCase();
    if (seenEmails.has(email)) return { ...base, action: 'conflict' as const, reason: `another source agent has the email ${agent.email}` };
    seenEmails.add(email);
    try {
      // validated and mapped exactly as the create would be (with a throwaway password)
      base.warnings = [...mapWarnings, ...target.agents.preview({ ...input, password: samplePassword }).warnings];
    } catch (error) {
      return { ...base, action: 'conflict' as const, reason: describeInvalid(error) };
    }
    // the id map of an earlier run first, then the email
    const byId = targets.byId.get(targets.mapped(agent.id) ?? '');
    const existing = byId ?? targets.byEmail.get(email);
    const how = byId ? 'the target agent mapped by an earlier run' : 'the target agent with this email';
    if (!existing) return { ...base, action: 'create' as const, reason: 'no target agent has this email' };
    const changes = diffAgent(existing, input, base.warnings, unknownFields(target, existing));
    if (changes.length === 0) return { ...base, action: 'skip' as const, reason: `${how} is up to date`, targetId: existing.id };
    return { ...base, action: 'update' as const, reason: `${how} differs in ${changes.join(', ')}`, targetId: existing.id, changes };
  });
}

const COMPARED = ['name', 'nickname', 'phone', 'status', 'channels', 'roleIds'] as const;

/** Fields a read of `agent` could not tell, as its adapter says (Udesk's list carries no role ids): never compared. */
export function unknownFields(client: ContactCenterClient, agent: Agent): string[] {
  return client.agents.unknownFields?.(agent) ?? [];
}

/** Fields whose target value differs from the input; lossy fields (warnings) and fields the read could not tell are not compared. */
export function diffAgent(existing: Agent, input: AgentInput, warnings: MappingWarning[], unknown: readonly string[] = []): string[] {
  const lossy = new Set([...warnings.map((w) => w.field.split('.')[0]), ...unknown]);
  const changes: string[] = [];
  // matched by the id map, an agent may have changed its email on the source
  if (existing.email.toLowerCase() !== input.email.toLowerCase()) changes.push('email');
  for (const field of COMPARED) {
    if (lossy.has(field)) continue;
    const want = input[field];
    if (want === undefined) continue;
    const have = existing[field];
    if (Array.isArray(want) && Array.isArray(have)) {
      if (!sameSet(want, have)) changes.push(field);
    } else if ((want ?? '') !== (have ?? '')) {
      changes.push(field);
    }
  }
  return changes;
}

function describeInvalid(error: unknown): string {
  if (error instanceof ValidationError) return `the target rejects it: ${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  if (isContactKitError(error)) return `the target rejects it: ${error.message}`;
  throw error;
}

function summariseLosses(agents: AgentPlanEntry[], warnings: string[]): void {
  const byField = new Map<string, number>();
  for (const a of agents) for (const field of new Set(a.warnings.map((w) => w.field))) byField.set(field, (byField.get(field) ?? 0) + 1);
  for (const [field, count] of [...byField].sort((a, b) => b[1] - a[1])) {
    warnings.push(`${count} agent(s): ${field} cannot be carried over exactly (see each agent's warnings)`);
  }
}

function summarise(roles: RolePlanEntry[], groups: GroupPlanEntry[], agents: AgentPlanEntry[]): MigrationPlan['summary'] {
  const empty = (): Record<PlanAction, number> => ({ create: 0, update: 0, skip: 0, conflict: 0 });
  const summary: Record<EntityKind, Record<PlanAction, number>> = { role: empty(), group: empty(), agent: empty() };
  for (const e of [...roles, ...groups, ...agents]) summary[e.kind][e.action]++;
  return summary;
}

/**
 * Sign-in accounts a target needs besides the email (Huawei's userAccount) must be unique; without one
 * the adapter checks each candidate with a query at create time. The plan already holds every target
 * account, so it picks unique ones here: one request fewer per agent, with the create's conflict
 * error as the backstop.
 */
function assignLoginNames(agents: AgentPlanEntry[], targetById: ReadonlyMap<string, Agent>, loginNameFor: (email: string, taken: (candidate: string) => boolean) => string): void {
  const taken = new Set([...targetById.values()].flatMap((a) => [a.id, a.loginName ?? '']).map((x) => x.toLowerCase()));
  for (const a of agents) if (a.input.loginName) taken.add(a.input.loginName.toLowerCase());
  for (const a of agents) {
    if (a.action !== 'create' || a.input.loginName) continue;
    const account = loginNameFor(a.input.email, (candidate) => taken.has(candidate.toLowerCase()));
    taken.add(account.toLowerCase());
    a.input.loginName = account;
  }
}
