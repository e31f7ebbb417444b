/**
 * Soak: a migration of 5,000 agents (and 50 groups) Udesk → KF5 on the simulators, with 20% of the
 * target's requests failing in every fault kind — first with the fault replacing the request (phase
 * 'before'), then with the request applied and its reply lost (phase 'after') — and, last, 20% of the
 * source's reads failing. apply runs again on the same journal until it reports ok (at most 5 runs).
 * At the end: verify finds no difference, every source agent exists exactly once on the target
 * (no duplicate email), the counts are equal, and every membership holds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTenant, startAllSimulators, type AllSimulators, type FaultKind, type FaultOptions } from '@contactkit/testkit';
import { apply, type ApplyReport } from '../src/apply';
import { simulatorClient } from '../src/demo';
import { FileJournal } from '../src/journal';
import { GeneratedPasswords } from '../src/passwords';
import { plan } from '../src/plan';
import { verify } from '../src/verify';

const AGENTS = 5_000;
const GROUPS = 50;
const MAX_APPLY_RUNS = 5;
const RETRY = { retries: 8, minDelayMs: 2, maxDelayMs: 50 };
const ALL_KINDS: FaultKind[] = ['429', '500', '502', '503', 'reset', 'malformed', 'delay'];
/** phase 'after' replaces the reply of a request that was applied: the kinds that lose a reply */
const LOST_REPLY_KINDS: FaultKind[] = ['500', '502', '503', 'reset', 'malformed'];

let sims: AllSimulators | undefined;
afterEach(async () => {
  await sims?.close();
  sims = undefined;
});

interface Figures {
  scenario: string;
  agents: number;
  groups: number;
  faults: Partial<Record<FaultKind, number>>;
  sourceFaults: Partial<Record<FaultKind, number>>;
  faultsTotal: number;
  targetRequests: number;
  applyRuns: number;
  runs: Array<{ ok: boolean; failures: number; created: number; adopted: number; retries: number; ms: number }>;
  planMs: number;
  totalMs: number;
}

