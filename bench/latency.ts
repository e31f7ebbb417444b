/**
 * (7) Throughput at 50 ms vendor latency (issue #16): Udesk → KF5 with every simulator answering
 * 50 ms late, N agents and their groups, each variant on fresh simulators:
 *   naive       a sequential loop, one create at a time (as in the migration section),
 *   default     plan + apply with default settings (16 steps in flight, the client's adaptive window 4 → 32),
 *   ceiling 64  the target client's adaptive window up to 64, apply concurrency 64,
 *   fixed 16    adaptive concurrency off on the target client, apply concurrency 16.
 * agents/s counts the whole job (plan + apply for ours, the loop for naive).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal, GeneratedPasswords, apply, plan } from '@contactkit/migrate';
import { simClient } from './clients';
import { SimProcess, round, type SimStats } from './lib';
import { naiveMigration, udeskSource } from './migration';

export interface LatencyRun {
  variant: string;
  seconds: number;
  planSeconds: number;
  applySeconds: number;
  agentsPerSecond: number;
  /** agents/s ÷ the naive loop's */
  speedup: number;
  agentsCreated: number;
  targetRequests: number;
  responses429: number;
}

export interface LatencyBench {
  latencyMs: number;
  agents: number;
  groups: number;
  runs: LatencyRun[];
}

type Variant = { name: string; client: Parameters<typeof simClient>[2]; applyConcurrency?: number } | { name: string; naive: true };

const VARIANTS: Variant[] = [
  { name: 'naive sequential loop', naive: true },
  { name: 'ours, default settings (apply 16 steps, adaptive window 4 → 32)', client: {} },
  { name: 'ours, adaptive up to 64 (client concurrency.max 64, apply 64)', client: { concurrency: { max: 64 } }, applyConcurrency: 64 },
  { name: 'ours, adaptive off (client concurrency false, apply 16)', client: { concurrency: false }, applyConcurrency: 16 },
];

async function run(sims: SimProcess, v: Variant, opts: { agents: number; groups: number; latencyMs: number }): Promise<Omit<LatencyRun, 'speedup'>> {
  const e = await sims.start({ agents: opts.agents, groups: opts.groups, seedInto: ['udesk'], latencyMs: opts.latencyMs });
  const source = udeskSource(e);
  const target = simClient(e, 'kf5', 'naive' in v ? {} : v.client);
  await sims.call({ cmd: 'resetStats' });
  const t0 = performance.now();
  let planSeconds = 0;
  let created: number;
  if ('naive' in v) created = await naiveMigration(source, target);
  else {
    const p = await plan(source, target);
    planSeconds = (performance.now() - t0) / 1000;
    const dir = mkdtempSync(join(tmpdir(), 'ck-bench-latency-'));
    try {
      const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), ...(v.applyConcurrency ? { concurrency: v.applyConcurrency } : {}) });
      if (!report.ok) throw new Error(`${v.name}: apply failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
      created = report.counts.agent.created ?? 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (created !== opts.agents) throw new Error(`${v.name}: created ${created} of ${opts.agents} agents`);
  const kf5 = (await sims.call<{ kf5: SimStats }>({ cmd: 'stats' })).kf5;
  return {
    variant: v.name,
    seconds: round(seconds),
    planSeconds: round(planSeconds),
    applySeconds: round(seconds - planSeconds),
    agentsPerSecond: round(created / seconds),
    agentsCreated: created,
    targetRequests: kf5.requests,
    responses429: kf5.rateLimited,
  };
}

export async function benchLatency(opts: { agents: number; groups: number; latencyMs: number }): Promise<LatencyBench> {
  const sims = new SimProcess();
  try {
    const runs: Array<Omit<LatencyRun, 'speedup'>> = [];
    for (const v of VARIANTS) runs.push(await run(sims, v, opts));
    const naiveRate = runs[0]!.agentsPerSecond;
    return { latencyMs: opts.latencyMs, agents: opts.agents, groups: opts.groups, runs: runs.map((r) => ({ ...r, speedup: round(r.agentsPerSecond / naiveRate) })) };
  } finally {
    await sims.stop();
  }
}
