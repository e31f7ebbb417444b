/**
 * What an integrator gets from npm: each package packed (pnpm pack, so workspace:^ becomes a real
 * range), linted with publint --strict and arethetypeswrong, then installed FROM THE TARBALLS (npm, no
 * workspace links) into fresh CJS, ESM and TypeScript projects, and alone (one adapter + core).
 *
 * Needs dist/ (the root `test` script builds first) and the npm registry (axios, zod and their
 * dependencies are installed for real; the npm cache is shared between the projects).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, createPackageFromTarballData, type CheckResult } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'udesk', 'kf5', 'huawei-aicc', 'migrate', 'testkit', 'scim', 'redis'] as const;
type Pkg = (typeof PACKAGES)[number];
const ADAPTERS = ['udesk', 'kf5', 'huawei-aicc'] as const;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const KEEP = !!process.env.CONTACTKIT_KEEP_PACKAGING_TMP;

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment for child tools: pnpm's own npm_* variables would steer npm, so only the user's npm settings pass. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.test(k)) env[k] = v;
  delete env.NODE_OPTIONS; // vitest's loader flags are not for child processes
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error && code === 1 && !stderr ? String(error) : '') });
    });
  });
}

/** pnpm as the test was started (`pnpm test` sets npm_execpath), else the README's `npx -y pnpm@10`. */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/i.test(basename(execPath))) return execPath.endsWith('.cjs') || execPath.endsWith('.js') ? [process.execPath, [execPath]] : [execPath, []];
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['-y', 'pnpm@10']];
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const timings: Record<string, number> = {};
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await work();
  } finally {
    timings[label] = Date.now() - t;
  }
}

let work: string;
const tarball = {} as Record<Pkg, string>;
/** npm installs, started once in beforeAll and awaited by the tests that need them (they run while the linters run). */
const installs = new Map<string, Promise<RunResult>>();

function project(name: string, pkgJson: Record<string, unknown>, files: Record<string, string>, deps: Pkg[]): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, ...pkgJson }, null, 2));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  installs.set(
    name,
    timed(`npm install (${name})`, () =>
      run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...deps.map((p) => tarball[p])], dir, 150_000),
    ),
  );
  return dir;
}

async function installed(name: string): Promise<string> {
  const r = await installs.get(name)!;
  expect(r.code, `npm install in ${name} failed:\n${r.stderr}\n${r.stdout}`).toBe(0);
  return join(work, name);
}

