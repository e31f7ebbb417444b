/**
 * Simulators in their own process, so the benchmark process measures only the SDK
 * (its CPU, heap and RSS). Talks to the parent over IPC: { cmd } in, { ok, data } out.
 */
import { generateTenant, startAllSimulators, type AllSimulators } from '@contactkit/testkit';

type Vendor = 'udesk' | 'kf5' | 'huaweiAicc';
let sims: AllSimulators | undefined;

type Command =
  | { cmd: 'start'; agents: number; groups: number; roles: number; seedInto: Vendor[]; rateLimit?: Record<string, { requestsPerMinute: number } | false> }
  | { cmd: 'stats' }
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
      sims = await startAllSimulators({ tenant, seedInto: msg.seedInto, rateLimit: msg.rateLimit as never });
      const seedMs = Math.round(performance.now() - t0);
      const pick = (s: { baseUrl: string; credentials: unknown }) => ({ baseUrl: s.baseUrl, credentials: s.credentials });
      process.send!({ ok: true, data: { udesk: pick(sims.udesk), kf5: pick(sims.kf5), huaweiAicc: pick(sims.huaweiAicc), seedMs } });
    } else if (msg.cmd === 'stats') {
      process.send!({ ok: true, data: { udesk: sims!.udesk.stats(), kf5: sims!.kf5.stats(), huaweiAicc: sims!.huaweiAicc.stats() } });
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
