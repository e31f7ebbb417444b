import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('contactkit-simulate CLI', () => {
  it('starts the three simulators, prints URLs and a working curl line, stops on SIGTERM', async () => {
    const child = spawn(tsx, [cli, '--agents', '12', '--groups', '2', '--seed', '9'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (!out.includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    try {
      expect(out).toContain('12 agents');
      const kf5Base = /KF5 API v2\n {2}base URL {3}(\S+)/.exec(out)?.[1];
      expect(kf5Base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apiv2$/);
      expect(out).toMatch(/Udesk Open API\n {2}base URL {3}http:\/\/127\.0\.0\.1:\d+\/open_api_v1/);
      expect(out).toMatch(/Huawei AICC cc-management\n {2}base URL {3}http:\/\/127\.0\.0\.1:\d+\n/);
      const curl = /curl -s -u '([^']+)' '([^']+)'/.exec(out)!;
      const [user, secret] = [curl[1]!.slice(0, curl[1]!.lastIndexOf(':')), curl[1]!.slice(curl[1]!.lastIndexOf(':') + 1)];
      const res = await fetch(curl[2]!, { headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { count: number }).count).toBe(12);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
