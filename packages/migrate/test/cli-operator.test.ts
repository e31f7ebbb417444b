import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant, startAllSimulators, type AllSimulators, simulatorEnv } from '@contactkit/testkit';
import { main } from '../src/cli-main';
import { io } from './cli-process';
import { describeReadBound, describeWriteBound } from '../src/estimate';
import { ProgressRenderer } from '../src/progress';

const ROOT = resolve(__dirname, '../../..');


let sims: AllSimulators;
/** an unfiltered plan's memberships: group name → source agent ids and emails */
let membersOf: (group: string) => Array<{ id: string; email: string }>;
let dir: string;
let config: string;
let env: Record<string, string>;
const saved = { ...process.env };

beforeAll(async () => {
  sims = await startAllSimulators({ tenant: generateTenant({ seed: 14, agents: 60, groups: 6, roles: 6 }), seedInto: ['udesk'] });
  env = simulatorEnv(sims);
  Object.assign(process.env, env);
  dir = mkdtempSync(join(tmpdir(), 'ck-operator-'));
  config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ udesk: { rateLimit: false } }));
  const full = join(dir, 'full.json');
  await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', full, '--json'], io().io);
  const plan = JSON.parse(readFileSync(full, 'utf8'));
  const emailOf = new Map<string, string>(plan.agents.map((a: { sourceId: string; label: string }) => [a.sourceId, a.label]));
  membersOf = (group) => plan.memberships.find((m: { groupLabel: string }) => m.groupLabel === group).sourceMemberIds.map((id: string) => ({ id, email: emailOf.get(id)! }));
});

afterAll(async () => {
  process.env = saved;
  await sims?.close();
});

describe('roles and roleMap', () => {
  it('`roles --vendor` lists a tenant\'s roles; Huawei\'s inspector (3) and outbound (4) roles are there', async () => {
    const a = io();
    expect(await main(['roles', '--vendor', 'huawei-aicc', '--json'], a.io)).toBe(0);
    const body = JSON.parse(a.out[0]!);
    expect(body.roles).toEqual(expect.arrayContaining([{ id: '3', name: 'Inspector' }, { id: '4', name: 'Outbound-call agent' }]));
    const b = io();
    expect(await main(['roles', '--vendor', 'udesk', '--config', config], b.io)).toBe(0);
    expect(b.out.join('\n')).toContain('质检员');
  });

  it('maps Udesk roles onto Huawei\'s inspector and outbound roles, by id or by name', async () => {
    const cfg = join(dir, 'huawei-roles.json');
    writeFileSync(cfg, JSON.stringify({ udesk: { rateLimit: false }, roleMap: { 质检员: '3', 外呼专员: 'Outbound-call agent' } }));
    const out = join(dir, 'huawei-plan.json');
    const a = io();
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', cfg, '--out', out, '--json'], a.io);
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    const byName = Object.fromEntries(plan.roles.map((r: { label: string; targetId: string }) => [r.label, r.targetId]));
    expect(byName['质检员']).toBe('3');
    expect(byName['外呼专员']).toBe('4');
  });

  it('a roleMap target that is no target role is a conflict: exit 1, valid roles listed, no plan written', async () => {
    const cfg = join(dir, 'typo.json');
    writeFileSync(cfg, JSON.stringify({ udesk: { rateLimit: false }, roleMap: { 管理员: 'admn', 客服: 'agent' } }));
    const out = join(dir, 'never.json');
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', cfg, '--out', out], a.io)).toBe(1);
    expect(a.err()).toContain('"管理员" → "admn"');
    expect(a.err()).toMatch(/Valid target roles[\s\S]*admin/);
    expect(existsSync(out)).toBe(false);
    const b = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', cfg, '--out', out, '--json'], b.io)).toBe(1);
    expect(b.out).toHaveLength(1);
    const body = JSON.parse(b.out[0]!);
    expect(body).toMatchObject({ ok: false, error: { code: 'ROLE_MAP_CONFLICT', conflicts: [{ source: '管理员', target: 'admn' }] } });
    expect(body.error.targetRoles.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['admin', 'agent']));
  });
});

