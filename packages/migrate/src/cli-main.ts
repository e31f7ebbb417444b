import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isContactKitError, redact, ValidationError } from '@contactkit/core';
import { apply } from './apply';
import { createClientFor, loadConfig, parseVendor } from './config';
import { runDemo } from './demo';
import { FileJournal, JournalState } from './journal';
import { createOutput, formatApply, formatPlan, formatVerify } from './output';
import { FilePasswords, GeneratedPasswords } from './passwords';
import { plan } from './plan';
import type { MigrationPlan } from './plan-types';
import { verify } from './verify';

export const USAGE = `contactkit — move agents, groups and roles between contact-center vendors

Usage:
  contactkit migrate plan   --from <vendor> --to <vendor> [--config <file>] --out <plan.json> [--journal <dir>] [--json]
                            (--journal: match what an earlier apply with that journal mapped, before emails)
  contactkit migrate apply  <plan.json> [--journal <dir>] [--concurrency <n>] [--password-file <file>] [--config <file>] [--json]
                            (passwords: generated into <journal>/credentials.jsonl (0600) unless --password-file
                             or the config's passwords.policy "from-file" names a JSON {email: password} file)
  contactkit migrate verify <plan.json> [--config <file>] [--json]
  contactkit demo [--agents <n>] [--work-dir <dir>] [--json]
                            the main job on embedded simulators: no account, no network
                            (journals and generated credentials go to --work-dir, default a new temp folder)

Vendors: udesk, kf5, huawei-aicc. Credentials come from the environment (or the config file):
  CONTACTKIT_UDESK_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
  CONTACTKIT_KF5_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
  CONTACTKIT_HUAWEI_AICC_{BASE_URL, APP_KEY, APP_SECRET}
Exit codes: 0 done, 1 finished with failures or conflicts, 2 bad usage or bad input.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream;
}

const defaultIo: CliIo = { stdout: (t) => process.stdout.write(t + '\n'), stderr: process.stderr };

function readPlan(path: string | undefined): MigrationPlan {
  if (!path) throw new ValidationError([{ path: '<plan.json>', message: 'give the plan file' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ValidationError([{ path: '<plan.json>', message: `cannot read ${path} as JSON (${(error as Error).message.split('\n')[0]})` }]);
  }
  const p = parsed as Partial<MigrationPlan>;
  if (p.format !== 'contactkit-migration-plan' || p.version !== 1 || !Array.isArray(p.agents) || !Array.isArray(p.groups)) {
    throw new ValidationError([{ path: '<plan.json>', message: 'not a contactkit migration plan (version 1)' }]);
  }
  return parsed as MigrationPlan;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
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
      const source = createClientFor(from, config);
      const target = createClientFor(to, config);
      const idMap = values.journal ? new JournalState(await new FileJournal(resolve(values.journal)).load()).done : undefined;
      const p = await plan(source, target, { roleMap: config.roleMap, defaultTargetRole: config.defaultTargetRole, includeDisabled: config.includeDisabled }, { onProgress: (e) => out.progress(e), idMap });
      writeFileSync(values.out, JSON.stringify(p, null, 2) + '\n');
      out.end();
      if (values.json) io.stdout(JSON.stringify({ planId: p.id, out: values.out, summary: p.summary, warnings: p.warnings }, null, 2));
      else io.stdout(`${formatPlan(p)}\nWrote ${values.out}`);
      return p.summary.agent.conflict + p.summary.group.conflict + p.summary.role.conflict > 0 ? 1 : 0;
    }
    if (sub === 'apply') {
      const p = readPlan(file);
      const concurrency = values.concurrency ? positiveInt(values.concurrency, '--concurrency') : config.concurrency;
      const target = createClientFor(p.target.vendor, config);
      const dir = resolve(values.journal ?? `.contactkit/${p.id}`);
      const passwordFile = values['password-file'] ?? (config.passwords?.policy === 'from-file' ? config.passwords.file : undefined);
      const passwords = passwordFile ? new FilePasswords(passwordFile) : new GeneratedPasswords(dir, p.target.vendor);
      const report = await apply(p, { target, journal: new FileJournal(dir), passwords, concurrency, onProgress: (e) => out.progress(e) });
      out.end();
      io.stdout(values.json ? JSON.stringify(redact(report), null, 2) : formatApply(report));
      return report.ok ? 0 : 1;
    }
    if (sub === 'verify') {
      const p = readPlan(file);
      const report = await verify(p, { source: createClientFor(p.source.vendor, config), target: createClientFor(p.target.vendor, config) });
      io.stdout(values.json ? JSON.stringify(report, null, 2) : formatVerify(report));
      return report.ok ? 0 : 1;
    }
    throw new ValidationError([{ path: 'command', message: `unknown command "migrate ${sub}"; see --help` }]);
  } catch (error) {
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
