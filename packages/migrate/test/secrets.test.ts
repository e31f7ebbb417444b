/**
 * Secrets: the main flows run with recognisable secret values — each adapter's list/get/create/update
 * (with a failing call or two: bad credentials, a 500), a library migration plan/apply/verify with
 * generated passwords, and the CLI with --json — and every error (message, stack, JSON, cause), log line,
 * hook payload, report, plan file, journal file and CLI output is scanned for every secret value (the
 * credentials, the fetched Huawei AccessTokens, Udesk signs, Basic/Bearer headers) and for the generated
 * agent passwords, which may appear only in the 0600 credentials.jsonl. Any hit fails.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommonClientOptions, ContactCenterClient, Hooks, Logger } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { generateTenant, startHuaweiAiccSimulator, startKf5Simulator, startUdeskSimulator, type HuaweiAiccSimulator, type Kf5Simulator, type UdeskSimulator } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';
import { apply, type ApplyReport } from '../src/apply';
import { FileJournal } from '../src/journal';
import { GeneratedPasswords } from '../src/passwords';
import { plan } from '../src/plan';
import { verify, type VerifyReport } from '../src/verify';
import { runCli } from './cli-process';

const ROOT = resolve(__dirname, '../../..');
type Http = NonNullable<CommonClientOptions['httpClient']>;
/** axios as core resolves it (the root has no axios of its own) */
const axios = createRequire(join(ROOT, 'packages/core/package.json'))('axios') as { create(): Http };

/** Huawei clients take passwords up to 32 characters and fit names (the migration's settings) */
const HW_LONG = { passwordLength: { min: 8, max: 32 }, fitNames: true } as const;
const S = {
  udeskToken: 'SECRET-UDESK-TOKEN-1234',
  udeskPassword: 'SECRET-UDESK-PASS-5678',
  udeskWrongToken: 'SECRET-UDESK-WRONG-TOKEN-0000',
  udeskWrongPassword: 'SECRET-UDESK-WRONG-PASS-0000',
  kf5Token: 'SECRET-KF5-TOKEN-2345',
  kf5Password: 'SECRET-KF5-PASS-6789',
  kf5WrongPassword: 'SECRET-KF5-WRONG-PASS-0000',
  hwSecret: 'SECRET-HW-APPSECRET-3456',
  hwWrongSecret: 'SECRET-HW-WRONG-SECRET-0000',
  agentPassword: 'SECRET-Agent-Pass-9!aA',
  agentNewPassword: 'SECRET-Agent-New-8!bB',
};

/** values seen on the wire that are secret too: Huawei AccessTokens, Udesk signs, Authorization headers */
const captured = new Set<string>();
/** everything a user could see: error texts, log lines, hook payloads, reports, files, CLI output */
const texts: Array<{ where: string; text: string }> = [];
const see = (where: string, value: unknown) => texts.push({ where, text: typeof value === 'string' ? value : JSON.stringify(value) ?? String(value) });

function seeError(where: string, error: unknown) {
  const e = error as Error & { cause?: unknown };
  see(`${where}: message`, String(e?.message));
  see(`${where}: stack`, String(e?.stack));
  see(`${where}: json`, JSON.stringify(e));
  see(`${where}: string`, String(e));
  see(`${where}: cause`, String(e?.cause));
  see(`${where}: cause stack`, String((e?.cause as Error | undefined)?.stack));
  see(`${where}: cause json`, JSON.stringify(e?.cause ?? null));
}

/** an axios instance that records the secrets the wire carries, so they can be looked for afterwards */
function recordingHttp(): Http {
  const http = axios.create();
  http.interceptors.request.use((config) => {
    const auth = (config.headers as Record<string, unknown> | undefined)?.Authorization ?? (config.headers as Record<string, unknown> | undefined)?.authorization;
    if (typeof auth === 'string') {
      captured.add(auth);
      captured.add(auth.replace(/^(Basic|Bearer) /, ''));
    }
    const sign = config.url ? new URL(config.url).searchParams.get('sign') : null;
    if (sign) captured.add(sign);
    return config;
  });
  http.interceptors.response.use((res) => {
    if (typeof res.data === 'string' && /tokenByAkSk|log_in/.test(res.config.url ?? '')) {
      try {
        const body = JSON.parse(res.data) as Record<string, unknown>;
        for (const k of ['AccessToken', 'open_api_auth_token', 'open_api_token']) if (typeof body[k] === 'string') captured.add(body[k] as string);
      } catch {
        // not JSON: nothing to record
      }
    }
    return res;
  });
  return http;
}

