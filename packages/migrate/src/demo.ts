import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommonClientOptions, ContactCenterClient, VendorId } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { generateTenant, startAllSimulators, type AllSimulators } from '@contactkit/testkit';
import { createUdeskClient, type UdeskClientOptions } from '@contactkit/udesk';
import { apply, type ApplyReport } from './apply';
import { FileJournal } from './journal';
import { createOutput, formatApply, formatPlan, formatVerify, type Output } from './output';
import { GeneratedPasswords } from './passwords';
import { plan } from './plan';
import type { MigrationPlan } from './plan-types';
import { verify, type VerifyReport } from './verify';

export interface DemoOptions {
  agents?: number;
  groups?: number;
  roles?: number;
  seed?: number;
  concurrency?: number;
  /** where journals and credentials files go (default: a new temp folder) */
  workDir?: string;
  output?: Output;
}

export interface DemoResult {
  runs: Array<{ target: string; plan: MigrationPlan; apply: ApplyReport; verify: VerifyReport }>;
  workDir: string;
  ok: boolean;
}

/**
 * The main job on embedded simulators: a seeded Udesk tenant migrated to KF5 and to Huawei AICC
 * through plan → apply → verify. No account, no network beyond 127.0.0.1.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.output ?? createOutput();
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'contactkit-demo-'));
  const tenant = generateTenant({ seed: options.seed ?? 7, agents: options.agents ?? 2000, groups: options.groups ?? 40, roles: options.roles ?? 6 });
  out.line(`Starting simulators (Udesk tenant: ${tenant.agents.length} agents, ${tenant.groups.length} groups, ${tenant.roles.length} roles; KF5 and Huawei AICC empty)…`);
  const sims = await startAllSimulators({ tenant, seedInto: ['udesk'] });
  try {
    // the simulated tenants enforce no rate limit, so the clients' limiters are off too
    const udesk = simulatorClient(sims, 'udesk', { rateLimit: false });
    // role tables as a config file would give them; the roles left out fall back to the least-privileged role
    const targets: Array<[string, ContactCenterClient, Record<string, string>]> = [
      ['kf5', simulatorClient(sims, 'kf5'), { 管理员: 'admin', 客服主管: 'admin' }],
      ['huawei-aicc', simulatorClient(sims, 'huawei-aicc'), { 质检员: '3', 外呼专员: '4' }],
    ];
    const runs: DemoResult['runs'] = [];
    for (const [name, target, roleMap] of targets) {
      out.line(`\n=== Udesk → ${name} ===`);
      out.line(`roleMap: ${JSON.stringify(roleMap)}`);
      const p = await plan(udesk, target, { roleMap }, { onProgress: (e) => out.progress(e) });
      out.line(formatPlan(p));
      const dir = join(workDir, `udesk-to-${name}`);
      const report = await apply(p, {
        target,
        source: udesk,
        journal: new FileJournal(dir),
        passwords: new GeneratedPasswords(dir, target.vendor),
        concurrency: options.concurrency ?? 8,
        onProgress: (e) => out.progress(e),
      });
      out.line(formatApply(report));
      const check = await verify(p, { source: udesk, target });
      out.line(formatVerify(check));
      runs.push({ target: name, plan: p, apply: report, verify: check });
    }
    out.line(`\nJournals and generated credentials (0600) are in ${workDir}`);
    out.line(NEXT_STEPS);
    return { runs, workDir, ok: runs.every((r) => r.apply.ok && r.verify.ok) };
  } finally {
    out.end();
    await sims.close();
  }
}

/** What to run after the demo: a rehearsal on simulators you keep running, then the real tenant. */
export const NEXT_STEPS = `
Next: rehearse with your own numbers, then migrate your tenant (guide: README.md, "Migrate your tenant")
  contactkit-simulate --source udesk --agents 20000 --print-env   # simulators; paste the export lines into another shell
  contactkit roles --vendor kf5                                    # the target's roles, for the config's roleMap
  contactkit migrate plan --from udesk --to kf5 --out plan.json --report plan.html
  contactkit migrate apply plan.json --report apply.html           # Ctrl-C is safe: the same command resumes
  contactkit migrate verify plan.json --report verify.html
  contactkit migrate rollback plan.json                            # a dry run; add --yes to undo the apply`;

/** A client pointed at one of the embedded simulators (demo, tests, benchmarks). */
export function simulatorClient(sims: AllSimulators, vendor: VendorId, clientOptions: CommonClientOptions & Pick<UdeskClientOptions, 'defaults'> = {}): ContactCenterClient {
  const { defaults, ...options } = clientOptions;
  if (vendor === 'udesk') {
    const { baseUrl, credentials } = sims.udesk;
    // agents read one by one: Udesk's list carries no role ids, and a migration must not guess roles
    return createUdeskClient({ baseUrl, email: credentials.email, apiToken: credentials.apiToken, roleIdsOnList: 'get_agent', defaults, ...options });
  }
  if (vendor === 'kf5') {
    const { baseUrl, credentials } = sims.kf5;
    // both: KF5 takes admin-only writes (groups, user deletes) with the password, the rest with the token
    return createKf5Client({ baseUrl, email: credentials.email, apiToken: credentials.apiToken, password: credentials.password, ...options });
  }
  const { baseUrl, credentials } = sims.huaweiAicc;
  return createHuaweiAiccClient({ baseUrl, appKey: credentials.appKey, appSecret: credentials.appSecret, fitNames: true, ...options });
}
