#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { simulatorEnv, startAllSimulators, type AllSimulators, type StartAllOptions } from './all';
import { FAULT_KINDS, type FaultKind, type FaultOptions } from './server';

const USAGE = `Usage: contactkit-simulate [options]

Starts the Udesk, KF5 and Huawei AICC simulators on 127.0.0.1, seeded with a generated tenant,
and keeps them up until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --agents N             agents to generate (default 50)
  --groups N             groups to generate (default 5)
  --seed N               PRNG seed (default 1)
  --host HOST            listen address (default 127.0.0.1)
  --port-udesk N         Udesk port (default: a free port)
  --port-kf5 N           KF5 port (default: a free port)
  --port-huawei N        Huawei AICC port (default: a free port)
  --rate-limit N/min     enforce N requests per minute on each simulator (default off)
  --rate-limit-udesk N   enforce N requests per minute on Udesk only (wins over --rate-limit)
  --max-concurrent N     refuse (429) a request while N are being handled (default: no cap)
  --latency MS           hold every request MS milliseconds before handling it (default 0)
  --fault KIND[:RATE]    inject a fault into RATE (0..1, default 1) of the requests; repeatable, the
                         rates add up (at most 1). KIND: ${FAULT_KINDS.join(', ')}
  --control-token T      bearer token of the control endpoint (default: random, printed)
  --source VENDOR        seed only this simulator (udesk, kf5 or huawei-aicc); the others start empty,
                         ready to be migration targets (default: all three seeded)
  --print-env            print \`export CONTACTKIT_…=\` lines to paste into a shell for the contactkit CLI
                         (instead of the human-readable summary)
  -h, --help             show this help

Control endpoint (each simulator, Authorization: Bearer <token>):
  GET /__control/state, GET /__control/stats, POST|DELETE /__control/faults,
  POST /__control/seed, POST /__control/reset, PUT /__control/rate-limit

Rehearse a migration:
  contactkit-simulate --source udesk --agents 20000 --print-env
  # paste the export lines into another shell, then:
  contactkit migrate plan --from udesk --to kf5 --out plan.json --report plan.html
`;

const SOURCES = { udesk: 'udesk', kf5: 'kf5', 'huawei-aicc': 'huaweiAicc' } as const;

/** A value as a POSIX shell single-quoted word. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The environment the contactkit CLI reads, pointing at these simulators, as lines to paste. */
function envLines(sims: AllSimulators): string[] {
  return Object.entries(simulatorEnv(sims)).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}

function int(name: string, v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) usageError(`--${name} must be a non-negative integer`);
  return n;
}