describe('filters', () => {
  it('--only-groups keeps those groups and their members; the plan records the filter', async () => {
    const group = sims.tenant!.groups[0]!;
    const out = join(dir, 'only-groups.json');
    const a = io();
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', out, '--only-groups', group.name, '--json'], a.io);
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    expect(plan.groups.map((g: { label: string }) => g.label)).toEqual([group.name]);
    const members = new Set(membersOf(group.name).map((m) => m.id));
    expect(plan.agents.length).toBeGreaterThan(0);
    expect(plan.agents.length).toBeLessThan(60);
    for (const agent of plan.agents) expect(members.has(agent.sourceId)).toBe(true);
    expect(plan.warnings[0]).toContain(`only groups "${group.name}"`);
    expect(plan.options.filters).toEqual({ onlyGroups: [group.name] });
  });

  it('--only-groups naming no group exits 2', async () => {
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', join(dir, 'x.json'), '--only-groups', 'No Such Group'], a.io)).toBe(2);
    expect(a.err()).toContain('--only-groups');
  });

  it('--emails-file keeps only those agents; --no-include-disabled leaves disabled ones out', async () => {
    const emails = sims.tenant!.agents.slice(0, 4).map((a) => a.email);
    const file = join(dir, 'emails.txt');
    writeFileSync(file, `# pilot\n${emails.join('\n')}\n`);
    const out = join(dir, 'emails-plan.json');
    const a = io();
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', out, '--emails-file', file, '--json'], a.io);
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    expect(plan.agents.map((x: { label: string }) => x.label.toLowerCase()).sort()).toEqual(emails.map((e) => e.toLowerCase()).sort());
    expect(plan.warnings[0]).toContain('only the 4 emails listed in');
    expect(plan.options.filters).toEqual({ emailsFile: { path: file, count: 4 } });

    const active = join(dir, 'active.json');
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', active, '--no-include-disabled', '--json'], io().io);
    const p2 = JSON.parse(readFileSync(active, 'utf8'));
    expect(p2.options.includeDisabled).toBe(false);
    const enabled = sims.tenant!.agents.filter((x) => x.status !== 'disabled').length;
    expect(enabled).toBeLessThan(60);
    expect(p2.agents).toHaveLength(enabled);
  });
});

describe('config file and .env', () => {
  it('finds contactkit.config.json (with comments) in the working directory and resolves its paths against it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ck-cwd-'));
    const group = sims.tenant!.groups[1]!;
    const pilot = membersOf(group.name).slice(0, 2);
    writeFileSync(join(cwd, 'pilot.txt'), pilot.map((a) => a.email).join('\n'));
    writeFileSync(
      join(cwd, 'contactkit.config.json'),
      `// rehearsal\n{\n  "udesk": { "rateLimit": false }, /* the simulator has none */\n  "onlyGroups": [${JSON.stringify(group.name)}],\n  "emailsFile": "pilot.txt",\n}\n`,
    );
    const a = io(cwd);
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', 'plan.json', '--json'], a.io);
    const plan = JSON.parse(readFileSync(join(cwd, 'plan.json'), 'utf8'));
    expect(plan.groups.map((g: { label: string }) => g.label)).toEqual([group.name]);
    expect(plan.agents).toHaveLength(pilot.length);
    expect(plan.warnings[0]).toContain(join(cwd, 'pilot.txt'));
  });

  it('names every bad field of a config file and exits 2; a syntax error names line and column', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ck-cwd-'));
    writeFileSync(join(cwd, 'bad.json'), '{ /* c */ "onlyGroups": [], "emailsFile": 3, "roleMap": { "a": 1 }, "colour": "red" }');
    const a = io(cwd);
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', 'p.json', '--config', 'bad.json'], a.io)).toBe(2);
    for (const field of ['config.onlyGroups', 'config.emailsFile', 'config.roleMap.a', 'colour']) expect(a.err()).toContain(field);
    writeFileSync(join(cwd, 'broken.json'), '{\n  "udesk": {\n    "rateLimit": false\n  \n');
    const b = io(cwd);
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', 'p.json', '--config', 'broken.json', '--json'], b.io)).toBe(2);
    expect(JSON.parse(b.out[0]!).error.message).toMatch(/not valid JSON: \w+ at line \d+, column \d+/);
  });

  it('loads .env from the working directory; variables already set win', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ck-env-'));
    writeFileSync(join(cwd, '.env'), `CONTACTKIT_KF5_BASE_URL=${sims.kf5.baseUrl}\nCONTACTKIT_KF5_EMAIL=${sims.kf5.credentials.email}\nCONTACTKIT_KF5_API_TOKEN=${sims.kf5.credentials.apiToken}\n`);
    for (const k of Object.keys(process.env)) if (k.startsWith('CONTACTKIT_KF5_')) delete process.env[k];
    try {
      const a = io(cwd);
      expect(await main(['roles', '--vendor', 'kf5'], a.io), a.err()).toBe(0);
      expect(a.out.join('\n')).toContain('admin');
    } finally {
      Object.assign(process.env, env);
    }
  });
});

