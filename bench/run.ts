/**
 * `pnpm bench` (after `pnpm build`): every comparison measured in one run, printed as tables and
 * written to bench/results.json. Each section runs in a fresh process that loads the built dist
 * (bench/tsconfig.json maps @contactkit/* to packages/*\/dist); the simulators run in yet another
 * process, so only the SDK is measured. BENCH_QUICK=1 lowers the sizes for a quick look.
 */
import { fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ImportBench } from './imports';
import type { MigrationBench } from './migration';
import type { OverheadBench } from './overhead';
import type { StreamBench } from './stream';
import type { TokenBench } from './token';

const quick = process.env.BENCH_QUICK === '1';
const root = fileURLToPath(new URL('..', import.meta.url));

const SIZES = quick
  ? {
      overhead: { rounds: 6, callsPerRound: 100, warmup: 200 },
      stream: { agents: 10_000, vendors: ['udesk', 'kf5', 'huaweiAicc'], gcEveryPages: 10 },
      token: { calls: 1000 },
      imports: { processes: 3 },
      migration: { agents: 1000, groups: 20, limitedAgents: 60 },
    }
  : {
      overhead: { rounds: 20, callsPerRound: 200, warmup: 1000 },
      stream: { agents: 100_000, vendors: ['udesk', 'kf5', 'huaweiAicc'], gcEveryPages: 50 },
      token: { calls: 1000 },
      imports: { processes: 10 },
      // the limited run: ~300 agents + 6 groups ≈ 600 target requests ≈ 60 s at 600/min
      migration: { agents: 10_000, groups: 200, limitedAgents: 300 },
    };

const AIMS = { overheadRatio: 1.1, streamHeapMb: 30, tokenRequests: 1, importMs: 100 };

/** Runs one section in a fresh node process (tsx + the bench tsconfig → the built dist). */
function section<T>(name: keyof typeof SIZES): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./section.ts', import.meta.url)), [name, JSON.stringify(SIZES[name])], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (msg: { ok: boolean; result?: T; error?: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.result as T);
      else reject(new Error(`${name}: ${msg.error}`));
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`${name}: section process exited with ${code} and no result`));
    });
  });
}

const pass = (ok: boolean) => (ok ? 'pass' : 'FAIL');
const fmt = (x: number, digits = 1) => x.toFixed(digits);

