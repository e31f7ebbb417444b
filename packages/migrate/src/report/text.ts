import { ACTIONS, KINDS, type ReportModel } from './model';

const md = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function mdTable(headings: string[], rows: unknown[][]): string {
  return [`| ${headings.join(' | ')} |`, `|${headings.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n');
}

export function renderMarkdown(m: ReportModel): string {
  const out = [`# ${m.title}`, '', `- Plan: \`${m.planId}\` (${m.createdAt})`, `- Source: ${md(m.source)}`, `- Target: ${md(m.target)}`, '', '## Totals per entity and action', ''];
  out.push(mdTable(['', ...ACTIONS], KINDS.map((k) => [k, ...ACTIONS.map((a) => m.totals[k][a])])), '');
  if (m.estimate) out.push(`Apply will send about ${m.estimate.requests} requests to the target (groups ${m.estimate.byPhase.groups}, agents ${m.estimate.byPhase.agents}, memberships ${m.estimate.byPhase.memberships}).`, '');
  out.push('## Lossy fields per agent field', '', m.lossyFields.length ? mdTable(['field', 'agents'], m.lossyFields.map((f) => [f.field, f.agents])) : 'No agent loses a field in this mapping.', '');
  if (m.apply) {
    const t = m.apply.transport;
    out.push('## Apply', '', `${m.apply.ok ? 'Finished without failures' : `Finished with ${m.apply.failures.length} failure(s)`} in ${(m.apply.durationMs / 1000).toFixed(1)} s; ${t.requests} requests, ${t.retries} retries, ${(t.rateLimitWaitMs / 1000).toFixed(1)} s waiting for the rate limit.`, '');
    out.push(mdTable(['entity', 'outcomes'], Object.entries(m.apply.counts).map(([k, c]) => [k, Object.entries(c).filter(([, v]) => v).map(([o, v]) => `${o} ${v}`).join(', ') || 'nothing to do'])), '');
    if (m.apply.failures.length) out.push('### Failures', '', mdTable(['kind', 'source id', 'label', 'code', 'message'], m.apply.failures.map((f) => [f.kind, f.sourceId, f.label, f.code, f.message])), '');
  }
  if (m.verify) {
    out.push('## Verify', '', `Checked ${m.verify.checked.agents} agents, ${m.verify.checked.groups} groups, ${m.verify.checked.memberships} memberships: ${m.verify.differences.length ? `${m.verify.differences.length} difference(s)` : 'no differences'}.`, '');
    if (m.verify.differences.length) out.push(mdTable(['kind', 'source id', 'label', 'problem', 'detail'], m.verify.differences.map((d) => [d.kind, d.sourceId, d.label, d.problem, d.detail])), '');
  }
  out.push('## Roles', '', mdTable(['source id', 'source role', 'action', 'target role id', 'reason'], m.roles.map((r) => [r.sourceId, r.name, r.action, r.targetId, r.reason])), '');
  out.push(`## Conflicts (${m.conflicts.length})`, '', m.conflicts.length ? mdTable(['kind', 'source id', 'label', 'reason'], m.conflicts.map((c) => [c.kind, c.sourceId, c.label, c.reason])) : 'None.', '');
  out.push(`## Excluded memberships (${m.excluded.length})`, '', m.excluded.length ? mdTable(['group', 'source id', 'agent', 'reason'], m.excluded.map((x) => [x.group, x.sourceId, x.label, x.reason])) : 'None.', '');
  out.push(`## Warnings (${m.warnings.length})`, '', ...(m.warnings.length ? m.warnings.map((w) => `- ${md(w)}`) : ['None.']), '');
  return out.join('\n');
}

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  // a leading = + - @ would run as a formula in a spreadsheet
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * One row per finding, one `section` column to filter on: totals, lossy fields, roles, conflicts,
 * excluded memberships, and (apply / verify) failures or differences.
 */
export function renderCsv(m: ReportModel): string {
  const rows: unknown[][] = [['section', 'kind', 'source_id', 'label', 'action_or_problem', 'count', 'detail']];
  for (const k of KINDS) for (const a of ACTIONS) rows.push(['total', k, '', '', a, m.totals[k][a], '']);
  for (const f of m.lossyFields) rows.push(['lossy_field', 'agent', '', f.field, '', f.agents, '']);
  for (const r of m.roles) rows.push(['role', 'role', r.sourceId, r.name, r.action, '', `target ${r.targetId}: ${r.reason}`]);
  for (const c of m.conflicts) rows.push(['conflict', c.kind, c.sourceId, c.label, 'conflict', '', c.reason]);
  for (const x of m.excluded) rows.push(['excluded_membership', 'membership', x.sourceId, x.label, x.group, '', x.reason]);
  for (const f of m.apply?.failures ?? []) rows.push(['failure', f.kind, f.sourceId, f.label, f.code, '', f.message]);
  for (const d of m.verify?.differences ?? []) rows.push(['difference', d.kind, d.sourceId, d.label, d.problem, '', d.detail]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
