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
let cases: Record<string, () => Promise<unknown>>;
if (vendor === 'kf5') {
  const { email, apiToken } = e.kf5.credentials;
  const client = createKf5Client({ baseUrl: e.kf5.baseUrl, email, apiToken, rateLimit: false, httpClient: axios.create() });
  const raw = () => client.request({ method: 'GET', path: 'users.json', query: { role: 'agent,admin', page: 1, per_page: 100 } });
  cases = {
    bare: page.bare,
    'sdk request': raw,
    'sdk request + schema': async () => Kf5UserListReplySchema.parse(await raw()).users,
    'sdk request + schema + map': async () => Kf5UserListReplySchema.parse(await raw()).users.map((u) => kf5Agent(u, { owned: true }).value),
    'sdk agents.list page': page.sdk,
  };
} else if (vendor === 'huaweiAicc') {
  const { appKey, appSecret } = e.huaweiAicc.credentials;
  const client = createHuaweiAiccClient({ baseUrl: e.huaweiAicc.baseUrl, appKey, appSecret, rateLimit: false, httpClient: axios.create() });
  const raw = () => client.request({ method: 'POST', path: '/apiaccess/rest/cc-management/v1/agentAccount/query', body: { pageNum: 0, pageSize: 100 }, idempotent: true });
  cases = {
    bare: page.bare,
    'sdk request': raw,
    'sdk request + schema': async () => AgentQueryReplySchema.parse(await raw()).data,
    'sdk request + schema + map': async () => AgentQueryReplySchema.parse(await raw()).data!.map((w) => huaweiAgent(w).value),
    'sdk agents.list page': page.sdk,
  };
} else {
  const { email, apiToken } = e.udesk.credentials;
  const client = createUdeskClient({ baseUrl: e.udesk.baseUrl, email, apiToken, rateLimit: false, httpClient: axios.create() });
  const raw = () => client.request({ method: 'GET', path: 'agents', query: { page: 1, per_page: 100, with_disabled: 'true' } });
  cases = {
    bare: page.bare,
    'sdk request': raw,
    'sdk request + schema': async () => UdeskAgentListReplySchema.parse(await raw()).agents,
    'sdk request + schema + map': async () => UdeskAgentListReplySchema.parse(await raw()).agents.map((u) => udeskAgent(u, { owned: true }).value),
    'sdk agents.list page': page.sdk,
  };
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
