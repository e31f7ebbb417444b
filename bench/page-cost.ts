/**
 * Profiling aid for the 100-agent page ratio (not run by `pnpm bench`): where the SDK's time on a page
 * goes, step by step, against bare axios on the same simulator, in wall and CPU time per call:
 *
 *   pnpm build && TSX_TSCONFIG_PATH=bench/tsconfig.json node --import tsx bench/page-cost.ts [kf5|udesk|huaweiAicc]
 *
 * Steps: the raw request through the SDK's transport, + the reply schema, + the mapping, the whole
 * agents.list page.
 */
import axios from '../packages/core/node_modules/axios/index.js';
import { createHuaweiAiccClient, AgentQueryReplySchema, agentFromWire as huaweiAgent } from '@contactkit/huawei-aicc';
import { createKf5Client, Kf5UserListReplySchema, agentFromWire as kf5Agent } from '@contactkit/kf5';
import { createUdeskClient, UdeskAgentListReplySchema, agentFromWire as udeskAgent } from '@contactkit/udesk';
import { SimProcess } from './lib';
import { pagePair } from './overhead';

const vendor = (process.argv[2] ?? 'kf5') as 'kf5' | 'udesk' | 'huaweiAicc';
const sims = new SimProcess();
const e = await sims.start({ agents: 200, groups: 8, seedInto: [vendor] });
const page = pagePair(vendor, e as never);
/** the steps a page goes through, each timed on its own: one vendor's raw request, items and mapping */
function steps<W>(raw: () => Promise<unknown>, items: (reply: unknown) => W[], map: (item: W) => unknown): Record<string, () => Promise<unknown>> {
  return {
    bare: page.bare,
    'sdk request': raw,
    'sdk request + schema': async () => items(await raw()),
    'sdk request + schema + map': async () => items(await raw()).map(map),
    'sdk agents.list page': page.sdk,
  };
}

let cases: Record<string, () => Promise<unknown>>;
if (vendor === 'kf5') {
  const { email, apiToken } = e.kf5.credentials;
  const client = createKf5Client({ baseUrl: e.kf5.baseUrl, email, apiToken, rateLimit: false, httpClient: axios.create() });
  const raw = () => client.request({ method: 'GET', path: 'users.json', query: { role: 'agent,admin', page: 1, per_page: 100 } });
  cases = steps(raw, (reply) => Kf5UserListReplySchema.parse(reply).users, (u) => kf5Agent(u, { owned: true }).value);
} else if (vendor === 'huaweiAicc') {
  const { appKey, appSecret } = e.huaweiAicc.credentials;
  const client = createHuaweiAiccClient({ baseUrl: e.huaweiAicc.baseUrl, appKey, appSecret, rateLimit: false, httpClient: axios.create() });
  const raw = () => client.request({ method: 'POST', path: '/apiaccess/rest/cc-management/v1/agentAccount/query', body: { pageNum: 0, pageSize: 100 }, idempotent: true });
  cases = steps(raw, (reply) => AgentQueryReplySchema.parse(reply).data ?? [], (w) => huaweiAgent(w).value);
} else {
  const { email, apiToken } = e.udesk.credentials;
  const client = createUdeskClient({ baseUrl: e.udesk.baseUrl, email, apiToken, rateLimit: false, httpClient: axios.create() });
  const raw = () => client.request({ method: 'GET', path: 'agents', query: { page: 1, per_page: 100, with_disabled: 'true' } });
  cases = steps(raw, (reply) => UdeskAgentListReplySchema.parse(reply).agents, (u) => udeskAgent(u, { owned: true }).value);
}
const wall = new Map<string, number[]>();
const cpu = new Map<string, number[]>();
for (const fn of Object.values(cases)) for (let i = 0; i < 300; i++) await fn();
for (let round = 0; round < 30; round++) {
  for (const [name, fn] of Object.entries(cases)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < 40; i++) await fn();
    const c = process.cpuUsage(c0);
    wall.set(name, [...(wall.get(name) ?? []), ((performance.now() - t0) * 1000) / 40]);
    cpu.set(name, [...(cpu.get(name) ?? []), (c.user + c.system) / 40]);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bw = median(wall.get('bare')!), bc = median(cpu.get('bare')!);
for (const name of wall.keys()) console.log(`${vendor} ${name.padEnd(30)} wall ${median(wall.get(name)!).toFixed(0).padStart(6)} µs ×${(median(wall.get(name)!) / bw).toFixed(3)}   cpu ${median(cpu.get(name)!).toFixed(0).padStart(6)} µs ×${(median(cpu.get(name)!) / bc).toFixed(3)}`);
await sims.stop();