describe('progress', () => {
  it('says what bounds the time before reading', () => {
    expect(describeReadBound('kf5', 20_000, 60)).toBe('kf5: limit 60 requests/min → reading 20,000 agents takes about 3 min 20 s (200 requests)');
    // a Udesk source is read agent by agent (its list carries no role ids): one request more per agent
    expect(describeReadBound('udesk', 20_000, 60)).toBe('udesk: limit 60 requests/min → reading 20,000 agents takes about 5 h 36 min (20,200 requests)');
    expect(describeReadBound('kf5', 300, undefined)).toContain('no rate limit set');
    expect(describeWriteBound('udesk', 1_234, 60, 4)).toBe("udesk: limit 60 requests/min → the plan's 1,234 requests take about 20 min 34 s; 4 writes in flight at most");
  });

  it('plain lines carry count, total, rate, elapsed and ETA; a new phase and the end always print', () => {
    let now = 0;
    const lines: string[] = [];
    const r = new ProgressRenderer((t) => lines.push(t), { tty: false, plainIntervalMs: 5_000, now: () => now });
    r.update({ phase: 'agents', done: 0, total: 1000 });
    now = 1_000;
    r.update({ phase: 'agents', done: 100, total: 1000 }); // within 5 s: not printed
    now = 10_000;
    r.update({ phase: 'agents', done: 500, total: 1000 });
    now = 20_000;
    r.update({ phase: 'agents', done: 1000, total: 1000 });
    expect(lines).toEqual([
      '  agents: 0/1,000 (0%) · 0.0/s · elapsed 0 s · ETA …\n',
      '  agents: 500/1,000 (50%) · 50/s · elapsed 10 s · ETA 10 s\n',
      '  agents: 1,000/1,000 (100%) · 50/s · elapsed 20 s\n',
    ]);
  });

  it('a plan on a non-terminal prints the bound and plain progress lines', async () => {
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--config', config, '--out', join(dir, 'plain.json')], a.io)).toBe(0);
    expect(a.err()).toContain('udesk: no rate limit set → reading 60 agents takes 61 requests');
    expect(a.err()).toMatch(/read udesk agents: 60\/60 \(100%\) · [\d.]+\/s · elapsed \d+ s\n/);
    expect(a.err()).not.toContain('\r');
  });

  /** the CLI in a pseudo-terminal (util-linux `script`): stderr is a TTY there */
  const inPty = (args: string) =>
    new Promise<string>((done) => {
      const child = spawn('script', ['-qec', `node --import tsx packages/migrate/src/cli.ts ${args}`, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', ...env } });
      let t = '';
      child.stdout.on('data', (d) => (t += d));
      child.on('close', () => done(t));
    });

  it('in a pseudo-terminal the bar is redrawn in place, for plan reads and for apply', async () => {
    const out = join(dir, 'tty.json');
    const text = await inPty(`migrate plan --from udesk --to kf5 --config ${config} --out ${out}`);
    expect(text).toMatch(/\r\x1b\[2K\[#+\.*\] {2}read udesk agents: \d+\/60/);
    expect(text).toMatch(/\[#{24}\] {2}read udesk agents: 60\/60 \(100%\) · [\d.]+\/s · elapsed \d+ s\r?\n/);
    expect(text).toContain(`Wrote ${out}`);
    const applied = await inPty(`migrate apply ${out} --journal ${join(dir, 'tty-journal')} --config ${config}`);
    expect(applied).toMatch(/\r\x1b\[2K\[#{24}\] {2}agents: 60\/60 \(100%\)/);
    expect(applied).toContain('Result: complete');
    // the same command again says what it resumes
    const again = await inPty(`migrate apply ${out} --journal ${join(dir, 'tty-journal')} --config ${config}`);
    expect(again).toMatch(/Resuming from .*tty-journal: \d+ of \d+ steps already done\./);
  }, 60_000);
});

describe('reports and the log file', () => {
  it('plan, apply and verify write HTML, Markdown and CSV reports; apply logs the transport to --log-file, redacted', async () => {
    const planFile = join(dir, 'r-plan.json');
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', config, '--out', planFile, '--report', join(dir, 'plan.html')], a.io), a.err()).toBe(0);
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', config, '--out', join(dir, 'r2.json'), '--report', join(dir, 'plan.md')], io().io);
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', config, '--out', join(dir, 'r3.json'), '--report', join(dir, 'plan.csv')], io().io);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    const html = readFileSync(join(dir, 'plan.html'), 'utf8');
    expect(html).toContain(`data-total="agent-create">${plan.summary.agent.create}<`);
    expect(html).not.toMatch(/<(link|img)[^>]+(href|src)="http/);
    // each report against its own plan (the target may hold agents from the tests before)
    const a2 = JSON.parse(readFileSync(join(dir, 'r2.json'), 'utf8')).summary.agent;
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toContain(`| agent | ${a2.create} | ${a2.update} | ${a2.skip} | ${a2.conflict} |`);
    const a3 = JSON.parse(readFileSync(join(dir, 'r3.json'), 'utf8')).summary.agent;
    for (const action of ['create', 'update', 'skip', 'conflict']) expect(readFileSync(join(dir, 'plan.csv'), 'utf8')).toContain(`total,agent,,,${action},${a3[action]},`);

    const log = join(dir, 'apply.log');
    const b = io();
    expect(await main(['migrate', 'apply', planFile, '--journal', join(dir, 'journal'), '--config', config, '--report', join(dir, 'apply.html'), '--log-file', log], b.io), b.err()).toBe(0);
    // before writing, what bounds the time: the target's limit and the plan's own estimate
    expect(b.err()).toContain(`huawei-aicc: no rate limit set → the plan estimates ${plan.estimate.requests.toLocaleString('en-US')} requests; 16 writes in flight at most`);
    const applyHtml = readFileSync(join(dir, 'apply.html'), 'utf8');
    expect(applyHtml).toContain('aria-label="requests over time"');
    expect(applyHtml).toMatch(/Requests \d+ · retries \d+/);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.message === 'contactkit: request').length).toBeGreaterThan(plan.summary.agent.create + plan.summary.agent.update);
    const logText = readFileSync(log, 'utf8');
    // the apply created agents on a fresh target, so the log is full of requests
    expect(plan.summary.agent.create).toBe(60);
    for (const secret of [sims.huaweiAicc.credentials.appKey, sims.huaweiAicc.credentials.appSecret]) expect(logText).not.toContain(secret);
    expect(logText).not.toMatch(/Bearer (?!\[REDACTED\])\S{8,}/);

    const c = io();
    const verified = await main(['migrate', 'verify', planFile, '--config', config, '--report', join(dir, 'verify.md')], c.io);
    const verifyMd = readFileSync(join(dir, 'verify.md'), 'utf8');
    expect(verifyMd).toContain(`Checked ${plan.agents.length} agents`);
    // the report says what the exit code says (Huawei's renamed skill queues show as differences today: see the report to the lead)
    expect(verifyMd.includes('no differences')).toBe(verified === 0);
    if (verified !== 0) expect(verifyMd).toMatch(/\| group \| \S+ \| .* \| missing \|/);
    expect(c.err()).toMatch(/verify: read udesk agents: 60\/60/);
  }, 60_000);

  it('a report file with another extension is a usage error (exit 2) before anything is read', async () => {
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', config, '--out', join(dir, 'z.json'), '--report', join(dir, 'r.pdf')], a.io)).toBe(2);
    expect(a.err()).toContain('.html, .md or .csv');
    expect(existsSync(join(dir, 'z.json'))).toBe(false);
  });
});
