import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ValidationError } from '@contactkit/core';
import { renderHtml } from './html';
import { reportModel, type ReportInput } from './model';
import { renderCsv, renderMarkdown } from './text';

export type ReportFormat = 'html' | 'md' | 'csv';

/** The format a report file's extension asks for: .html/.htm, .md, .csv. */
export function reportFormat(file: string): ReportFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.md' || ext === '.markdown') return 'md';
  if (ext === '.csv') return 'csv';
  throw new ValidationError([{ path: '--report', message: `${file}: give a .html, .md or .csv file` }]);
}

export function renderReport(input: ReportInput, format: ReportFormat): string {
  const model = reportModel(input);
  return format === 'html' ? renderHtml(model) : format === 'md' ? renderMarkdown(model) : renderCsv(model);
}

export function writeReport(file: string, input: ReportInput): void {
  writeFileSync(file, renderReport(input, reportFormat(file)));
}
