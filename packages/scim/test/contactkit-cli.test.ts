import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKf5Simulator, type Kf5Simulator } from '@contactkit/testkit';

// `contactkit scim serve`: the migrate CLI loads @contactkit/scim (installed beside it, not a dependency of migrate)
const ROOT = resolve(__dirname, '../../..');
const TOKEN = 'contactkit-cli-token-77';
let kf5: Kf5Simulator;
beforeAll(async () => {
  kf5 = await startKf5Simulator();
});
afterAll(async () => {
  await kf5?.close();
});

it('contactkit scim serve answers SCIM with the bearer token, refuses without it, and stops on SIGTERM', async () => {
  const store = join(mkdtempSync(join(tmpdir(), 'ck-scim-cli-')), 'scim.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/migrate/src/cli.ts', 'scim', 'serve', '--vendor', 'kf5', '--port', '0', '--store', store], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', CONTACTKIT_SCIM_TOKEN: TOKEN, CONTACTKIT_KF5_BASE_URL: kf5.baseUrl, CONTACTKIT_KF5_EMAIL: kf5.credentials.email, CONTACTKIT_KF5_PASSWORD: kf5.credentials.password },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving kf5 at (\S+)/.exec(out);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`exited ${code}: ${err}`)));
  });
  const config = await fetch(`${url}/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(config.status).toBe(200);
  expect(((await config.json()) as { schemas: string[] }).schemas).toContain('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig');
  const refused = await fetch(`${url}/Users`);
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { schemas: string[] }).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  const code = await new Promise<number | null>((done) => {
    child.once('exit', done);
    child.kill('SIGTERM');
  });
  expect(code, err).toBe(0);
}, 60_000);
