import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isContactKitError, parseInput, redact, ValidationError, type ContactCenterClient, type Coordinator, type Logger } from '@contactkit/core';
import type { Vendor } from './vendors';
import { version } from '../package.json';
import { apply, DEFAULT_CONCURRENCY, type ApplyReport, type ProgressEvent } from './apply';
import { createClientFor, loadConfig, tenantOf, VENDORS, type Config } from './config';
import { runDemo } from './demo';
import { countAgents, describeReadBound, describeWriteBound, requestsPerMinute, withReadProgress } from './estimate';
import { describeFilters, filterSource, readEmailsFile, type SourceFilters } from './filters';
import { FileJournal, JournalState, ensurePrivateFile, type JournalStore } from './journal';
import { lockJournalDir } from './lock';
import { createOutput, formatApply, formatPlan, formatRollback, formatVerify, type Output } from './output';
import { FilePasswords, GeneratedPasswords } from './passwords';
import { plan } from './plan';
import { readPlan, writePlan } from './plan-file';
import { MigrationPlanSchema, type MigrationPlan } from './plan-types';
import { reportFormat, writeReport } from './report/write';
import { RoleMapConflictError, checkRoleMap, formatRoles } from './roles';
import { rollback } from './rollback';
import { SealedPasswords, openPasswords, type SealedRecordStore } from './sealed';
import { fileLogger, TimelineRecorder } from './telemetry';
import { verify } from './verify';

