/**
 * Migrates a Udesk tenant to KF5 through the @contactkit/migrate library API, on two local simulators:
 * plan → apply (journaled, passwords generated into a 0600 file) → verify, then a second apply on the
 * same plan and journal to show that nothing is created twice.
 *
 *   pnpm --filter @contactkit-examples/migrate-script start [-- --agents 200]
 *
 * Against real tenants, build the two clients with createUdeskClient / createKf5Client and your
 * credentials instead of the simulators' (or use `createClientFor` with the CONTACTKIT_* environment).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createKf5Client } from '@contactkit/kf5';
import { FileJournal, GeneratedPasswords, apply, formatApply, formatPlan, formatVerify, plan, verify, type ApplyReport, type MigrationPlan, type VerifyReport } from '@contactkit/migrate';
import { generateTenant, startKf5Simulator, startUdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';

export interface MigrationRun {
  plan: MigrationPlan;
  first: ApplyReport;
  second: ApplyReport;
  verify: VerifyReport;
  workDir: string;
  targetAgents: number;
}

export async function migrateUdeskToKf5(options: { agents?: number; groups?: number; workDir?: string; print?: (line: string) => void } = {}): Promise<MigrationRun> {
  const print = options.print ?? ((line: string) => console.log(line));
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'contactkit-migrate-example-'));

  // 1. Two simulators: a seeded Udesk tenant and an empty KF5 one (real HTTP servers on 127.0.0.1).
  const tenant = generateTenant({ seed: 42, agents: options.agents ?? 60, groups: options.groups ?? 4 });
  const udeskSim = await startUdeskSimulator({ tenant });
  const kf5Sim = await startKf5Simulator();
  try {
    // 2. One client per side, exactly as against the real vendors.
    //    Udesk's agent list carries no role ids, so the source reads each agent (roleIdsOnList: 'get_agent');
    //    KF5 signs admin-only writes (groups) with the password and the rest with the API token.
    const source = createUdeskClient({ baseUrl: udeskSim.baseUrl, email: udeskSim.credentials.email, apiToken: udeskSim.credentials.apiToken, roleIdsOnList: 'get_agent', rateLimit: false });
    const target = createKf5Client({ baseUrl: kf5Sim.baseUrl, email: kf5Sim.credentials.email, apiToken: kf5Sim.credentials.apiToken, password: kf5Sim.credentials.password });

    // 3. Plan: reads both sides, decides create / update / skip / conflict per entity, lists every lossy mapping.
    //    Udesk roles that KF5 cannot hold fall back to the least-privileged KF5 role unless mapped here.
    const migrationPlan = await plan(source, target, { roleMap: { 管理员: 'admin', 客服主管: 'admin' } });
    print(formatPlan(migrationPlan));

    // 4. Apply: roles → groups → agents → memberships, every step in a journal on disk.
    //    KF5 needs a password for each new agent; Udesk cannot give one, so they are generated to KF5's
    //    rules and written (before each create) to <workDir>/credentials.jsonl, mode 0600.
    const journalDir = join(workDir, 'udesk-to-kf5');
    const run = () => apply(migrationPlan, { target, source, journal: new FileJournal(journalDir), passwords: new GeneratedPasswords(journalDir, 'kf5'), concurrency: 4 });
    const first = await run();
    print(formatApply(first));

    // 5. Apply again on the same plan and journal (what you do after a crash): finishes what is left,
    //    creates nothing twice.
    const second = await run();
    print(`second apply: ${JSON.stringify(second.counts.agent)}`);

    // 6. Verify: diffs today's source with today's target.
    const report = await verify(migrationPlan, { source, target });
    print(formatVerify(report));
    print(`journal and generated credentials: ${journalDir}`);
    return { plan: migrationPlan, first, second, verify: report, workDir, targetAgents: kf5Sim.state.listAgents().length };
  } finally {
    await Promise.all([udeskSim.close(), kf5Sim.close()]);
  }
}

// Run directly: `tsx src/migrate.ts [--agents N]`; exit code 0 when the run verified clean.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { agents: { type: 'string' } } });
  migrateUdeskToKf5({ agents: values.agents ? Number(values.agents) : undefined }).then(
    (r) => {
      process.exitCode = r.first.ok && r.second.ok && r.verify.ok ? 0 : 1;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
