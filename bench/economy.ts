/**
 * (6) Request economy (issue #18): plan + apply of N agents and their groups for every vendor pair,
 * requests counted at the TARGET simulator during apply, per migrated agent; next to the plan's
 * estimate. The same job as packages/migrate/test/economy.test.ts, on the built dist with default
 * apply settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal, GeneratedPasswords, VENDORS, apply, plan, type Vendor } from '@contactkit/migrate';
import { SIM_KEY, simClient } from './clients';
import { SimProcess, round, type SimStats } from './lib';

/** the most requests per migrated agent each target may take, memberships and groups included (issue #18) */
export const ECONOMY_AIMS: Record<Vendor, number> = { udesk: 1.1, kf5: 1.1, 'huawei-aicc': 1.15 };

export interface EconomyRow {
  from: Vendor;
  to: Vendor;
  agentsMigrated: number;
  groups: number;
  membershipSets: number;
  /** every request the target simulator received during apply */
  targetRequests: number;
  /** Udesk's create takes no disable_status: a disabled agent is disabled by a PUT right after (documented) */
  disablePuts: number;
  /** (targetRequests − disablePuts) ÷ agents migrated: what the aim applies to, as in the economy test */
  perAgent: number;
  /** targetRequests ÷ agents migrated, nothing left out */
  perAgentRaw: number;
  estimated: number;
  /** (targetRequests − estimated) ÷ estimated */
  estimateError: number;
  aim: number;
}

export interface EconomyBench {
  agents: number;
  groups: number;
  rows: EconomyRow[];
}

async function pairRun(sims: SimProcess, from: Vendor, to: Vendor, opts: { agents: number; groups: number }): Promise<EconomyRow> {
  const e = await sims.start({ agents: opts.agents, groups: opts.groups, roles: 3, seedInto: [SIM_KEY[from]] });
  const defaults = to === 'udesk' ? await sims.call<{ groupIds: string[]; departmentIds: string[] }>({ cmd: 'seedUdeskDefaults' }) : undefined;
  const source = simClient(e, from, { rateLimit: false });
  const target = simClient(e, to, { rateLimit: false, defaults });
  const p = await plan(source, target);
  const requestsAt = async () => (await sims.call<Record<string, SimStats>>({ cmd: 'stats' }))[SIM_KEY[to]]!.requests;
  const before = await requestsAt();
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-economy-'));
  try {
    const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, to) });
    if (!report.ok) throw new Error(`${from} → ${to}: apply failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
    const requests = (await requestsAt()) - before;
    const migrated = p.summary.agent.create + p.summary.agent.update;
    const disablePuts = to === 'udesk' ? p.agents.filter((a) => a.action === 'create' && a.input.status === 'disabled').length : 0;
    const estimated = p.estimate?.requests ?? NaN;
    return {
      from,
      to,
      agentsMigrated: migrated,
      groups: p.groups.length,
      membershipSets: p.memberships.length,
      targetRequests: requests,
      disablePuts,
      perAgent: round((requests - disablePuts) / migrated, 3),
      perAgentRaw: round(requests / migrated, 3),
      estimated,
      estimateError: round((requests - estimated) / estimated, 4),
      aim: ECONOMY_AIMS[to],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchEconomy(opts: { agents: number; groups: number }): Promise<EconomyBench> {
  const sims = new SimProcess();
  try {
    const rows: EconomyRow[] = [];
    for (const from of VENDORS) for (const to of VENDORS) if (from !== to) rows.push(await pairRun(sims, from, to, opts));
    return { agents: opts.agents, groups: opts.groups, rows };
  } finally {
    await sims.stop();
  }
}