/** The overview after `contactkit --help`: the commands at a glance, the environment, the exit codes. */
export const USAGE = `Overview:
  contactkit migrate plan   --from <vendor> --to <vendor> --out <plan.json>   read both tenants, decide per entity
  contactkit migrate apply  <plan.json>                                      carry the plan out (resumable)
  contactkit migrate verify <plan.json>                                      compare the target with the plan
  contactkit migrate rollback <plan.json> [--yes]                            undo what an apply created
  contactkit roles --vendor <vendor>                                         list a tenant's roles (for roleMap)
  contactkit scim serve --vendor <vendor> [--port 8080] [--store <file|url>]  a SCIM 2.0 endpoint for Okta, Entra ID…
  contactkit demo                                                            the whole job on embedded simulators
  Each has its own help: contactkit migrate plan --help

Vendors: ${VENDORS.join(', ')}. Credentials come from the environment (a .env in the working directory
is loaded when present) or the config file (contactkit.config.json in the working directory, or --config):
  CONTACTKIT_UDESK_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
  CONTACTKIT_UDESK_DEFAULT_{ROLE,GROUP,DEPARTMENT}_IDS  (Udesk targets: ids every create needs)
  CONTACTKIT_KF5_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
  CONTACTKIT_HUAWEI_AICC_{BASE_URL, APP_KEY, APP_SECRET}
A journal directory is used by one process at a time and belongs to one plan and target.
Ctrl-C during apply or rollback stops taking new steps, lets the writes in flight finish, and exits 130;
the same command resumes.
Exit codes: 0 done, 1 finished with failures or conflicts, 2 bad usage or bad input, 130 interrupted.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream;
  /** where contactkit.config.json and .env are looked for (default: process.cwd()) */
  cwd?: string;
}

const defaultIo: CliIo = { stdout: (t) => process.stdout.write(t + '\n'), stderr: process.stderr };

/** What every subcommand that talks to a tenant accepts. */
interface Common {
  config?: string;
  json?: boolean;
  logFile?: string;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const json = argv.includes('--json');
  const cwd = io.cwd ?? process.cwd();
  let code = 0;
  const program = buildProgram(io, json, cwd, (c) => (code = c));
  try {
    if (argv.length === 0) {
      io.stderr.write(program.helpInformation() + '\n' + USAGE + '\n');
      return 2;
    }
    loadDotEnv(cwd);
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return fail(error, io, json);
  }
}

function fail(error: unknown, io: CliIo, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0; // --help, --version
    const message = error.message.replace(/^error: /, '');
    if (json) io.stdout(JSON.stringify({ ok: false, error: { code: 'USAGE', message } }));
    return 2;
  }
  if (error instanceof RoleMapConflictError) {
    if (json) io.stdout(JSON.stringify({ ok: false, error: { code: 'ROLE_MAP_CONFLICT', message: error.message, conflicts: error.conflicts, targetRoles: error.targetRoles } }));
    else io.stderr.write(`contactkit: ${error.message}\n${error.details()}\n`);
    return 1;
  }
  if (json) {
    const e = isContactKitError(error)
      ? { code: error.code, message: error.message, ...(error instanceof ValidationError ? { issues: error.issues } : {}) }
      : { code: 'UNEXPECTED', message: (error as Error)?.message ?? String(error) };
    io.stdout(JSON.stringify(redact({ ok: false, error: e })));
  }
  if (error instanceof ValidationError) {
    io.stderr.write(`contactkit: ${error.message}\n`);
    return 2;
  }
  if (isContactKitError(error)) {
    io.stderr.write(`contactkit: ${error.code}: ${error.message}\n`);
    return 1;
  }
  io.stderr.write(`contactkit: unexpected error: ${redact((error as Error)?.stack ?? String(error))}\n`);
  return 1;
}

function buildProgram(io: CliIo, json: boolean, cwd: string, setCode: (code: number) => void): Command {
  const program = new Command('contactkit')
    .description('move agents, groups and roles between contact-center vendors')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s.replace(/\n$/, '')),
      // under --json the error goes to stdout as one object (see fail); stderr keeps the text
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`contactkit: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText('after', `\n${USAGE}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander hands actions its parsed arguments untyped
  const run = <A extends any[]>(action: (...args: A) => Promise<number>) => async (...args: A) => setCode(await action(...args));
  const ctx = { io, json, cwd };

  migrateCommands(program, ctx, run);
  common(
    program
      .command('roles')
      .description("list a tenant's roles by id and name: the values a roleMap may use")
      .addOption(new Option('--vendor <vendor>', 'the tenant to read (required)').choices(VENDORS)),
  )
    .hook('preAction', required('vendor'))
    .addHelpText('after', examples(['contactkit roles --vendor kf5', 'contactkit roles --vendor huawei-aicc --json']))
    .action(run((opts: Common & { vendor: Vendor }) => rolesCommand(opts, ctx)));
  common(
    program
      .command('worker')
      .description('run queued migrations (`migrate apply --queue`) with this machine\'s credentials; limits and tokens shared through Redis')
      .option('--redis <url>', 'the Redis the plans are queued on (required)')
      .option('--work-dir <dir>', 'where generated credentials go, one folder per plan (default ./.contactkit)')
      .option('--passwords-public-key <file>', "seal generated passwords to this RSA public key (PEM) into Redis instead of this machine's disk, so a job another worker takes over keeps them all; open them with contactkit migrate passwords")
      .option('--concurrency <n>', 'steps in flight per plan (default 16)', positiveInt),
  )
    .hook('preAction', required('redis'))
    .addHelpText('after', examples(['contactkit worker --redis redis://127.0.0.1:6379 --work-dir /var/lib/contactkit']))
    .action(run((opts: WorkerOpts) => workerCommand(opts, ctx)));
  program
    .command('scim')
    .description('a SCIM 2.0 endpoint for your identity provider (needs the @contactkit/scim package)')
    .command('serve')
    .description('serve /scim/v2 in front of a vendor tenant until SIGINT or SIGTERM (token from CONTACTKIT_SCIM_TOKEN)')
    .addOption(new Option('--vendor <vendor>', 'the tenant to provision (required)').choices(VENDORS))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--store <store>', 'a SQLite file or a postgres:// URL for what the vendor cannot hold')
    .option('--allow-delete', 'DELETE /Users/{id} deletes the agent (otherwise it disables it)')
    .hook('preAction', required('vendor'))
    .addHelpText('after', examples(['CONTACTKIT_SCIM_TOKEN=… contactkit scim serve --vendor kf5 --port 8080 --store scim.sqlite']))
    .action(run((opts: ScimOpts) => scimCommand(opts, ctx)));
  program
    .command('demo')
    .description('the main job on embedded simulators: no account, no network (journals and credentials go to --work-dir, default a new temp folder)')
    .option('--agents <n>', 'agents in the simulated Udesk tenant (default 2000)', positiveInt)
    .option('--work-dir <dir>', 'where journals and generated credentials go')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', examples(['contactkit demo', 'contactkit demo --agents 200 --work-dir ./demo']))
    .action(run((opts: { agents?: number; workDir?: string; json?: boolean }) => demoCommand(opts, ctx)));
  return program;
}

interface Ctx {
  io: CliIo;
  json: boolean;
  cwd: string;
}
interface PlanOpts extends Common {
  from: Vendor;
  to: Vendor;
  out: string;
  journal?: string;
  onlyGroups?: string[];
  emailsFile?: string;
  includeDisabled?: boolean;
  report?: string;
}
interface ApplyOpts extends Common {
  journal?: string;
  concurrency?: number;
  passwordFile?: string;
  report?: string;
  queue?: string;
}
interface RollbackOpts extends Common {
  journal?: string;
  yes?: boolean;
  ownerGroupId?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander hands actions its parsed arguments untyped
type Runner = <A extends any[]>(action: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;

/** `contactkit migrate …`: plan, apply, verify, rollback, passwords. */
function migrateCommands(program: Command, ctx: Ctx, run: Runner): void {
  const migrate = program.command('migrate').description('plan, apply, verify or roll back a migration').addHelpText('after', '\nExample:\n  contactkit migrate plan --help');
  common(
    migrate
      .command('plan')
      .description('read the source and target tenants and write a plan: per role, group and agent, create/update/skip/conflict with reasons')
      .addOption(new Option('--from <vendor>', 'source vendor (required)').choices(VENDORS))
      .addOption(new Option('--to <vendor>', 'target vendor (required)').choices(VENDORS))
      .option('--out <plan.json>', 'file to write the plan to (required)')
      .option('--journal <dir>', 'match what an earlier apply with that journal mapped, before emails')
      .option('--only-groups <names>', 'migrate only these source groups (names or ids, comma-separated) and their members', list)
      .option('--emails-file <file>', 'migrate only the agents whose emails the file lists (one a line)')
      .option('--include-disabled', 'migrate disabled agents too (the default, unless the config says otherwise)')
      .option('--no-include-disabled', 'leave disabled agents out')
      .option('--report <file>', 'also write a report: .html (self-contained page), .md or .csv'),
  )
    .hook('preAction', required('from', 'to', 'out'))
    .addHelpText('after', examples(['contactkit migrate plan --from udesk --to kf5 --out plan.json --report plan.html', 'contactkit migrate plan --from udesk --to huawei-aicc --only-groups "Sales,Support" --out plan.json', 'contactkit migrate plan --from kf5 --to udesk --emails-file pilot.txt --out pilot.json --json']))
    .action(run((opts: PlanOpts) => planCommand(opts, ctx)));
  common(
    migrate
      .command('apply')
      .description('carry a plan out on the target, journaled: Ctrl-C or a crash resumes where it stopped')
      .argument('<plan.json>', 'the plan written by `migrate plan`')
      .option('--journal <dir>', 'journal directory (default .contactkit/<plan id>)')
      .option('--concurrency <n>', "steps in flight at once (default 16; the target client's adaptive window decides what reaches the vendor)", positiveInt)
      .option('--password-file <file>', 'JSON {email: password} to set; otherwise passwords are generated into <journal>/credentials.jsonl (0600)')
      .option('--report <file>', 'also write a report: .html (with the request timeline), .md or .csv')
      .option('--queue <redis-url>', 'submit the plan to the workers on this Redis (`contactkit worker`) and follow it; needs @contactkit/redis'),
  )
    .addHelpText('after', examples(['contactkit migrate apply plan.json', 'contactkit migrate apply plan.json --journal ./journal --concurrency 8 --report apply.html', 'contactkit migrate apply plan.json --queue redis://127.0.0.1:6379']))
    .action(run((file: string, opts: ApplyOpts) => applyCommand(file, opts, ctx)));
  common(
    migrate
      .command('verify')
      .description('read both tenants again and list what differs from the plan')
      .argument('<plan.json>', 'the plan that was applied')
      .option('--report <file>', 'also write a report: .html, .md or .csv'),
  )
    .addHelpText('after', examples(['contactkit migrate verify plan.json', 'contactkit migrate verify plan.json --report verify.html --json']))
    .action(run((file: string, opts: Common & { report?: string }) => verifyCommand(file, opts, ctx)));
  common(
    migrate
      .command('rollback')
      .description("delete exactly what that journal's apply created, newest first, and remove the members it added (a dry run unless --yes)")
      .argument('<plan.json>', 'the plan that was applied')
      .option('--journal <dir>', 'journal directory (default .contactkit/<plan id>)')
      .option('--yes', 'really do it (default: print what would be done)')
      .option('--owner-group-id <id>', "Udesk: the customer service group that takes over deleted agents' customers"),
  )
    .addHelpText('after', examples(['contactkit migrate rollback plan.json', 'contactkit migrate rollback plan.json --yes --owner-group-id 12']))
    .action(run((file: string, opts: RollbackOpts) => rollbackCommand(file, opts, ctx)));
  common(
    migrate
      .command('passwords')
      .description("open the generated passwords a queued plan's workers sealed to your public key (contactkit worker --passwords-public-key)")
      .argument('<plan.json>', 'the plan that was queued')
      .option('--queue <redis-url>', 'the Redis the plan was queued on (required)')
      .option('--private-key <file>', 'the private key (PEM) matching the workers\' public key (required)')
      .option('--out <file>', 'where to write them: JSON lines {vendor, email, password}, mode 0600 (required)'),
  )
    .hook('preAction', required('queue', 'privateKey', 'out'))
    .addHelpText('after', examples(['contactkit migrate passwords plan.json --queue redis://127.0.0.1:6379 --private-key operator.pem --out credentials.jsonl']))
    .action(run((file: string, opts: PasswordsOpts) => passwordsCommand(file, opts, ctx)));
}

function common(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'config file (JSON with comments; default ./contactkit.config.json when present)')
    .option('--log-file <file>', "write the transport's debug log (redacted) to this file")
    .option('--json', 'print one JSON object on stdout and no progress');
}

/**
 * Required options checked after commander's own checks (commander checks mandatory options
 * first, so a typo like --frm would be reported as a missing --from instead of with a suggestion).
 */
function required(...names: string[]) {
  return (_program: Command, cmd: Command) => {
    const missing = names.filter((n) => cmd.getOptionValue(n) === undefined);
    if (missing.length) cmd.error(`required option ${missing.map((m) => `'--${m.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}'`).join(', ')} not specified`, { code: 'commander.missingMandatoryOptionValue', exitCode: 2 });
  };
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

function list(value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new InvalidArgumentError('give at least one name or id');
  return items;
}

function loadDotEnv(cwd: string): void {
  const file = join(cwd, '.env');
  // values already in the environment win: loadEnvFile does not override them
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Clients for one command, sharing the --log-file logger and a timeline recorder. */
function clients(config: Config, opts: Common, cwd: string) {
  const logger: Logger | undefined = opts.logFile ? fileLogger(resolve(cwd, opts.logFile)) : undefined;
  const recorder = new TimelineRecorder();
  const made: ContactCenterClient[] = [];
  const client = (vendor: Vendor, side: 'source' | 'target', timeline = false) => {
    const c = createClientFor(vendor, config, { side, logger, ...(timeline ? { hooks: recorder.hooks } : {}) });
    made.push(c);
    return c;
  };
  const timeline = () => {
    for (const c of made) recorder.addStats(c.vendor, c.stats());
    return recorder.timeline();
  };
  return { client, timeline };
}

async function planCommand(opts: PlanOpts, { io, json, cwd }: Ctx): Promise<number> {
  if (opts.report) reportFormat(opts.report); // a bad extension is a usage error before any request
  const config = loadConfig(opts.config, cwd);
  const out = createOutput(io.stderr, json);
  const includeDisabled = opts.includeDisabled ?? config.includeDisabled ?? true;
  const filters: SourceFilters = {
    onlyGroups: opts.onlyGroups ?? config.onlyGroups,
    emails: opts.emailsFile ? readEmailsFile(resolve(cwd, opts.emailsFile)) : config.emailsFile ? readEmailsFile(config.emailsFile, 'config.emailsFile') : undefined,
  };
  const { client } = clients(config, opts, cwd);
  const [rawSource, rawTarget] = both(() => client(opts.from, 'source'), () => client(opts.to, 'target'));
  // a roleMap naming no target role would demote people silently: refuse before reading the rest
  if (config.roleMap) checkRoleMap(config.roleMap, await rawTarget.roles.list());
  const total = await countAgents(rawSource, includeDisabled);
  out.line(describeReadBound(opts.from, total, requestsPerMinute(opts.from, config)));
  // progress counts every agent read (filters drop some afterwards): the total is the vendor's count
  const source = filterSource(withReadProgress(rawSource, `read ${opts.from} agents`, total, (e) => out.progress(e)), filters);
  const target = withReadProgress(rawTarget, `read ${opts.to} agents (target)`, await countAgents(rawTarget, true), (e) => out.progress(e));
  const idMap = opts.journal ? readIdMap(resolve(cwd, opts.journal)) : undefined;
  if (idMap) out.line(`Resuming from ${resolve(cwd, opts.journal!)}: ${idMap.size} entities an earlier apply mapped are matched by id first.`);
  const recorded = {
    ...(filters.onlyGroups ? { onlyGroups: filters.onlyGroups } : {}),
    ...(filters.emails ? { emailsFile: { path: filters.emails.file, count: filters.emails.addresses.size } } : {}),
  };
  const options = { roleMap: config.roleMap, defaultTargetRole: config.defaultTargetRole, includeDisabled, ...(Object.keys(recorded).length ? { filters: recorded } : {}) };
  const made = await plan(source, target, options, { onProgress: (e) => (e.phase === 'read source agents' ? undefined : out.progress(e)), idMap });
  // the filters are in plan.options; the first warning says them in words for whoever reads the plan
  const filtered = describeFilters(filters, includeDisabled);
  const p = { ...made, source: { ...made.source, tenant: tenantOf(opts.from, config) }, target: { ...made.target, tenant: tenantOf(opts.to, config) }, warnings: filtered ? [filtered, ...made.warnings] : made.warnings };
  const outFile = resolve(cwd, opts.out);
  writePlan(outFile, p);
  out.end();
  if (opts.report) writeReport(resolve(cwd, opts.report), { kind: 'plan', plan: p });
  const conflicts = p.summary.agent!.conflict! + p.summary.group!.conflict! + p.summary.role!.conflict!;
  if (json) io.stdout(JSON.stringify({ ok: conflicts === 0, planId: p.id, out: opts.out, summary: p.summary, warnings: p.warnings, ...(opts.report ? { report: opts.report } : {}) }, null, 2));
  else io.stdout(`${formatPlan(p)}\nWrote ${opts.out}${opts.report ? ` and the report ${opts.report}` : ''}`);
  return conflicts > 0 ? 1 : 0;
}

async function applyCommand(file: string, opts: ApplyOpts, { io, json, cwd }: Ctx): Promise<number> {
  if (opts.report) reportFormat(opts.report); // a bad extension is a usage error before any request
  const config = loadConfig(opts.config, cwd);
  const out = createOutput(io.stderr, json);
  const p = readPlan(resolve(cwd, file));
  if (opts.queue) return applyQueued(p, opts.queue, { io, json, cwd }, out);
  const { client, timeline } = clients(config, opts, cwd);
  const target = client(p.target.vendor, 'target', true);
  const dir = resolve(cwd, opts.journal ?? `.contactkit/${p.id}`);
  const passwordFile = opts.passwordFile ? resolve(cwd, opts.passwordFile) : config.passwords?.policy === 'from-file' ? config.passwords.file : undefined;
  const journal = new FileJournal(dir);
  const stop = interruptible();
  try {
    // the lock first: a second apply must not touch the credentials file either
    await journal.open('contactkit migrate apply');
    const passwords = passwordFile ? new FilePasswords(passwordFile) : new GeneratedPasswords(dir, p.target.vendor);
    const rpm = requestsPerMinute(p.target.vendor, config);
    out.line(describeWriteBound(p.target.vendor, p.estimate?.requests, rpm, opts.concurrency ?? config.concurrency ?? DEFAULT_CONCURRENCY));
    const report = await apply(p, {
      target,
      journal,
      passwords,
      concurrency: opts.concurrency ?? config.concurrency,
      stop: stop.signal,
      tenants: tenantsOf(p.source.vendor, p.target.vendor, config),
      onProgress: (e) => out.progress(e),
      onStart: (e) => {
        // on stderr even with --json: whoever runs it should know it is a resume
        if (e.resuming) io.stderr.write(`Resuming from ${dir}: ${e.alreadyDone} of ${e.total} steps already done.\n`);
      },
    });
    out.end();
    if (opts.report) writeReport(resolve(cwd, opts.report), { kind: 'apply', plan: p, apply: report, timeline: timeline() });
    io.stdout(json ? JSON.stringify(redact(report), null, 2) : formatApply(report) + (opts.report ? `\nWrote the report ${opts.report}` : ''));
    return exitCodeOf(report, io);
  } finally {
    stop.dispose();
    await journal.close();
  }
}

async function verifyCommand(file: string, opts: Common & { report?: string }, { io, json, cwd }: Ctx): Promise<number> {
  if (opts.report) reportFormat(opts.report); // a bad extension is a usage error before any request
  const config = loadConfig(opts.config, cwd);
  const out = createOutput(io.stderr, json);
  const p = readPlan(resolve(cwd, file));
  const { client } = clients(config, opts, cwd);
  const rpm = requestsPerMinute(p.source.vendor, config);
  out.line(describeReadBound(p.source.vendor, p.agents.length, rpm));
  const [s, t] = both(() => client(p.source.vendor, 'source'), () => client(p.target.vendor, 'target'));
  const source = withReadProgress(s, `verify: read ${p.source.vendor} agents`, p.agents.length, (e) => out.progress(e));
  const target = withReadProgress(t, `verify: read ${p.target.vendor} agents`, undefined, (e) => out.progress(e));
  const report = await verify(p, { source, target });
  out.end();
  if (opts.report) writeReport(resolve(cwd, opts.report), { kind: 'verify', plan: p, verify: report });
  io.stdout(json ? JSON.stringify(report, null, 2) : formatVerify(report));
  return report.ok ? 0 : 1;
}

async function rollbackCommand(file: string, opts: RollbackOpts, { io, json, cwd }: Ctx): Promise<number> {
  const config = loadConfig(opts.config, cwd);
  const out = createOutput(io.stderr, json);
  const p = readPlan(resolve(cwd, file));
  const dir = resolve(cwd, opts.journal ?? `.contactkit/${p.id}`);
  if (p.target.vendor === 'udesk' && opts.yes && !opts.ownerGroupId) {
    throw new ValidationError([{ path: '--owner-group-id', message: 'Udesk needs the customer service group that takes over the customers of deleted agents' }]);
  }
  const { client } = clients(config, opts, cwd);
  const stop = interruptible();
  try {
    const report = await rollback(p, {
      target: client(p.target.vendor, 'target'),
      journal: new FileJournal(dir),
      dryRun: !opts.yes,
      stop: stop.signal,
      agentDeleteFields: opts.ownerGroupId ? { owner_group_id: Number(opts.ownerGroupId) || opts.ownerGroupId } : undefined,
      tenants: tenantsOf(p.source.vendor, p.target.vendor, config),
      onProgress: (e) => out.progress(e),
    });
    out.end();
    io.stdout(json ? JSON.stringify(redact(report), null, 2) : formatRollback(report));
    return exitCodeOf(report, io);
  } finally {
    stop.dispose();
  }
}

async function rolesCommand(opts: Common & { vendor: Vendor }, { io, json, cwd }: Ctx): Promise<number> {
  const config = loadConfig(opts.config, cwd);
  const roles = await clients(config, opts, cwd).client(opts.vendor, 'target').roles.list();
  io.stdout(json ? JSON.stringify({ ok: true, vendor: opts.vendor, roles: roles.map((r) => ({ id: r.id, name: r.name })) }, null, 2) : formatRoles(opts.vendor, roles));
  return 0;
}

interface WorkerOpts extends Common {
  redis: string;
  workDir?: string;
  passwordsPublicKey?: string;
  concurrency?: number;
}

/** What the queue needs of @contactkit/redis (typed here: the package is optional). */
interface RedisModule {
  submitMigration(plan: MigrationPlan, options: { redis: string }): Promise<{
    jobId: string;
    events: AsyncIterable<{ type: 'progress'; progress: ProgressEvent } | { type: 'completed'; report: ApplyReport } | { type: 'failed'; message: string }>;
    close(): Promise<void>;
  }>;
  startMigrationWorker(options: {
    redis: string;
    concurrency?: number;
    run(
      plan: unknown,
      context: { journal: JournalStore; coordinator: Coordinator; sealedPasswords: SealedRecordStore; onProgress(event: ProgressEvent): void; stop: AbortSignal; jobId: string },
    ): Promise<ApplyReport>;
    onJob?(jobId: string): void;
    onRedisLost?(error: Error): void;
  }): { close(): Promise<void> };
  readSealedPasswords(options: { redis: string; planId: string }): Promise<string[]>;
}

/** Submits the plan to the workers and follows it to its report (credentials stay with the workers). */
async function applyQueued(p: MigrationPlan, redis: string, { io, json, cwd }: Ctx, out: Output): Promise<number> {
  const jobs = await loadOptional<RedisModule>('@contactkit/redis', cwd);
  const submitted = await jobs.submitMigration(p, { redis });
  out.line(`Queued plan ${p.id} as job ${submitted.jobId} on ${redact(redis)}; following it (Ctrl-C stops following, not the job).`);
  try {
    for await (const event of submitted.events) {
      if (event.type === 'progress') out.progress(event.progress);
      else if (event.type === 'failed') throw new ValidationError([{ path: 'queue', message: `the job failed on its worker: ${event.message}` }]);
      else {
        out.end();
        io.stdout(json ? JSON.stringify(redact(event.report), null, 2) : formatApply(event.report));
        return event.report.ok ? 0 : 1;
      }
    }
    throw new ValidationError([{ path: 'queue', message: 'the job ended without a report' }]);
  } finally {
    await submitted.close();
  }
}

/** Runs queued plans until SIGINT or SIGTERM; the target client comes from this machine's config, sharing limits through Redis. */
async function workerCommand(opts: WorkerOpts, { io, cwd }: Ctx): Promise<number> {
  const config = loadConfig(opts.config, cwd);
  const jobs = await loadOptional<RedisModule>('@contactkit/redis', cwd);
  const workDir = resolve(cwd, opts.workDir ?? '.contactkit');
  const publicKey = opts.passwordsPublicKey ? readFileSync(resolve(cwd, opts.passwordsPublicKey), 'utf8') : undefined;
  const worker = jobs.startMigrationWorker({
    redis: opts.redis,
    onJob: (jobId) => io.stderr.write(`contactkit worker: running ${jobId}\n`),
    // a worker is not trusted to pick up work after an outage: exit (1) for the supervisor to start a fresh one
    onRedisLost: (error) => {
      io.stderr.write(`contactkit worker: ${error.message}\n`);
      process.exit(1);
    },
    run: (raw, { journal, coordinator, sealedPasswords, onProgress, stop }) => {
      const plan = parseInput(MigrationPlanSchema, raw, { prefix: 'plan' });
      const target = createClientFor(plan.target.vendor, config, { side: 'target', coordinator });
      // never in Redis in clear: sealed to the operator's key, or on this machine's disk
      const passwords = publicKey
        ? new SealedPasswords(publicKey, sealedPasswords, plan.target.vendor)
        : new GeneratedPasswords(join(workDir, plan.id), plan.target.vendor);
      return apply(plan, { target, journal, passwords, onProgress, stop, concurrency: opts.concurrency ?? config.concurrency, tenants: tenantsOf(plan.source.vendor, plan.target.vendor, config) });
    },
  });
  io.stderr.write(`contactkit worker: waiting for plans on ${redact(opts.redis)}\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
  return 0;
}

