import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A simulator process driven over IPC, so the bench process measures only the SDK. */
export class SimProcess {
  private child: ChildProcess;
  private queue: Array<(msg: { ok: boolean; data?: unknown; error?: string }) => void> = [];
  constructor() {
    this.child = fork(fileURLToPath(new URL('./sims.ts', import.meta.url)), [], {
      // room for 3 × 100,000 seeded agents
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (msg: { ok: boolean; data?: unknown; error?: string }) => this.queue.shift()?.(msg));
  }
  call<T>(msg: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.queue.push((reply) => (reply.ok ? resolve(reply.data as T) : reject(new Error(reply.error))));
      this.child.send(msg);
    });
  }
  start(opts: { agents: number; groups: number; roles?: number; seedInto: SimKey[]; rateLimit?: Record<string, { requestsPerMinute: number } | false>; latencyMs?: number }): Promise<SimEndpoints> {
    return this.call<SimEndpoints>({ cmd: 'start', roles: 6, ...opts });
  }
  async stop(): Promise<void> {
    await this.call({ cmd: 'stop' }).catch(() => undefined);
    this.child.kill();
  }
}

export type SimKey = 'udesk' | 'kf5' | 'huaweiAicc';
export interface SimEndpoints {
  udesk: { baseUrl: string; credentials: { email: string; apiToken: string; password: string } };
  kf5: { baseUrl: string; credentials: { email: string; apiToken: string; password: string } };
  huaweiAicc: { baseUrl: string; credentials: { appKey: string; appSecret: string } };
  seedMs: number;
}

export interface SimStats {
  requests: number;
  rateLimited: number;
  tokenRequests?: number;
  [k: string]: unknown;
}

export const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

let gcFn: (() => void) | undefined;
/** A forced full GC, whether or not node was started with --expose-gc. */
export function gc(): void {
  if (!gcFn) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
  gcFn();
}
