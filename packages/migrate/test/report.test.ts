import { RateLimitError } from '@contactkit/core';
import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../src/apply';
import type { MigrationPlan } from '../src/plan-types';
import { renderReport, reportFormat } from '../src/report/write';
import { TimelineRecorder } from '../src/telemetry';

const plan: MigrationPlan = {
  format: 'contactkit-migration-plan',
  version: 1,
  id: 'plan-1',
  createdAt: '2026-12-07T10:00:00.000Z',
  source: { vendor: 'udesk', tenant: 'udesk https://acme.udesk.cn as a@acme.cn' },
  target: { vendor: 'huawei-aicc' },
  options: { includeDisabled: true, roleMap: { 质检员: '3' } },
  defaultTargetRoleId: '2',
  roles: [{ kind: 'role', sourceId: '7', label: '质检员', action: 'skip', reason: 'mapped to target role "Inspector" by roleMap', targetId: '3', warnings: [] }],
  groups: [
    { kind: 'group', sourceId: 'g1', label: 'Sales <East>', action: 'create', reason: 'not on the target', targetId: null, warnings: [], input: { name: 'Sales <East>' } },
    { kind: 'group', sourceId: 'g2', label: '=SUM(A1)', action: 'conflict', reason: 'the target refuses the name', targetId: null, warnings: [], input: { name: '=SUM(A1)' } },
  ],
  agents: [
    { kind: 'agent', sourceId: 'a1', label: 'ann@acme.cn', action: 'create', reason: 'not on the target', targetId: null, warnings: [{ field: 'locale', message: 'not carried' }, { field: 'channels', message: 'x' }], input: { email: 'ann@acme.cn', name: 'Ann' } },
    { kind: 'agent', sourceId: 'a2', label: 'bob@acme.cn', action: 'conflict', reason: 'two source agents share this email', targetId: null, warnings: [{ field: 'locale', message: 'not carried' }], input: { email: 'bob@acme.cn', name: 'Bob' } },
  ],
  memberships: [{ sourceGroupId: 'g1', groupLabel: 'Sales <East>', sourceMemberIds: ['a1'], excluded: [{ sourceId: 'a2', label: 'bob@acme.cn', reason: 'media type mismatch, "voice"' }] }],
  warnings: ['2 agents lose their locale'],
  estimate: { requests: 5, byPhase: { groups: 2, agents: 1, memberships: 2 } },
  summary: { role: { create: 0, update: 0, skip: 1, conflict: 0 }, group: { create: 1, update: 0, skip: 0, conflict: 1 }, agent: { create: 1, update: 0, skip: 0, conflict: 1 } },
} as MigrationPlan;

describe('reports', () => {
  it('picks the format from the extension and refuses others', () => {
    expect(['a.html', 'b.HTM', 'c.md', 'd.csv'].map(reportFormat)).toEqual(['html', 'html', 'md', 'csv']);
    expect(() => reportFormat('x.pdf')).toThrow(/--report.*\.html, \.md or \.csv/);
  });

  it('HTML: totals, lossy fields, role table, filterable conflicts and exclusions, everything escaped, nothing remote', () => {
    const html = renderReport({ kind: 'plan', plan }, 'html');
    expect(html).toContain('data-total="agent-create">1</td>');
    expect(html).toContain('data-total="agent-conflict">1</td>');
    expect(html).toMatch(/<text[^>]*>locale<\/text><rect[^>]*\/><text[^>]*>2 agents<\/text>/);
    expect(html).toContain('<td>质检员</td><td>skip</td><td>3</td>');
    expect(html).toContain('data-table="conflicts"');
    expect(html).toContain('Apply will send about 5 requests to the target: 2 for groups, 1 for agents, 2 for memberships.');
    expect(html).toContain('data-table="excluded"');
    expect(html).toContain('Sales &#60;East&#62;');
    expect(html).not.toContain('Sales <East>');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });

  it('Markdown and CSV carry the same numbers; CSV cells cannot run as spreadsheet formulas', () => {
    const md = renderReport({ kind: 'plan', plan }, 'md');
    expect(md).toContain('| agent | 1 | 0 | 0 | 1 |');
    expect(md).toContain('| locale | 2 |');
    const csv = renderReport({ kind: 'plan', plan }, 'csv');
    expect(csv.split('\r\n')).toEqual(expect.arrayContaining(['total,agent,,,conflict,1,', 'excluded_membership,membership,a2,bob@acme.cn,Sales <East>,,"media type mismatch, ""voice"""', 'conflict,agent,a2,bob@acme.cn,conflict,,two source agents share this email']));
    expect(csv).toContain("conflict,group,g2,'=SUM(A1),conflict,,the target refuses the name");
    expect(csv).not.toMatch(/(^|,)=SUM/m);
  });

  it('the apply timeline counts responses, retries with their back-off, and rate-limited replies', async () => {
    const rec = new TimelineRecorder();
    const info = { vendor: 'kf5' as const, operation: 'agents.create', method: 'POST' as const, url: 'u', headers: {}, body: null, attempt: 1 };
    for (let i = 0; i < 5; i++) await rec.hooks.afterResponse!({ ...info, status: 200, durationMs: 3 });
    const throttled = new RateLimitError('slow down', { vendor: 'kf5' });
    await rec.hooks.onError!({ ...info, error: throttled });
    await rec.hooks.onRetry!({ ...info, error: throttled, delayMs: 1500, nextAttempt: 2 });
    rec.addStats('kf5', { requests: 6, attempts: 7, retries: 1, rateLimitWaitMs: 2500, retryAfterWaitMs: 1500, errors: 1 });
    const timeline = rec.timeline();
    expect(timeline.bucketMs).toBe(100);
    expect(timeline.buckets).toEqual([{ atMs: 0, requests: 5, retries: 1, errors: 1, retryWaitMs: 1500, rateLimited: 1 }]);
    const apply: ApplyReport = { planId: 'plan-1', source: 's', target: 't', counts: { role: {}, group: { created: 1 }, agent: { created: 1 }, membership: {} }, warnings: [], failures: [], transport: { requests: 6, retries: 1, rateLimitWaitMs: 2500, retryAfterWaitMs: 1500 }, passwords: 'generated', durationMs: 900, alreadyDone: 0, ok: true, targetRequests: { actual: 6, estimated: 5 } };
    const html = renderReport({ kind: 'apply', plan, apply, timeline }, 'html');
    expect(html).toContain('aria-label="requests over time"');
    expect(html).toContain('0.0–0.1 s: 1 retries, 1500 ms back-off');
    expect(html).toContain('0.0–0.1 s: 1 rate-limited replies');
    expect(html).toContain('kf5: 6 requests, 1 retries, 2.5 s in the rate limiter');
    expect(html).toContain('Target requests this run: 6 (the plan estimated 5 for a whole run)');
    expect(renderReport({ kind: 'apply', plan, apply, timeline }, 'md')).toContain('6 requests, 1 retries, 2.5 s waiting for the rate limit');
  });
});
