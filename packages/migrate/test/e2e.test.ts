import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommonClientOptions } from '@contactkit/core';
import { VENDORS, type Vendor } from '@contactkit/migrate';
import { generateTenant, startAllSimulators, type AllSimulators, type FaultKind } from '@contactkit/testkit';
import { apply } from '../src/apply';
import { simulatorClient } from '../src/demo';
import { FileJournal } from '../src/journal';
import { GeneratedPasswords } from '../src/passwords';
import { plan } from '../src/plan';
import { verify } from '../src/verify';
import { runCli } from './cli-process';

const SIM_KEY = { udesk: 'udesk', kf5: 'kf5', 'huawei-aicc': 'huaweiAicc' } as const;
const tmp = () => mkdtempSync(join(tmpdir(), 'ck-e2e-'));
const FAST_RETRY = { retries: 6, minDelayMs: 2, maxDelayMs: 40 };

let sims: AllSimulators | undefined;
afterEach(async () => {
  await sims?.close();
  sims = undefined;
});

/** What a Udesk target needs on every create: set once start() has seeded it */
let udeskDefaults: { groupIds: string[]; departmentIds: string[] } | undefined;

/**
 * Seeds the source with a tenant. A Udesk target gets its roles, one customer service group and
 * its departments (Udesk roles are per tenant, and every create needs a group and a department).
 */
async function start(source: Vendor, target: Vendor, agents = 24) {
  const tenant = generateTenant({ seed: 42, agents, groups: 4, roles: 3 });
  sims = await startAllSimulators({ tenant, seedInto: [SIM_KEY[source]] });
  udeskDefaults = undefined;
  if (target === 'udesk' && source !== 'udesk') {
    const seeded = sims.udesk.state.seed(generateTenant({ seed: 43, agents: 0, groups: 1, roles: 3, departments: 1 }));
    udeskDefaults = { groupIds: Object.values(seeded.groups).map(String), departmentIds: Object.values(seeded.departments).map(String) };
  }
  return { sims, tenant };
}

/** A client for one side; a Udesk target gets the defaults its creates need */
const clientFor = (vendor: Vendor, options: CommonClientOptions = {}) => simulatorClient(sims!, vendor, { ...options, ...(vendor === 'udesk' ? { defaults: udeskDefaults } : {}) });

/** How many target agents share each email: anything above 1 is a duplicate. */
async function duplicateEmails(vendor: Vendor): Promise<string[]> {
  const client = simulatorClient(sims!, vendor, { rateLimit: false });
  const seen = new Map<string, number>();
  for await (const a of client.agents.list({ includeDisabled: true })) seen.set(a.email.toLowerCase(), (seen.get(a.email.toLowerCase()) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([e]) => e);
}

const PAIRS = VENDORS.flatMap((s) => VENDORS.filter((t) => t !== s).map((t) => [s, t] as const));

describe('migration end to end on the simulators', () => {
  it.each(PAIRS)('%s → %s: plan, apply, verify; a second apply creates nothing', async (from, to) => {
    const { tenant } = await start(from, to);
    const source = clientFor(from, { rateLimit: false });
    const target = clientFor(to, { rateLimit: false });
    const p = await plan(source, target);
    expect(p.summary.agent.create).toBeGreaterThan(0);
    const dir = tmp();
    const report = await apply(p, { target, source, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, to) });
    expect(report.failures).toEqual([]);
    const check = await verify(p, { source, target });
    expect(check.differences).toEqual([]);
    expect(check.checked.agents).toBe(tenant.agents.length - p.summary.agent.conflict);

    const before = target.stats().requests;
    const again = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, to) });
    expect(again.counts.agent.created ?? 0).toBe(0);
    expect(again.counts.group.created ?? 0).toBe(0);
    expect(target.stats().requests - before).toBeLessThan(p.memberships.length * 4 + 10); // reads only
    // and a fresh plan against the migrated target finds nothing left to create
    const replanned = await plan(source, target);
    expect(replanned.summary.agent.create).toBe(0);
    expect(replanned.summary.group.create).toBe(0);
    expect(await duplicateEmails(to)).toEqual([]);
  });

  it('a Udesk target without create defaults: every create is a conflict naming the field, and the plan says what to configure', async () => {
    await start('kf5', 'udesk', 6);
    const source = clientFor('kf5', { rateLimit: false });
    const target = simulatorClient(sims!, 'udesk', { rateLimit: false });
    const p = await plan(source, target);
    expect(p.summary.agent.create).toBe(0);
    expect(p.agents.every((a) => a.action === 'conflict' && /departmentIds|groupIds/.test(a.reason))).toBe(true);
    expect(p.warnings).toContainEqual(expect.stringMatching(/^udesk needs groupIds, departmentIds on every create: set udesk.defaults in the config/));
  });

  it.each(PAIRS)('%s → %s: a lost journal (a Redis restarted empty, a deleted directory): a second apply on a new journal creates nothing twice', async (from, to) => {
    await start(from, to, 12);
    const source = clientFor(from, { rateLimit: false });
    const target = clientFor(to, { rateLimit: false });
    const p = await plan(source, target);
    const first = tmp();
    expect((await apply(p, { target, journal: new FileJournal(first), passwords: new GeneratedPasswords(first, to) })).failures).toEqual([]);
    const groupsBefore = (await target.groups.list().toArray()).length;
    const second = tmp();
    const again = await apply(p, { target, journal: new FileJournal(second), passwords: new GeneratedPasswords(second, to) });
    expect(again.failures).toEqual([]);
    expect(again.counts.agent.created ?? 0).toBe(0);
    expect(again.counts.group.created ?? 0).toBe(0);
    expect(await duplicateEmails(to)).toEqual([]);
    expect((await target.groups.list().toArray()).length).toBe(groupsBefore);
    expect((await verify(p, { source, target })).differences).toEqual([]);
  });

  const FAULT_RUNS = [
    ['before', ['429', '500', '502', '503', 'reset', 'malformed', 'delay']],
    ['after', ['500', '502', '503', 'reset', 'malformed']],
  ] as const;
  for (const [phase, kinds] of FAULT_RUNS) it(`udesk → kf5 completes with 10% of target requests failing (${kinds.join(', ')}; phase ${phase})`, async () => {
    await start('udesk', 'kf5', 150);
    sims!.kf5.faults.set({ rate: 0.1, kinds: [...kinds] as FaultKind[], seed: 7, phase, delayMs: 30, retryAfterSeconds: 0 });
    const source = simulatorClient(sims!, 'udesk', { rateLimit: false });
    const target = simulatorClient(sims!, 'kf5', { retry: FAST_RETRY, timeoutMs: 5_000 });
    const p = await plan(source, target);
    const dir = tmp();
    const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 4 });
    // a run may end with a few failures when a fault hits the same call repeatedly; the next run finishes the rest
    const final = report.ok ? report : await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
    expect(final.failures).toEqual([]);
    expect(Object.values(sims!.kf5.stats().faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    sims!.kf5.faults.clear();
    expect((await verify(p, { source, target })).differences).toEqual([]);
    expect(await duplicateEmails('kf5')).toEqual([]);
  });
});