beforeAll(async () => {
  for (const p of PACKAGES) {
    if (!existsSync(join(ROOT, 'packages', p, 'dist', 'index.js'))) throw new Error(`packages/${p}/dist is missing: run the build first (the root \`test\` script does)`);
  }
  work = mkdtempSync(join(tmpdir(), 'contactkit-packaging-'));
  const packs = join(work, 'tarballs');
  const [cmd, pre] = pnpmCommand();
  const packed = await timed('pnpm pack (every package)', () => run(cmd, [...pre, '-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], ROOT));
  expect(packed.code, packed.stderr + packed.stdout).toBe(0);
  for (const p of PACKAGES) {
    tarball[p] = join(packs, `contactkit-${p}-${readPkg(p).version}.tgz`);
    expect(existsSync(tarball[p]), `${tarball[p]} not packed`).toBe(true);
  }
  startConsumers();
}, 120_000);

afterAll(() => {
  console.log('packaging timings (ms):', JSON.stringify(timings));
  if (work && !KEEP) rmSync(work, { recursive: true, force: true });
});

function readPkg(p: Pkg): { version: string; name: string } {
  return JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8'));
}

function tarFiles(p: Pkg): Map<string, Uint8Array> {
  const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(tarball[p])));
  const prefix = `/node_modules/${pkg.packageName}/`;
  return new Map(pkg.listFiles().map((f) => [f.slice(prefix.length), new TextEncoder().encode(pkg.readFile(f))]));
}

describe.each(PACKAGES)('@contactkit/%s tarball', (p) => {
  it('publint --strict: no message at all', async () => {
    const buf = readFileSync(tarball[p]);
    const { messages, pkg } = await publint({ pack: { tarball: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer }, strict: true, level: 'suggestion' });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false })}`)).toEqual([]);
  });

  it('arethetypeswrong: no problem, and every resolution mode resolves ESM and CJS types', async () => {
    const result: CheckResult = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(tarball[p]))));
    expect(result.types).not.toBe(false);
    if (result.types === false) return;
    expect(result.problems).toEqual([]);
    const root = result.entrypoints['.']!;
    expect(root.hasTypes).toBe(true);
    const kinds = { node10: 'CJS', 'node16-cjs': 'CJS', 'node16-esm': 'ESM', bundler: 'ESM' } as const;
    for (const [kind, format] of Object.entries(kinds)) {
      const r = root.resolutions[kind as keyof typeof kinds];
      expect(r.resolution?.fileName, `${kind} resolves no types`).toMatch(format === 'CJS' ? /\/dist\/index\.d\.cts$/ : /\/dist\/index\.d\.ts$/);
      expect(r.implementationResolution?.fileName, `${kind} resolves no implementation`).toMatch(format === 'CJS' ? /\/dist\/index\.cjs$/ : /\/dist\/index\.js$/);
      expect(r.visibleProblems ?? []).toEqual([]);
    }
  });

  it('ships dist, README and LICENSE only, with complete metadata and no workspace ranges', () => {
    const files = tarFiles(p);
    for (const f of files.keys()) expect(f, `unexpected file in the tarball: ${f}`).toMatch(/^(dist\/.+|README\.md|LICENSE|package\.json)$/);
    for (const f of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) expect(files.has(f), `${f} missing`).toBe(true);
    expect(new TextDecoder().decode(files.get('LICENSE'))).toMatch(/^MIT License[\s\S]*ContactKit contributors/);
    const pkg = JSON.parse(new TextDecoder().decode(files.get('package.json')));
    expect(pkg).toMatchObject({
      name: `@contactkit/${p}`,
      license: 'MIT',
      sideEffects: false,
      engines: { node: '>=20' },
      files: ['dist', 'README.md', 'LICENSE'],
      repository: { type: 'git', directory: `packages/${p}` },
    });
    expect(pkg.description).toMatch(/\w{10,}/);
    expect(pkg.keywords).toContain('contactkit');
    expect(pkg.private).toBeUndefined();
    expect(pkg.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    const ranges = Object.values({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies }) as string[];
    for (const r of ranges) expect(r).not.toMatch(/^workspace:/);
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) if (name.startsWith('@contactkit/')) expect(range).toBe(`^${readPkg(p).version}`);
    for (const target of Object.values(pkg.bin ?? {}) as string[]) {
      const file = files.get(target.replace(/^\.\//, ''));
      expect(file, `bin ${target} not in the tarball`).toBeDefined();
      expect(new TextDecoder().decode(file!).startsWith('#!/usr/bin/env node\n'), `${target} has no shebang`).toBe(true);
    }
  });
});

it('runtime dependencies are exactly what DESIGN.md says', () => {
  const deps = (p: Pkg) => Object.keys(JSON.parse(new TextDecoder().decode(tarFiles(p).get('package.json'))).dependencies ?? {}).sort();
  expect(deps('core')).toEqual(['axios', 'zod']);
  for (const a of ADAPTERS) expect(deps(a)).toEqual(['@contactkit/core', 'zod']);
  expect(deps('testkit')).toEqual([]);
  expect(deps('migrate')).toEqual(['@contactkit/core', '@contactkit/huawei-aicc', '@contactkit/kf5', '@contactkit/testkit', '@contactkit/udesk', 'commander', 'jsonc-parser', 'zod']);
  expect(Object.keys(JSON.parse(new TextDecoder().decode(tarFiles('migrate').get('package.json'))).bin)).toEqual(['contactkit']);
  expect(Object.keys(JSON.parse(new TextDecoder().decode(tarFiles('testkit').get('package.json'))).bin)).toEqual(['contactkit-simulate']);
  // SCIM is its own package: no adapter or core install brings SQLite or Postgres drivers
  expect(deps('scim')).toEqual(['@contactkit/core', '@contactkit/migrate', 'better-sqlite3', 'pg']);
  expect(deps('redis')).toEqual(['@contactkit/core', 'bullmq', 'ioredis']);
});

// ---------------------------------------------------------------------------------------------
// consumer projects

const CJS_MAIN = `'use strict';
const assert = require('node:assert/strict');
const core = require('@contactkit/core');
const { createUdeskClient } = require('@contactkit/udesk');
const { createKf5Client } = require('@contactkit/kf5');
const { createHuaweiAiccClient } = require('@contactkit/huawei-aicc');
const { startAllSimulators } = require('@contactkit/testkit');
const migrate = require('@contactkit/migrate');

(async () => {
  assert.match(require.resolve('@contactkit/udesk'), /node_modules[\\\\/]@contactkit[\\\\/]udesk[\\\\/]dist[\\\\/]index\\.cjs$/);
  const sims = await startAllSimulators({ tenant: { seed: 5, agents: 12, groups: 2 } });
  try {
    // every Udesk create needs a role, a customer service group and a department: the tenant's first ones
    const first = (list) => [String(list[0].id)];
    const defaults = { roleIds: first(sims.udesk.state.listRoles()), groupIds: first(sims.udesk.state.listGroups()), departmentIds: first(sims.udesk.state.listDepartments()) };
    const udesk = createUdeskClient({ baseUrl: sims.udesk.baseUrl, email: sims.udesk.credentials.email, apiToken: sims.udesk.credentials.apiToken, rateLimit: false, defaults });
    const kf5 = createKf5Client({ baseUrl: sims.kf5.baseUrl, email: sims.kf5.credentials.email, apiToken: sims.kf5.credentials.apiToken });
    const aicc = createHuaweiAiccClient({ baseUrl: sims.huaweiAicc.baseUrl, appKey: sims.huaweiAicc.credentials.appKey, appSecret: sims.huaweiAicc.credentials.appSecret });
    const listed = { udesk: (await udesk.agents.list({ includeDisabled: true }).toArray()).length, kf5: (await kf5.agents.list().toArray({ limit: 5 })).length, aicc: (await aicc.agents.list().toArray({ limit: 5 })).length };
    const created = await udesk.agents.create({ email: 'cjs.consumer@example.com', name: 'CJS Consumer', password: 'Cjs#Consumer2026' });
    const read = await udesk.agents.get(created.id);
    assert.equal(read.email, 'cjs.consumer@example.com');
    // an error from the CJS copy of core is an instance of the ESM copy's class too
    const esmCore = await import('@contactkit/core');
    assert.notEqual(esmCore.NotFoundError, core.NotFoundError);
    let caught;
    try { await udesk.agents.get('987654321'); } catch (e) { caught = e; }
    assert.ok(caught instanceof core.NotFoundError, 'CJS instanceof');
    assert.ok(caught instanceof esmCore.NotFoundError, 'ESM instanceof across copies');
    assert.ok(esmCore.isContactKitError(caught));
    assert.equal(typeof migrate.plan, 'function');
    console.log(JSON.stringify({ listed, created: created.id, code: caught.code }));
  } finally {
    await sims.close();
  }
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;

const ESM_MAIN = `import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { isContactKitError, ConflictError } from '@contactkit/core';
import { createUdeskClient } from '@contactkit/udesk';
import { createKf5Client } from '@contactkit/kf5';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import * as testkit from '@contactkit/testkit';
import { plan, apply, verify, MemoryJournal } from '@contactkit/migrate';

assert.match(import.meta.resolve('@contactkit/kf5'), /\\/dist\\/index\\.js$/);
const sims = await testkit.startAllSimulators({ tenant: { seed: 6, agents: 10, groups: 2 }, seedInto: ['udesk'] });
try {
  const udesk = createUdeskClient({ baseUrl: sims.udesk.baseUrl, email: sims.udesk.credentials.email, apiToken: sims.udesk.credentials.apiToken, rateLimit: false });
  const kf5 = createKf5Client({ baseUrl: sims.kf5.baseUrl, email: sims.kf5.credentials.email, apiToken: sims.kf5.credentials.apiToken });
  // fitNames: the migration fits names to Huawei's limits (and the plan reports it)
  const aicc = createHuaweiAiccClient({ baseUrl: sims.huaweiAicc.baseUrl, appKey: sims.huaweiAicc.credentials.appKey, appSecret: sims.huaweiAicc.credentials.appSecret, fitNames: true });
  const first = await kf5.agents.create({ email: 'esm.consumer@example.com', name: 'ESM Consumer', password: 'Esm#Consumer2026' });
  let dup;
  try { await kf5.agents.create({ email: 'esm.consumer@example.com', name: 'ESM Consumer', password: 'Esm#Consumer2026' }); } catch (e) { dup = e; }
  assert.ok(dup instanceof ConflictError && isContactKitError(dup));
  assert.ok(dup instanceof createRequire(import.meta.url)('@contactkit/core').ConflictError, 'CJS class holds for an ESM error');
  assert.equal((await aicc.roles.list()).length > 0, true);
  // the migration library end to end, from the tarballs: udesk → huawei-aicc, in memory
  const p = await plan(udesk, aicc, {});
  // Huawei's default password rule group: exactly eight characters of four kinds
  const passwords = { passwordFor: async () => 'Esm#Co26', describe: () => 'fixed' };
  const report = await apply(p, { target: aicc, journal: new MemoryJournal(), passwords });
  const check = await verify(p, { source: udesk, target: aicc });
  console.log(JSON.stringify({ kf5: first.id, plan: p.summary.agent, applied: report.ok, verified: check.ok }));
} finally {
  await sims.close();
}
`;

const TS_OK = `import { createUdeskClient, type UdeskClient } from '@contactkit/udesk';
import { createKf5Client } from '@contactkit/kf5';
import { createHuaweiAiccClient, type HuaweiAiccClient } from '@contactkit/huawei-aicc';
import { NotFoundError, isContactKitError, type Agent, type ContactCenterClient, type Group, type Role } from '@contactkit/core';
import { plan, type MigrationPlan } from '@contactkit/migrate';
import { startUdeskSimulator, type UdeskSimulator } from '@contactkit/testkit';

const udesk: UdeskClient = createUdeskClient({ subdomain: 'demo', email: 'admin@example.com', apiToken: 'token' });
const kf5: ContactCenterClient = createKf5Client({ subdomain: 'demo', email: 'admin@example.com', password: 'pw' });
const aicc: HuaweiAiccClient = createHuaweiAiccClient({ baseUrl: 'https://service.besclouds.com', appKey: 'k', appSecret: 's' });

export async function typedCalls(): Promise<string[]> {
  const a: Agent = await udesk.agents.get('1');
  const some: Agent[] = await kf5.agents.list({ pageSize: 50 }).toArray({ limit: 10 });
  const g: Group = await aicc.groups.create({ name: 'Support', memberIds: [a.id] });
  const roles: Role[] = await aicc.roles.list();
  const p: MigrationPlan = await plan(udesk, kf5, { roleMap: { admin: 'admin' } });
  const sim: UdeskSimulator = await startUdeskSimulator();
  try {
    await udesk.agents.get('2');
  } catch (e) {
    if (e instanceof NotFoundError && isContactKitError(e)) return [e.code, e.vendor ?? ''];
  }
  return [a.email, a.status, ...some.map((x) => x.id), g.id, ...roles.map((r) => r.name), p.id, sim.baseUrl];
}
`;

// every line marked with EXPECT-ERROR must fail to type-check, and nothing else may
const TS_FAIL = `import { createUdeskClient } from '@contactkit/udesk';
import type { Agent } from '@contactkit/core';

const udesk = createUdeskClient({ subdomain: 'demo', email: 'admin@example.com', apiToken: 'token' });
export async function wrong(): Promise<void> {
  const n: number = await udesk.agents.get('1'); // EXPECT-ERROR an Agent is not a number
  await udesk.agents.create({ name: 'no email' }); // EXPECT-ERROR email is required
  const s: Agent['status'] = 'deleted'; // EXPECT-ERROR not a status
  await udesk.agents.get(42); // EXPECT-ERROR ids are strings
  void n; void s;
}
`;

const TS_CJS_OK = `import { createKf5Client } from '@contactkit/kf5';
import type { Agent } from '@contactkit/core';
const kf5 = createKf5Client({ subdomain: 'demo', email: 'admin@example.com', apiToken: 't' });
export async function cjsTyped(): Promise<Agent | null> {
  return kf5.agents.findByEmail('a@example.com');
}
`;
const TS_CJS_FAIL = `import { createKf5Client } from '@contactkit/kf5';
const kf5 = createKf5Client({ subdomain: 'demo', email: 'admin@example.com', apiToken: 't' });
export async function cjsWrong(): Promise<string> {
  return kf5.agents.findByEmail('a@example.com'); // EXPECT-ERROR Agent | null is not a string
}
`;

function tsconfig(compilerOptions: Record<string, unknown>, include: string[]): string {
  return JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        ...compilerOptions,
      },
      include,
    },
    null,
    2,
  );
}

function startConsumers(): void {
  const all: Pkg[] = ['core', 'udesk', 'kf5', 'huawei-aicc', 'migrate', 'testkit'];
  project('cjs', { type: 'commonjs' }, { 'index.js': CJS_MAIN }, all);
  project('esm', { type: 'module' }, { 'index.js': ESM_MAIN }, all);
  project(
    'ts',
    { type: 'module' },
    {
      'src/ok.ts': TS_OK,
      'src/fail.ts': TS_FAIL,
      'src/ok.cts': TS_CJS_OK,
      'src/fail.cts': TS_CJS_FAIL,
      'tsconfig.node16.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }, ['src/*.ts', 'src/*.cts']),
      'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['src/*.ts']),
    },
    all,
  );
  // one adapter alone (its core comes from the core tarball: it is not on the registry)
  project('lone-udesk', { type: 'commonjs' }, { 'index.js': `const { createUdeskClient } = require('@contactkit/udesk');\nconsole.log(typeof createUdeskClient);\n`, 'index.mjs': `import { createUdeskClient } from '@contactkit/udesk';\nconsole.log(typeof createUdeskClient);\n` }, ['udesk', 'core']);
}

function expectedErrorLines(source: string): number[] {
  return source
    .split('\n')
    .map((line, i) => (line.includes('EXPECT-ERROR') ? i + 1 : 0))
    .filter(Boolean);
}

async function typecheck(dir: string, config: string, failFiles: Record<string, string>): Promise<void> {
  const r = await timed(`tsc ${config}`, () => run(process.execPath, [TSC, '-p', config, '--pretty', 'false'], dir));
  const out = r.stdout + r.stderr;
  const errors = [...out.matchAll(/^(\S+?)\((\d+),\d+\): error (TS\d+)/gm)].map((m) => ({ file: m[1]!, line: Number(m[2]), code: m[3]! }));
  // the deliberate errors make tsc fail: this is how we know the types are real and not `any`
  expect(r.code, out).not.toBe(0);
  const got = errors.map((e) => `${e.file}:${e.line}`).sort();
  const want = Object.entries(failFiles)
    .flatMap(([file, text]) => expectedErrorLines(text).map((l) => `${file}:${l}`))
    .sort();
  expect(got, `tsc -p ${config}:\n${out}`).toEqual(want);
}

describe('consumers installing the tarballs', () => {
  it('CommonJS: require() every package; the udesk, kf5 and huawei clients work against the testkit simulators', async () => {
    const dir = await installed('cjs');
    const r = await run(process.execPath, ['index.js'], dir, 60_000);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ listed: { udesk: 12, kf5: 5, aicc: 5 }, code: 'NOT_FOUND' });
  }, 180_000);

  it('ESM: import every package; kf5 conflict, huawei roles and a udesk → huawei migration through the library', async () => {
    const dir = await installed('esm');
    const r = await run(process.execPath, ['index.js'], dir, 60_000);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ plan: { create: 10 }, applied: true, verified: true });
  }, 180_000);

  it('TypeScript, moduleResolution node16 (ESM .ts and CJS .cts): typed calls check, deliberate errors fail', async () => {
    const dir = await installed('ts');
    await typecheck(dir, 'tsconfig.node16.json', { 'src/fail.ts': TS_FAIL, 'src/fail.cts': TS_CJS_FAIL });
  }, 180_000);

  it('TypeScript, moduleResolution bundler: typed calls check, deliberate errors fail', async () => {
    const dir = await installed('ts');
    await typecheck(dir, 'tsconfig.bundler.json', { 'src/fail.ts': TS_FAIL });
  }, 180_000);

  it('the bins work from the tarballs: contactkit (--help, demo) and contactkit-simulate', async () => {
    const dir = await installed('cjs');
    const bin = (name: string) => join(dir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
    const help = await run(bin('contactkit'), ['--help'], dir);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/contactkit migrate plan/);
    const usage = await run(bin('contactkit'), ['migrate', 'plan', '--from', 'nowhere'], dir);
    expect(usage.code).toBe(2);
    const demo = await timed('contactkit demo --agents 30', () => run(bin('contactkit'), ['demo', '--agents', '30', '--json', '--work-dir', join(dir, 'demo-work')], dir, 90_000));
    expect(existsSync(join(dir, 'demo-work', 'udesk-to-kf5', 'journal.jsonl'))).toBe(true);
    expect(demo.code, demo.stderr).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ ok: true });

    const sim = spawn(bin('contactkit-simulate'), ['--agents', '5', '--groups', '1'], { cwd: dir, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`contactkit-simulate printed no URL:\n${out}`)), 20_000);
        sim.stdout!.on('data', (d) => {
          out += d;
          if (/open_api_v1/.test(out) && /apiv2/.test(out)) {
            clearTimeout(timer);
            setTimeout(() => resolve(out), 50);
          }
        });
        sim.stderr!.on('data', (d) => (out += d));
        sim.on('exit', (code) => reject(new Error(`contactkit-simulate exited ${code}:\n${out}`)));
      });
      const kf5Url = /(http:\/\/127\.0\.0\.1:\d+\/apiv2)/.exec(text)![1]!;
      // the simulator answers (401 without credentials is still an answer from a live KF5 simulator)
      expect((await fetch(`${kf5Url}/users.json`)).status).toBe(401);
    } finally {
      sim.kill('SIGTERM');
    }
  }, 180_000);

  it('a lone `npm install` of one adapter brings only core, axios, zod and their own dependencies', async () => {
    const dir = await installed('lone-udesk');
    for (const entry of ['index.js', 'index.mjs']) {
      const r = await run(process.execPath, [entry], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('function');
    }
    const ls = await run(npm, ['ls', '--all', '--json'], dir);
    expect(ls.code, ls.stderr).toBe(0);
    interface Node {
      version?: string;
      dependencies?: Record<string, Node>;
    }
    const tree = JSON.parse(ls.stdout) as Node;
    const closure = (node: Node | undefined, into = new Set<string>()): Set<string> => {
      for (const [name, child] of Object.entries(node?.dependencies ?? {})) {
        into.add(name);
        closure(child, into);
      }
      return into;
    };
    const top = tree.dependencies!;
    expect(Object.keys(top).sort()).toEqual(['@contactkit/core', '@contactkit/udesk']);
    expect(Object.keys(top['@contactkit/udesk']!.dependencies ?? {}).sort()).toEqual(['@contactkit/core', 'zod']);
    expect(Object.keys(top['@contactkit/core']!.dependencies ?? {}).sort()).toEqual(['axios', 'zod']);
    const allowed = new Set(['@contactkit/core', '@contactkit/udesk', 'axios', 'zod', ...closure(top['@contactkit/core']!.dependencies!.axios), ...closure(top['@contactkit/core']!.dependencies!.zod)]);

    // what is actually on disk, top level and nested
    const onDisk = new Set<string>();
    const walk = (nm: string) => {
      if (!existsSync(nm)) return;
      for (const entry of readdirSync(nm)) {
        if (entry.startsWith('.')) continue;
        const names = entry.startsWith('@') ? readdirSync(join(nm, entry)).map((s) => `${entry}/${s}`) : [entry];
        for (const name of names) {
          onDisk.add(name);
          walk(join(nm, name, 'node_modules'));
        }
      }
    };
    walk(join(dir, 'node_modules'));
    const extra = [...onDisk].filter((n) => !allowed.has(n));
    expect(extra, 'installed but not needed by core, axios or zod').toEqual([]);
    expect([...onDisk].filter((n) => n.startsWith('@contactkit/')).sort()).toEqual(['@contactkit/core', '@contactkit/udesk']);
    writeFileSync(join(work, 'lone-udesk-node_modules.txt'), [...onDisk].sort().join('\n'));
    console.log(`lone @contactkit/udesk install: ${onDisk.size} packages: ${[...onDisk].sort().join(', ')}`);
  }, 180_000);
});
