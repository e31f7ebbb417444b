import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli-main';
import { runCli } from './cli-process';

const ROOT = resolve(__dirname, '../../..');

describe('rehearsal', () => {
  it('contactkit-simulate --source udesk --print-env gives the environment a real `contactkit migrate plan` runs with', async () => {
    const sim = spawn(process.execPath, ['--import', 'tsx', 'packages/testkit/src/cli.ts', '--source', 'udesk', '--agents', '25', '--groups', '3', '--print-env'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sim.stdout.setEncoding('utf8');
    sim.stdout.on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((done) => sim.on('exit', (code) => done(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!out.includes('# next:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const env = Object.fromEntries([...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
      const dir = mkdtempSync(join(tmpdir(), 'ck-rehearsal-'));
      // the simulator has no rate limit; the client keeps Udesk's 60/min unless told otherwise
      writeFileSync(join(dir, 'config.json'), '{ "udesk": { "rateLimit": false } }');
      const planFile = join(dir, 'plan.json');
      const run = await runCli(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', join(dir, 'config.json'), '--out', planFile], env);
      expect(run.code, run.stderr).toBe(0);
      const plan = JSON.parse(readFileSync(planFile, 'utf8'));
      // only the source was seeded: every agent is a create on the empty target
      expect(plan.summary.agent).toMatchObject({ create: 25, update: 0, skip: 0, conflict: 0 });
      expect(run.stderr).toContain('udesk: no rate limit set → reading 25 agents takes 26 requests');
    } finally {
      sim.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('the demo ends by printing the commands to run next', async () => {
    const err = new PassThrough();
    let text = '';
    err.on('data', (d) => (text += d));
    const code = await main(['demo', '--agents', '20', '--work-dir', mkdtempSync(join(tmpdir(), 'ck-demo-'))], { stdout: () => {}, stderr: err as unknown as NodeJS.WriteStream });
    // Huawei stores "English Support" as "English_Support": the plan carries the name the target stores
    expect(code, text).toBe(0);
    const next = text.slice(text.indexOf('Next:'));
    expect(next).toContain('contactkit-simulate --source udesk --agents 20000 --print-env');
    for (const step of ['migrate plan', 'migrate apply', 'migrate verify', 'migrate rollback']) expect(next).toContain(`contactkit ${step}`);
  }, 60_000);
});