async function soak(scenario: string, faults: { target?: FaultOptions; source?: FaultOptions }): Promise<Figures> {
  const started = Date.now();
  const tenant = generateTenant({ seed: 20240611, agents: AGENTS, groups: GROUPS, roles: 6 });
  sims = await startAllSimulators({ tenant, seedInto: ['udesk'] });
  const source = simulatorClient(sims, 'udesk', { rateLimit: false, retry: RETRY, timeoutMs: 10_000 });
  const target = simulatorClient(sims, 'kf5', { rateLimit: false, retry: RETRY, timeoutMs: 10_000 });
  const isStaff = (u: { role?: unknown }) => u.role === 'agent' || u.role === 'admin';
  const preexisting = sims.kf5.state.listUsers().filter(isStaff).length;
  if (faults.target) sims.kf5.faults.set(faults.target);
  if (faults.source) sims.udesk.faults.set(faults.source);

  const planStarted = Date.now();
  const p = await plan(source, target, { roleMap: { 管理员: 'admin', 客服主管: 'admin' } });
  const planMs = Date.now() - planStarted;
  expect(p.summary.agent.create).toBe(AGENTS);
  expect(p.summary.group.create).toBe(GROUPS);

  const dir = mkdtempSync(join(tmpdir(), 'ck-soak-'));
  const runs: Figures['runs'] = [];
  let report: ApplyReport | undefined;
  for (let run = 0; run < MAX_APPLY_RUNS && !report?.ok; run++) {
    const runStarted = Date.now();
    const before = target.stats().retries;
    // a fresh journal handle and password store on the same directory, as a re-run of the CLI would have
    report = await apply(p, { target, source, journal: new FileJournal(dir, { fsync: false }), passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 8 });
    runs.push({
      ok: report.ok,
      failures: report.failures.length,
      created: report.counts.agent.created ?? 0,
      adopted: report.counts.agent.adopted ?? 0,
      retries: target.stats().retries - before,
      ms: Date.now() - runStarted,
    });
  }
  const injected = { ...sims.kf5.stats().faultsInjected };
  const sourceInjected = { ...sims.udesk.stats().faultsInjected };
  const targetRequests = sims.kf5.stats().requests;
  sims.kf5.faults.clear();
  sims.udesk.faults.clear();

  expect(report!.failures).toEqual([]);
  expect(report!.ok).toBe(true);

  // nothing lost, nothing twice: straight from the simulator's state
  const users = sims.kf5.state.listUsers().filter(isStaff);
  const byEmail = new Map<string, number>();
  for (const u of users) byEmail.set(String(u.email).toLowerCase(), (byEmail.get(String(u.email).toLowerCase()) ?? 0) + 1);
  const duplicates = [...byEmail].filter(([, n]) => n > 1);
  expect(duplicates).toEqual([]);
  const sourceEmails = sims.udesk.state.listAgents().map((a) => String(a.email).toLowerCase());
  expect(sourceEmails).toHaveLength(AGENTS);
  expect(sourceEmails.filter((e) => !byEmail.has(e))).toEqual([]);
  expect(users).toHaveLength(AGENTS + preexisting);
  const groups = sims.kf5.state.listGroups();
  expect(groups).toHaveLength(GROUPS);
  expect(new Set(groups.map((g) => g.name)).size).toBe(GROUPS);

  // and through the clients: verify diffs every agent, group and membership
  const check = await verify(p, { source, target });
  expect(check.differences).toEqual([]);
  expect(check.checked.agents).toBe(AGENTS);
  expect(check.checked.groups).toBe(GROUPS);

  const figures: Figures = {
    scenario,
    agents: AGENTS,
    groups: GROUPS,
    faults: injected,
    sourceFaults: sourceInjected,
    faultsTotal: [...Object.values(injected), ...Object.values(sourceInjected)].reduce((a, b) => a + (b ?? 0), 0),
    targetRequests,
    applyRuns: runs.length,
    runs,
    planMs,
    totalMs: Date.now() - started,
  };
  console.log(`[soak] ${JSON.stringify(figures)}`);
  return figures;
}

describe('soak: 5,000 agents Udesk → KF5 under 20% faults', () => {
  it('target faults of every kind (phase before): nothing lost, nothing twice', async () => {
    const f = await soak('target-before', { target: { rate: 0.2, kinds: ALL_KINDS, seed: 11, phase: 'before', delayMs: 20, retryAfterSeconds: 0 } });
    for (const kind of ALL_KINDS) expect(f.faults[kind] ?? 0, kind).toBeGreaterThan(0);
    expect(f.faultsTotal).toBeGreaterThan(AGENTS * 0.15);
  }, 120_000);

  it('target replies lost after the write landed (phase after): nothing lost, nothing twice', async () => {
    const f = await soak('target-after', { target: { rate: 0.2, kinds: LOST_REPLY_KINDS, seed: 12, phase: 'after', retryAfterSeconds: 0 } });
    for (const kind of LOST_REPLY_KINDS) expect(f.faults[kind] ?? 0, kind).toBeGreaterThan(0);
  }, 120_000);

  it('source reads failing 20% (every kind) on top of target faults: nothing lost, nothing twice', async () => {
    const f = await soak('source-and-target', {
      source: { rate: 0.2, kinds: ALL_KINDS, seed: 13, phase: 'before', delayMs: 20, retryAfterSeconds: 0 },
      target: { rate: 0.2, kinds: ALL_KINDS, seed: 14, phase: 'before', delayMs: 20, retryAfterSeconds: 0 },
    });
    // the source sees ~70 reads (plan: pages of 100 agents, groups, members, roles): ~14 faults
    expect(Object.values(f.sourceFaults).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(8);
    expect(f.faultsTotal).toBeGreaterThan(AGENTS * 0.15);
  }, 120_000);
});
