/**
 * Simulators in their own process, so the benchmark process measures only the SDK
 * (its CPU, heap and RSS). Talks to the parent over IPC: { cmd } in, { ok, data } out.
 */
import { generateTenant, startAllSimulators, type AllSimulators } from '@contactkit/testkit';

type Vendor = 'udesk' | 'kf5' | 'huaweiAicc';
let sims: AllSimulators | undefined;

type Command =
  | { cmd: 'start'; agents: number; groups: number; roles: number; seedInto: Vendor[]; rateLimit?: Record<string, { requestsPerMinute: number } | false>; latencyMs?: number }
  | { cmd: 'stats' }
  | { cmd: 'seedUdeskDefaults' }
  | { cmd: 'limitAfter'; vendor: Vendor; requests: number; rateLimit: { requestsPerMinute: number; windowMs?: number } }
  | { cmd: 'emails'; vendor: Vendor }
  | { cmd: 'resetStats' }
  | { cmd: 'count'; vendor: Vendor }
  | { cmd: 'sampleAgentIds' }
  | { cmd: 'stop' };

// handle() answers every failure to the parent itself, so nothing is left to await here
process.on('message', (msg: Command) => void handle(msg));

async function handle(msg: Command): Promise<void> {
  try {
    if (msg.cmd === 'start') {
      await sims?.close();
      sims = undefined;
      const t0 = performance.now();
      const tenant = generateTenant({ seed: 11, agents: msg.agents, groups: msg.groups, roles: msg.roles });
      sims = await startAllSimulators({ tenant, seedInto: msg.seedInto, rateLimit: msg.rateLimit as never, ...(msg.latencyMs ? { latencyMs: msg.latencyMs } : {}) });
      const seedMs = Math.round(performance.now() - t0);
      const pick = (s: { baseUrl: string; credentials: unknown }) => ({ baseUrl: s.baseUrl, credentials: s.credentials });
      process.send!({ ok: true, data: { udesk: pick(sims.udesk), kf5: pick(sims.kf5), huaweiAicc: pick(sims.huaweiAicc), seedMs } });
    } else if (msg.cmd === 'stats') {
      process.send!({ ok: true, data: { udesk: sims!.udesk.stats(), kf5: sims!.kf5.stats(), huaweiAicc: sims!.huaweiAicc.stats() } });
    } else if (msg.cmd === 'seedUdeskDefaults') {
      // a Udesk target takes every new agent into a group and a department: one of each, as the economy test seeds
      const seeded = sims!.udesk.state.seed(generateTenant({ seed: 6, agents: 0, groups: 1, roles: 3, departments: 1 }));
      process.send!({ ok: true, data: { groupIds: Object.values(seeded.groups).map(String), departmentIds: Object.values(seeded.departments).map(String) } });
    } else if (msg.cmd === 'limitAfter') {
      // a vendor that starts throttling part-way through a run
      const sim = sims![msg.vendor];
      sim.faults.afterRequests(msg.requests, {}, () => sim.setRateLimit(msg.rateLimit));
      process.send!({ ok: true, data: null });
    } else if (msg.cmd === 'emails') {
      const sim = sims![msg.vendor];
      const emails = (sim.state.listAgents() as Array<{ email?: unknown }>).map((a) => String(a.email).toLowerCase());
      process.send!({ ok: true, data: { total: emails.length, unique: new Set(emails).size } });
    } else if (msg.cmd === 'resetStats') {
      sims!.udesk.resetStats();
      sims!.kf5.resetStats();
      sims!.huaweiAicc.resetStats();
      process.send!({ ok: true, data: null });
    } else if (msg.cmd === 'count') {
      const sim = sims![msg.vendor];
      process.send!({ ok: true, data: { ...sim.state.counts(), listed: sim.state.listAgents().length } });
    } else if (msg.cmd === 'sampleAgentIds') {
      // an active agent of each seeded simulator (the id the adapter's agents.get takes)
      const u = sims!.udesk.state.listAgents().find((a) => a.disable_status !== 'disable');
      const k = sims!.kf5.state.listAgents().find((a) => a.status === 'active');
      const h = sims!.huaweiAicc.state.listAgents()[0];
      process.send!({ ok: true, data: { udesk: u && String(u.id), kf5: k && String(k.id), huaweiAicc: h?.userAccount } });
    } else {
      await sims?.close();
      process.send!({ ok: true, data: null });
      process.exit(0);
    }
  } catch (error) {
    process.send!({ ok: false, error: String((error as Error).stack ?? error) });
  }
}