describe('contactkit CLI against the simulators', () => {
  it('plan → apply killed with SIGKILL twice mid-run → apply again: nothing lost, nothing twice, no secret leaked', async () => {
    await start('udesk', 'huawei-aicc', 30);
    const s = sims!;
    const env = {
      CONTACTKIT_UDESK_BASE_URL: s.udesk.baseUrl,
      CONTACTKIT_UDESK_EMAIL: s.udesk.credentials.email,
      CONTACTKIT_UDESK_API_TOKEN: s.udesk.credentials.apiToken,
      CONTACTKIT_HUAWEI_AICC_BASE_URL: s.huaweiAicc.baseUrl,
      CONTACTKIT_HUAWEI_AICC_APP_KEY: s.huaweiAicc.credentials.appKey,
      CONTACTKIT_HUAWEI_AICC_APP_SECRET: s.huaweiAicc.credentials.appSecret,
    };
    const dir = tmp();
    const planFile = join(dir, 'plan.json');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ udesk: { rateLimit: false } }));
    const outputs: string[] = [];
    const planned = await runCli(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', config, '--out', planFile], env);
    expect(planned.code, planned.stderr).toBe(0);

    const journal = join(dir, 'journal');
    // kill -9 the CLI right after the target handled its 5th agent create; resume; kill it again 9
    // creates later; then let a third run finish
    for (const at of [5, 9]) {
      let pid = 0;
      s.huaweiAicc.faults.afterRequests(at, { method: 'POST', path: /agentAccount\/create$/ }, () => {
        process.kill(pid, 'SIGKILL');
      });
      const killed = await runCli(['migrate', 'apply', planFile, '--journal', journal, '--concurrency', '3', '--config', config], env, (p) => (pid = p));
      expect(killed.signal).toBe('SIGKILL');
      outputs.push(killed.stdout, killed.stderr);
    }

    const resumed = await runCli(['migrate', 'apply', planFile, '--journal', journal, '--json', '--config', config], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report.failures).toEqual([]);
    const verified = await runCli(['migrate', 'verify', planFile, '--json', '--config', config], env);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(await duplicateEmails('huawei-aicc')).toEqual([]);
    const planJson = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(s.huaweiAicc.state.listAgents().length).toBe(planJson.summary.agent.create + planJson.summary.agent.skip + planJson.summary.agent.update);

    // secrets: generated passwords live only in the 0600 credentials file
    const creds = join(journal, 'credentials.jsonl');
    expect(statSync(creds).mode & 0o777).toBe(0o600);
    const passwords = readFileSync(creds, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).password as string);
    expect(passwords.length).toBeGreaterThanOrEqual(planJson.summary.agent.create);
    const secrets = [...passwords, s.udesk.credentials.apiToken, s.huaweiAicc.credentials.appSecret];
    outputs.push(...[planned, resumed, verified].flatMap((r) => [r.stdout, r.stderr]));
    const files = [planFile, ...readdirSync(journal).filter((f) => f !== 'credentials.jsonl').map((f) => join(journal, f))].map((f) => readFileSync(f, 'utf8'));
    for (const secret of secrets) for (const text of [...outputs, ...files]) expect(text.includes(secret)).toBe(false);
  });
});
