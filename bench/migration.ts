/**
 * (5) Migration, Udesk → KF5 on the simulators (in a child process), rate limits off:
 *   B  a naive sequential loop (one call at a time, no plan, no journal, no verify),
 *   A  ours: plan + apply (concurrency 8) with the durable journal and generated-password file
 *      (both fsync'd per record, the default),
 *   A' ours with an in-memory journal and in-memory passwords: the engine without the fsyncs,
 * then a run against a target limited to 600 requests/min (client limiter set to match): share of
 * the limit used and 429s. Peak RSS is sampled every 50 ms during each run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePassword, type AgentInput, type ContactCenterClient, type PasswordRules } from '@contactkit/core';
import { apply, FileJournal, GeneratedPasswords, MemoryJournal, plan, type PasswordProvider } from '@contactkit/migrate';
import { createUdeskClient } from '@contactkit/udesk';
import { simClient } from './clients';
import { SimProcess, mb, round, type SimEndpoints } from './lib';

/** The Udesk source of the migration benches: no rate limit, role ids not read one agent at a time. */
export function udeskSource(e: SimEndpoints): ContactCenterClient {
  return createUdeskClient({ baseUrl: e.udesk.baseUrl, email: e.udesk.credentials.email, apiToken: e.udesk.credentials.apiToken, rateLimit: false });
}

function clients(e: SimEndpoints, targetRateLimit: { requestsPerMinute: number } | false) {
  const source = udeskSource(e);
  // with the password: KF5 takes admin-only writes (groups) with it
  const target = simClient(e, 'kf5', { rateLimit: targetRateLimit });
  return { source, target };
}

/** The plainest thing that works: one call at a time, no plan, no journal. */
export async function naiveMigration(source: ContactCenterClient, target: ContactCenterClient): Promise<number> {
  const idMap = new Map<string, string>();
  let created = 0;
  for await (const agent of source.agents.list({ includeDisabled: true, pageSize: 100 })) {
    const input: AgentInput = { email: agent.email, name: agent.name, nickname: agent.nickname, phone: agent.phone, status: agent.status, password: 'Naive-Passw0rd!' };
    const made = await target.agents.create(input);
    idMap.set(agent.id, made.id);
    created++;
  }
  for await (const group of source.groups.list()) {
    const members = (group.memberIds ?? (await source.groups.get(group.id)).memberIds ?? []).map((id) => idMap.get(id)).filter((x): x is string => !!x);
    await target.groups.create({ name: group.name, memberIds: members });
  }
  return created;
}

/** Passwords kept in memory (no file, no fsync): only for the engine-without-durability variant. */
class MemoryPasswords implements PasswordProvider {
  private readonly map = new Map<string, string>();
  async passwordFor(email: string, rules: PasswordRules): Promise<string> {
    let p = this.map.get(email);
    if (!p) this.map.set(email, (p = generatePassword(rules)));
    return p;
  }
  describe() {
    return 'memory';
  }
}

/** Peak RSS of this process while `fn` runs, sampled every 50 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMb: number; startRssMb: number; seconds: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMb: mb(peak), startRssMb: mb(start), seconds: (performance.now() - t0) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

export interface OursRun {
  seconds: number;
  planSeconds: number;
  applySeconds: number;
  agentsPerSecond: number;
  agentsCreated: number;
  groupsCreated: number;
  peakRssMb: number;
  /** RSS when the run started (the process with tsx and the dist loaded) */
  startRssMb: number;
  targetRequests: number;
}

export interface MigrationBench {
  agents: number;
  groups: number;
  order: string[];
  naive: { seconds: number; agentsPerSecond: number; agentsCreated: number; peakRssMb: number; startRssMb: number };
  ours: OursRun;
  oursInMemory: OursRun;
  /** ours (durable) agents/s ÷ naive agents/s */
  speedup: number;
  speedupInMemory: number;
  limited: { requestsPerMinute: number; agents: number; groups: number; seconds: number; targetRequests: number; shareOfLimit: number; responses429: number; clientRetries: number; rateLimitWaitMs: number };
}

