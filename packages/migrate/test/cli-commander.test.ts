import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli-main';
import { runCli, io } from './cli-process';


/** stdout under --json must be exactly one JSON object */
function onlyJson(out: string[]): Record<string, unknown> {
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]!);
}

const version = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')).version as string;

describe('contactkit CLI on commander: help, version, suggestions, usage errors', () => {
  it('--version prints the package version and exits 0', async () => {
    const a = io();
    expect(await main(['--version'], a.io)).toBe(0);
    expect(a.out.join('')).toBe(version);
  });

  it.each([
    [['migrate', 'plan'], ['--from <vendor>', '--only-groups', '--emails-file', '--include-disabled', '--report', '$ contactkit migrate plan --from udesk --to kf5']],
    [['migrate', 'apply'], ['<plan.json>', '--concurrency', '--password-file', '$ contactkit migrate apply plan.json']],
    [['migrate', 'verify'], ['<plan.json>', '--report', '$ contactkit migrate verify plan.json']],
    [['migrate', 'rollback'], ['--yes', '--owner-group-id', '$ contactkit migrate rollback plan.json --yes']],
    [['roles'], ['--vendor <vendor>', '$ contactkit roles --vendor kf5']],
    [['demo'], ['--agents', '--work-dir', '$ contactkit demo']],
  ])('%j --help shows that command with examples and exits 0', async (command, expected) => {
    const a = io();
    expect(await main([...command, '--help'], a.io)).toBe(0);
    const help = a.out.join('\n');
    expect(help).toContain(`Usage: contactkit ${command.join(' ')}`);
    for (const text of expected) expect(help).toContain(text);
  });

  it('an unknown command exits 2 with a suggestion', async () => {
    const a = io();
    expect(await main(['migrate', 'plna'], a.io)).toBe(2);
    expect(a.err()).toContain("unknown command 'plna'");
    expect(a.err()).toContain('Did you mean plan?');
    const b = io();
    expect(await main(['rolse'], b.io)).toBe(2);
    expect(b.err()).toContain('Did you mean roles?');
  });

  it('an unknown flag exits 2 with a suggestion', async () => {
    const a = io();
    expect(await main(['migrate', 'plan', '--frm', 'udesk'], a.io)).toBe(2);
    expect(a.err()).toContain("unknown option '--frm'");
    expect(a.err()).toContain('Did you mean --from?');
  });

  it('each subcommand refuses the flags it does not take', async () => {
    const cases: string[][] = [
      ['migrate', 'verify', 'p.json', '--concurrency', '3'],
      ['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', 'p.json', '--yes'],
      ['migrate', 'apply', 'p.json', '--from', 'udesk'],
      ['migrate', 'rollback', 'p.json', '--report', 'r.html'],
      ['demo', '--config', 'c.json'],
      ['roles', '--vendor', 'kf5', '--out', 'x'],
    ];
    for (const argv of cases) {
      const a = io();
      expect(await main(argv, a.io), argv.join(' ')).toBe(2);
      expect(a.err(), argv.join(' ')).toContain('unknown option');
      expect(a.out).toEqual([]);
    }
  });

  it('missing arguments, extra arguments, bad numbers and bad vendors exit 2', async () => {
    for (const argv of [['migrate', 'apply'], ['migrate', 'apply', 'a.json', 'b.json'], ['migrate', 'apply', 'a.json', '--concurrency', '0'], ['migrate', 'plan', '--from', 'zendesk', '--to', 'kf5', '--out', 'x'], ['migrate', 'plan', '--to', 'kf5', '--out', 'x'], ['roles']]) {
      const a = io();
      expect(await main(argv, a.io), argv.join(' ')).toBe(2);
      expect(a.err().length).toBeGreaterThan(0);
    }
  });

  it('under --json every failure is one JSON object on stdout and nothing else', async () => {
    const usage = io();
    expect(await main(['migrate', 'plan', '--frm', 'udesk', '--json'], usage.io)).toBe(2);
    expect(onlyJson(usage.out)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('--frm') } });

    const unknown = io();
    expect(await main(['migrate', 'teleport', '--json'], unknown.io)).toBe(2);
    expect(onlyJson(unknown.out)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('teleport') } });

    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('CONTACTKIT_')) delete process.env[k];
    try {
      const env = io();
      expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', 'p.json', '--json'], env.io)).toBe(2);
      const body = onlyJson(env.out) as { ok: boolean; error: { code: string; issues: Array<{ path: string }> } };
      expect(body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      // both sides' missing variables at once
      expect(body.error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['CONTACTKIT_UDESK_SUBDOMAIN', 'CONTACTKIT_KF5_EMAIL']));
    } finally {
      process.env = saved;
    }

    const dir = mkdtempSync(join(tmpdir(), 'ck-cli-json-'));
    const notPlan = join(dir, 'p.json');
    writeFileSync(notPlan, '{"hello":1}');
    const bad = io();
    expect(await main(['migrate', 'verify', notPlan, '--json'], bad.io)).toBe(2);
    expect(onlyJson(bad.out)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('as a real process: --version, a suggestion on stderr, a --json usage error on stdout', async () => {
    const v = await runCli(['--version'], {});
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const typo = await runCli(['migrate', 'aply', 'plan.json'], {});
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean apply?');
    expect(typo.stdout).toBe('');
    const json = await runCli(['migrate', 'apply', 'plan.json', '--concurency', '2', '--json'], {});
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('Did you mean --concurrency?') } });
  }, 30_000);
});
