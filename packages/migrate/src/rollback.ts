import { isContactKitError, ValidationError, type ContactCenterClient } from '@contactkit/core';
import { bindingDifferences, JournalMismatchError, type ApplyFailure } from './apply';
import { JournalState, type JournalStore } from './journal';
import type { MigrationPlan } from './plan-types';
import { runPool } from './util';

/** One thing a rollback undoes: only ever something the journal records as made by its own apply. */
export interface RollbackStep {
  kind: 'membership' | 'agent' | 'group';
  key: string;
  targetId: string;
  /** the agent's email or the group's name, as the plan wrote it */
  label: string;
  /** membership steps: the member ids the apply added, the only ones removed */
  memberIds?: string[];
}

export type RollbackOutcome = 'deleted' | 'membersRemoved' | 'alreadyGone' | 'notOurs' | 'failed';

export interface RollbackReport {
  planId: string;
  target: string;
  dryRun: boolean;
  /** newest first: memberships, then agents, then groups */
  steps: RollbackStep[];
  counts: Partial<Record<RollbackOutcome, number>>;
  failures: ApplyFailure[];
  /** entities whose id now names something else (a vendor that reuses ids): left alone */
  notOurs: Array<{ step: RollbackStep; found: string }>;
  interrupted?: { done: number; total: number };
  ok: boolean;
}

export interface RollbackOptions {
  target: ContactCenterClient;
  /** the journal the apply wrote; the rollback journals into it too, so it resumes and a later apply recreates */
  journal: JournalStore;
  /** list what would be undone, change nothing (the default in the CLI) */
  dryRun?: boolean;
  concurrency?: number;
  stop?: AbortSignal;
  /** vendor fields for agent deletes (Udesk: `owner_group_id`, the group that takes over the agent's customers) */
  agentDeleteFields?: Record<string, unknown>;
  tenants?: { source?: string | undefined; target?: string | undefined };
  onProgress?: (event: { phase: 'rollback'; done: number; total: number }) => void;
}

/** What the journal made, newest first: memberships the apply added, then the agents, then the groups it created. */
export function rollbackSteps(plan: MigrationPlan, state: JournalState): RollbackStep[] {
  const labels = new Map<string, string>();
  for (const g of plan.groups) labels.set(`${plan.source.vendor}:group:${g.sourceId}`, g.input.name);
  for (const a of plan.agents) labels.set(`${plan.source.vendor}:agent:${a.sourceId}`, a.input.email);
  const newestFirst = [...state.order].reverse();
  const stepsOf = (kind: RollbackStep['kind']) =>
    newestFirst.filter((key) => key.split(':')[1] === kind).flatMap((key): RollbackStep[] => {
      const targetId = state.done.get(key)!;
      if (kind === 'membership') {
        const groupKey = key.replace(':membership:', ':group:');
        const memberIds = state.added.get(key);
        // a group the apply created is deleted whole; only groups that were there before lose members
        const existedBefore = state.done.has(groupKey) && !state.created.has(groupKey);
        return memberIds?.length && existedBefore ? [{ kind, key, targetId, label: labels.get(groupKey) ?? targetId, memberIds }] : [];
      }
      return state.created.has(key) ? [{ kind, key, targetId, label: labels.get(key) ?? targetId }] : [];
    });
  return [...stepsOf('membership'), ...stepsOf('agent'), ...stepsOf('group')];
}

/**
 * Deletes exactly what an apply created on the target, newest first, and removes the members it
 * added to groups that existed before. Each entity is read first and left alone unless it is still
 * the one the journal made (same email or name). Journaled and resumable; NotFound counts as done.
 */