async function main() {
  for (const pkg of ['core', 'udesk', 'kf5', 'huawei-aicc', 'migrate', 'testkit']) {
    if (!existsSync(`${root}packages/${pkg}/dist/index.js`)) throw new Error(`packages/${pkg}/dist is missing: run pnpm build first (pnpm bench does)`);
  }
  const cpuList = cpus();
  const machine = {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    note: 'shared machine (other work ran on the same cores); figures are indicative',
  };
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GiB, ${machine.platform}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}${quick ? '   (BENCH_QUICK=1: reduced sizes)' : ''}`);
  const t0 = performance.now();

  console.log(`\n[1/5] per-call overhead: SDK agents.get and a 100-agent list page vs bare axios, same request, same simulator (${SIZES.overhead.rounds} rounds × ${SIZES.overhead.callsPerRound} calls per side, alternating)`);
  const overhead = await section<OverheadBench>('overhead');
  console.table(
    Object.fromEntries(
      overhead.rows.map((r) => [`${r.vendor} ${r.operation}`, { request: r.wire, 'SDK µs': r.sdkMedianUs, 'bare µs': r.bareMedianUs, 'overhead µs': r.overheadUs, ratio: r.ratio, 'paired ratio': r.pairedRatio, aim: `≤ ${AIMS.overheadRatio}` }]),
    ),
  );

  console.log(`\n[2/5] streaming ${SIZES.stream.agents.toLocaleString('en-US')} agents through agents.list({ pageSize: 100 }), counting only`);
  const stream = await section<StreamBench>('stream');
  console.table(
    Object.fromEntries(
      stream.rows.map((r) => [r.vendor, { agents: r.agents, seconds: r.seconds, 'agents/s': r.agentsPerSecond, 'peak live growth MB (after GC)': r.peakLiveGrowthMb, 'retained MB': r.retainedGrowthMb, 'peak raw growth MB (no GC)': r.peakRawGrowthMb, aim: `< ${AIMS.streamHeapMb}` }]),
    ),
  );

  console.log(`\n[3/5] Huawei: ${SIZES.token.calls} concurrent calls on a cold client`);
  const token = await section<TokenBench>('token');
  console.table({ huaweiAicc: { calls: token.concurrentCalls, succeeded: token.succeeded, 'tokenByAkSk requests (simulator)': token.tokenRequests, 'token fetches (client)': token.clientTokenFetches, seconds: token.seconds, aim: 'exactly 1' } });

  console.log(`\n[4/5] cold import of the built dist, fresh node process each (median of ${SIZES.imports.processes})`);
  const imports = await section<ImportBench>('imports');
  console.table(Object.fromEntries(imports.rows.map((r) => [`${r.package} ${r.format}`, { file: r.file, 'median ms': r.medianMs, 'min ms': r.minMs, 'max ms': r.maxMs, '+ first client ms': r.withFirstClientMedianMs, aim: r.package.endsWith('/core') ? '(reference)' : `< ${AIMS.importMs}` }])));

  console.log(`\n[5/5] migration Udesk → KF5, ${SIZES.migration.agents.toLocaleString('en-US')} agents and ${SIZES.migration.groups} groups, rate limits off; then ${SIZES.migration.limitedAgents} agents at 600/min`);
  const m = await section<MigrationBench>('migration');
  console.table({
    'naive sequential loop': { seconds: m.naive.seconds, 'agents/s': m.naive.agentsPerSecond, 'RSS at start MB': m.naive.startRssMb, 'peak RSS MB': m.naive.peakRssMb, 'plan s': '-', 'apply s': '-' },
    'ours: plan + apply, concurrency 8, fsync journal': { seconds: m.ours.seconds, 'agents/s': m.ours.agentsPerSecond, 'RSS at start MB': m.ours.startRssMb, 'peak RSS MB': m.ours.peakRssMb, 'plan s': m.ours.planSeconds, 'apply s': m.ours.applySeconds },
    'ours, in-memory journal + passwords': { seconds: m.oursInMemory.seconds, 'agents/s': m.oursInMemory.agentsPerSecond, 'RSS at start MB': m.oursInMemory.startRssMb, 'peak RSS MB': m.oursInMemory.peakRssMb, 'plan s': m.oursInMemory.planSeconds, 'apply s': m.oursInMemory.applySeconds },
  });
  console.log(`speed-up over naive: ${m.speedup}× (durable), ${m.speedupInMemory}× (in-memory)`);
  console.log(`at ${m.limited.requestsPerMinute}/min on the target: ${m.limited.targetRequests} requests in ${m.limited.seconds} s → share of the limit used ${m.limited.shareOfLimit}, 429 responses ${m.limited.responses429}`);

  const worst = (xs: number[]) => Math.max(...xs);
  const adapterImports = imports.rows.filter((r) => !r.package.endsWith('/core'));
  const summary: Array<{ metric: string; value: string; aim: string; result: string }> = [
    ...overhead.rows.map((r) => ({ metric: `per-call overhead ratio, ${r.vendor} ${r.operation} (SDK ${fmt(r.sdkMedianUs, 0)} µs / bare ${fmt(r.bareMedianUs, 0)} µs)`, value: fmt(r.ratio, 2), aim: `≤ ${AIMS.overheadRatio.toFixed(2)}`, result: pass(r.ratio <= AIMS.overheadRatio) })),
    ...stream.rows.map((r) => ({ metric: `heap growth streaming ${r.agents.toLocaleString('en-US')} agents, ${r.vendor} (peak live, after GC)`, value: `${fmt(r.peakLiveGrowthMb)} MB`, aim: `< ${AIMS.streamHeapMb} MB`, result: pass(r.peakLiveGrowthMb < AIMS.streamHeapMb && r.agents === r.expected) })),
    { metric: `Huawei token requests for ${token.concurrentCalls} concurrent calls (cold client)`, value: String(token.tokenRequests), aim: 'exactly 1', result: pass(token.tokenRequests === 1 && token.failed === 0) },
    ...(['esm', 'cjs'] as const).map((format) => {
      const rows = adapterImports.filter((r) => r.format === format);
      const value = worst(rows.map((r) => r.medianMs));
      return { metric: `cold import, slowest adapter ${format.toUpperCase()} (${rows.map((r) => `${r.package.replace('@contactkit/', '')} ${fmt(r.medianMs, 0)}`).join(', ')} ms)`, value: `${fmt(value, 0)} ms`, aim: `< ${AIMS.importMs} ms`, result: pass(value < AIMS.importMs) };
    }),
    ...(['esm', 'cjs'] as const).map((format) => {
      // axios loads with the first client: what a caller pays before its first call
      const value = worst(adapterImports.filter((r) => r.format === format).map((r) => r.withFirstClientMedianMs));
      return { metric: `cold import + first client (loads axios), slowest adapter ${format.toUpperCase()}`, value: `${fmt(value, 0)} ms`, aim: '—', result: 'info' };
    }),
    { metric: `migration ${m.agents.toLocaleString('en-US')} agents + ${m.groups} groups, ours (durable journal)`, value: `${m.ours.seconds} s, ${m.ours.agentsPerSecond} agents/s`, aim: '—', result: 'info' },
    { metric: 'migration, naive sequential loop', value: `${m.naive.seconds} s, ${m.naive.agentsPerSecond} agents/s`, aim: '—', result: 'info' },
    { metric: 'migration speed-up ours / naive (durable; in-memory journal)', value: `${m.speedup}×; ${m.speedupInMemory}×`, aim: '—', result: 'info' },
    { metric: 'migration peak RSS of the SDK process (ours, durable)', value: `${m.ours.peakRssMb} MB (${m.ours.startRssMb} MB at start)`, aim: '—', result: 'info' },
    { metric: `migration at ${m.limited.requestsPerMinute}/min: share of the limit used (${m.limited.targetRequests} requests in ${m.limited.seconds} s)`, value: fmt(m.limited.shareOfLimit, 2), aim: '—', result: 'info' },
    { metric: `migration at ${m.limited.requestsPerMinute}/min: 429 responses`, value: String(m.limited.responses429), aim: '—', result: 'info' },
  ];
  console.log('\nsummary');
  console.table(summary);

  const results = { quick, machine, durationSeconds: Math.round((performance.now() - t0) / 1000), sizes: SIZES, aims: AIMS, summary, overhead, stream, token, imports, migration: m };
  const out = quick ? 'results.local.json' : 'results.json'; // results.local.json is git-ignored
  writeFileSync(new URL(`./${out}`, import.meta.url), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten to bench/${out} (${results.durationSeconds} s)`);
  // the README's Benchmarks section, ready to paste
  console.log('\nmarkdown:\n');
  console.log(['| metric | value | aim | result |', '|---|---|---|---|', ...summary.map((s) => `| ${s.metric} | ${s.value} | ${s.aim} | ${s.result} |`)].join('\n'));
  console.log(`\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GiB RAM, ${machine.platform}, Node ${machine.node}; ${machine.date.slice(0, 10)}; ${machine.note}.`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
