/**
 * A vendor that starts throttling in the middle of a run (issue #18): the target documents no limit, so
 * the client runs on its adaptive window; part-way through, the simulator starts enforcing a limit
 * (a sliding window, 429 with Retry-After). Counted at the simulator: the run completes, nothing is
 * lost or doubled, and under 1% of the requests are refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal, GeneratedPasswords, apply, plan } from '@contactkit/migrate';
import { generateTenant, startAllSimulators, type AllSimulators } from '@contactkit/testkit';
import { simulatorClient } from '../src/demo';

let sims: AllSimulators | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sims = undefined;
  dir = undefined;
});

describe('throttling that starts mid-run', () => {
  it('udesk → kf5, 2,000 agents: the limit switched on after 300 target requests; the run completes with under 1% of requests refused', async () => {
    const agents = 2000;
    sims = await startAllSimulators({ tenant: generateTenant({ seed: 11, agents, groups: 6, roles: 3 }), seedInto: ['udesk'] });
    const source = simulatorClient(sims, 'udesk', { rateLimit: false });
    // KF5 documents no limit: the client's defaults (adaptive window, no rate limit) are what is tested
    const target = simulatorClient(sims, 'kf5');
    const thePlan = await plan(source, target);
    const kf5 = sims.kf5;
    kf5.resetStats();
    // 200 requests/s, counted over a 2 s sliding window (a per-minute limit, played faster)
    kf5.faults.afterRequests(300, {}, () => kf5.setRateLimit({ requestsPerMinute: 12_000, windowMs: 2_000 }));
    dir = mkdtempSync(join(tmpdir(), 'contactkit-throttle-'));
    const report = await apply(thePlan, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });

    expect(report.ok).toBe(true);
    const stats = kf5.stats();
    expect(stats.rateLimited).toBeGreaterThan(0); // the limit did bite
    expect(stats.rateLimited / stats.requests).toBeLessThan(0.01);
    const emails = kf5.state.listAgents().map((u) => String(u.email).toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
    for (const entry of thePlan.agents) expect(emails).toContain(entry.input.email.toLowerCase());
    expect(report.counts.agent.created).toBe(agents);
  }, 120_000);
});
