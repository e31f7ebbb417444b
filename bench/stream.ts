/**
 * (2) Streaming: a simulator (child process) seeded with N agents, walked through
 * `client.agents.list({ pageSize: 100 })` with `for await`, counting only. Heap is sampled
 * after a forced full GC every `gcEveryPages` pages (the live set during the walk) and, without GC,
 * after every page (what the process actually held, garbage included).
 */
import type { ContactCenterClient } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { createUdeskClient } from '@contactkit/udesk';
import { SimProcess, gc, mb, round, type SimEndpoints } from './lib';

type Vendor = 'udesk' | 'kf5' | 'huaweiAicc';

export interface StreamRow {
  vendor: Vendor;
  agents: number;
  expected: number;
  seconds: number;
  agentsPerSecond: number;
  baselineHeapMb: number;
  /** peak of heapUsed − baseline, each sample taken right after a forced full GC */
  peakLiveGrowthMb: number;
  /** heapUsed − baseline after the walk and a forced GC */
  retainedGrowthMb: number;
  /** peak of heapUsed − baseline sampled after every page without GC (garbage included) */
  peakRawGrowthMb: number;
  gcSamples: number;
  rawSamples: number;
}

export interface StreamBench {
  agents: number;
  pageSize: number;
  seedSeconds: number;
  rows: StreamRow[];
}

function client(vendor: Vendor, e: SimEndpoints): ContactCenterClient {
  if (vendor === 'udesk') return createUdeskClient({ baseUrl: e.udesk.baseUrl, email: e.udesk.credentials.email, apiToken: e.udesk.credentials.apiToken, rateLimit: false });
  if (vendor === 'kf5') return createKf5Client({ baseUrl: e.kf5.baseUrl, email: e.kf5.credentials.email, apiToken: e.kf5.credentials.apiToken, rateLimit: false });
  return createHuaweiAiccClient({ baseUrl: e.huaweiAicc.baseUrl, appKey: e.huaweiAicc.credentials.appKey, appSecret: e.huaweiAicc.credentials.appSecret, rateLimit: false });
}

export async function benchStream(opts: { agents: number; vendors: Vendor[]; gcEveryPages: number }): Promise<StreamBench> {
  const pageSize = 100;
  const sims = new SimProcess();
  try {
    const e = await sims.start({ agents: opts.agents, groups: 50, seedInto: opts.vendors });
    const counts = await Promise.all(opts.vendors.map((v) => sims.call<{ listed: number }>({ cmd: 'count', vendor: v })));
    const rows: StreamRow[] = [];
    for (const [i, vendor] of opts.vendors.entries()) {
      const c = client(vendor, e);
      // warm the code paths (and Udesk's role-name lookup) on one page, outside the measurement
      await c.agents.list({ pageSize, includeDisabled: true }).toArray({ limit: pageSize });
      gc();
      const baseline = process.memoryUsage().heapUsed;
      let peakLive = 0;
      let peakRaw = 0;
      let gcSamples = 0;
      let rawSamples = 0;
      let n = 0;
      const t0 = performance.now();
      for await (const agent of c.agents.list({ pageSize, includeDisabled: true })) {
        if (agent.id === '') throw new Error('empty id'); // touch the item, keep nothing
        n++;
        if (n % pageSize === 0) {
          rawSamples++;
          peakRaw = Math.max(peakRaw, process.memoryUsage().heapUsed - baseline);
          if ((n / pageSize) % opts.gcEveryPages === 0) {
            gc();
            gcSamples++;
            peakLive = Math.max(peakLive, process.memoryUsage().heapUsed - baseline);
          }
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      gc();
      const retained = process.memoryUsage().heapUsed - baseline;
      const expected = counts[i]!.listed;
      rows.push({
        vendor,
        agents: n,
        expected,
        seconds: round(seconds),
        agentsPerSecond: Math.round(n / seconds),
        baselineHeapMb: mb(baseline),
        peakLiveGrowthMb: mb(Math.max(peakLive, retained)),
        retainedGrowthMb: mb(retained),
        peakRawGrowthMb: mb(peakRaw),
        gcSamples,
        rawSamples,
      });
    }
    return { agents: opts.agents, pageSize, seedSeconds: round(e.seedMs / 1000), rows };
  } finally {
    await sims.stop();
  }
}
