/**
 * Request economy (issue 18): how many requests an apply sends to the target per migrated agent,
 * counted at the simulators for every vendor pair. Counts, not timings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VENDORS, type Vendor } from '@contactkit/migrate';
import { generateTenant, startAllSimulators, type AllSimulators } from '@contactkit/testkit';
import { apply } from '../src/apply';
import { simulatorClient } from '../src/demo';
import { FileJournal } from '../src/journal';
import { GeneratedPasswords } from '../src/passwords';
import { plan } from '../src/plan';

const SIM_KEY = { udesk: 'udesk', kf5: 'kf5', 'huawei-aicc': 'huaweiAicc' } as const;
const PAIRS = VENDORS.flatMap((s) => VENDORS.filter((t) => t !== s).map((t) => [s, t] as const));
/** the most requests per migrated agent each target may take, memberships and groups included */
const CEILING: Record<Vendor, number> = { udesk: 1.1, kf5: 1.1, 'huawei-aicc': 1.15 };

let sims: AllSimulators | undefined;
afterEach(async () => {
  await sims?.close();
  sims = undefined;
});

const counts: string[] = [];

describe('requests per migrated agent, counted at the target simulator during apply', () => {
  it.each(PAIRS)('%s → %s', async (from, to) => {
    const tenant = generateTenant({ seed: 5, agents: 1000, groups: 20, roles: 3 });
    sims = await startAllSimulators({ tenant, seedInto: [SIM_KEY[from]] });
    let defaults: { groupIds: string[]; departmentIds: string[] } | undefined;
    if (to === 'udesk') {
      const seeded = sims.udesk.state.seed(generateTenant({ seed: 6, agents: 0, groups: 1, roles: 3, departments: 1 }));
      defaults = { groupIds: Object.values(seeded.groups).map(String), departmentIds: Object.values(seeded.departments).map(String) };
    }
    const source = simulatorClient(sims, from, { rateLimit: false });
    const target = simulatorClient(sims, to, { rateLimit: false, defaults });
    const p = await plan(source, target);
    const sim = sims[SIM_KEY[to]];
    const before = sim.stats().requests;
    const dir = mkdtempSync(join(tmpdir(), 'ck-economy-'));
    const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, to), concurrency: 8 });
    expect(report.failures).toEqual([]);
    const requests = sim.stats().requests - before;
    const migrated = p.summary.agent.create + p.summary.agent.update;
    // Udesk's create takes no disable_status: a disabled agent is disabled by a PUT right after (documented)
    const disabled = to === 'udesk' ? p.agents.filter((a) => a.action === 'create' && a.input.status === 'disabled').length : 0;
    const perAgent = (requests - disabled) / migrated;
    counts.push(`${from} → ${to}: ${requests} requests for ${migrated} agents, ${p.groups.length} groups, ${p.memberships.length} membership sets = ${perAgent.toFixed(3)} per agent${disabled ? ` besides ${disabled} PUTs to disable disabled agents` : ''}`);
    console.log(counts.at(-1));
    expect(perAgent).toBeLessThanOrEqual(CEILING[to]);
    // the plan said what it would cost before anything was written, and the report compares
    expect(report.targetRequests).toEqual({ actual: requests, estimated: p.estimate!.requests });
    expect(Math.abs(requests - p.estimate!.requests) / requests).toBeLessThan(0.03);
  });
});
