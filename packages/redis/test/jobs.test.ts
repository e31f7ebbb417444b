import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPasswords, plan, verify, type ApplyReport, type MigrationPlan } from '@contactkit/migrate';
import { createKf5Client } from '@contactkit/kf5';
import { readSealedPasswords, submitMigration } from '@contactkit/redis';
import { generateTenant, startAllSimulators, startKf5Simulator, type AllSimulators } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';
import { SKIP_REASON, startRedisServer, type RedisServer } from './redis-server';

const WORKER = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe.skipIf(SKIP_REASON !== undefined)(`migration jobs on BullMQ${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let redis: RedisServer;
  let sims: AllSimulators;
  let dir: string;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'contactkit-jobs-'));
    sims = await startAllSimulators({ tenant: generateTenant({ seed: 3, agents: 1000, groups: 4, roles: 3 }), seedInto: ['udesk'] });
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await sims?.close();
    await redis?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** the value once it has stayed the same for 300 ms */
  async function settled(read: () => number): Promise<number> {
    for (let last = read(); ; ) {
      await new Promise((r) => setTimeout(r, 300));
      const now = read();
      if (now === last) return now;
      last = now;
    }
  }

  function startWorker(name: string, targetSim: Pick<AllSimulators['kf5'], 'baseUrl' | 'credentials'> = sims.kf5, namespace = 'jobs-test', passwordsPublicKey?: string): Promise<ChildProcess> {
    const { baseUrl, credentials } = targetSim;
    const env = {
      ...process.env,
      CONTACTKIT_TEST_WORKER: JSON.stringify({
        redisUrl: redis.url,
        namespace,
        target: { baseUrl, email: credentials.email, apiToken: credentials.apiToken, password: credentials.password },
        passwordsDir: join(dir, name),
        passwordsPublicKey,
      }),
    };
    const child = fork(WORKER, [], { cwd: ROOT, env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    workers.push(child);
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
  }

  it('a worker killed mid-run: the other finishes the 1,000-agent plan, nothing twice, nothing lost', async () => {
    const source = createUdeskClient({ baseUrl: sims.udesk.baseUrl, email: sims.udesk.credentials.email, apiToken: sims.udesk.credentials.apiToken, roleIdsOnList: 'get_agent', rateLimit: false });
    const { baseUrl, credentials } = sims.kf5;
    const target = createKf5Client({ baseUrl, email: credentials.email, apiToken: credentials.apiToken, password: credentials.password, rateLimit: false });
    const thePlan = await plan(source, target, {});
    expect(thePlan.agents.length).toBe(1000);

    // generated passwords are sealed to the operator's key in Redis: they outlive the worker that made them
    const operator = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const [a, b] = await Promise.all([startWorker('a', sims.kf5, 'jobs-test', operator.publicKey), startWorker('b', sims.kf5, 'jobs-test', operator.publicKey)]);
    const took: ChildProcess[] = [];
    const holder = new Promise<ChildProcess>((resolve) => {
      for (const w of [a, b])
        w.on('message', (m: { job?: string }) => {
          if (!m.job) return;
          took.push(w);
          resolve(w);
        });
    });
    const submitted = await submitMigration<MigrationPlan, ApplyReport>(thePlan, { redis: redis.url, namespace: 'jobs-test' });
    let killed: ChildProcess | undefined;
    let sawProgress = 0;
    let report: ApplyReport | undefined;
    try {
      for await (const event of submitted.events) {
        if (event.type === 'progress') {
          sawProgress++;
          if (!killed && event.progress.phase === 'agents' && event.progress.done >= 300) {
            killed = await holder;
            killed.kill('SIGKILL');
          }
        } else if (event.type === 'completed') {
          report = event.report;
        } else {
          throw new Error(`job failed: ${event.message}`);
        }
      }
    } finally {
      await submitted.close();
    }
    expect(killed).toBeDefined();
    // the job went to the other worker (BullMQ's stalled-job recovery), which resumed from the Redis journal
    expect(took).toEqual([killed, killed === a ? b : a]);
    // one create per agent at the wire: the creates in flight when the worker died were adopted, not sent again
    expect(sims.kf5.stats().byRoute['POST /users.json']).toBe(1000);
    expect((report!.counts.agent.created ?? 0) + (report!.counts.agent.adopted ?? 0) + (report!.counts.agent.skipped ?? 0)).toBe(1000);
    expect(sawProgress).toBeGreaterThan(0);
    expect(report?.ok).toBe(true);
    // a resumed run reports what the killed one had already done
    expect(report!.alreadyDone).toBeGreaterThanOrEqual(300);

    // nothing lost, nothing twice: each source agent exactly once at the target, memberships included
    const emails = sims.kf5.state.listAgents().map((u) => String(u.email).toLowerCase());
    const wanted = thePlan.agents.map((e) => e.input.email.toLowerCase());
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of wanted) expect(emails).toContain(email);
    // the queue, the journal and the coordinator hold no credential of the target
    for (const { key, value } of await redis.dump()) {
      for (const secret of [credentials.password, credentials.apiToken]) expect(key + value).not.toContain(secret);
    }
    const check = await verify(thePlan, { source, target });
    expect(check.ok).toBe(true);

    // every created agent's password, the killed worker's included, opens with the operator's private key
    const sealed = await readSealedPasswords({ redis: redis.url, namespace: 'jobs-test', planId: thePlan.id });
    const opened = openPasswords(operator.privateKey, sealed);
    const dump = JSON.stringify(await redis.dump());
    for (const user of sims.kf5.state.listAgents()) {
      const email = String(user.email).toLowerCase();
      const candidates = opened.get(email);
      if (!candidates) continue; // an agent the target held before the run
      const actual = sims.kf5.state.userPassword(Number(user.id));
      expect(candidates.map((c) => c.password)).toContain(actual);
      expect(dump).not.toContain(actual!);
    }
    expect(opened.size).toBe(1000);
  }, 120_000);

  it('Redis stopped mid-run: the worker exits, the submitter gets a clear error; after a restart (empty) the resubmitted plan creates nothing twice', { timeout: 60_000 }, async () => {
    const target = await startKf5Simulator();
    try {
      const source = createUdeskClient({ baseUrl: sims.udesk.baseUrl, email: sims.udesk.credentials.email, apiToken: sims.udesk.credentials.apiToken, roleIdsOnList: 'get_agent', rateLimit: false });
      const targetClient = () => createKf5Client({ baseUrl: target.baseUrl, email: target.credentials.email, apiToken: target.credentials.apiToken, password: target.credentials.password, rateLimit: false });
      const thePlan = await plan(source, targetClient(), {});
      const worker = await startWorker('outage', target, 'outage-test');
      const workerExit = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
      const creates = () => target.stats().byRoute['POST /users.json'] ?? 0;

      const first = await submitMigration<MigrationPlan, ApplyReport>(thePlan, { redis: redis.url, namespace: 'outage-test' });
      let outcome: { type: string; message?: string } | undefined;
      try {
        for await (const event of first.events) {
          if (event.type === 'progress' && event.progress.phase === 'agents' && event.progress.done >= 100 && creates() < 1000) await redis.stop();
          if (event.type !== 'progress') {
            outcome = event;
            break;
          }
        }
      } finally {
        await first.close();
      }
      // a clear error naming Redis, not a hang
      expect(outcome?.type).toBe('failed');
      expect(outcome?.message).toMatch(/redis/i);
      expect(outcome?.message).toContain(`127.0.0.1:${redis.port}`);
      // the worker exits on losing Redis (its supervisor starts a fresh one); creates it had in flight
      // when Redis died may still land, so the first run's count is read once they have
      expect(await workerExit).toBe(3);
      const atStop = await settled(creates);
      expect(atStop).toBeLessThan(1000);

      // Redis back, empty (no persistence): the journal is lost; a fresh worker, the same plan submitted again
      await redis.start();
      const fresh = await startWorker('outage-2', target, 'outage-test');
      const again = await submitMigration<MigrationPlan, ApplyReport>(thePlan, { redis: redis.url, namespace: 'outage-test' });
      const report = await again.result.finally(() => again.close());
      expect(report.ok).toBe(true);
      // nothing twice: each create of the first run is tried once more, refused as a conflict and adopted by email
      expect(report.counts.agent.created).toBe(1000 - atStop);
      expect(report.counts.agent.adopted).toBe(atStop);
      expect(creates()).toBe(1000 + atStop);
      const emails = target.state.listAgents().map((u) => String(u.email).toLowerCase());
      expect(new Set(emails).size).toBe(emails.length);
      expect(emails.length).toBe(1000);
      expect((await verify(thePlan, { source, target: targetClient() })).ok).toBe(true);
      fresh.kill('SIGKILL');
    } finally {
      await target.close();
    }
  });
});