export async function rollback(plan: MigrationPlan, options: RollbackOptions): Promise<RollbackReport> {
  const { target, journal } = options;
  if (target.vendor !== plan.target.vendor) {
    throw new ValidationError([{ path: 'target', message: `the plan targets ${plan.target.vendor}, but the client is ${target.vendor}` }]);
  }
  await journal.open?.(options.dryRun ? 'contactkit migrate rollback (dry run)' : 'contactkit migrate rollback');
  try {
    const state = new JournalState(await journal.load());
    if (!state.binding && state.done.size === 0) throw new ValidationError([{ path: 'journal', message: 'is empty: this journal has applied nothing, so there is nothing to roll back' }]);
    if (state.binding) {
      const differences = bindingDifferences(state.binding, { planId: plan.id, source: { vendor: plan.source.vendor, tenant: options.tenants?.source }, target: { vendor: plan.target.vendor, tenant: options.tenants?.target } });
      if (differences.length) throw new JournalMismatchError(differences);
    }
    const steps = rollbackSteps(plan, state);
    const report: RollbackReport = { planId: plan.id, target: plan.target.vendor, dryRun: !!options.dryRun, steps, counts: {}, failures: [], notOurs: [], ok: true };
    if (!options.dryRun) await undo(steps, options, report);
    report.ok = report.failures.length === 0 && !report.interrupted;
    return report;
  } finally {
    await journal.close();
  }
}

async function undo(steps: RollbackStep[], options: RollbackOptions, report: RollbackReport): Promise<void> {
  const { journal } = options;
  const count = (outcome: RollbackOutcome) => (report.counts[outcome] = (report.counts[outcome] ?? 0) + 1);
  let done = 0;
  const stopped = () => !!options.stop?.aborted;
  // memberships first, then agents, then groups: a phase starts once the one before has settled
  for (const kind of ['membership', 'agent', 'group'] as const) {
    await runPool(steps.filter((s) => s.kind === kind), Math.max(1, options.concurrency ?? 4), async (step) => {
      try {
        const outcome = await undoStep(step, options);
        if (outcome.found !== undefined) report.notOurs.push({ step, found: outcome.found });
        else await journal.append({ type: 'undone', key: step.key, at: new Date().toISOString(), note: outcome.outcome });
        count(outcome.outcome);
      } catch (error) {
        if (!isContactKitError(error)) throw error; // a broken journal or a bug: stop
        count('failed');
        report.failures.push({ kind: step.kind, sourceId: step.key.split(':').slice(2).join(':'), label: step.label, code: error.code, vendorCode: error.vendorCode, message: error.message });
      } finally {
        options.onProgress?.({ phase: 'rollback', done: ++done, total: steps.length });
      }
    }, stopped);
  }
  if (stopped() && done < steps.length) report.interrupted = { done, total: steps.length };
}

const isNotFound = (error: unknown) => isContactKitError(error) && error.code === 'NOT_FOUND';

async function undoStep(step: RollbackStep, options: RollbackOptions): Promise<{ outcome: RollbackOutcome; found?: string }> {
  const { target } = options;
  if (step.kind === 'agent') {
    const agent = await target.agents.get(step.targetId).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
    if (!agent) return { outcome: 'alreadyGone' };
    if (agent.email.toLowerCase() !== step.label.toLowerCase()) return { outcome: 'notOurs', found: agent.email };
    await target.agents.delete(step.targetId, { vendorFields: options.agentDeleteFields }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    return { outcome: 'deleted' };
  }
  const group = await target.groups.get(step.targetId).catch((e) => (isNotFound(e) ? null : Promise.reject(e)));
  if (!group) return { outcome: 'alreadyGone' };
  if (group.name.trim() !== step.label.trim()) return { outcome: 'notOurs', found: group.name };
  if (step.kind === 'group') {
    await target.groups.delete(step.targetId).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    return { outcome: 'deleted' };
  }
  const added = new Set(step.memberIds);
  const members = group.memberIds ?? [];
  if (!members.some((id) => added.has(id))) return { outcome: 'alreadyGone' };
  await target.groups.update(step.targetId, { memberIds: members.filter((id) => !added.has(id)) });
  return { outcome: 'membersRemoved' };
}
