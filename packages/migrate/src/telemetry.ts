import { appendFileSync, writeFileSync } from 'node:fs';
import { redact, type Hooks, type Logger, type TransportStats } from '@contactkit/core';

/** Requests, retries, errors and waits per second of a run: what the apply report draws as a timeline. */
export interface TimelineBucket {
  /** ms since the run started, at the bucket's start */
  atMs: number;
  requests: number;
  retries: number;
  errors: number;
  /** ms of retry back-off (Retry-After or exponential) scheduled in this second */
  retryWaitMs: number;
  /** of the errors, how many were RATE_LIMITED replies */
  rateLimited: number;
}

export interface Timeline {
  startedAt: string;
  /** the width of each bucket: 100 ms, widened so a long run keeps at most MAX_BUCKETS */
  bucketMs: number;
  buckets: TimelineBucket[];
  /** the transports' own counters at the end, per client (`rateLimitWaitMs`: time spent in the client's limiter) */
  stats: Array<{ vendor: string; stats: TransportStats }>;
}

const FINE_MS = 100;
const MAX_BUCKETS = 120;

/** Collects a timeline through the transport hooks, bucketed so 20,000 requests stay small. */
export class TimelineRecorder {
  private readonly started = Date.now();
  private readonly buckets = new Map<number, TimelineBucket>();
  private readonly stats: Timeline['stats'] = [];

  readonly hooks: Hooks = {
    afterResponse: () => void this.bucket().requests++,
    onRetry: (info) => {
      const b = this.bucket();
      b.retries++;
      b.retryWaitMs += info.delayMs;
    },
    onError: (info) => {
      const b = this.bucket();
      b.errors++;
      if (info.error.code === 'RATE_LIMITED') b.rateLimited++;
    },
  };

  addStats(vendor: string, stats: TransportStats): void {
    this.stats.push({ vendor, stats });
  }

  timeline(): Timeline {
    const fine = [...this.buckets.values()];
    const lastMs = Math.max(FINE_MS, ...fine.map((b) => b.atMs + FINE_MS));
    const bucketMs = Math.max(FINE_MS, Math.ceil(lastMs / MAX_BUCKETS / FINE_MS) * FINE_MS);
    const wide = new Map<number, TimelineBucket>();
    for (const b of fine) {
      const atMs = Math.floor(b.atMs / bucketMs) * bucketMs;
      const w = wide.get(atMs) ?? { ...empty(atMs) };
      wide.set(atMs, { atMs, requests: w.requests + b.requests, retries: w.retries + b.retries, errors: w.errors + b.errors, retryWaitMs: w.retryWaitMs + b.retryWaitMs, rateLimited: w.rateLimited + b.rateLimited });
    }
    return { startedAt: new Date(this.started).toISOString(), bucketMs, buckets: [...wide.values()].sort((a, b) => a.atMs - b.atMs), stats: this.stats };
  }

  private bucket(): TimelineBucket {
    const atMs = Math.floor((Date.now() - this.started) / FINE_MS) * FINE_MS;
    let b = this.buckets.get(atMs);
    if (!b) this.buckets.set(atMs, (b = empty(atMs)));
    return b;
  }
}

function empty(atMs: number): TimelineBucket {
  return { atMs, requests: 0, retries: 0, errors: 0, retryWaitMs: 0, rateLimited: 0 };
}

/**
 * The transport's debug log as JSON lines in a file. The transport already hands loggers redacted
 * views; redact() runs again here so nothing a future caller logs can put a secret in the file.
 */
export function fileLogger(path: string): Logger {
  writeFileSync(path, '', { mode: 0o600 });
  const write = (level: string) => (message: string, meta?: Record<string, unknown>) =>
    appendFileSync(path, JSON.stringify(redact({ time: new Date().toISOString(), level, message, ...meta })) + '\n');
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Both sets of hooks called in turn (either may be absent). */
export function combineHooks(...all: Array<Hooks | undefined>): Hooks | undefined {
  const hooks = all.filter((h): h is Hooks => !!h);
  if (hooks.length <= 1) return hooks[0];
  const each = <K extends keyof Hooks>(name: K) =>
    (async (info: never) => {
      for (const h of hooks) await (h[name] as ((i: never) => unknown) | undefined)?.call(h, info);
    }) as NonNullable<Hooks[K]>;
  return { beforeRequest: each('beforeRequest'), afterResponse: each('afterResponse'), onRetry: each('onRetry'), onError: each('onError') };
}
