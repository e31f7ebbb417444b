/**
 * (3) Huawei: a cold client (no token yet) fires N concurrent calls; the simulator counts the
 * tokenByAkSk requests it received. Exactly one is the aim.
 */
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { SimProcess, round, type SimStats } from './lib';

export interface TokenBench {
  concurrentCalls: number;
  operation: string;
  succeeded: number;
  failed: number;
  tokenRequests: number;
  clientTokenFetches: number;
  businessRequests: number;
  seconds: number;
}

export async function benchToken(opts: { calls: number }): Promise<TokenBench> {
  const sims = new SimProcess();
  try {
    const e = await sims.start({ agents: 200, groups: 8, seedInto: ['huaweiAicc'] });
    const ids = await sims.call<{ huaweiAicc: string }>({ cmd: 'sampleAgentIds' });
    await sims.call({ cmd: 'resetStats' });
    const client = createHuaweiAiccClient({ baseUrl: e.huaweiAicc.baseUrl, appKey: e.huaweiAicc.credentials.appKey, appSecret: e.huaweiAicc.credentials.appSecret, rateLimit: false });
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: opts.calls }, () => client.agents.get(ids.huaweiAicc)));
    const seconds = (performance.now() - t0) / 1000;
    const stats = (await sims.call<{ huaweiAicc: SimStats }>({ cmd: 'stats' })).huaweiAicc;
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length) console.error(`  first failure: ${String((failed[0] as PromiseRejectedResult).reason)}`);
    return {
      concurrentCalls: opts.calls,
      operation: 'agents.get (agentAccount/query), one account',
      succeeded: results.length - failed.length,
      failed: failed.length,
      tokenRequests: stats.tokenRequests ?? -1,
      clientTokenFetches: client.tokenFetches(),
      businessRequests: stats.requests - (stats.tokenRequests ?? 0),
      seconds: round(seconds),
    };
  } finally {
    await sims.stop();
  }
}
