/**
 * Migration safety with real processes: two applies racing on one journal, Ctrl-C and resume,
 * a damaged plan, and rollback through the CLI, all against the simulators.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTenant, simulatorEnv, startAllSimulators, type AllSimulators } from '@contactkit/testkit';
import { JournalState, FileJournal } from '../src/journal';
import { runCli } from './cli-process';

let sims: AllSimulators | undefined;
afterEach(async () => {
  await sims?.close();
  sims = undefined;
});

const tmp = () => mkdtempSync(join(tmpdir(), 'ck-proc-'));

/** Udesk (seeded) → KF5, the CLI's environment and a planned migration; every KF5 request slowed by `delayMs`. */
async function planned(agents: number, delayMs: number) {
  sims = await startAllSimulators({ tenant: generateTenant({ seed: 11, agents, groups: 3, roles: 3 }), seedInto: ['udesk'] });
  const env = simulatorEnv(sims);
  const dir = tmp();
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ udesk: { rateLimit: false }, kf5: { rateLimit: false } }));
  const planFile = join(dir, 'plan.json');
  const made = await runCli(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', planFile], env);
  expect(made.code, made.stderr).toBe(0);
  if (delayMs) sims.kf5.faults.set({ rate: 1, kinds: ['delay'], delayMs, match: { method: 'POST' } });
  const plan = JSON.parse(readFileSync(planFile, 'utf8'));
  return { sims, env, dir, config, planFile, journal: join(dir, 'journal'), plan };
}

const staffEmails = (s: AllSimulators) => s.kf5.state.listAgents().map((u) => u.email.toLowerCase());
const duplicates = (emails: string[]) => emails.filter((e, i) => emails.indexOf(e) !== i);

describe('contactkit migrate, as real processes', () => {
  it('two applies started at once on one plan and journal: one runs, the other exits 2 naming it; nothing twice', async () => {
    const { sims: s, env, config, planFile, journal, plan } = await planned(40, 60);
    const before = staffEmails(s).length;
    const args = ['migrate', 'apply', planFile, '--journal', journal, '--config', config];
    const runs = await Promise.all([runCli(args, env), runCli(args, env)]);
    const codes = runs.map((r) => r.code).sort();
    expect(codes, runs.map((r) => r.stderr).join('\n---\n')).toEqual([0, 2]);
    const loser = runs.find((r) => r.code === 2)!;
    expect(loser.stderr).toMatch(/journal: is in use by contactkit migrate apply \(pid \d+ on .+, since /);
    expect(duplicates(staffEmails(s))).toEqual([]);
    expect(staffEmails(s).length - before).toBe(plan.summary.agent.create);
    // one password per created account
    const creds = readFileSync(join(journal, 'credentials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).email);
    expect(creds.length).toBe(plan.summary.agent.create);
    expect(duplicates(creds)).toEqual([]);
  });

  it('Ctrl-C: in-flight writes settle and are journaled, exit 130 with how to resume; the rerun says what it resumes and finishes', async () => {
    const { sims: s, env, config, planFile, journal, plan } = await planned(40, 40);
    let pid = 0;
    s.kf5.faults.afterRequests(12, { method: 'POST', path: /users/ }, () => {
      process.kill(pid, 'SIGINT');
    });
    const args = ['migrate', 'apply', planFile, '--journal', journal, '--config', config, '--concurrency', '3'];
    const stopped = await runCli(args, env, (p) => (pid = p));
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/SIGINT: stopping after the writes in flight/);
    expect(stopped.stderr).toMatch(/Interrupted at \d+\/\d+; run the same command again to resume\./);
    // nothing left unsettled: every intent in the journal has its outcome
    const state = new JournalState(new FileJournal(journal).loadSync());
    expect([...state.pending]).toEqual([]);
    const created = staffEmails(s).length;

    const resumed = await runCli([...args, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`Resuming from .*journal: ${state.done.size} of \\d+ steps already done`));
    expect(JSON.parse(resumed.stdout).counts.agent.adopted).toBeUndefined();
    expect(duplicates(staffEmails(s))).toEqual([]);
    expect(staffEmails(s).length).toBe(plan.summary.agent.create + plan.summary.agent.skip + plan.summary.agent.update);
    expect(created).toBeLessThan(staffEmails(s).length);
  });

  it('a damaged plan exits 2 naming the field, with --json one object on stdout, and sends nothing', async () => {
    const { sims: s, env, config, planFile, journal, dir } = await planned(6, 0);
    const damaged = JSON.parse(readFileSync(planFile, 'utf8'));
    damaged.agents[2].input.email = 12345;
    const file = join(dir, 'damaged.json');
    writeFileSync(file, JSON.stringify(damaged));
    const before = s.kf5.stats().requests;
    const run = await runCli(['migrate', 'apply', file, '--journal', journal, '--config', config, '--json'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plan.agents.2.input.email');
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'plan.agents.2.input.email' }] } });
    expect(s.kf5.stats().requests).toBe(before);
  });

  it('rollback: a dry run changes nothing; --yes removes exactly what the apply made; the target is as before', async () => {
    const { sims: s, env, config, planFile, journal } = await planned(12, 0);
    const agentsBefore = staffEmails(s).sort();
    const groupsBefore = s.kf5.state.listGroups().map((g) => g.id);
    const applied = await runCli(['migrate', 'apply', planFile, '--journal', journal, '--config', config], env);
    expect(applied.code, applied.stderr).toBe(0);
    const afterApply = staffEmails(s).length;

    const dry = await runCli(['migrate', 'rollback', planFile, '--journal', journal, '--config', config], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Run again with --yes');
    expect(staffEmails(s).length).toBe(afterApply);

    const done = await runCli(['migrate', 'rollback', planFile, '--journal', journal, '--config', config, '--yes', '--json'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, dryRun: false, failures: [] });
    expect(staffEmails(s).sort()).toEqual(agentsBefore);
    expect(s.kf5.state.listGroups().map((g) => g.id)).toEqual(groupsBefore);
  });
});
