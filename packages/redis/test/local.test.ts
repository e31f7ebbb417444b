import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCoordinator } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { startHuaweiAiccSimulator, startUdeskSimulator, type HuaweiAiccSimulator, type UdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';

/** The adapters on a coordinator, in one process: what they share is keyed by vendor, base URL and account. */
describe('clients sharing a local coordinator', () => {
  let hw: HuaweiAiccSimulator;
  let ud: UdeskSimulator;
  beforeAll(async () => {
    [hw, ud] = await Promise.all([startHuaweiAiccSimulator(), startUdeskSimulator()]);
  });
  afterAll(async () => {
    await Promise.all([hw?.close(), ud?.close()]);
  });

  const huawei = (coordinator?: ReturnType<typeof createLocalCoordinator>) =>
    createHuaweiAiccClient({ baseUrl: hw.baseUrl, appKey: hw.credentials.appKey, appSecret: hw.credentials.appSecret, coordinator });
  // the limit off unless a test is about it (Udesk's default, 60/min, would make every test slow)
  const udesk = (coordinator?: ReturnType<typeof createLocalCoordinator>, rateLimit: { requestsPerMinute: number } | false = false) =>
    createUdeskClient({ baseUrl: ud.baseUrl, email: ud.credentials.email, password: ud.credentials.password, coordinator, rateLimit });

  it('two Huawei clients of one tenant on one coordinator: one token; without it: one each', async () => {
    const shared = createLocalCoordinator();
    hw.resetStats();
    await Promise.all([huawei(shared), huawei(shared)].map((c) => c.agents.findByEmail('nobody@example.com')));
    expect(hw.stats().tokenRequests).toBe(1);
    hw.resetStats();
    await Promise.all([huawei(), huawei()].map((c) => c.agents.findByEmail('nobody@example.com')));
    expect(hw.stats().tokenRequests).toBe(2);
  });

  it('two Udesk clients of one tenant on one coordinator: one log_in, and one re-login after a rejection', async () => {
    const shared = createLocalCoordinator();
    const clients = [udesk(shared), udesk(shared)];
    ud.resetStats();
    await Promise.all(clients.map((c) => c.roles.list()));
    expect(ud.stats().logins).toBe(1);
    ud.rotateToken(); // the vendor now rejects the token both clients hold
    await Promise.all(clients.map((c) => c.roles.list()));
    expect(ud.stats().logins).toBe(2);
  });

  it('two Udesk clients of one tenant on one coordinator share one limit', async () => {
    const shared = createLocalCoordinator();
    const limit = { requestsPerMinute: 600 };
    await udesk(shared, false).roles.list(); // log_in done outside the measure
    const started = Date.now();
    // four requests through one 600/min bucket (burst 1): the fourth starts 300 ms after the first
    await Promise.all([udesk(shared, limit), udesk(shared, limit)].flatMap((c) => [c.roles.list(), c.roles.list()]));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