interface PasswordsOpts extends Common {
  queue: string;
  privateKey: string;
  out: string;
}

/** Opens the sealed passwords of a queued plan into a 0600 file: the newest per email, earlier ones beside it. */
async function passwordsCommand(file: string, opts: PasswordsOpts, { io, json, cwd }: Ctx): Promise<number> {
  const p = readPlan(resolve(cwd, file));
  const jobs = await loadOptional<RedisModule>('@contactkit/redis', cwd);
  const opened = openPasswords(readFileSync(resolve(cwd, opts.privateKey), 'utf8'), await jobs.readSealedPasswords({ redis: opts.queue, planId: p.id }));
  const out = resolve(cwd, opts.out);
  ensurePrivateFile(out);
  const lines = [...opened.values()].map(([newest, ...earlier]) => JSON.stringify({ vendor: newest!.vendor, email: newest!.email, password: newest!.password, ...(earlier.length ? { earlier: earlier.map((e) => e.password) } : {}) }));
  writeFileSync(out, lines.map((l) => l + '\n').join(''), { mode: 0o600 });
  const ambiguous = [...opened.values()].filter((list) => list.length > 1).length;
  const summary = { ok: true, passwords: opened.size, ambiguous, file: out };
  io.stdout(json ? JSON.stringify(summary) : `${opened.size} password(s) written to ${out} (mode 0600)${ambiguous ? `; ${ambiguous} with earlier candidates ("earlier"): a run was cut between sealing and creating` : ''}`);
  return 0;
}

