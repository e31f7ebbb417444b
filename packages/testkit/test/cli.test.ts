import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** Starts contactkit-simulate and waits (15 s at most) until it says it is ready. */
async function startCli(args: string[]) {
  const child = spawn(tsx, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!out.includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return { child, exited, output: () => out };
}

describe('contactkit-simulate CLI', () => {
  it('starts the three simulators, prints URLs and a working curl line, stops on SIGTERM', async () => {
    const { child, output, exited } = await startCli(['--agents', '12', '--groups', '2', '--seed', '9']);
    const out = output();
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

  it('--source seeds only that simulator and --print-env prints export lines to paste', async () => {
    const child = spawn(tsx, [cli, '--source', 'kf5', '--agents', '7', '--groups', '2', '--print-env'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (!out.includes('# next:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    try {
      // every line is a comment or an export a POSIX shell takes as is
      for (const line of out.trim().split('\n')) expect(line).toMatch(/^(# .*|export CONTACTKIT_[A-Z0-9_]+='[^']*')$/);
      const env = Object.fromEntries([...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(env).sort()).toEqual(
        ['UDESK_BASE_URL', 'UDESK_EMAIL', 'UDESK_API_TOKEN', 'KF5_BASE_URL', 'KF5_EMAIL', 'KF5_API_TOKEN', 'KF5_PASSWORD', 'HUAWEI_AICC_BASE_URL', 'HUAWEI_AICC_APP_KEY', 'HUAWEI_AICC_APP_SECRET'].map((k) => `CONTACTKIT_${k}`).sort(),
      );
      expect(out).toContain('# next: contactkit migrate plan --from kf5 --to huawei-aicc');
      const auth = { authorization: `Basic ${Buffer.from(`${env.CONTACTKIT_KF5_EMAIL}/token:${env.CONTACTKIT_KF5_API_TOKEN}`).toString('base64')}` };
      const users = await fetch(`${env.CONTACTKIT_KF5_BASE_URL}/users.json?role=agent,admin&per_page=2`, { headers: auth });
      expect(((await users.json()) as { count: number }).count).toBe(7);
      // Huawei (not the source) starts empty: a token, then an agent query
      const token = await fetch(`${env.CONTACTKIT_HUAWEI_AICC_BASE_URL}/apigovernance/api/oauth/tokenByAkSk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-token-expire': '600' },
        body: JSON.stringify({ app_key: env.CONTACTKIT_HUAWEI_AICC_APP_KEY, app_secret: env.CONTACTKIT_HUAWEI_AICC_APP_SECRET }),
      });
      expect(token.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses an unknown --source with exit 2', async () => {
    const child = spawn(tsx, [cli, '--source', 'zendesk'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain('--source must be one of udesk, kf5, huawei-aicc');
  });
  it('takes --fault, --rate-limit, --max-concurrent, --latency and --control-token, and prints the control endpoint', async () => {
    const flags = ['--agents', '3', '--fault', '503:0.2', '--fault', '429:0.1', '--rate-limit', '90/min', '--rate-limit-udesk', '60', '--max-concurrent', '4', '--latency', '5', '--control-token', 'cli-test-token'];
    const { child, output, exited } = await startCli(flags);
    const out = output();
    try {
      expect(out).toContain('token      cli-test-token');
      const urls = ['Udesk', 'KF5', 'Huawei'].map((v) => new RegExp(`\\n {2}${v} +(http://127\\.0\\.0\\.1:\\d+/__control)\\n`).exec(out)?.[1]);
      const settings = await Promise.all(
        urls.map(async (url) => {
          expect(url).toBeDefined();
          const res = await fetch(`${url}/settings`, { headers: { authorization: 'Bearer cli-test-token' } });
          expect(res.status).toBe(200);
          return (await res.json()) as Record<string, unknown>;
        }),
      );
      // 0.2 + 0.1: rate 0.3, and 503 twice as likely as 429
      for (const s of settings) expect(s).toMatchObject({ faults: { rate: 0.3, kinds: ['503', '503', '429'] }, maxConcurrent: 4, latencyMs: 5 });
      expect(settings.map((s) => s.rateLimit)).toEqual([{ requestsPerMinute: 60 }, { requestsPerMinute: 90 }, { requestsPerMinute: 90 }]);
      expect((await fetch(`${urls[0]}/settings`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it.each([
    [['--fault', 'teapot'], '--fault kind must be one of 429, 500, 502, 503, delay, reset, malformed'],
    [['--fault', '503:0.7', '--fault', '500:0.5'], '--fault rates add up to more than 1'],
    [['--fault', '503:0'], 'the rate must be a number above 0, at most 1'],
    [['--rate-limit', 'fast'], '--rate-limit must look like 60/min'],
    [['--max-concurrent', 'two'], '--max-concurrent must be a non-negative integer'],
    [['--control-token', ''], '--control-token must not be empty'],
  ])('refuses %j with exit 2', async (args, message) => {
    const child = spawn(tsx, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});
