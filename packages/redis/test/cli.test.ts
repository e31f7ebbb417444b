import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

    // the operator's key pair: the worker gets only the public half
    const operator = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    writeFileSync(join(dir, 'operator.pub.pem'), operator.publicKey);
    writeFileSync(join(dir, 'operator.pem'), operator.privateKey, { mode: 0o600 });
    const worker = cli(['worker', '--redis', redis.url, '--config', config, '--work-dir', join(dir, 'worker'), '--passwords-public-key', join(dir, 'operator.pub.pem')], env);
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

    // the passwords were sealed into Redis, not written on the worker's disk; the private key opens them
    expect(existsSync(join(dir, 'worker', plan.id, 'credentials.jsonl'))).toBe(false);
    const out = join(dir, 'credentials.jsonl');
    const opened = await finished(cli(['migrate', 'passwords', planFile, '--queue', redis.url, '--private-key', join(dir, 'operator.pem'), '--out', out, '--json'], {}));
    expect(opened.code, opened.err).toBe(0);
    expect(JSON.parse(opened.out)).toMatchObject({ ok: true, passwords: plan.summary.agent.create, ambiguous: 0 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { email: string; password: string });
    for (const { email, password } of lines) {
      const user = sims.kf5.state.listAgents().find((u) => String(u.email).toLowerCase() === email.toLowerCase())!;
      expect(sims.kf5.state.userPassword(Number(user.id))).toBe(password);
    }
    const missingKey = await finished(cli(['migrate', 'passwords', planFile, '--queue', redis.url, '--out', out], {}));
    expect(missingKey.code).toBe(2);
    expect(missingKey.err).toContain("'--private-key'");
  }, 90_000);
});
