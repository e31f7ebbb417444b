import { redact } from '@contactkit/core';
import type { ApplyReport } from '../apply';
import type { EntityKind, MigrationPlan, PlanAction } from '../plan-types';
import type { Timeline } from '../telemetry';
import type { VerifyReport } from '../verify';

/** What a report is drawn from: the plan, and for apply / verify their outcome. */
export type ReportInput =
  | { kind: 'plan'; plan: MigrationPlan }
  | { kind: 'apply'; plan: MigrationPlan; apply: ApplyReport; timeline?: Timeline | undefined }
  | { kind: 'verify'; plan: MigrationPlan; verify: VerifyReport };

export const KINDS: readonly EntityKind[] = ['role', 'group', 'agent'];
export const ACTIONS: readonly PlanAction[] = ['create', 'update', 'skip', 'conflict'];

export interface ReportModel {
  kind: ReportInput['kind'];
  title: string;
  planId: string;
  createdAt: string;
  source: string;
  target: string;
  /** planned actions per entity kind */
  totals: Record<EntityKind, Record<PlanAction, number>>;
  /** agents whose mapping loses something, per agent field */
  lossyFields: Array<{ field: string; agents: number }>;
  roles: Array<{ sourceId: string; name: string; action: string; targetId: string; reason: string }>;
  conflicts: Array<{ kind: string; sourceId: string; label: string; reason: string }>;
  excluded: Array<{ group: string; sourceId: string; label: string; reason: string }>;
  warnings: string[];
  /** what the plan estimates apply will send to the target */
  estimate?: MigrationPlan['estimate'];
  apply?: { targetRequests?: ApplyReport['targetRequests'] | undefined; counts: ApplyReport['counts']; failures: ApplyReport['failures']; transport: ApplyReport['transport']; durationMs: number; ok: boolean; interrupted?: ApplyReport['interrupted']; timeline?: Timeline | undefined };
  verify?: { checked: VerifyReport['checked']; differences: VerifyReport['differences']; ok: boolean };
}

/** The numbers and tables every format shows; redacted, so no format can carry a secret. */
export function reportModel(input: ReportInput): ReportModel {
  const { plan } = input;
  const totals = Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(ACTIONS.map((a) => [a, plan.summary[k]?.[a] ?? 0]))])) as ReportModel['totals'];
  const lossy = new Map<string, number>();
  for (const a of plan.agents) for (const field of new Set(a.warnings.map((w) => w.field))) lossy.set(field, (lossy.get(field) ?? 0) + 1);
  const model: ReportModel = {
    kind: input.kind,
    title: `ContactKit ${input.kind} report: ${plan.source.vendor} → ${plan.target.vendor}`,
    planId: plan.id,
    createdAt: plan.createdAt,
    source: plan.source.tenant ?? plan.source.vendor,
    target: plan.target.tenant ?? plan.target.vendor,
    totals,
    lossyFields: [...lossy].map(([field, agents]) => ({ field, agents })).sort((a, b) => b.agents - a.agents || a.field.localeCompare(b.field)),
    roles: plan.roles.map((r) => ({ sourceId: r.sourceId, name: r.label, action: r.action, targetId: r.targetId ?? '', reason: r.reason })),
    conflicts: [...plan.roles, ...plan.groups, ...plan.agents].filter((e) => e.action === 'conflict').map((e) => ({ kind: e.kind, sourceId: e.sourceId, label: e.label, reason: e.reason })),
    excluded: plan.memberships.flatMap((m) => m.excluded.map((x) => ({ group: m.groupLabel, sourceId: x.sourceId, label: x.label, reason: x.reason }))),
    warnings: plan.warnings,
    estimate: plan.estimate,
  };
  if (input.kind === 'apply') {
    const r = input.apply;
    model.apply = { targetRequests: r.targetRequests, counts: r.counts, failures: r.failures, transport: r.transport, durationMs: r.durationMs, ok: r.ok, interrupted: r.interrupted, timeline: input.timeline };
  }
  if (input.kind === 'verify') model.verify = { checked: input.verify.checked, differences: input.verify.differences, ok: input.verify.ok };
  return redact(model);
}
