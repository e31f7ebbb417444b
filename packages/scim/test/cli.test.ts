import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHuaweiAiccSimulator, startKf5Simulator, startUdeskSimulator, type HuaweiAiccSimulator, type Kf5Simulator, type UdeskSimulator } from '@contactkit/testkit';
import { parseServeArgs, runScimServe } from '../src';
import { USER, call } from './harness';

// `contactkit-scim serve` as a real process (the source run through tsx, as the built bin runs
// dist/cli.js), and runScimServe in-process for every vendor.
const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'packages/scim/src/cli.ts');
const TOKEN = 'cli-token-5b1e';

let kf5: Kf5Simulator;
let udesk: UdeskSimulator;
let huawei: HuaweiAiccSimulator;
let dir: string;

beforeAll(async () => {
  [kf5, udesk, huawei] = await Promise.all([startKf5Simulator(), startUdeskSimulator(), startHuaweiAiccSimulator()]);
  dir = mkdtempSync(join(tmpdir(), 'scim-cli-'));
});
afterAll(async () => {
  await Promise.all([kf5?.close(), udesk?.close(), huawei?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const kf5Env = () => ({
  CONTACTKIT_KF5_BASE_URL: kf5.baseUrl,
  CONTACTKIT_KF5_EMAIL: kf5.credentials.email,
  CONTACTKIT_KF5_PASSWORD: kf5.credentials.password,
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Spawns the bin and resolves with the URL it prints, or rejects with its exit code and stderr. */
function spawnCli(args: string[], env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving \S+ at (\S+)/.exec(out);
      if (m) resolvePromise({ child, url: m[1]!, stderr: () => err });
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`exited ${code}: ${err}`), { code, stderr: err })));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolveStop) => {
    child.once('exit', (code) => resolveStop(code));
    child.kill('SIGTERM');
  });

describe('contactkit-scim serve (real process)', () => {
  it('serves KF5 from CONTACTKIT_* env with a SQLite store that survives a restart; SIGTERM exits 0', async () => {
    const store = join(dir, 'cli.sqlite');
    const env = { ...kf5Env(), CONTACTKIT_SCIM_TOKEN: TOKEN };
    const first = await spawnCli(['serve', '--vendor', 'kf5', '--host', '127.0.0.1', '--port', '0', '--store', store], env);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    const auth = { Authorization: `Bearer ${TOKEN}` };
    expect((await call(first.url, 'GET', '/Users')).status).toBe(401);
    const created = await call(first.url, 'POST', '/Users', { schemas: [USER], userName: 'cli.user@example.com', displayName: 'Cli User', externalId: 'okta-cli' }, auth);
    expect(created.status).toBe(201);
    expect(kf5.state.findUserByEmail('cli.user@example.com')).toBeDefined();
    expect(await stop(first.child)).toBe(0);
    // the secrets never reach the process output
    expect(first.stderr()).not.toContain(kf5.credentials.password);

    const second = await spawnCli(['serve', '--vendor', 'kf5', '--port', '0', '--store', store], env);
    try {
      const got = await call(second.url, 'GET', `/Users/${created.body.id}`, undefined, auth);
      expect(got.body).toMatchObject({ id: created.body.id, externalId: 'okta-cli', userName: 'cli.user@example.com' });
    } finally {
      await stop(second.child);
    }
  });

  it('exits 2 with the missing setting named: no token, unknown vendor, missing credentials', async () => {
    const fail = (args: string[], env: Record<string, string>) => spawnCli(args, env).then(
      (r) => {
        r.child.kill();
        throw new Error('the server started');
      },
      (e: { code: number; stderr: string }) => e,
    );
    const [noToken, badVendor, noCreds] = await Promise.all([
      fail(['serve', '--vendor', 'kf5', '--port', '0', '--store', join(dir, 'x.sqlite')], kf5Env()),
      fail(['serve', '--vendor', 'zendesk'], { CONTACTKIT_SCIM_TOKEN: TOKEN }),
      fail(['serve', '--vendor', 'udesk', '--port', '0'], { CONTACTKIT_SCIM_TOKEN: TOKEN }),
    ]);
    expect(noToken).toMatchObject({ code: 2, stderr: expect.stringContaining('CONTACTKIT_SCIM_TOKEN') });
    expect(badVendor).toMatchObject({ code: 2, stderr: expect.stringContaining('--vendor') });
    expect(noCreds).toMatchObject({ code: 2, stderr: expect.stringContaining('CONTACTKIT_UDESK_') });
  });
});

describe('runScimServe (in process)', () => {
  it('parses flags with defaults and rejects unknown ones', () => {
    expect(parseServeArgs(['serve', '--vendor', 'udesk'])).toEqual({ vendor: 'udesk', host: '127.0.0.1', port: 8080, store: 'contactkit-scim.sqlite', allowDelete: false });
    expect(parseServeArgs(['serve', '--vendor', 'kf5', '--allow-delete', '--store', 'postgres://x/y', '--port', '9000'])).toMatchObject({ allowDelete: true, store: 'postgres://x/y', port: 9000 });
    expect(() => parseServeArgs(['serve', '--vendor', 'kf5', '--verbose'])).toThrow(/--verbose/);
    expect(() => parseServeArgs(['serve', '--vendor', 'kf5', '--port', 'x'])).toThrow(/--port/);
    expect(() => parseServeArgs(['start', '--vendor', 'kf5'])).toThrow(/serve/);
  });

  it('serves each vendor from the env it is given (not process.env); Udesk takes CONTACTKIT_SCIM_DEFAULTS; --allow-delete deletes', async () => {
    const role = udesk.state.addRole({ name: 'Agent' });
    const group = udesk.state.addGroup({ name: 'Default' });
    const dept = udesk.state.addDepartment({ name: 'HQ' });
    const envs: Record<string, Record<string, string>> = {
      udesk: {
        CONTACTKIT_UDESK_BASE_URL: udesk.baseUrl,
        CONTACTKIT_UDESK_EMAIL: udesk.credentials.email,
        CONTACTKIT_UDESK_API_TOKEN: udesk.credentials.apiToken,
        CONTACTKIT_SCIM_DEFAULTS: JSON.stringify({ roleIds: [String(role.id)], groupIds: [String(group.id)], departmentIds: [String(dept.id)] }),
        CONTACTKIT_SCIM_DELETE_FIELDS: JSON.stringify({ owner_group_id: group.id }),
      },
      kf5: kf5Env(),
      'huawei-aicc': {
        CONTACTKIT_HUAWEI_AICC_BASE_URL: huawei.baseUrl,
        CONTACTKIT_HUAWEI_AICC_APP_KEY: huawei.credentials.appKey,
        CONTACTKIT_HUAWEI_AICC_APP_SECRET: huawei.credentials.appSecret,
      },
    };
    for (const [vendor, env] of Object.entries(envs)) {
      const running = await runScimServe(['serve', '--vendor', vendor, '--port', '0', '--store', join(dir, `${vendor}.sqlite`), '--allow-delete'], { ...env, CONTACTKIT_SCIM_TOKEN: TOKEN });
      try {
        expect(running.client.vendor).toBe(vendor);
        const auth = { Authorization: `Bearer ${TOKEN}` };
        const userName = vendor === 'huawei-aicc' ? 'run_serve' : 'run.serve@example.com';
        const created = await call(running.url, 'POST', '/Users', { schemas: [USER], userName, emails: [{ value: 'run.serve@example.com' }], displayName: 'Run Serve' }, auth);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const deleted = await call(running.url, 'DELETE', `/Users/${created.body.id}`, undefined, auth);
        expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
        expect((await call(running.url, 'GET', `/Users/${created.body.id}`, undefined, auth)).status).toBe(404);
      } finally {
        await running.close();
      }
    }
  });

  it('rejects CONTACTKIT_SCIM_DEFAULTS that is not JSON or has unknown keys', async () => {
    const base = { ...kf5Env(), CONTACTKIT_SCIM_TOKEN: TOKEN };
    await expect(runScimServe(['serve', '--vendor', 'kf5', '--port', '0'], { ...base, CONTACTKIT_SCIM_DEFAULTS: '{' })).rejects.toThrow(/CONTACTKIT_SCIM_DEFAULTS/);
    await expect(runScimServe(['serve', '--vendor', 'kf5', '--port', '0'], { ...base, CONTACTKIT_SCIM_DEFAULTS: '{"password":"x"}' })).rejects.toThrow(/unknown keys password/);
  });
});