interface ScimOpts {
  vendor: Vendor;
  host: string;
  port: string;
  store?: string;
  allowDelete?: boolean;
}

/** What `contactkit scim serve` needs of @contactkit/scim (typed here: scim depends on migrate, not the reverse). */
interface ScimModule {
  serveUntilSignal(argv: string[], env: NodeJS.ProcessEnv, out?: (line: string) => void): Promise<number>;
}

/**
 * An optional package (SCIM, Redis: their drivers are not migrate's dependencies), loaded only when a
 * command needs it: installed beside this one, or in the project the command runs in.
 */
async function loadOptional<M>(name: string, cwd: string): Promise<M> {
  try {
    return (await import(name)) as M;
  } catch {
    try {
      return (await import(pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(name)).href)) as M;
    } catch {
      throw new ValidationError([{ path: name, message: `this command needs the ${name} package: npm install ${name}` }]);
    }
  }
}

async function scimCommand(opts: ScimOpts, { io, cwd }: Ctx): Promise<number> {
  const scim = await loadOptional<ScimModule>('@contactkit/scim', cwd);
  const argv = ['serve', '--vendor', opts.vendor, '--host', opts.host, '--port', opts.port, ...(opts.store ? ['--store', opts.store] : []), ...(opts.allowDelete ? ['--allow-delete'] : [])];
  return scim.serveUntilSignal(argv, process.env, (line) => io.stdout(line));
}

