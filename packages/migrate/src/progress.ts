/** Progress of one long phase: count, total when known, rate, elapsed and ETA. */
export interface ProgressLine {
  phase: string;
  done: number;
  total?: number | undefined;
}

export interface ProgressRendererOptions {
  /** redraw in place (a terminal) or print plain periodic lines (a log, CI) */
  tty: boolean;
  /** plain mode: at most one line per this many ms for the same phase (default 5 000) */
  plainIntervalMs?: number;
  /** tty mode: at most one redraw per this many ms (default 100) */
  redrawMs?: number;
  now?: () => number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "1,234/20,000 (6%) · 12.3/s · elapsed 1 min 40 s · ETA 25 min 30 s" */
export function describeProgress(p: ProgressLine, elapsedMs: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const rate = elapsedMs > 0 ? (p.done / elapsedMs) * 1000 : 0;
  const parts = [p.total ? `${n(p.done)}/${n(p.total)} (${Math.floor((p.done / p.total) * 100)}%)` : n(p.done)];
  parts.push(rate >= 10 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`);
  parts.push(`elapsed ${formatDuration(elapsedMs)}`);
  if (p.total && p.done < p.total) parts.push(rate > 0 ? `ETA ${formatDuration(((p.total - p.done) / rate) * 1000)}` : 'ETA …');
  return parts.join(' · ');
}

/**
 * Turns progress events into text: on a terminal one line per phase redrawn in place with a bar;
 * otherwise a plain line when a phase starts, every `plainIntervalMs`, and when it completes.
 */
export class ProgressRenderer {
  private phase = '';
  private started = 0;
  private lastDraw = 0;
  private open = false;
  private readonly now: () => number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: ProgressRendererOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  update(p: ProgressLine): void {
    const now = this.now();
    const newPhase = p.phase !== this.phase;
    if (newPhase) {
      this.close();
      this.phase = p.phase;
      this.started = now;
      this.lastDraw = 0;
    }
    const complete = p.total !== undefined && p.total > 0 && p.done >= p.total;
    const interval = this.options.tty ? (this.options.redrawMs ?? 100) : (this.options.plainIntervalMs ?? 5_000);
    if (!newPhase && !complete && now - this.lastDraw < interval) return;
    this.lastDraw = now;
    // a phase that has only started says so, without a meaningless 0/s
    const text = p.done === 0 && !p.total ? `  ${p.phase}…` : `  ${p.phase}: ${describeProgress(p, now - this.started)}`;
    if (this.options.tty) {
      this.write(`\r\x1b[2K${bar(p)}${text}`);
      this.open = true;
      if (complete) this.close();
    } else this.write(text + '\n');
  }

  /** ends a line redrawn in place, so the next text starts on its own line */
  close(): void {
    if (this.open) this.write('\n');
    this.open = false;
  }
}

function bar(p: ProgressLine): string {
  if (!p.total) return '';
  const width = 24;
  const filled = Math.min(width, Math.round((p.done / p.total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