function observers(name: string): { logger: Logger; hooks: Hooks } {
  const log = (level: string) => (message: string, meta?: Record<string, unknown>) => see(`${name} log.${level}`, { message, meta });
  return {
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    hooks: {
      beforeRequest: (i) => {
        see(`${name} beforeRequest`, i);
      },
      afterResponse: (i) => {
        see(`${name} afterResponse`, i);
      },
      onRetry: (i) => {
        see(`${name} onRetry`, i);
      },
      onError: (i) => {
        see(`${name} onError`, i);
      },
    },
  };
}

async function expectFailure(where: string, p: Promise<unknown>, code: string) {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${where} should fail`).toBeDefined();
  expect((error as { code?: string }).code, where).toBe(code);
  seeError(where, error);
}

const common = (name: string) => ({ ...observers(name), rateLimit: false as const, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 }, httpClient: recordingHttp() });

let udeskSim: UdeskSimulator;
let kf5Sim: Kf5Simulator;
let hwSim: HuaweiAiccSimulator;
const generatedPasswords: string[] = [];
const credentialsFiles: string[] = [];

beforeAll(async () => {
  const tenant = generateTenant({ seed: 99, agents: 25, groups: 3, roles: 4 });
  udeskSim = await startUdeskSimulator({ tenant, credentials: { apiToken: S.udeskToken, password: S.udeskPassword } });
  kf5Sim = await startKf5Simulator({ credentials: { apiToken: S.kf5Token, password: S.kf5Password } });
  // the 8-to-32 reading of Huawei's password rule: long secrets are what this scan looks for
  hwSim = await startHuaweiAiccSimulator({ credentials: { appSecret: S.hwSecret }, passwordLength: '8-to-32' });
});
afterAll(async () => {
  await Promise.all([udeskSim?.close(), kf5Sim?.close(), hwSim?.close()]);
});

describe('secrets never leak', () => {
  it('udesk: list/get/create/update/groups, bad token, bad password, a 500', async () => {
    const { email } = udeskSim.credentials;
    // every Udesk create needs a customer service group and a department
    const defaults = { roleIds: [String(udeskSim.state.listRoles()[0]!.id)], groupIds: [String(udeskSim.state.listGroups()[0]!.id)], departmentIds: [String(udeskSim.state.listDepartments()[0]!.id)] };
    const byToken = createUdeskClient({ baseUrl: udeskSim.baseUrl, email, apiToken: S.udeskToken, password: S.udeskPassword, defaults, ...common('udesk') });
    const agents = await byToken.agents.list({ pageSize: 10 }).toArray();
    see('udesk list', agents);
    see('udesk get', await byToken.agents.get(agents[0]!.id));
    const [role] = await byToken.roles.list();
    // with a role: a role-less Udesk agent reads back on KF5 with the base role 'agent' (see the report)
    const created = await byToken.agents.create({ email: 'leak.check@example.cn', name: 'Leak Check', password: S.agentPassword, channels: ['chat'], roleIds: [role!.id] });
    see('udesk create', created);
    see('udesk preview', byToken.agents.preview({ email: 'p@example.cn', name: 'P', password: S.agentPassword }));
    see('udesk update', await byToken.agents.update(created.id, { password: S.agentNewPassword, status: 'disabled' }));
    see('udesk group', await byToken.groups.create({ name: 'Leak check', memberIds: [created.id] }));
    await expectFailure('udesk create conflict', byToken.agents.create({ email: 'leak.check@example.cn', name: 'Again', password: S.agentPassword }), 'CONFLICT');

    const byPassword = createUdeskClient({ baseUrl: udeskSim.baseUrl, email, password: S.udeskPassword, ...common('udesk-password') });
    see('udesk by password', await byPassword.agents.list({ pageSize: 5 }).toArray({ limit: 5 }));

    const wrongToken = createUdeskClient({ baseUrl: udeskSim.baseUrl, email, apiToken: S.udeskWrongToken, ...common('udesk-wrong-token') });
    await expectFailure('udesk wrong token', wrongToken.agents.list().toArray(), 'AUTHENTICATION');
    const wrongPassword = createUdeskClient({ baseUrl: udeskSim.baseUrl, email, password: S.udeskWrongPassword, ...common('udesk-wrong-password') });
    await expectFailure('udesk wrong password', wrongPassword.agents.get('1'), 'AUTHENTICATION');
    await expectFailure('udesk bad options', Promise.resolve().then(() => createUdeskClient({ email: 'not-an-email', apiToken: S.udeskToken, baseUrl: 'http://example.com' })), 'VALIDATION');

    udeskSim.faults.set({ rate: 1, kinds: ['500'], seed: 1 });
    try {
      await expectFailure('udesk 500', byToken.agents.get(agents[0]!.id), 'VENDOR');
      await expectFailure('udesk 500 on create', byToken.agents.create({ email: 'leak.500@example.cn', name: 'Five', password: S.agentPassword }), 'VENDOR');
    } finally {
      udeskSim.faults.clear();
    }
  });

  it('kf5: list/get/create/update/groups, bad password, a 500', async () => {
    const { email } = kf5Sim.credentials;
    for (const [name, auth] of [['kf5-token', { apiToken: S.kf5Token, password: S.kf5Password }], ['kf5-password', { password: S.kf5Password }]] as const) {
      const c = createKf5Client({ baseUrl: kf5Sim.baseUrl, email, ...auth, ...common(name) });
      const created = await c.agents.create({ email: `${name}@example.com`, name: 'Leak Check', password: S.agentPassword });
      see(`${name} create`, created);
      see(`${name} list`, await c.agents.list().toArray());
      see(`${name} get`, await c.agents.get(created.id));
      see(`${name} update`, await c.agents.update(created.id, { password: S.agentNewPassword, nickname: 'LC' }));
      see(`${name} group`, await c.groups.create({ name: `${name} group`, memberIds: [created.id] }));
      see(`${name} preview`, c.agents.preview({ email: 'p@example.com', name: 'P', password: S.agentPassword }));
      await expectFailure(`${name} conflict`, c.agents.create({ email: `${name}@example.com`, name: 'Again', password: S.agentPassword }), 'CONFLICT');
    }
    const wrong = createKf5Client({ baseUrl: kf5Sim.baseUrl, email, password: S.kf5WrongPassword, ...common('kf5-wrong') });
    await expectFailure('kf5 wrong password', wrong.agents.list().toArray(), 'AUTHENTICATION');
    const good = createKf5Client({ baseUrl: kf5Sim.baseUrl, email, apiToken: S.kf5Token, ...common('kf5-500') });
    kf5Sim.faults.set({ rate: 1, kinds: ['500'], seed: 1 });
    try {
      await expectFailure('kf5 500', good.agents.list().toArray(), 'VENDOR');
      await expectFailure('kf5 500 on create', good.agents.create({ email: 'five@example.com', name: 'Five', password: S.agentPassword }), 'VENDOR');
    } finally {
      kf5Sim.faults.clear();
    }
  });

  it('huawei-aicc: list/get/create/update (password change)/groups, bad app secret, an expired token, a 500', async () => {
    const { appKey } = hwSim.credentials;
    const c = createHuaweiAiccClient({ baseUrl: hwSim.baseUrl, appKey, appSecret: S.hwSecret, ...HW_LONG, ...common('huawei') });
    const created = await c.agents.create({ email: 'leak.check@example.com', name: 'Leak Check', password: S.agentPassword, loginName: 'leak.check' });
    see('huawei create', created);
    see('huawei list', await c.agents.list().toArray());
    see('huawei get', await c.agents.get(created.id));
    see('huawei update', await c.agents.update(created.id, { name: 'Leak Check 2', vendorFields: { oldPassWord: S.agentPassword, newPassWord: S.agentNewPassword } }));
    see('huawei group', await c.groups.create({ name: 'Leak check', memberIds: [created.id] }));
    see('huawei preview', c.agents.preview({ email: 'p@example.com', name: 'P', password: S.agentPassword }));
    await expectFailure('huawei update with password', c.agents.update(created.id, { password: S.agentNewPassword }), 'VALIDATION');
    hwSim.expireTokens(); // the next call is refused, refreshes once and replays
    see('huawei after expiry', await c.agents.get(created.id));
    expect(c.tokenFetches()).toBeGreaterThanOrEqual(2);

    const wrong = createHuaweiAiccClient({ baseUrl: hwSim.baseUrl, appKey, appSecret: S.hwWrongSecret, ...HW_LONG, ...common('huawei-wrong') });
    await expectFailure('huawei wrong secret', wrong.agents.list().toArray(), 'AUTHENTICATION');
    hwSim.faults.set({ rate: 1, kinds: ['500'], seed: 1, match: { path: /cc-management/ } });
    try {
      await expectFailure('huawei 500', c.agents.get(created.id), 'VENDOR');
      await expectFailure('huawei 500 on create', c.agents.create({ email: 'five@example.com', name: 'Five', password: S.agentPassword, loginName: 'five.agent' }), 'VENDOR');
    } finally {
      hwSim.faults.clear();
    }
  });

  it('migration (library): plan/apply/verify Udesk → KF5 and Udesk → Huawei with generated passwords', async () => {
    const { email } = udeskSim.credentials;
    const source = createUdeskClient({ baseUrl: udeskSim.baseUrl, email, apiToken: S.udeskToken, password: S.udeskPassword, ...common('migrate-udesk') });
    const targets: Array<[string, ContactCenterClient]> = [
      ['kf5', createKf5Client({ baseUrl: kf5Sim.baseUrl, email: kf5Sim.credentials.email, password: S.kf5Password, ...common('migrate-kf5') })],
      ['huawei-aicc', createHuaweiAiccClient({ baseUrl: hwSim.baseUrl, appKey: hwSim.credentials.appKey, appSecret: S.hwSecret, ...HW_LONG, ...common('migrate-huawei') })],
    ];
    for (const [name, target] of targets) {
      const p = await plan(source, target, {}, { onProgress: (e) => see(`${name} plan progress`, e) });
      const dir = mkdtempSync(join(tmpdir(), `ck-secrets-${name}-`));
      const planFile = join(dir, 'plan.json');
      writeFileSync(planFile, JSON.stringify(p, null, 2));
      const report: ApplyReport = await apply(p, { target, source, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, target.vendor), onProgress: (e) => see(`${name} apply progress`, e) });
      expect(report.failures).toEqual([]);
      const check: VerifyReport = await verify(p, { source, target });
      see(`${name} apply report`, report);
      see(`${name} verify report`, check);
      for (const f of readdirSync(dir)) {
        const path = join(dir, f);
        if (f === 'credentials.jsonl') {
          credentialsFiles.push(path);
          expect(statSync(path).mode & 0o777).toBe(0o600);
          for (const line of readFileSync(path, 'utf8').trim().split('\n').filter(Boolean)) generatedPasswords.push(JSON.parse(line).password as string);
        } else see(`${name} file ${f}`, readFileSync(path, 'utf8'));
      }
    }
    expect(generatedPasswords.length).toBeGreaterThan(20);
  });

  it('CLI: plan, apply and verify with --json (Udesk by password → KF5 by token), and a failing apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-secrets-cli-'));
    // a fresh KF5 tenant so the CLI migration has work to do
    const kf5 = await startKf5Simulator({ credentials: { apiToken: S.kf5Token, password: S.kf5Password } });
    try {
      const env = {
        CONTACTKIT_UDESK_BASE_URL: udeskSim.baseUrl,
        CONTACTKIT_UDESK_EMAIL: udeskSim.credentials.email,
        CONTACTKIT_UDESK_PASSWORD: S.udeskPassword,
        CONTACTKIT_KF5_BASE_URL: kf5.baseUrl,
        CONTACTKIT_KF5_EMAIL: kf5.credentials.email,
        CONTACTKIT_KF5_API_TOKEN: S.kf5Token,
        CONTACTKIT_KF5_PASSWORD: S.kf5Password,
      };
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ udesk: { rateLimit: false } }));
      const planFile = join(dir, 'plan.json');
      const journal = join(dir, 'journal');
      // every report format and the --log-file debug log are scanned too
      const out = (name: string) => join(dir, name);
      const reports = ['plan.html', 'plan.md', 'plan.csv', 'apply.html', 'apply.md', 'verify.html'];
      const logs = ['plan.log', 'apply.log', 'verify.log', 'apply-failing.log', 'verify-failing.log'];
      const runs = [
        await runCli(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', planFile, '--json', '--report', out('plan.html'), '--log-file', out('plan.log')], env),
        await runCli(['migrate', 'apply', planFile, '--journal', journal, '--config', config, '--json', '--report', out('apply.html'), '--log-file', out('apply.log')], env),
        await runCli(['migrate', 'verify', planFile, '--config', config, '--json', '--report', out('verify.html'), '--log-file', out('verify.log')], env),
        await runCli(['migrate', 'apply', planFile, '--journal', join(dir, 'journal-2'), '--config', config, '--json', '--log-file', out('apply-failing.log')], { ...env, CONTACTKIT_KF5_API_TOKEN: 'SECRET-KF5-WRONG-TOKEN-0000' }),
        await runCli(['migrate', 'verify', planFile, '--config', config, '--log-file', out('verify-failing.log')], { ...env, CONTACTKIT_UDESK_PASSWORD: S.udeskWrongPassword }),
        await runCli(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', join(dir, 'plan-2.json'), '--report', out('plan.md')], env),
        await runCli(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', join(dir, 'plan-3.json'), '--report', out('plan.csv')], env),
        await runCli(['migrate', 'apply', planFile, '--journal', journal, '--config', config, '--report', out('apply.md')], env),
      ];
      for (const f of [...reports, ...logs]) see(`cli ${f}`, readFileSync(out(f), 'utf8'));
      // the debug logs really logged requests, so the scan above means something
      expect(readFileSync(out('apply.log'), 'utf8')).toContain('contactkit: request');
      expect(runs.slice(0, 3).map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0]);
      expect(runs.slice(5, 8).map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0]);
      expect(runs[3]!.code).not.toBe(0);
      expect(runs[4]!.code).not.toBe(0);
      runs.forEach((r, i) => {
        see(`cli run ${i} stdout`, r.stdout);
        see(`cli run ${i} stderr`, r.stderr);
      });
      see('cli plan file', readFileSync(planFile, 'utf8'));
      for (const d of [journal, join(dir, 'journal-2')]) {
        for (const f of readdirSync(d)) {
          const path = join(d, f);
          if (f === 'credentials.jsonl') {
            expect(statSync(path).mode & 0o777).toBe(0o600);
            credentialsFiles.push(path);
            for (const line of readFileSync(path, 'utf8').trim().split('\n').filter(Boolean)) generatedPasswords.push(JSON.parse(line).password as string);
          } else see(`cli ${f}`, readFileSync(path, 'utf8'));
        }
      }
    } finally {
      await kf5.close();
    }
  }, 60_000);

  it('no secret value, fetched token, sign, Authorization header or generated password appears anywhere', () => {
    const raw = [...Object.values(S), 'SECRET-KF5-WRONG-TOKEN-0000', ...captured, ...generatedPasswords].filter((s) => s.length >= 8);
    // as written, and as they would appear inside JSON text (generated passwords may hold " or \)
    const secrets = [...new Set([...raw, ...raw.map((s) => JSON.stringify(s).slice(1, -1))])];
    // the scan is only meaningful if the wire really carried tokens, signs and headers
    expect([...captured].some((v) => v.startsWith("Bearer "))).toBe(true);
    expect([...captured].some((v) => v.startsWith('Basic '))).toBe(true);
    expect([...captured].filter((v) => /^[0-9a-f]{64}$/.test(v)).length).toBeGreaterThan(5); // Udesk signs
    expect(texts.length).toBeGreaterThan(500);
    const hits: string[] = [];
    for (const { where, text } of texts) for (const secret of secrets) if (text.includes(secret)) hits.push(`${where} contains ${secret.slice(0, 12)}…`);
    // "Bearer"/"Basic" with a value after it would be a header that escaped redaction
    for (const { where, text } of texts) if (/(Bearer|Basic) (?!\[REDACTED\])[A-Za-z0-9+/=._-]{8,}/.test(text)) hits.push(`${where} holds an Authorization value`);
    expect([...new Set(hits)]).toEqual([]);
    // the generated passwords are in the credentials files, and only there
    const inFiles = new Set(credentialsFiles.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).password as string)));
    for (const pw of generatedPasswords) expect(inFiles.has(pw)).toBe(true);
  });
});
