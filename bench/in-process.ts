/**
 * Profiling aid for the per-call overhead (not run by `pnpm bench`): the SDK against bare axios with
 * no network and no simulator in the timing. Each reply is recorded once from the simulators, then
 * both sides are served the very same text by an axios adapter, so what is left is each side's own
 * CPU and GC — steadier than the loopback figures, which share two cores with the simulator:
 *
 *   pnpm build && TSX_TSCONFIG_PATH=bench/tsconfig.json node --import tsx bench/in-process.ts [kf5|udesk|huaweiAicc|all] [get|page|both]
 *
 * Add `--trace-gc-nvp` before `--import` to see what each scavenge promotes (a reply kept alive past
 * its call shows as megabytes promoted per scavenge). `CK_PROFILE_SDK=<calls>` runs only the SDK side
 * that many times, for `--cpu-prof` (then `node bench/summarize-profile.mjs <file>`).
 */
import axios, { type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from '../packages/core/node_modules/axios/index.js';
import { SimProcess, median } from './lib';
import { pagePair, pair, type HttpFactory } from './overhead';

type Vendor = 'udesk' | 'kf5' | 'huaweiAicc';
const vendors: Vendor[] = process.argv[2] && process.argv[2] !== 'all' ? [process.argv[2] as Vendor] : ['udesk', 'kf5', 'huaweiAicc'];
const what = process.argv[3] ?? 'both';

/** a reply by method, path and body (queries carry signs and timestamps that change on every call) */
const keyOf = (config: InternalAxiosRequestConfig) => `${config.method} ${new URL(config.url!, config.baseURL).pathname} ${typeof config.data === 'string' ? config.data : ''}`;
const replies = new Map<string, Pick<AxiosResponse, 'status' | 'statusText' | 'headers' | 'data'>>();
const httpAdapter = axios.getAdapter('http');
const recording: AxiosAdapter = async (config) => {
  const res = await httpAdapter(config);
  replies.set(keyOf(config), { status: res.status, statusText: res.statusText, headers: res.headers, data: res.data });
  return res;
};
const replaying: AxiosAdapter = async (config) => {
  const reply = replies.get(keyOf(config));
  if (!reply) throw new Error(`no recorded reply for ${keyOf(config)}`);
  return { ...reply, config, request: {} };
};
const recorder: HttpFactory = () => axios.create({ adapter: recording });
const replayer: HttpFactory = () => axios.create({ adapter: replaying });

const sims = new SimProcess();
const e = await sims.start({ agents: 200, groups: 8, seedInto: vendors });
const ids = await sims.call<Record<string, string>>({ cmd: 'sampleAgentIds' });
const cases = vendors.flatMap((v) => [
  ...(what === 'page' ? [] : [{ v, make: (http: HttpFactory) => pair(v, e, ids[v]!, http) }]),
  ...(what === 'get' ? [] : [{ v, make: (http: HttpFactory) => pagePair(v, e, http) }]),
]);
for (const c of cases) {
  const p = c.make(recorder);
  await p.sdk();
  await p.bare();
}
await sims.stop();

async function perCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call();
  return ((performance.now() - t0) * 1000) / n;
}
if (process.env.CK_PROFILE_SDK) {
  // only the SDK side, long enough for a CPU profile (node --cpu-prof)
  for (const c of cases) {
    const p = c.make(replayer);
    for (let i = 0; i < Number(process.env.CK_PROFILE_SDK); i++) await p.sdk();
  }
  process.exit(0);
}
for (const c of cases) {
  const p = c.make(replayer);
  for (let i = 0; i < 1000; i++) await Promise.all([p.sdk(), p.bare()]);
  const sdk: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < 20; round++) {
    sdk.push(await perCall(p.sdk, 200));
    bare.push(await perCall(p.bare, 200));
  }
  const [s, b] = [median(sdk), median(bare)];
  console.log(`${c.v.padEnd(10)} ${p.operation.padEnd(24)} sdk ${s.toFixed(0).padStart(5)} µs  bare ${b.toFixed(0).padStart(5)} µs  extra ${(s - b).toFixed(0).padStart(4)} µs  ×${(s / b).toFixed(2)}`);
}
