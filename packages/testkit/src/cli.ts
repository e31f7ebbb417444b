#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { simulatorEnv, startAllSimulators, type AllSimulators } from './all';

const USAGE = `Usage: contactkit-simulate [options]

Starts the Udesk, KF5 and Huawei AICC simulators on 127.0.0.1, seeded with a generated tenant,
and keeps them up until Ctrl-C (SIGINT) or SIGTERM.

Options:
  --agents N        agents to generate (default 50)
  --groups N        groups to generate (default 5)
  --seed N          PRNG seed (default 1)
  --host HOST       listen address (default 127.0.0.1)
  --port-udesk N    Udesk port (default: a free port)
  --port-kf5 N      KF5 port (default: a free port)
  --port-huawei N   Huawei AICC port (default: a free port)
  --rate-limit-udesk N   enforce N requests per minute on Udesk (default off)
  --source VENDOR   seed only this simulator (udesk, kf5 or huawei-aicc); the others start empty,
                    ready to be migration targets (default: all three seeded)
  --print-env       print \`export CONTACTKIT_…=\` lines to paste into a shell for the contactkit CLI
                    (instead of the human-readable summary)
  -h, --help        show this help

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
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`contactkit-simulate: --${name} must be a non-negative integer\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        agents: { type: 'string' },
        groups: { type: 'string' },
        seed: { type: 'string' },
        host: { type: 'string' },
        'port-udesk': { type: 'string' },
        'port-kf5': { type: 'string' },
        'port-huawei': { type: 'string' },
        'rate-limit-udesk': { type: 'string' },
        source: { type: 'string' },
        'print-env': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`contactkit-simulate: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const s = (k: string) => values[k] as string | undefined;
  const rl = int('rate-limit-udesk', s('rate-limit-udesk'), 0);
  const source = s('source');
  if (source !== undefined && !(source in SOURCES)) {
    process.stderr.write(`contactkit-simulate: --source must be one of ${Object.keys(SOURCES).join(', ')}\n\n${USAGE}`);
    process.exit(2);
  }
  const sims = await startAllSimulators({
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
    rateLimit: { udesk: rl > 0 ? { requestsPerMinute: rl } : false },
    ...(source ? { seedInto: [SOURCES[source as keyof typeof SOURCES]] } : {}),
  });
  const { udesk, kf5, huaweiAicc } = sims;
  const n = sims.tenant?.agents.length ?? 0;
  const basic = Buffer.from(`${kf5.credentials.email}/token:${kf5.credentials.apiToken}`).toString('base64');
  const out = [
    `ContactKit simulators are up (seed ${sims.tenant?.seed ?? '-'}, ${n} agents, ${sims.tenant?.groups.length ?? 0} groups).`,
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
    'Press Ctrl-C to stop.',
    '',
  ];
  if (values['print-env']) {
    const seeded = source ?? 'udesk, kf5 and huawei-aicc';
    const lines = [
      `# ContactKit simulators: ${seeded} seeded (seed ${sims.tenant?.seed ?? '-'}, ${n} agents, ${sims.tenant?.groups.length ?? 0} groups)${source ? '; the others empty' : ''}.`,
      '# Paste these lines into the shell you run contactkit in. Ctrl-C here stops the simulators.',
      ...(rl > 0 ? [] : ['# The simulators enforce no rate limit, the clients still keep theirs (Udesk 60/min): for a quick rehearsal put', '# {"udesk": {"rateLimit": false}} in contactkit.config.json; to rehearse real timing start this with --rate-limit-udesk 60.']),
      ...envLines(sims),
      ...(source ? [`# next: contactkit migrate plan --from ${source} --to ${source === 'kf5' ? 'huawei-aicc' : 'kf5'} --out plan.json --report plan.html`] : []),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } else process.stdout.write(out.join('\n'));

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
