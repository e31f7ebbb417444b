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
import type { CoordinatorBench } from './coordinator';
import type { EconomyBench } from './economy';
import type { ImportBench } from './imports';
import type { LatencyBench } from './latency';
import type { MigrationBench } from './migration';
import type { OverheadBench } from './overhead';
import type { StreamBench } from './stream';
import type { ThrottleBench } from './throttle';
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
      economy: { agents: 200, groups: 5 },
      latency: { agents: 300, groups: 5, latencyMs: 50 },
      throttle: { agents: 1000, groups: 6 },
      coordinator: { requestsPerMinute: 1200, seconds: 5, processes: [1, 2, 4, 8], latencyCalls: 500 },
    }
  : {
      overhead: { rounds: 20, callsPerRound: 200, warmup: 1000 },
      stream: { agents: 100_000, vendors: ['udesk', 'kf5', 'huaweiAicc'], gcEveryPages: 50 },
      token: { calls: 1000 },
      imports: { processes: 10 },
      // the limited run: ~300 agents + 6 groups ≈ 600 target requests ≈ 60 s at 600/min
      migration: { agents: 10_000, groups: 200, limitedAgents: 300 },
      economy: { agents: 1000, groups: 20 },
      // the naive loop pays 50 ms per create: ~2 minutes for 2,000 agents
      latency: { agents: 2000, groups: 20, latencyMs: 50 },
      throttle: { agents: 5000, groups: 6 },
      coordinator: { requestsPerMinute: 1200, seconds: 20, processes: [1, 2, 4, 8], latencyCalls: 2000 },
    };

