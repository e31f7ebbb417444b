import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateUdeskToKf5 } from '../src/migrate';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('migrate-script example', () => {
  it('migrates Udesk → KF5 through plan/apply/verify, and a second apply creates nothing', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'ck-migrate-example-'));
    dirs.push(workDir);
    const lines: string[] = [];
    const run = await migrateUdeskToKf5({ agents: 40, groups: 3, workDir, print: (l) => lines.push(l) });
    expect(run.plan.summary.agent.create).toBe(40);
    expect(run.first.ok).toBe(true);
    expect(run.first.counts.agent.created).toBe(40);
    expect(run.second.counts.agent.created ?? 0).toBe(0);
    expect(run.second.counts.agent.skipped).toBe(40);
    expect(run.verify.ok).toBe(true);
    expect(run.targetAgents).toBe(40);
    const credentials = join(workDir, 'udesk-to-kf5', 'credentials.jsonl');
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    expect(existsSync(join(workDir, 'udesk-to-kf5', 'journal.jsonl'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/"password"/);
  });

  it('runs as a script (tsx, the built packages through workspace links) and exits 0', async () => {
    const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
    const { stdout } = await promisify(execFile)(tsx, [join(root, 'examples/migrate-script/src/migrate.ts'), '--agents', '25'], {
      cwd: join(root, 'examples/migrate-script'),
      timeout: 60_000,
    });
    expect(stdout).toMatch(/journal and generated credentials: /);
    const dir = /journal and generated credentials: (.+)/.exec(stdout)![1]!.trim();
    dirs.push(join(dir, '..'));
  });
});
