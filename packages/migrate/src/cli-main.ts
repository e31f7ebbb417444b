import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isContactKitError, redact, ValidationError } from '@contactkit/core';
import { apply } from './apply';
import { createClientFor, loadConfig, parseVendor, tenantOf, type Config } from './config';
import { runDemo } from './demo';
import { FileJournal, JournalState } from './journal';
import { lockJournalDir } from './lock';
import { createOutput, formatApply, formatPlan, formatRollback, formatVerify } from './output';
import { FilePasswords, GeneratedPasswords } from './passwords';
import { plan } from './plan';
import { readPlan, writePlan } from './plan-file';
import { rollback } from './rollback';
import { verify } from './verify';

export const USAGE = `contactkit — move agents, groups and roles between contact-center vendors

Usage:
  contactkit migrate plan   --from <vendor> --to <vendor> [--config <file>] --out <plan.json> [--journal <dir>] [--json]
                            (--journal: match what an earlier apply with that journal mapped, before emails)
  contactkit migrate apply  <plan.json> [--journal <dir>] [--concurrency <n>] [--password-file <file>] [--config <file>] [--json]
                            (passwords: generated into <journal>/credentials.jsonl (0600) unless --password-file
                             or the config's passwords.policy "from-file" names a JSON {email: password} file)
  contactkit migrate verify <plan.json> [--config <file>] [--json]
  contactkit migrate rollback <plan.json> [--journal <dir>] [--yes] [--owner-group-id <id>] [--config <file>] [--json]
                            (deletes exactly what that journal's apply created, newest first, and removes the
                             members it added; a dry run unless --yes; Udesk agent deletes need --owner-group-id,
                             the group that takes over the deleted agents' customers)
  contactkit demo [--agents <n>] [--work-dir <dir>] [--json]
                            the main job on embedded simulators: no account, no network
                            (journals and generated credentials go to --work-dir, default a new temp folder)

Vendors: udesk, kf5, huawei-aicc. Credentials come from the environment (or the config file):
  CONTACTKIT_UDESK_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
  CONTACTKIT_KF5_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
  CONTACTKIT_HUAWEI_AICC_{BASE_URL, APP_KEY, APP_SECRET}
A journal directory is used by one process at a time and belongs to one plan and target.
Ctrl-C during apply or rollback stops taking new steps, lets the writes in flight finish, and exits 130;
the same command resumes.
Exit codes: 0 done, 1 finished with failures or conflicts, 2 bad usage or bad input, 130 interrupted.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream;
}

const defaultIo: CliIo = { stdout: (t) => process.stdout.write(t + '\n'), stderr: process.stderr };

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        journal: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean', default: false },
        agents: { type: 'string' },
        'password-file': { type: 'string' },
        'work-dir': { type: 'string' },
        yes: { type: 'boolean', default: false },
        'owner-group-id': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, sub, file] = positionals;
    if (values.help || !command) {
      io.stdout(USAGE);
      return values.help ? 0 : 2;
    }
    const out = createOutput(io.stderr, values.json);
    if (command === 'demo') {
      const agents = values.agents ? positiveInt(values.agents, '--agents') : undefined;
      const result = await runDemo({ output: out, agents, workDir: values['work-dir'] ? resolve(values['work-dir']) : undefined });
      if (values.json) io.stdout(JSON.stringify(redact({ ok: result.ok, runs: result.runs.map((r) => ({ target: r.target, plan: r.plan.summary, apply: r.apply, verify: r.verify })) }), null, 2));
      return result.ok ? 0 : 1;
    }
    if (command !== 'migrate' || !sub) throw new ValidationError([{ path: 'command', message: `unknown command "${[command, sub].filter(Boolean).join(' ')}"; see --help` }]);
    const config = loadConfig(values.config);
    if (sub === 'plan') {
      const from = parseVendor(values.from, '--from');
      const to = parseVendor(values.to, '--to');
      if (!values.out) throw new ValidationError([{ path: '--out', message: 'give the file to write the plan to' }]);
      const source = createClientFor(from, config, { side: 'source' });
      const target = createClientFor(to, config);
      const idMap = values.journal ? readIdMap(resolve(values.journal)) : undefined;
      const made = await plan(source, target, { roleMap: config.roleMap, defaultTargetRole: config.defaultTargetRole, includeDisabled: config.includeDisabled }, { onProgress: (e) => out.progress(e), idMap });
      const p = { ...made, source: { ...made.source, tenant: tenantOf(from, config) }, target: { ...made.target, tenant: tenantOf(to, config) } };
      writePlan(values.out, p);
      out.end();
      if (values.json) io.stdout(JSON.stringify({ ok: true, planId: p.id, out: values.out, summary: p.summary, warnings: p.warnings }, null, 2));
      else io.stdout(`${formatPlan(p)}\nWrote ${values.out}`);
      return p.summary.agent.conflict + p.summary.group.conflict + p.summary.role.conflict > 0 ? 1 : 0;
    }
    if (sub === 'apply') {
      const p = readPlan(file);
      const concurrency = values.concurrency ? positiveInt(values.concurrency, '--concurrency') : config.concurrency;
      const target = createClientFor(p.target.vendor, config);
      const dir = resolve(values.journal ?? `.contactkit/${p.id}`);
      const passwordFile = values['password-file'] ?? (config.passwords?.policy === 'from-file' ? config.passwords.file : undefined);
      const journal = new FileJournal(dir);
      const stop = interruptible();
      try {
        // the lock first: a second apply must not touch the credentials file either
        await journal.open('contactkit migrate apply');
        const passwords = passwordFile ? new FilePasswords(passwordFile) : new GeneratedPasswords(dir, p.target.vendor);
        const report = await apply(p, {
          target,
          journal,
          passwords,
          concurrency,
          stop: stop.signal,
          tenants: tenantsOf(p.source.vendor, p.target.vendor, config),
          onProgress: (e) => out.progress(e),
          onStart: (e) => {
            // on stderr even with --json: whoever runs it should know it is a resume
            if (e.resuming) io.stderr.write(`Resuming from ${dir}: ${e.alreadyDone} of ${e.total} steps already done.\n`);
          },
        });
        out.end();
        io.stdout(values.json ? JSON.stringify(redact(report), null, 2) : formatApply(report));
        if (report.interrupted) {
          io.stderr.write(`Interrupted at ${report.interrupted.done}/${report.interrupted.total}; run the same command again to resume.\n`);
          return 130;
        }
        return report.ok ? 0 : 1;
      } finally {
        stop.dispose();
        await journal.close();
      }
    }
    if (sub === 'verify') {
      const p = readPlan(file);
      const report = await verify(p, { source: createClientFor(p.source.vendor, config, { side: 'source' }), target: createClientFor(p.target.vendor, config) });
      io.stdout(values.json ? JSON.stringify(report, null, 2) : formatVerify(report));
      return report.ok ? 0 : 1;
    }
    if (sub === 'rollback') {
      const p = readPlan(file);
      const dir = resolve(values.journal ?? `.contactkit/${p.id}`);
      const ownerGroupId = values['owner-group-id'];
      if (p.target.vendor === 'udesk' && values.yes && !ownerGroupId) {
        throw new ValidationError([{ path: '--owner-group-id', message: 'Udesk needs the customer service group that takes over the customers of deleted agents' }]);
      }
      const stop = interruptible();
      try {
        const report = await rollback(p, {
          target: createClientFor(p.target.vendor, config),
          journal: new FileJournal(dir),
          dryRun: !values.yes,
          stop: stop.signal,
          agentDeleteFields: ownerGroupId ? { owner_group_id: Number(ownerGroupId) || ownerGroupId } : undefined,
          tenants: tenantsOf(p.source.vendor, p.target.vendor, config),
          onProgress: (e) => out.progress(e),
        });
        out.end();
        io.stdout(values.json ? JSON.stringify(redact(report), null, 2) : formatRollback(report));
        if (report.interrupted) {
          io.stderr.write(`Interrupted at ${report.interrupted.done}/${report.interrupted.total}; run the same command again to resume.\n`);
          return 130;
        }
        return report.ok ? 0 : 1;
      } finally {
        stop.dispose();
      }
    }
    throw new ValidationError([{ path: 'command', message: `unknown command "migrate ${sub}"; see --help` }]);
  } catch (error) {
    if (json && isContactKitError(error)) io.stdout(JSON.stringify({ ok: false, error: { code: error.code, message: error.message, ...(error instanceof ValidationError ? { issues: error.issues } : {}) } }));
    if (error instanceof ValidationError) {
      io.stderr.write(`contactkit: ${error.message}\n`);
      return 2;
    }
    if (isContactKitError(error)) {
      io.stderr.write(`contactkit: ${error.code}: ${error.message}\n`);
      return 1;
    }
    if ((error as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.stderr.write(`contactkit: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr.write(`contactkit: unexpected error: ${redact((error as Error)?.stack ?? String(error))}\n`);
    return 1;
  }
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ValidationError([{ path: flag, message: 'must be a whole number ≥ 1' }]);
  return n;
}

function tenantsOf(source: Parameters<typeof tenantOf>[0], target: Parameters<typeof tenantOf>[0], config: Config) {
  return { source: tenantOf(source, config), target: tenantOf(target, config) };
}

/** An earlier run's id map, read under the journal's lock (an apply writing it meanwhile would be missed). */
function readIdMap(dir: string): JournalState['done'] {
  const release = lockJournalDir(dir, 'contactkit migrate plan');
  try {
    const journal = new FileJournal(dir);
    return new JournalState(journal.loadSync()).done;
  } finally {
    release();
  }
}

/**
 * The first Ctrl-C (or SIGTERM) asks the run to stop taking new steps and let the writes in flight
 * settle; a second one ends the process at once (the journal still lets the next run resume).
 */
function interruptible(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${name}: stopping after the writes in flight (press Ctrl-C again to quit at once)…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
