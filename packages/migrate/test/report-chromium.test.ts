import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant, startAllSimulators, type AllSimulators } from '@contactkit/testkit';
import { main } from '../src/cli-main';
import { io } from './cli-process';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** kept after the run: the screenshot is the artifact CI uploads, and the README shows a copy */
const ARTIFACTS = join(__dirname, 'artifacts');
const SKIP_REASON = `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); with CI set this fails instead`;


/** Headless Chromium with nothing that reaches the network, a fresh profile each time. */
async function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'ck-chromium-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
  const { stdout } = await run(CHROMIUM, [...flags, ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

let sims: AllSimulators;
const saved = { ...process.env };

beforeAll(async () => {
  sims = await startAllSimulators({ tenant: generateTenant({ seed: 21, agents: 120, groups: 8, roles: 6 }), seedInto: ['udesk'] });
  Object.assign(process.env, {
    CONTACTKIT_UDESK_BASE_URL: sims.udesk.baseUrl,
    CONTACTKIT_UDESK_EMAIL: sims.udesk.credentials.email,
    CONTACTKIT_UDESK_API_TOKEN: sims.udesk.credentials.apiToken,
    CONTACTKIT_HUAWEI_AICC_BASE_URL: sims.huaweiAicc.baseUrl,
    CONTACTKIT_HUAWEI_AICC_APP_KEY: sims.huaweiAicc.credentials.appKey,
    CONTACTKIT_HUAWEI_AICC_APP_SECRET: sims.huaweiAicc.credentials.appSecret,
  });
});

afterAll(async () => {
  process.env = saved;
  await sims?.close();
});

describe('the HTML report in a real browser', () => {
  (HAVE_CHROMIUM || process.env.CI ? it : it.skip)(`renders the apply report with the right totals, offline, and keeps a screenshot${HAVE_CHROMIUM ? '' : ` (${SKIP_REASON})`}`, async () => {
    expect(HAVE_CHROMIUM, `CI is set but ${SKIP_REASON}`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'ck-report-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ udesk: { rateLimit: false }, roleMap: { 质检员: '3', 外呼专员: '4' } }));
    const planFile = join(dir, 'plan.json');
    const planned = io();
    await main(['migrate', 'plan', '--from', 'udesk', '--to', 'huawei-aicc', '--config', config, '--out', planFile], planned.io);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    const report = join(dir, 'apply.html');
    const applied = io();
    expect(await main(['migrate', 'apply', planFile, '--journal', join(dir, 'journal'), '--config', config, '--report', report], applied.io), applied.err()).toBe(0);

    const dom = await chromium(['--dump-dom', `file://${report}`]);
    for (const kind of ['role', 'group', 'agent']) {
      for (const action of ['create', 'update', 'skip', 'conflict']) {
        expect(dom, `${kind} ${action}`).toContain(`data-total="${kind}-${action}">${(plan.summary[kind][action] as number).toLocaleString('en-US')}</td>`);
      }
    }
    const excluded = plan.memberships.reduce((n: number, m: { excluded: unknown[] }) => n + m.excluded.length, 0);
    expect(dom).toContain(`Excluded memberships (${excluded})`);
    expect(dom).toContain('Finished without failures');
    expect(dom).toContain('aria-label="requests over time"');
    // the inline script ran: the filter boxes are wired (the page has no other script to run)
    expect(dom).toMatch(/<input class="filter"/);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report.png');
    await chromium(['--hide-scrollbars', '--window-size=1100,1900', `--screenshot=${shot}`, `file://${report}`]);
    expect(readFileSync(shot).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    // the README's copy: written when missing, or refreshed on request (every run would change it in git)
    const docsImage = join(ROOT, 'docs/images/report.png');
    if (!existsSync(docsImage) || process.env.CONTACTKIT_UPDATE_DOCS_IMAGES) {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(shot, docsImage);
    }
  }, 120_000);
});
