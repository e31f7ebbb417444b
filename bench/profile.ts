/**
 * Profiling aid for the per-call overhead (not run by `pnpm bench`):
 *
 *   TSX_TSCONFIG_PATH=bench/tsconfig.json node --import tsx --cpu-prof --cpu-prof-dir=/tmp/ck-prof bench/profile.ts [udesk|kf5|huaweiAicc] [calls] [sdk|bare] [get|page]
 *   node bench/summarize-profile.mjs /tmp/ck-prof/<file>.cpuprofile
 *
 * Runs only one side of the overhead pair (SDK by default) so the profile shows where its time goes.
 */
import { SimProcess } from './lib';
import { pagePair, pair } from './overhead';

const vendor = (process.argv[2] ?? 'kf5') as 'udesk' | 'kf5' | 'huaweiAicc';
const calls = Number(process.argv[3] ?? 20000);
const side = (process.argv[4] ?? 'sdk') as 'sdk' | 'bare';
const what = process.argv[5] ?? 'get';
const sims = new SimProcess();
try {
  const e = await sims.start({ agents: 200, groups: 8, seedInto: ['udesk', 'kf5', 'huaweiAicc'] });
  const ids = await sims.call<Record<string, string>>({ cmd: 'sampleAgentIds' });
  const p = what === 'page' ? pagePair(vendor, e) : pair(vendor, e, ids[vendor]!);
  const call = p[side];
  for (let i = 0; i < 500; i++) await call();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await call();
  console.log(`${vendor} ${what} ${side}: ${(((performance.now() - t0) * 1000) / calls).toFixed(1)} µs/call over ${calls} calls`);
} finally {
  await sims.stop();
}
