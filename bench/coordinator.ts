/**
 * (9) The Redis coordinator (needs redis-server on PATH; the section is skipped with the reason when it
 * is missing): what it achieves and what it costs.
 *
 * 1. Throughput against one shared limit: 1, 2, 4 and 8 replica processes, each with 4 callers in a
 *    loop, share one tenant budget (the Udesk simulator enforces it; the clients' limit is the same)
 *    for `seconds` per row: requests/min achieved, share of the budget, 429s.
 * 2. Added latency per call: sequential calls through an unbinding limit, in-process RateLimiter vs
 *    the Redis coordinator, both as a bare `acquire` and as a whole client call on loopback.
 *
 * A section of `pnpm bench`; alone: `npx tsx bench/coordinator.ts` (from the repository root; runs from
 * the TypeScript sources; BENCH_SECONDS per row, default 20; BENCH_ONLY=latency for part 2 only).
 */
import { fileURLToPath } from 'node:url';
import { RateLimiter, createLocalCoordinator } from '@contactkit/core';
import { createRedisCoordinator } from '@contactkit/redis';
import { startUdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';
import { startReplicas, stopReplicas } from '../packages/redis/test/children';
import { redisMissing, startRedisServer } from '../packages/redis/test/redis-server';
import { median, round } from './lib';

export interface CoordinatorOptions {
  requestsPerMinute: number;
  /** seconds per throughput row */
  seconds: number;
  processes: number[];
  latencyCalls: number;
}

export interface CoordinatorBench {
  /** why the section did not run (redis-server missing), else undefined */
  skipped?: string;
  requestsPerMinute: number;
  seconds: number;
  throughput: Array<{ processes: number; requestsPerMinute: number; shareOfBudget: number; responses429: number }>;
  latency: Array<{ what: string; medianUs: number; p99Us: number }>;
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

export async function benchCoordinator(opts: CoordinatorOptions): Promise<CoordinatorBench> {
  const result: CoordinatorBench = { requestsPerMinute: opts.requestsPerMinute, seconds: opts.seconds, throughput: [], latency: [] };
  const missing = redisMissing();
  if (missing) return { ...result, skipped: missing };
  const RPM = opts.requestsPerMinute;
  const redis = await startRedisServer();
  const sim = await startUdeskSimulator({ rateLimit: { requestsPerMinute: RPM } });
  const { email, password, apiToken } = sim.credentials;
  try {
    for (const n of opts.processes) {
      const replicas = await startReplicas(n, { vendor: 'udesk', baseUrl: sim.baseUrl, account: email, secret: password, redisUrl: redis.url, namespace: `bench-${n}`, requestsPerMinute: RPM });
      // let the budget the previous row used leave the simulator's 60 s window
      sim.setRateLimit(false);
      sim.setRateLimit({ requestsPerMinute: RPM });
      sim.resetStats();
      const started = Date.now();
      await Promise.all(replicas.map((r) => r.ask({ op: 'loop', durationMs: opts.seconds * 1000, concurrency: 4 })));
      const minutes = (Date.now() - started) / 60_000;
      const stats = sim.stats();
      stopReplicas(replicas);
      result.throughput.push({ processes: n, requestsPerMinute: Math.round(stats.requests / minutes), shareOfBudget: round(stats.requests / minutes / RPM, 3), responses429: stats.rateLimited });
    }

    // a burst that never runs out: the in-process bucket would otherwise sleep its 1 ms timer granularity
    const unbinding = { requestsPerMinute: 10_000_000, burst: 1_000_000 };
    const capped = { maxConcurrent: 1_000 };
    const coordinator = createRedisCoordinator({ url: redis.url, namespace: 'bench-latency' });
    const tenant = { vendor: 'udesk' as const, baseUrl: sim.baseUrl, account: email };
    const n = opts.latencyCalls;
    const rows: Array<[string, number[]]> = [];
    const local = new RateLimiter(unbinding);
    rows.push(['acquire + release: in-process RateLimiter', await timeEach(n, async () => (await local.acquire())())]);
    const shared = coordinator.limiter(tenant, unbinding);
    rows.push(['acquire + release: Redis coordinator', await timeEach(n, async () => (await shared.acquire())())]);
    const localCapped = new RateLimiter(capped);
    rows.push(['acquire + release, concurrency cap: in-process', await timeEach(n, async () => (await localCapped.acquire())())]);
    const sharedCapped = coordinator.limiter({ ...tenant, account: 'capped' }, capped);
    rows.push(['acquire + release, concurrency cap: Redis coordinator', await timeEach(n, async () => (await sharedCapped.acquire())())]);
    sim.setRateLimit(false);
    const call = (c: ReturnType<typeof createUdeskClient>) => () => c.roles.list();
    const base = { baseUrl: sim.baseUrl, email, apiToken, rateLimit: unbinding };
    rows.push(['client call: own in-process limiter', await timeEach(n, call(createUdeskClient({ ...base, coordinator: createLocalCoordinator() })))]);
    rows.push(['client call: Redis coordinator', await timeEach(n, call(createUdeskClient({ ...base, coordinator })))]);
    result.latency = rows.map(([what, xs]) => ({ what, medianUs: Math.round(median(xs)), p99Us: Math.round(percentile(xs, 0.99)) }));
    await coordinator.close();
    return result;
  } finally {
    await sim.close();
    await redis.close();
  }
}

/** Markdown tables of a result, as `npx tsx bench/coordinator.ts` prints them. */
export function coordinatorMarkdown(r: CoordinatorBench): string {
  if (r.skipped) return `coordinator: skipped (${r.skipped})`;
  return [
    `## Throughput against one shared limit of ${r.requestsPerMinute}/min (${r.seconds} s per row, 4 callers per process)\n`,
    '| processes | requests/min achieved | share of budget | 429s |',
    '|---:|---:|---:|---:|',
    ...r.throughput.map((t) => `| ${t.processes} | ${t.requestsPerMinute} | ${t.shareOfBudget.toFixed(3)} | ${t.responses429} |`),
    `\n## Added latency per call (sequential calls, limit not binding; µs)\n`,
    '| what | median | p99 |',
    '|---|---:|---:|',
    ...r.latency.map((l) => `| ${l.what} | ${l.medianUs} | ${l.p99Us} |`),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchCoordinator({
    requestsPerMinute: Number(process.env.BENCH_RPM ?? 1200),
    seconds: Number(process.env.BENCH_SECONDS ?? 20),
    processes: process.env.BENCH_ONLY === 'latency' ? [] : [1, 2, 4, 8],
    latencyCalls: 2000,
  });
  console.log(coordinatorMarkdown(result));
}
