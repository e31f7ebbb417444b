import type { ApplyReport, ProgressEvent } from './apply';
import type { MigrationPlan } from './plan-types';
import type { RollbackReport } from './rollback';
import type { VerifyReport } from './verify';
import { ProgressRenderer, type ProgressRendererOptions } from './progress';

export interface Output {
  line(text: string): void;
  progress(event: ProgressEvent | { phase: string; done: number; total?: number }): void;
  end(): void;
}

/**
 * Progress on stderr: on a terminal one line per phase redrawn in place (count, total, rate,
 * elapsed, ETA); otherwise plain periodic lines. `quiet` (--json) prints nothing.
 */
export function createOutput(stream: NodeJS.WriteStream = process.stderr, quiet = false, options: Partial<ProgressRendererOptions> = {}): Output {
  const tty = options.tty ?? (stream.isTTY === true && !process.env.CI);
  const renderer = new ProgressRenderer((t) => stream.write(t), { ...options, tty });
  return {
    line(text) {
      if (quiet) return;
      renderer.close();
      stream.write(text + '\n');
    },
    progress(e) {
      if (!quiet) renderer.update(e);
    },
    end: () => renderer.close(),
  };
}

export function formatPlan(plan: MigrationPlan): string {
  const rows = (['role', 'group', 'agent'] as const).map((kind) => {
    const s = plan.summary[kind];
    return `  ${kind.padEnd(8)} create ${String(s.create).padStart(6)}  update ${String(s.update).padStart(6)}  skip ${String(s.skip).padStart(6)}  conflict ${String(s.conflict).padStart(6)}`;
  });
  const conflicts = [...plan.groups, ...plan.agents].filter((e) => e.action === 'conflict').slice(0, 10);
  return [
    `Plan ${plan.id}: ${plan.source.vendor} → ${plan.target.vendor}`,
    ...rows,
    ...(plan.warnings.length ? ['Warnings:', ...plan.warnings.slice(0, 20).map((w) => `  - ${w}`)] : []),
    ...(plan.warnings.length > 20 ? [`  … and ${plan.warnings.length - 20} more`] : []),
    ...(conflicts.length ? ['Conflicts:', ...conflicts.map((c) => `  - ${c.kind} ${c.label}: ${c.reason}`)] : []),
  ].join('\n');
}

export function formatApply(report: ApplyReport): string {
  const fmt = (c: Partial<Record<string, number>>) =>
    Object.entries(c)
      .filter(([, n]) => n)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'nothing to do';
  return [
    `Applied plan ${report.planId}: ${report.source} → ${report.target} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  roles        ${fmt(report.counts.role)}`,
    `  groups       ${fmt(report.counts.group)}`,
    `  agents       ${fmt(report.counts.agent)}`,
    `  memberships  ${fmt(report.counts.membership)}`,
    `  transport    ${report.transport.requests} requests, ${report.transport.retries} retries, rate-limit waits ${report.transport.rateLimitWaitMs} ms, Retry-After waits ${report.transport.retryAfterWaitMs} ms`,
    `  passwords    ${report.passwords}`,
    ...(report.failures.length
      ? [`Failures (${report.failures.length}):`, ...report.failures.slice(0, 20).map((f) => `  - ${f.kind} ${f.label}: ${f.code}${f.vendorCode ? ` (vendor code ${f.vendorCode})` : ''} ${f.message}`)]
      : []),
    report.ok ? 'Result: complete' : 'Result: finished with failures or conflicts',
  ].join('\n');
}

export function formatVerify(report: VerifyReport): string {
  return [
    `Verify plan ${report.planId}: checked ${report.checked.agents} agents, ${report.checked.groups} groups, ${report.checked.memberships} memberships`,
    ...(report.differences.length
      ? [`Differences (${report.differences.length}):`, ...report.differences.slice(0, 30).map((d) => `  - ${d.kind} ${d.label}: ${d.problem}: ${d.detail}`)]
      : ['  no differences']),
  ].join('\n');
}

export function formatRollback(report: RollbackReport): string {
  const byKind = (kind: string) => report.steps.filter((s) => s.kind === kind).length;
  const lines = [
    report.dryRun ? `Rollback plan (dry run: nothing changed) for plan ${report.planId} on ${report.target}:` : `Rollback of plan ${report.planId} on ${report.target}:`,
    `  remove added members from ${byKind('membership')} groups that existed before`,
    `  delete ${byKind('agent')} agents and ${byKind('group')} groups this journal created (newest first)`,
  ];
  if (report.dryRun) {
    for (const s of report.steps.slice(0, 20)) lines.push(`    ${s.kind.padEnd(10)} ${s.targetId.padEnd(12)} ${s.label}${s.memberIds ? ` (-${s.memberIds.length} members)` : ''}`);
    if (report.steps.length > 20) lines.push(`    … and ${report.steps.length - 20} more`);
    lines.push('Run again with --yes to do it.');
    return lines.join('\n');
  }
  lines.push(`  done: ${Object.entries(report.counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing to do'}`);
  for (const n of report.notOurs.slice(0, 10)) lines.push(`  left alone: ${n.step.kind} ${n.step.targetId} is now "${n.found}", not "${n.step.label}"`);
  for (const f of report.failures.slice(0, 10)) lines.push(`  failed: ${f.kind} ${f.label}: ${f.code} ${f.message}`);
  return lines.join('\n');
}
