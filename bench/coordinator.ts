/**
 * `npx tsx bench/coordinator.ts` (from the repository root; needs redis-server on PATH): what the
 * Redis coordinator achieves and costs.
 *
 * 1. Throughput against one shared limit: 1, 2, 4 and 8 replica processes, each with 4 callers in a
 *    loop, share one tenant budget (the Udesk simulator enforces it; the clients' limit is the same)
 *    for BENCH_SECONDS (default 20): requests/min achieved, share of the budget, 429s.
 * 2. Added latency per call (BENCH_ONLY=latency: this part only): sequential calls through an unbinding limit, in-process RateLimiter vs
 *    the Redis coordinator, both as a bare `acquire` and as a whole client call on loopback.
 *
 * Runs from the TypeScript sources (the root tsconfig maps @contactkit/* to packages/*\/src).
 */
import { RateLimiter, createLocalCoordinator } from '@contactkit/core';
import { createRedisCoordinator } from '@contactkit/redis';
import { startUdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';
import { startReplicas, stopReplicas } from '../packages/redis/test/children';
import { startRedisServer } from '../packages/redis/test/redis-server';

const RPM = Number(process.env.BENCH_RPM ?? 1200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PROCESSES = [1, 2, 4, 8];
const LATENCY_CALLS = 2000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push((performance.now() - t) * 1000);
  }
  return out;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const sim = await startUdeskSimulator({ rateLimit: { requestsPerMinute: RPM } });
  const { email, password, apiToken } = sim.credentials;
  try {
    console.log(`## Throughput against one shared limit of ${RPM}/min (${SECONDS} s per row, 4 callers per process)\n`);
    console.log('| processes | requests/min achieved | share of budget | 429s |');
    console.log('|---:|---:|---:|---:|');
    for (const n of process.env.BENCH_ONLY === 'latency' ? [] : PROCESSES) {
      const replicas = await startReplicas(n, { vendor: 'udesk', baseUrl: sim.baseUrl, account: email, secret: password, redisUrl: redis.url, namespace: `bench-${n}`, requestsPerMinute: RPM });
      // let the budget the previous row used leave the simulator's 60 s window
      sim.setRateLimit(false);
      sim.setRateLimit({ requestsPerMinute: RPM });
      sim.resetStats();
      const started = Date.now();
      await Promise.all(replicas.map((r) => r.ask({ op: 'loop', durationMs: SECONDS * 1000, concurrency: 4 })));
      const minutes = (Date.now() - started) / 60_000;
      const stats = sim.stats();
      stopReplicas(replicas);
      console.log(`| ${n} | ${Math.round(stats.requests / minutes)} | ${(stats.requests / minutes / RPM).toFixed(3)} | ${stats.rateLimited} |`);
    }

    console.log(`\n## Added latency per call (${LATENCY_CALLS} sequential calls, limit not binding; µs)\n`);
    console.log('| what | median | p99 |');
    console.log('|---|---:|---:|');
    // a burst that never runs out: the in-process bucket would otherwise sleep its 1 ms timer granularity
    const unbinding = { requestsPerMinute: 10_000_000, burst: 1_000_000 };
    const capped = { maxConcurrent: 1_000 };
    const coordinator = createRedisCoordinator({ url: redis.url, namespace: 'bench-latency' });
    const tenant = { vendor: 'udesk' as const, baseUrl: sim.baseUrl, account: email };
    const rows: Array<[string, number[]]> = [];
    const local = new RateLimiter(unbinding);
    rows.push(['acquire + release: in-process RateLimiter', await timeEach(LATENCY_CALLS, async () => (await local.acquire())())]);
    const shared = coordinator.limiter(tenant, unbinding);
    rows.push(['acquire + release: Redis coordinator', await timeEach(LATENCY_CALLS, async () => (await shared.acquire())())]);
    const localCapped = new RateLimiter(capped);
    rows.push(['acquire + release, concurrency cap: in-process', await timeEach(LATENCY_CALLS, async () => (await localCapped.acquire())())]);
    const sharedCapped = coordinator.limiter({ ...tenant, account: 'capped' }, capped);
    rows.push(['acquire + release, concurrency cap: Redis coordinator', await timeEach(LATENCY_CALLS, async () => (await sharedCapped.acquire())())]);
    sim.setRateLimit(false);
    const call = (c: ReturnType<typeof createUdeskClient>) => () => c.roles.list();
    const base = { baseUrl: sim.baseUrl, email, apiToken, rateLimit: unbinding };
    rows.push(['client call: own in-process limiter', await timeEach(LATENCY_CALLS, call(createUdeskClient({ ...base, coordinator: createLocalCoordinator() })))]);
    rows.push(['client call: Redis coordinator', await timeEach(LATENCY_CALLS, call(createUdeskClient({ ...base, coordinator })))]);
    for (const [what, xs] of rows) console.log(`| ${what} | ${Math.round(median(xs))} | ${Math.round(percentile(xs, 0.99))} |`);
    await coordinator.close();
  } finally {
    await sim.close();
    await redis.close();
  }
}

await main();
