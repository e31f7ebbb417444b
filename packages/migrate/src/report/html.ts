import type { Timeline } from '../telemetry';
import { ACTIONS, KINDS, type ReportModel } from './model';

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const n = (x: number) => x.toLocaleString('en-US');

const COLORS: Record<string, string> = { create: '#2f855a', update: '#2b6cb0', skip: '#a0aec0', conflict: '#c53030' };

/** A self-contained page: inline CSS, inline SVG charts, a few lines of inline JS to filter tables. No network. */
export function renderHtml(m: ReportModel): string {
  const sections = [
    header(m),
    totals(m),
    section('Planned actions', actionsChart(m) + estimate(m)),
    section('Lossy fields per agent field', m.lossyFields.length ? barChart(m.lossyFields.map((f) => ({ label: f.field, value: f.agents })), '#b7791f', 'agents') : '<p>No agent loses a field in this mapping.</p>'),
    m.apply ? applySection(m.apply) : '',
    m.verify ? verifySection(m.verify) : '',
    section('Roles', table('roles', ['source id', 'source role', 'action', 'target role id', 'reason'], m.roles.map((r) => [r.sourceId, r.name, r.action, r.targetId, r.reason]))),
    section(`Conflicts (${n(m.conflicts.length)})`, m.conflicts.length ? table('conflicts', ['kind', 'source id', 'label', 'reason'], m.conflicts.map((c) => [c.kind, c.sourceId, c.label, c.reason]), true) : '<p>None.</p>'),
    section(`Excluded memberships (${n(m.excluded.length)})`, m.excluded.length ? table('excluded', ['group', 'source id', 'agent', 'reason'], m.excluded.map((x) => [x.group, x.sourceId, x.label, x.reason]), true) : '<p>None.</p>'),
    section(`Warnings (${n(m.warnings.length)})`, m.warnings.length ? `<ul>${m.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<p>None.</p>'),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(m.title)}</title>
<style>${CSS}</style></head>
<body>
${sections.join('\n')}
<script>${JS}</script>
</body></html>
`;
}

function header(m: ReportModel): string {
  return `<header><h1>${esc(m.title)}</h1>
<dl><dt>Plan</dt><dd><code>${esc(m.planId)}</code> (${esc(m.createdAt)})</dd><dt>Source</dt><dd>${esc(m.source)}</dd><dt>Target</dt><dd>${esc(m.target)}</dd></dl></header>`;
}

function totals(m: ReportModel): string {
  const rows = KINDS.map((k) => `<tr><th>${k}</th>${ACTIONS.map((a) => `<td class="num" data-total="${k}-${a}">${n(m.totals[k][a])}</td>`).join('')}<td class="num">${n(ACTIONS.reduce((s, a) => s + m.totals[k][a], 0))}</td></tr>`);
  return section('Totals per entity and action', `<table id="totals"><thead><tr><th></th>${ACTIONS.map((a) => `<th>${a}</th>`).join('')}<th>total</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
}

function estimate(m: ReportModel): string {
  const e = m.estimate;
  if (!e) return '';
  return `<p id="estimate">Apply will send about ${n(e.requests)} requests to the target: ${n(e.byPhase.groups)} for groups, ${n(e.byPhase.agents)} for agents, ${n(e.byPhase.memberships)} for memberships.</p>`;
}

function section(title: string, body: string): string {
  return `<section><h2>${esc(title)}</h2>${body}</section>`;
}

/** One stacked bar per entity kind: create / update / skip / conflict. */
function actionsChart(m: ReportModel): string {
  const width = 640;
  const left = 70;
  const rowH = 34;
  const max = Math.max(1, ...KINDS.map((k) => ACTIONS.reduce((s, a) => s + m.totals[k][a], 0)));
  const bars = KINDS.map((k, i) => {
    let x = left;
    const parts = ACTIONS.map((a) => {
      const w = (m.totals[k][a] / max) * (width - left - 10);
      const rect = w > 0 ? `<rect x="${x.toFixed(1)}" y="${i * rowH + 6}" width="${w.toFixed(1)}" height="${rowH - 12}" fill="${COLORS[a]}"><title>${k} ${a}: ${n(m.totals[k][a])}</title></rect>` : '';
      x += w;
      return rect;
    });
    return `<text x="0" y="${i * rowH + rowH / 2 + 4}">${k}s</text>${parts.join('')}`;
  });
  const legend = ACTIONS.map((a, i) => `<rect x="${left + i * 110}" y="${KINDS.length * rowH + 6}" width="12" height="12" fill="${COLORS[a]}"/><text x="${left + i * 110 + 16}" y="${KINDS.length * rowH + 16}">${a}</text>`).join('');
  return `<svg class="chart" role="img" aria-label="planned actions" width="${width}" height="${KINDS.length * rowH + 26}" viewBox="0 0 ${width} ${KINDS.length * rowH + 26}">${bars.join('')}${legend}</svg>`;
}

function barChart(items: Array<{ label: string; value: number }>, color: string, unit: string): string {
  const width = 640;
  const left = 150;
  const rowH = 24;
  const max = Math.max(1, ...items.map((i) => i.value));
  const rows = items.map((it, i) => {
    const w = (it.value / max) * (width - left - 80);
    return `<text x="0" y="${i * rowH + 16}">${esc(it.label)}</text><rect x="${left}" y="${i * rowH + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${color}"/><text x="${left + w + 6}" y="${i * rowH + 16}">${n(it.value)} ${unit}</text>`;
  });
  return `<svg class="chart" role="img" width="${width}" height="${items.length * rowH + 4}" viewBox="0 0 ${width} ${items.length * rowH + 4}">${rows.join('')}</svg>`;
}

function applySection(a: NonNullable<ReportModel['apply']>): string {
  const counts = Object.entries(a.counts).map(([kind, c]) => `<tr><th>${esc(kind)}</th><td>${Object.entries(c).filter(([, v]) => v).map(([k, v]) => `${esc(k)} ${n(v ?? 0)}`).join(', ') || 'nothing to do'}</td></tr>`);
  const t = a.transport;
  const body = [
    `<p class="${a.ok ? 'ok' : 'bad'}">${a.ok ? 'Finished without failures' : a.interrupted ? `Interrupted at ${n(a.interrupted.done)}/${n(a.interrupted.total)}` : `Finished with ${n(a.failures.length)} failure(s)`} in ${(a.durationMs / 1000).toFixed(1)} s.</p>`,
    `<table id="apply-counts"><tbody>${counts.join('')}</tbody></table>`,
    a.targetRequests ? `<p>Target requests this run: ${n(a.targetRequests.actual)}${a.targetRequests.estimated === null ? '' : ` (the plan estimated ${n(a.targetRequests.estimated)} for a whole run)`}</p>` : '',
    `<p>Requests ${n(t.requests)} · retries ${n(t.retries)} · waited for the rate limit ${(t.rateLimitWaitMs / 1000).toFixed(1)} s · waited for Retry-After ${(t.retryAfterWaitMs / 1000).toFixed(1)} s</p>`,
    a.timeline?.buckets.length ? `<h3>Timeline</h3>${timelineChart(a.timeline)}` : '',
    a.failures.length ? `<h3>Failures (${n(a.failures.length)})</h3>${table('failures', ['kind', 'source id', 'label', 'code', 'message'], a.failures.map((f) => [f.kind, f.sourceId, f.label, f.code, f.message]), true)}` : '',
  ];
  return section('Apply', body.join(''));
}

/** Responses per bucket as bars, retries and rate-limited replies as marks above them. */
function timelineChart(t: Timeline): string {
  const width = 640;
  const height = 160;
  const left = 50;
  const slots = Math.max(1, ...t.buckets.map((b) => b.atMs / t.bucketMs + 1));
  const max = Math.max(1, ...t.buckets.map((b) => b.requests));
  const bw = (width - left) / slots;
  const y = (v: number) => height - 20 - (v / max) * (height - 40);
  const span = (b: { atMs: number }) => `${(b.atMs / 1000).toFixed(1)}–${((b.atMs + t.bucketMs) / 1000).toFixed(1)} s`;
  const bars = t.buckets.map((b) => {
    const x = left + (b.atMs / t.bucketMs) * bw;
    const marks = [
      b.retries ? `<circle cx="${(x + bw / 2).toFixed(1)}" cy="12" r="4" fill="#c05621"><title>${span(b)}: ${b.retries} retries, ${b.retryWaitMs} ms back-off</title></circle>` : '',
      b.rateLimited ? `<rect x="${x.toFixed(1)}" y="2" width="${Math.max(2, bw).toFixed(1)}" height="4" fill="#c53030"><title>${span(b)}: ${b.rateLimited} rate-limited replies</title></rect>` : '',
    ];
    return `<rect x="${x.toFixed(1)}" y="${y(b.requests).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${(height - 20 - y(b.requests)).toFixed(1)}" fill="#2b6cb0"><title>${span(b)}: ${b.requests} responses</title></rect>${marks.join('')}`;
  });
  const wait = t.stats.map((s) => `${esc(s.vendor)}: ${n(s.stats.requests)} requests, ${n(s.stats.retries)} retries, ${(s.stats.rateLimitWaitMs / 1000).toFixed(1)} s in the rate limiter`).join('; ');
  const end = ((slots * t.bucketMs) / 1000).toFixed(1);
  return `<svg class="chart" role="img" aria-label="requests over time" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="${y(max) + 4}">${max}</text><text x="0" y="${height - 20}">0</text>${bars.join('')}<text x="${left}" y="${height - 4}">0 s</text><text x="${width - 40}" y="${height - 4}">${end} s</text></svg><p class="legend">Blue: responses per ${(t.bucketMs / 1000).toFixed(1)} s · orange dot: retries · red mark: rate-limited replies. ${wait}</p>`;
}

function verifySection(v: NonNullable<ReportModel['verify']>): string {
  return section(
    'Verify',
    `<p class="${v.ok ? 'ok' : 'bad'}">Checked ${n(v.checked.agents)} agents, ${n(v.checked.groups)} groups, ${n(v.checked.memberships)} memberships: ${v.differences.length ? `${n(v.differences.length)} difference(s)` : 'no differences'}.</p>` +
      (v.differences.length ? table('differences', ['kind', 'source id', 'label', 'problem', 'detail'], v.differences.map((d) => [d.kind, d.sourceId, d.label, d.problem, d.detail]), true) : ''),
  );
}

function table(id: string, headings: string[], rows: unknown[][], filterable = false): string {
  const filter = filterable ? `<input class="filter" type="search" placeholder="Filter ${rows.length} rows…" data-table="${id}" aria-label="filter ${id}">` : '';
  return `${filter}<table id="${id}"><thead><tr>${headings.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#1a202c}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;border-bottom:1px solid #e2e8f0;padding-bottom:4px;margin-top:28px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{color:#718096}dd{margin:0}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#f7fafc}td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart text{font-size:12px;fill:#2d3748}.ok{color:#2f855a;font-weight:600}.bad{color:#c53030;font-weight:600}
input.filter{width:100%;padding:6px;border:1px solid #cbd5e0;border-radius:4px;box-sizing:border-box}.legend{color:#4a5568;font-size:12px}`;

const JS = `document.querySelectorAll('input.filter').forEach(function(input){input.addEventListener('input',function(){var q=input.value.toLowerCase();document.querySelectorAll('#'+input.dataset.table+' tbody tr').forEach(function(tr){tr.style.display=tr.textContent.toLowerCase().indexOf(q)<0?'none':''})})});`;