const AIMS = { overheadRatio: 1.1, streamHeapMb: 30, tokenRequests: 1, importMs: 100, latencySpeedup: 10, throttled429Share: 0.01 };

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
  for (const pkg of ['core', 'udesk', 'kf5', 'huawei-aicc', 'migrate', 'testkit', 'redis']) {
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

  console.log(`\n[1/9] per-call overhead: SDK agents.get and a 100-agent list page vs bare axios, same request, same simulator (${SIZES.overhead.rounds} rounds × ${SIZES.overhead.callsPerRound} calls per side, alternating; ratio = median of the per-round ratios)`);
  const overhead = await section<OverheadBench>('overhead');
  console.table(
    Object.fromEntries(
      overhead.rows.map((r) => [`${r.vendor} ${r.operation}`, { request: r.wire, 'SDK µs': r.sdkMedianUs, 'bare µs': r.bareMedianUs, 'overhead µs': r.overheadUs, ratio: r.ratio, 'paired ratio': r.pairedRatio, aim: `≤ ${AIMS.overheadRatio}` }]),
    ),
  );

  console.log(`\n[2/9] streaming ${SIZES.stream.agents.toLocaleString('en-US')} agents through agents.list({ pageSize: 100 }), counting only`);
  const stream = await section<StreamBench>('stream');
  console.table(
    Object.fromEntries(
      stream.rows.map((r) => [r.vendor, { agents: r.agents, seconds: r.seconds, 'agents/s': r.agentsPerSecond, 'peak live growth MB (after GC)': r.peakLiveGrowthMb, 'retained MB': r.retainedGrowthMb, 'peak raw growth MB (no GC)': r.peakRawGrowthMb, aim: `< ${AIMS.streamHeapMb}` }]),
    ),
  );

  console.log(`\n[3/9] Huawei: ${SIZES.token.calls} concurrent calls on a cold client`);
  const token = await section<TokenBench>('token');
  console.table({ huaweiAicc: { calls: token.concurrentCalls, succeeded: token.succeeded, 'tokenByAkSk requests (simulator)': token.tokenRequests, 'token fetches (client)': token.clientTokenFetches, seconds: token.seconds, aim: 'exactly 1' } });

  console.log(`\n[4/9] cold import of the built dist, fresh node process each (median of ${SIZES.imports.processes})`);
  const imports = await section<ImportBench>('imports');
  console.table(Object.fromEntries(imports.rows.map((r) => [`${r.package} ${r.format}`, { file: r.file, 'median ms': r.medianMs, 'min ms': r.minMs, 'max ms': r.maxMs, '+ first client ms': r.withFirstClientMedianMs, aim: r.package.endsWith('/core') ? '(reference)' : `< ${AIMS.importMs}` }])));

  console.log(`\n[5/9] migration Udesk → KF5, ${SIZES.migration.agents.toLocaleString('en-US')} agents and ${SIZES.migration.groups} groups, rate limits off; then ${SIZES.migration.limitedAgents} agents at 600/min`);
  const m = await section<MigrationBench>('migration');
  console.table({
    'naive sequential loop': { seconds: m.naive.seconds, 'agents/s': m.naive.agentsPerSecond, 'RSS at start MB': m.naive.startRssMb, 'peak RSS MB': m.naive.peakRssMb, 'plan s': '-', 'apply s': '-' },
    'ours: plan + apply, concurrency 8, fsync journal': { seconds: m.ours.seconds, 'agents/s': m.ours.agentsPerSecond, 'RSS at start MB': m.ours.startRssMb, 'peak RSS MB': m.ours.peakRssMb, 'plan s': m.ours.planSeconds, 'apply s': m.ours.applySeconds },
    'ours, in-memory journal + passwords': { seconds: m.oursInMemory.seconds, 'agents/s': m.oursInMemory.agentsPerSecond, 'RSS at start MB': m.oursInMemory.startRssMb, 'peak RSS MB': m.oursInMemory.peakRssMb, 'plan s': m.oursInMemory.planSeconds, 'apply s': m.oursInMemory.applySeconds },
  });
  console.log(`speed-up over naive: ${m.speedup}× (durable), ${m.speedupInMemory}× (in-memory)`);
  console.log(`at ${m.limited.requestsPerMinute}/min on the target: ${m.limited.targetRequests} requests in ${m.limited.seconds} s → share of the limit used ${m.limited.shareOfLimit}, 429 responses ${m.limited.responses429}`);

  console.log(`\n[6/9] requests per migrated agent, every vendor pair: plan + apply of ${SIZES.economy.agents} agents and ${SIZES.economy.groups} groups, counted at the target simulator during apply`);
  const economy = await section<EconomyBench>('economy');
  console.table(
    Object.fromEntries(
      economy.rows.map((r) => [`${r.from} → ${r.to}`, { agents: r.agentsMigrated, groups: r.groups, 'target requests': r.targetRequests, 'disable PUTs': r.disablePuts, 'per agent': r.perAgent, 'per agent (raw)': r.perAgentRaw, 'plan estimate': r.estimated, 'estimate error': r.estimateError, aim: `≤ ${r.aim}` }]),
    ),
  );

  console.log(`\n[7/9] throughput at ${SIZES.latency.latencyMs} ms vendor latency: Udesk → KF5, ${SIZES.latency.agents.toLocaleString('en-US')} agents and ${SIZES.latency.groups} groups`);
  const latency = await section<LatencyBench>('latency');
  console.table(Object.fromEntries(latency.runs.map((r) => [r.variant, { seconds: r.seconds, 'plan s': r.planSeconds, 'apply s': r.applySeconds, 'agents/s': r.agentsPerSecond, '× naive': r.speedup, 'KF5 requests': r.targetRequests, '429s': r.responses429 }])));

  console.log(`\n[8/9] throttling mid-run: Udesk → KF5, ${SIZES.throttle.agents.toLocaleString('en-US')} agents; KF5 limits to 12,000/min over 2 s windows after 300 requests`);
  const throttle = await section<ThrottleBench>('throttle');
  console.table({ kf5: { 'apply s': throttle.applySeconds, 'agents/s': throttle.agentsPerSecond, requests: throttle.targetRequests, '429s': throttle.responses429, '429 share': throttle.share429, completed: throttle.completed, 'agents on target': throttle.targetAgents, 'distinct emails': throttle.distinctEmails, 'client retries': throttle.clientRetries } });

  console.log(`\n[9/9] Redis coordinator: ${SIZES.coordinator.processes.join(', ')} processes against one shared ${SIZES.coordinator.requestsPerMinute}/min limit (${SIZES.coordinator.seconds} s each); added latency per call`);
  const coordinator = await section<CoordinatorBench>('coordinator');
  if (coordinator.skipped) console.log(`skipped: ${coordinator.skipped}`);
  else {
    console.table(Object.fromEntries(coordinator.throughput.map((t) => [`${t.processes} processes`, { 'requests/min': t.requestsPerMinute, 'share of budget': t.shareOfBudget, '429s': t.responses429 }])));
    console.table(Object.fromEntries(coordinator.latency.map((l) => [l.what, { 'median µs': l.medianUs, 'p99 µs': l.p99Us }])));
  }

  const worst = (xs: number[]) => Math.max(...xs);
  const adapterImports = imports.rows.filter((r) => !r.package.endsWith('/core'));
  const summary: Array<{ metric: string; value: string; aim: string; result: string }> = [
    ...overhead.rows.map((r) => ({ metric: `per-call overhead ratio, ${r.vendor} ${r.operation} (SDK ${fmt(r.sdkMedianUs, 0)} µs / bare ${fmt(r.bareMedianUs, 0)} µs; median of per-round ratios)`, value: fmt(r.pairedRatio, 2), aim: `≤ ${AIMS.overheadRatio.toFixed(2)}`, result: pass(r.pairedRatio <= AIMS.overheadRatio) })),
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
    ...economy.rows.map((r) => ({
      metric: `target requests per migrated agent, ${r.from} → ${r.to} (${r.agentsMigrated} agents, ${r.groups} groups: ${r.targetRequests} requests${r.disablePuts ? `, of which ${r.disablePuts} PUTs disabling disabled agents, left out` : ''}; plan estimate ${r.estimated})`,
      value: r.perAgent.toFixed(3),
      aim: `≤ ${r.aim.toFixed(2)}`,
      result: pass(r.perAgent <= r.aim),
    })),
    ...latency.runs.map((r, i) => ({
      metric: `${latency.agents.toLocaleString('en-US')} agents Udesk → KF5 at ${latency.latencyMs} ms latency: ${r.variant}`,
      value: `${fmt(r.agentsPerSecond)} agents/s${i ? ` (${fmt(r.speedup)}× naive)` : ''}`,
      aim: i === 1 ? `≥ ${AIMS.latencySpeedup}× naive` : '—',
      result: i === 1 ? pass(r.speedup >= AIMS.latencySpeedup) : 'info',
    })),
    {
      metric: `throttling from the 300th request (12,000/min over 2 s windows), ${throttle.agents.toLocaleString('en-US')} agents Udesk → KF5: 429s / requests (${throttle.responses429} / ${throttle.targetRequests})`,
      value: `${fmt(throttle.share429 * 100, 2)} %`,
      aim: `< ${AIMS.throttled429Share * 100} %`,
      result: pass(throttle.share429 < AIMS.throttled429Share),
    },
    { metric: 'throttling mid-run: every agent created once; apply wall time', value: `${throttle.completed ? 'complete' : 'INCOMPLETE'} (${throttle.agentsCreated} created, ${throttle.distinctEmails} distinct on the target); ${throttle.applySeconds} s, ${fmt(throttle.agentsPerSecond)} agents/s`, aim: 'complete', result: pass(throttle.completed) },
    ...(coordinator.skipped
      ? [{ metric: 'Redis coordinator (shared limit, added latency)', value: 'not measured', aim: '—', result: `skipped: ${coordinator.skipped}` }]
      : [
          ...coordinator.throughput.map((t) => ({ metric: `Redis coordinator, ${t.processes} process${t.processes > 1 ? 'es' : ''} × 4 callers against one ${coordinator.requestsPerMinute}/min limit: requests/min achieved`, value: `${t.requestsPerMinute} (${t.shareOfBudget.toFixed(2)} of the budget, ${t.responses429} 429s)`, aim: '—', result: 'info' })),
          ...coordinator.latency.map((l) => ({ metric: `added latency per call, ${l.what}`, value: `${l.medianUs} µs median, ${l.p99Us} µs p99`, aim: '—', result: 'info' })),
        ]),
  ];
  console.log('\nsummary');
  console.table(summary);

  const results = { quick, machine, durationSeconds: Math.round((performance.now() - t0) / 1000), sizes: SIZES, aims: AIMS, summary, overhead, stream, token, imports, migration: m, economy, latency, throttle, coordinator };
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
