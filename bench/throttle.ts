/**
 * (8) A vendor that starts throttling mid-run (issue #18): Udesk → KF5, N agents; KF5 documents no
 * limit, so the target client runs on its defaults (adaptive window, no rate limit). After 300 target
 * requests the simulator enforces 12,000/min over a 2 s sliding window (200/s; 429 with Retry-After).
 * Counted at the simulator during apply: 429s ÷ requests, completion (every agent once), wall time.
 * The same job as packages/migrate/test/throttle.test.ts, bigger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal, GeneratedPasswords, apply, plan } from '@contactkit/migrate';
import { simClient } from './clients';
import { SimProcess, round, type SimStats } from './lib';

export const THROTTLE = { afterRequests: 300, rateLimit: { requestsPerMinute: 12_000, windowMs: 2_000 }, aim429Share: 0.01 };

export interface ThrottleBench {
  agents: number;
  groups: number;
  limit: typeof THROTTLE;
  applySeconds: number;
  agentsPerSecond: number;
  targetRequests: number;
  responses429: number;
  share429: number;
  completed: boolean;
  agentsCreated: number;
  /** agents on the target after the run, and how many distinct emails among them (equal: nothing doubled) */
  targetAgents: number;
  distinctEmails: number;
  clientRetries: number;
}

export async function benchThrottle(opts: { agents: number; groups: number }): Promise<ThrottleBench> {
  const sims = new SimProcess();
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-throttle-'));
  try {
    const e = await sims.start({ agents: opts.agents, groups: opts.groups, roles: 3, seedInto: ['udesk'] });
    const source = simClient(e, 'udesk', { rateLimit: false });
    const target = simClient(e, 'kf5');
    const p = await plan(source, target);
    await sims.call({ cmd: 'resetStats' });
    await sims.call({ cmd: 'limitAfter', vendor: 'kf5', requests: THROTTLE.afterRequests, rateLimit: THROTTLE.rateLimit });
    const retriesBefore = target.stats().retries;
    const t0 = performance.now();
    const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
    const seconds = (performance.now() - t0) / 1000;
    const kf5 = (await sims.call<{ kf5: SimStats }>({ cmd: 'stats' })).kf5;
    const emails = await sims.call<{ total: number; unique: number }>({ cmd: 'emails', vendor: 'kf5' });
    const created = report.counts.agent.created ?? 0;
    return {
      agents: opts.agents,
      groups: opts.groups,
      limit: THROTTLE,
      applySeconds: round(seconds),
      agentsPerSecond: round(created / seconds),
      targetRequests: kf5.requests,
      responses429: kf5.rateLimited,
      share429: round(kf5.rateLimited / kf5.requests, 4),
      completed: report.ok && created === opts.agents && emails.total === opts.agents && emails.unique === emails.total,
      agentsCreated: created,
      targetAgents: emails.total,
      distinctEmails: emails.unique,
      clientRetries: target.stats().retries - retriesBefore,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sims.stop();
  }
}
