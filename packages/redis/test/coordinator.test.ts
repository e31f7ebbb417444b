import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { CoordinatorUnavailableError, createRedisCoordinator } from '@contactkit/redis';
import { startHuaweiAiccSimulator, startUdeskSimulator, type HuaweiAiccSimulator } from '@contactkit/testkit';
import { startReplicas, stopReplicas, type Replica } from './children';
import { SKIP_REASON, startRedisServer, type RedisServer } from './redis-server';

const RPM = 600;

describe.skipIf(SKIP_REASON !== undefined)(`four replicas on one Redis coordinator${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.close();
  });

  describe('Huawei tokens', () => {
    let sim: HuaweiAiccSimulator;
    let replicas: Replica[] = [];
    beforeAll(async () => {
      sim = await startHuaweiAiccSimulator();
      replicas = await startReplicas(4, {
        vendor: 'huawei-aicc',
        baseUrl: sim.baseUrl,
        account: sim.credentials.appKey,
        secret: sim.credentials.appSecret,
        redisUrl: redis.url,
        namespace: 'hw-test',
      });
    }, 60_000);
    afterAll(async () => {
      stopReplicas(replicas);
      await sim?.close();
    });

    it('4 processes × 100 concurrent calls on a cold cache: exactly one token request', async () => {
      const replies = await Promise.all(replicas.map((r) => r.ask({ op: 'burst', calls: 100 })));
      expect(replies.flatMap((r) => r.errors)).toEqual([]);
      expect(replies.reduce((n, r) => n + r.ok, 0)).toBe(400);
      expect(sim.stats().tokenRequests).toBe(1);
    });

    it('a token revoked at the vendor: one refresh, not four', async () => {
      const before = sim.stats().tokenRequests!;
      sim.expireTokens();
      const replies = await Promise.all(replicas.map((r) => r.ask({ op: 'burst', calls: 25 })));
      expect(replies.flatMap((r) => r.errors)).toEqual([]);
      expect(sim.stats().tokenRequests! - before).toBe(1);
    });

    it('Redis holds tokens, never the app secret, and no account in a key name', async () => {
      const entries = await redis.dump();
      expect(entries.length).toBeGreaterThan(0);
      for (const { key, value } of entries) {
        expect(key).not.toContain(sim.credentials.appSecret);
        expect(key).not.toContain(sim.credentials.appKey);
        expect(value).not.toContain(sim.credentials.appSecret);
      }
    });
  });

  describe('one rate limit for all', () => {
    it(`4 processes against a vendor allowing ${RPM}/min: no 429, at least 90 % of the budget used over 30 s`, async () => {
      const sim = await startUdeskSimulator({ rateLimit: { requestsPerMinute: RPM } });
      const replicas = await startReplicas(4, {
        vendor: 'udesk',
        baseUrl: sim.baseUrl,
        account: sim.credentials.email,
        secret: sim.credentials.password,
        redisUrl: redis.url,
        namespace: 'udesk-test',
        requestsPerMinute: RPM,
      });
      try {
        sim.resetStats();
        const started = Date.now();
        const replies = await Promise.all(replicas.map((r) => r.ask({ op: 'loop', durationMs: 30_000, concurrency: 4 })));
        const elapsedMs = Date.now() - started;
        const stats = sim.stats();
        expect(stats.rateLimited).toBe(0);
        expect(replies.flatMap((r) => r.errors)).toEqual([]);
        const budget = (RPM * elapsedMs) / 60_000;
        // every request counts against the tenant: log_in included
        expect(stats.requests / budget).toBeGreaterThanOrEqual(0.9);
        expect(stats.requests).toBeLessThanOrEqual(Math.ceil(budget) + 1);
        // no Udesk password in Redis (the log_in token may be there)
        for (const { key, value } of await redis.dump()) expect(key + value).not.toContain(sim.credentials.password);
      } finally {
        stopReplicas(replicas);
        await sim.close();
      }
    }, 60_000);
  });

  describe('Redis down', () => {
    it('a clear error before any request, naming host and port; calls work again once Redis is back', async () => {
      const sim = await startHuaweiAiccSimulator();
      const coordinator = createRedisCoordinator({ url: redis.url, namespace: 'down-test', commandTimeoutMs: 500 });
      const client = createHuaweiAiccClient({ baseUrl: sim.baseUrl, appKey: sim.credentials.appKey, appSecret: sim.credentials.appSecret, coordinator, rateLimit: { requestsPerMinute: 6000 } });
      try {
        await client.agents.findByEmail('nobody@example.com');
        await redis.stop();
        const sent = sim.stats().requests;
        const error = await client.agents.findByEmail('nobody@example.com').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CoordinatorUnavailableError);
        expect((error as Error).message).toContain(`127.0.0.1:${redis.port}`);
        expect((error as Error).message).toContain('no request was sent');
        expect((error as Error).message).not.toContain(sim.credentials.appSecret);
        expect(sim.stats().requests).toBe(sent);
        await redis.start();
        await expect.poll(() => client.agents.findByEmail('nobody@example.com').then(() => 'ok', () => 'down'), { timeout: 10_000, interval: 200 }).toBe('ok');
      } finally {
        await coordinator.close();
        await sim.close();
      }
    });

    it("onUnavailable: 'local' falls back to the process's own limiter, with a warning", async () => {
      const sim = await startHuaweiAiccSimulator();
      const warnings: string[] = [];
      const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (m: string) => warnings.push(m) };
      const coordinator = createRedisCoordinator({ url: 'redis://127.0.0.1:1', onUnavailable: 'local', logger, commandTimeoutMs: 500 });
      const client = createHuaweiAiccClient({ baseUrl: sim.baseUrl, appKey: sim.credentials.appKey, appSecret: sim.credentials.appSecret, coordinator, rateLimit: { requestsPerMinute: 6000 } });
      try {
        expect(await client.agents.findByEmail('nobody@example.com')).toBeNull();
        expect(warnings.some((w) => w.includes('Redis coordinator unavailable'))).toBe(true);
      } finally {
        await coordinator.close();
        await sim.close();
      }
    });
  });
});
