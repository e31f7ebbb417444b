import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant, simulatorEnv, startAllSimulators, type AllSimulators } from '@contactkit/testkit';
import { SKIP_REASON, startRedisServer, type RedisServer } from './redis-server';

// `contactkit worker --redis` and `contactkit migrate apply --queue`: the migrate CLI loads @contactkit/redis
// (installed beside it, not a dependency of migrate); the worker holds the credentials, the queue only the plan.
const ROOT = resolve(__dirname, '../../..');
const cli = (args: string[], env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', 'packages/migrate/src/cli.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
const finished = (child: ChildProcess) =>
  new Promise<{ code: number | null; out: string; err: string }>((done) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => done({ code, out, err }));
  });

let redis: RedisServer;
let sims: AllSimulators;
beforeAll(async () => {
  if (SKIP_REASON) return;
  redis = await startRedisServer();
  sims = await startAllSimulators({ tenant: generateTenant({ seed: 21, agents: 40, groups: 3, roles: 3 }), seedInto: ['udesk'] });
});
afterAll(async () => {
  await sims?.close();
  await redis?.close();
});

describe.skipIf(SKIP_REASON)(`contactkit worker and migrate apply --queue${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  it('a queued plan runs on a worker with its own credentials and the submitter gets the report', async () => {
    const env = simulatorEnv(sims);
    const dir = mkdtempSync(join(tmpdir(), 'ck-queue-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ udesk: { rateLimit: false }, kf5: { rateLimit: false } }));
    const planFile = join(dir, 'plan.json');
    const planned = await finished(cli(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', planFile], env));
    expect(planned.code, planned.err).toBe(0);

    const worker = cli(['worker', '--redis', redis.url, '--config', config, '--work-dir', join(dir, 'worker')], env);
    const workerDone = finished(worker);
    // the submitter has no vendor credentials at all: only the plan travels
    const submitted = await finished(cli(['migrate', 'apply', planFile, '--queue', redis.url, '--json'], {}));
    expect(submitted.code, submitted.err).toBe(0);
    const report = JSON.parse(submitted.out);
    expect(report).toMatchObject({ ok: true, failures: [] });
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(report.counts.agent.created).toBe(plan.summary.agent.create);
    expect(sims.kf5.state.listAgents().length).toBeGreaterThanOrEqual(plan.summary.agent.create);
    worker.kill('SIGTERM');
    expect((await workerDone).code).toBe(0);
  }, 90_000);
});
