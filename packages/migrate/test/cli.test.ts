import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli-main';
import { io } from './cli-process';


describe('contactkit CLI usage errors', () => {
  it('prints usage with --help and exits 0; no command exits 2', async () => {
    const a = io();
    expect(await main(['--help'], a.io)).toBe(0);
    expect(a.out.join('\n')).toContain('contactkit migrate plan');
    expect(await main([], io().io)).toBe(2);
  });

  it('exits 2 on an unknown command or flag', async () => {
    const a = io();
    expect(await main(['migrate', 'teleport'], a.io)).toBe(2);
    expect(a.err()).toContain('unknown command');
    const b = io();
    expect(await main(['migrate', 'plan', '--frm', 'udesk'], b.io)).toBe(2);
  });

  it('names a bad vendor flag and exits 2', async () => {
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'zendesk', '--to', 'kf5', '--out', 'x.json'], a.io)).toBe(2);
    expect(a.err()).toContain('--from');
  });

  it('validates the config file with zod and names the bad field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-cli-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ kf5: { baseUrl: 'not a url' }, concurrency: 0, surprise: true }));
    const a = io();
    expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', join(dir, 'p.json'), '--config', config], a.io)).toBe(2);
    expect(a.err()).toContain('config.kf5.baseUrl');
    expect(a.err()).toContain('config.concurrency');
    expect(a.err()).toContain('surprise');
  });

  it('names the missing environment variables and exits 2', async () => {
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('CONTACTKIT_')) delete process.env[k];
    try {
      const a = io();
      expect(await main(['migrate', 'plan', '--from', 'udesk', '--to', 'kf5', '--out', 'p.json'], a.io)).toBe(2);
      expect(a.err()).toContain('CONTACTKIT_UDESK_SUBDOMAIN');
      expect(a.err()).toContain('CONTACTKIT_UDESK_EMAIL');
    } finally {
      process.env = saved;
    }
  });

  it('rejects a file that is not a plan with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-cli-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    const a = io();
    expect(await main(['migrate', 'apply', file], a.io)).toBe(2);
    expect(a.err()).toContain('not a contactkit migration plan');
  });
});