async function ours(sims: SimProcess, opts: { agents: number; groups: number }, durable: boolean): Promise<OursRun> {
  const e = await sims.start({ agents: opts.agents, groups: opts.groups, seedInto: ['udesk'] });
  const c = clients(e, false);
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-'));
  try {
    let planSeconds = 0;
    const run = await withPeakRss(async () => {
      const t0 = performance.now();
      const p = await plan(c.source, c.target);
      planSeconds = (performance.now() - t0) / 1000;
      return apply(p, {
        target: c.target,
        source: c.source,
        journal: durable ? new FileJournal(dir) : new MemoryJournal(),
        passwords: durable ? new GeneratedPasswords(dir, 'kf5') : new MemoryPasswords(),
        concurrency: 8,
      });
    });
    const report = run.value;
    if (!report.ok) throw new Error(`bench migration failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
    const created = report.counts.agent.created ?? 0;
    if (created !== opts.agents) throw new Error(`bench migration created ${created} of ${opts.agents} agents`);
    return {
      seconds: round(run.seconds),
      planSeconds: round(planSeconds),
      applySeconds: round(run.seconds - planSeconds),
      agentsPerSecond: round(created / run.seconds),
      agentsCreated: created,
      groupsCreated: report.counts.group.created ?? 0,
      peakRssMb: run.peakRssMb,
      startRssMb: run.startRssMb,
      targetRequests: c.target.stats().attempts,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchMigration(opts: { agents: number; groups: number; limitedAgents: number }): Promise<MigrationBench> {
  const sims = new SimProcess();
  try {
    // B, A, A' on fresh simulators seeded with the same source tenant
    let e = await sims.start({ agents: opts.agents, groups: opts.groups, seedInto: ['udesk'] });
    let c = clients(e, false);
    const naive = await withPeakRss(() => naiveMigration(c.source, c.target));
    if (naive.value !== opts.agents) throw new Error(`naive loop created ${naive.value} of ${opts.agents}`);
    const durable = await ours(sims, opts, true);
    const inMemory = await ours(sims, opts, false);
    const naiveRate = naive.value / naive.seconds;

    // the same job against a target that allows 600 requests a minute, with the client's limiter set to match
    const rpm = 600;
    const limitedGroups = Math.max(1, Math.round(opts.limitedAgents / 50));
    e = await sims.start({ agents: opts.limitedAgents, groups: limitedGroups, seedInto: ['udesk'], rateLimit: { kf5: { requestsPerMinute: rpm } } });
    c = clients(e, { requestsPerMinute: rpm });
    const p2 = await plan(c.source, c.target);
    const dir2 = mkdtempSync(join(tmpdir(), 'ck-bench-'));
    await sims.call({ cmd: 'resetStats' });
    const before = c.target.stats();
    const t0 = performance.now();
    const limitedReport = await apply(p2, { target: c.target, journal: new FileJournal(dir2), passwords: new GeneratedPasswords(dir2, 'kf5'), concurrency: 8 });
    const limitedSeconds = (performance.now() - t0) / 1000;
    rmSync(dir2, { recursive: true, force: true });
    const stats = await sims.call<{ kf5: { rateLimited: number; requests: number } }>({ cmd: 'stats' });
    const after = c.target.stats();
    const targetRequests = after.attempts - before.attempts;
    if (!limitedReport.ok) throw new Error('rate-limited bench run failed');
    return {
      agents: opts.agents,
      groups: opts.groups,
      order: ['naive', 'ours (durable journal)', 'ours (in-memory journal)'],
      naive: { seconds: round(naive.seconds), agentsPerSecond: round(naiveRate), agentsCreated: naive.value, peakRssMb: naive.peakRssMb, startRssMb: naive.startRssMb },
      ours: durable,
      oursInMemory: inMemory,
      speedup: round(durable.agentsPerSecond / naiveRate),
      speedupInMemory: round(inMemory.agentsPerSecond / naiveRate),
      limited: {
        requestsPerMinute: rpm,
        agents: opts.limitedAgents,
        groups: limitedGroups,
        seconds: round(limitedSeconds),
        targetRequests,
        shareOfLimit: round(targetRequests / ((limitedSeconds / 60) * rpm)),
        responses429: stats.kf5.rateLimited,
        clientRetries: after.retries - before.retries,
        rateLimitWaitMs: Math.round(after.rateLimitWaitMs - before.rateLimitWaitMs),
      },
    };
  } finally {
    await sims.stop();
  }
}