function usageError(message: string): never {
  process.stderr.write(`contactkit-simulate: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** `60/min` or `60`: requests per minute, 0 = off. */
function perMinute(name: string, v: string | undefined): number {
  if (v === undefined) return 0;
  const m = /^(\d+)(?:\/min)?$/.exec(v.trim());
  if (!m) usageError(`--${name} must look like 60/min`);
  return Number(m[1]);
}

/** `--fault 503:0.1 --fault 429:0.05` → one FaultOptions: the rates add up, each kind keeps its share. */
function faultsFromFlags(flags: readonly string[]): FaultOptions | undefined {
  if (flags.length === 0) return undefined;
  const parts = flags.map((f) => {
    const [kind = '', rateText] = f.split(':');
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) usageError(`--fault kind must be one of ${FAULT_KINDS.join(', ')} (got ${kind})`);
    const rate = rateText === undefined ? 1 : Number(rateText);
    if (!(rate > 0 && rate <= 1)) usageError(`--fault ${f}: the rate must be a number above 0, at most 1`);
    return { kind: kind as FaultKind, weight: Math.round(rate * 1000) };
  });
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  if (total > 1000) usageError('--fault rates add up to more than 1');
  if (parts.some((p) => p.weight === 0)) usageError('--fault rates below 0.001 are not supported');
  // the kinds list repeats each kind by its weight (reduced by the common divisor): a uniform pick is then proportional
  const g = parts.reduce((acc, p) => gcd(acc, p.weight), 0);
  const kinds = parts.flatMap((p) => Array<FaultKind>(p.weight / g).fill(p.kind));
  return { rate: total / 1000, kinds };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

type Flags = Record<string, string | boolean | string[] | undefined>;

function readFlags(): Flags {
  try {
    return parseArgs({
      options: {
        agents: { type: 'string' },
        groups: { type: 'string' },
        seed: { type: 'string' },
        host: { type: 'string' },
        'port-udesk': { type: 'string' },
        'port-kf5': { type: 'string' },
        'port-huawei': { type: 'string' },
        'rate-limit-udesk': { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-concurrent': { type: 'string' },
        latency: { type: 'string' },
        fault: { type: 'string', multiple: true },
        'control-token': { type: 'string' },
        source: { type: 'string' },
        'print-env': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    return usageError((e as Error).message);
  }
}

/** The flags as startAllSimulators options (exits with the usage on a bad flag). */
function startOptions(values: Flags, controlToken: string): StartAllOptions {
  const s = (k: string) => values[k] as string | undefined;
  const rl = int('rate-limit-udesk', s('rate-limit-udesk'), 0);
  const rpm = perMinute('rate-limit', s('rate-limit'));
  const perVendor = rpm > 0 ? { requestsPerMinute: rpm } : false;
  const maxConcurrent = int('max-concurrent', s('max-concurrent'), 0);
  const faults = faultsFromFlags((values.fault as string[] | undefined) ?? []);
  const source = s('source');
  if (source !== undefined && !(source in SOURCES)) usageError(`--source must be one of ${Object.keys(SOURCES).join(', ')}`);
  return {
    host: s('host') ?? '127.0.0.1',
    ports: {
      udesk: int('port-udesk', s('port-udesk'), 0),
      kf5: int('port-kf5', s('port-kf5'), 0),
      huaweiAicc: int('port-huawei', s('port-huawei'), 0),
    },
    tenant: {
      seed: int('seed', s('seed'), 1),
      agents: int('agents', s('agents'), 50),
      groups: int('groups', s('groups'), 5),
    },
    rateLimit: { udesk: rl > 0 ? { requestsPerMinute: rl } : perVendor, kf5: perVendor, huaweiAicc: perVendor },
    ...(faults ? { faults: { udesk: faults, kf5: faults, huaweiAicc: faults } } : {}),
    ...(maxConcurrent > 0 ? { maxConcurrent } : {}),
    latencyMs: int('latency', s('latency'), 0),
    controlToken,
    ...(source ? { seedInto: [SOURCES[source as keyof typeof SOURCES]] } : {}),
  };
}

/** What the flags turned on, for the summary (`faults 503 10%, 60/min`). */
function settingsLine(opts: StartAllOptions): string {
  const parts: string[] = [];
  const f = opts.faults?.kf5;
  if (f) parts.push(`faults ${[...new Set(f.kinds)].join('/')} at ${Math.round(f.rate * 1000) / 10}% of requests`);
  const limits = opts.rateLimit ?? {};
  if (limits.kf5) parts.push(`${limits.kf5.requestsPerMinute}/min each`);
  if (limits.udesk && limits.udesk !== limits.kf5) parts.push(`Udesk ${limits.udesk.requestsPerMinute}/min`);
  if (opts.maxConcurrent) parts.push(`at most ${opts.maxConcurrent} concurrent`);
  if (opts.latencyMs) parts.push(`${opts.latencyMs} ms latency`);
  return parts.length ? parts.join(', ') : 'no faults, limits or latency';
}

function controlLines(sims: AllSimulators, token: string): string[] {
  const { udesk, kf5, huaweiAicc } = sims;
  return [
    'Control endpoint (seed, faults, state, stats, reset, rate limit)',
    `  token      ${token}   (Authorization: Bearer)`,
    `  Udesk      ${udesk.control.url}`,
    `  KF5        ${kf5.control.url}`,
    `  Huawei     ${huaweiAicc.control.url}`,
    `  try:       curl -s -H 'Authorization: Bearer ${token}' ${udesk.control.url}/stats`,
  ];
}

function summary(sims: AllSimulators, opts: StartAllOptions): string {
  const { udesk, kf5, huaweiAicc } = sims;
  const n = sims.tenant?.agents.length ?? 0;
  const basic = Buffer.from(`${kf5.credentials.email}/token:${kf5.credentials.apiToken}`).toString('base64');
  return [
    `ContactKit simulators are up (seed ${sims.tenant?.seed ?? '-'}, ${n} agents, ${sims.tenant?.groups.length ?? 0} groups; ${settingsLine(opts)}).`,
    '',
    'Udesk Open API',
    `  base URL   ${udesk.baseUrl}`,
    `  email      ${udesk.credentials.email}`,
    `  apiToken   ${udesk.credentials.apiToken}   (open_api_token; sign v2)`,
    `  password   ${udesk.credentials.password}   (POST ${udesk.baseUrl}/log_in)`,
    '',
    'KF5 API v2',
    `  base URL   ${kf5.baseUrl}`,
    `  email      ${kf5.credentials.email}`,
    `  password   ${kf5.credentials.password}`,
    `  apiToken   ${kf5.credentials.apiToken}`,
    `  try:       curl -s -u '${kf5.credentials.email}/token:${kf5.credentials.apiToken}' '${kf5.baseUrl}/users.json?role=agent,admin&per_page=2'`,
    `       or:   curl -s -H 'Authorization: Basic ${basic}' '${kf5.baseUrl}/groups.json'`,
    '',
    'Huawei AICC cc-management',
    `  base URL   ${huaweiAicc.baseUrl}`,
    `  appKey     ${huaweiAicc.credentials.appKey}`,
    `  appSecret  ${huaweiAicc.credentials.appSecret}`,
    `  token:     curl -s -X POST -H 'Content-Type: application/json' -H 'X-Token-Expire: 600' -d '{"app_key":"${huaweiAicc.credentials.appKey}","app_secret":"${huaweiAicc.credentials.appSecret}"}' ${huaweiAicc.baseUrl}/apigovernance/api/oauth/tokenByAkSk`,
    '',
    ...controlLines(sims, opts.controlToken!),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function envText(sims: AllSimulators, opts: StartAllOptions, source: string | undefined): string {
  const seeded = source ?? 'udesk, kf5 and huawei-aicc';
  const n = sims.tenant?.agents.length ?? 0;
  const limited = Boolean(opts.rateLimit?.udesk);
  return [
    `# ContactKit simulators: ${seeded} seeded (seed ${sims.tenant?.seed ?? '-'}, ${n} agents, ${sims.tenant?.groups.length ?? 0} groups)${source ? '; the others empty' : ''}; ${settingsLine(opts)}.`,
    '# Paste these lines into the shell you run contactkit in. Ctrl-C here stops the simulators.',
    ...(limited ? [] : ['# The simulators enforce no rate limit, the clients still keep theirs (Udesk 60/min): for a quick rehearsal put', '# {"udesk": {"rateLimit": false}} in contactkit.config.json; to rehearse real timing start this with --rate-limit-udesk 60.']),
    ...controlLines(sims, opts.controlToken!).map((l) => `# ${l.trim()}`),
    ...envLines(sims),
    ...(source ? [`# next: contactkit migrate plan --from ${source} --to ${source === 'kf5' ? 'huawei-aicc' : 'kf5'} --out plan.json --report plan.html`] : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const values = readFlags();
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const given = values['control-token'] as string | undefined;
  if (given === '') usageError('--control-token must not be empty');
  const opts = startOptions(values, given ?? randomBytes(16).toString('hex'));
  const sims = await startAllSimulators(opts);
  const source = values.source as string | undefined;
  process.stdout.write(values['print-env'] ? envText(sims, opts, source) : summary(sims, opts));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received, stopping simulators…\n`);
    sims.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`contactkit-simulate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
