import type { Agent, ContactCenterClient, Group } from '@contactkit/core';
import { diffAgent, toTargetInput, unknownFields } from './plan';
import type { MigrationPlan } from './plan-types';

export interface Difference {
  kind: 'agent' | 'group' | 'membership';
  sourceId: string;
  label: string;
  problem: 'missing' | 'duplicate' | 'differs' | 'member-missing';
  detail: string;
}

export interface VerifyReport {
  planId: string;
  checked: { agents: number; groups: number; memberships: number };
  differences: Difference[];
  ok: boolean;
}

/**
 * Diffs the two sides after a run: every planned agent and group exists once on the target, with
 * the mapped fields (lossy fields aside), and every planned membership holds.
 */
export async function verify(
  plan: MigrationPlan,
  clients: { source: ContactCenterClient; target: ContactCenterClient; signal?: AbortSignal },
): Promise<VerifyReport> {
  const { source, target, signal } = clients;
  const differences: Difference[] = [];
  const targetAgents = new Map<string, Agent[]>();
  for await (const a of target.agents.list({ includeDisabled: true, signal })) {
    const key = a.email.toLowerCase();
    targetAgents.set(key, [...(targetAgents.get(key) ?? []), a]);
  }
  const targetGroups = new Map<string, Group[]>();
  for await (const g of target.groups.list({ signal })) {
    const key = g.name.trim();
    targetGroups.set(key, [...(targetGroups.get(key) ?? []), g]);
  }
  // re-read the source: verify compares today's source with today's target, not the plan's snapshot
  const sourceAgents = new Map<string, Agent>();
  for await (const a of source.agents.list({ includeDisabled: plan.options.includeDisabled, signal })) sourceAgents.set(a.id, a);
  const roleMap = new Map(plan.roles.filter((r) => r.targetId).map((r) => [r.sourceId, r.targetId!]));

  const agentIdBySource = new Map<string, string>();
  let agentsChecked = 0;
  for (const entry of plan.agents) {
    if (entry.action === 'conflict') continue;
    agentsChecked++;
    const matches = targetAgents.get(entry.input.email.toLowerCase()) ?? [];
    if (matches.length === 0) {
      differences.push({ kind: 'agent', sourceId: entry.sourceId, label: entry.label, problem: 'missing', detail: 'no target agent has this email' });
      continue;
    }
    if (matches.length > 1) {
      differences.push({ kind: 'agent', sourceId: entry.sourceId, label: entry.label, problem: 'duplicate', detail: `${matches.length} target agents have this email` });
    }
    const found = matches[0]!;
    agentIdBySource.set(entry.sourceId, found.id);
    const current = sourceAgents.get(entry.sourceId);
    const input = current ? toTargetInput(current, roleMap, source.vendor === target.vendor, plan.defaultTargetRoleId ?? null).input : entry.input;
    const changes = diffAgent(found, input, entry.warnings, unknownFields(target, found));
    if (changes.length) {
      differences.push({ kind: 'agent', sourceId: entry.sourceId, label: entry.label, problem: 'differs', detail: `differs in ${changes.join(', ')}` });
    }
  }

  let groupsChecked = 0;
  const groupIdBySource = new Map<string, string>();
  for (const entry of plan.groups) {
    if (entry.action === 'conflict') continue;
    groupsChecked++;
    const matches = targetGroups.get(entry.input.name.trim()) ?? [];
    if (matches.length === 0) {
      differences.push({ kind: 'group', sourceId: entry.sourceId, label: entry.label, problem: 'missing', detail: 'no target group has this name' });
      continue;
    }
    if (matches.length > 1) {
      differences.push({ kind: 'group', sourceId: entry.sourceId, label: entry.label, problem: 'duplicate', detail: `${matches.length} target groups have this name` });
    }
    groupIdBySource.set(entry.sourceId, matches[0]!.id);
  }

  let membershipsChecked = 0;
  for (const m of plan.memberships) {
    const groupId = groupIdBySource.get(m.sourceGroupId);
    if (!groupId) continue;
    const group = await target.groups.get(groupId, { signal });
    const members = new Set(group.memberIds ?? []);
    for (const sourceId of m.sourceMemberIds) {
      membershipsChecked++;
      const agentId = agentIdBySource.get(sourceId);
      if (agentId && !members.has(agentId)) {
        differences.push({ kind: 'membership', sourceId, label: m.groupLabel, problem: 'member-missing', detail: `agent ${agentId} is not a member of group "${m.groupLabel}"` });
      }
    }
  }
  return {
    planId: plan.id,
    checked: { agents: agentsChecked, groups: groupsChecked, memberships: membershipsChecked },
    differences,
    ok: differences.length === 0,
  };
}