async function demoCommand(opts: { agents?: number; workDir?: string; json?: boolean }, { io, cwd }: Ctx): Promise<number> {
  const output: Output = createOutput(io.stderr, opts.json === true);
  const result = await runDemo({ output, agents: opts.agents, workDir: opts.workDir ? resolve(cwd, opts.workDir) : undefined });
  if (opts.json) io.stdout(JSON.stringify(redact({ ok: result.ok, runs: result.runs.map((r) => ({ target: r.target, plan: r.plan.summary, apply: r.apply, verify: r.verify })) }), null, 2));
  return result.ok ? 0 : 1;
}

/** Both results, or one ValidationError naming every issue of both (all missing variables at once). */
function both<A, B>(a: () => A, b: () => B): [A, B] {
  const issues: ValidationError['issues'] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  };
  const ra = attempt(a);
  const rb = attempt(b);
  if (issues.length) throw new ValidationError(issues);
  return [ra!, rb!];
}

/** 130 for a run a signal stopped (saying how to resume), else 0 when it went through and 1 when not */
function exitCodeOf(report: { ok: boolean; interrupted?: { done: number; total: number } | undefined }, io: CliIo): number {
  if (!report.interrupted) return report.ok ? 0 : 1;
  io.stderr.write(`Interrupted at ${report.interrupted.done}/${report.interrupted.total}; run the same command again to resume.\n`);
  return 130;
}

function tenantsOf(source: Vendor, target: Vendor, config: Config) {
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
