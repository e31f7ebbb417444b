import type { LimiterRelease, SharedLimiter } from './coordinator';
import { Slots } from './slots';
import { abortableSleep, raceAbort } from './sleep';

export interface RateLimitOptions {
  /** sustained rate; requests are spaced evenly (default burst 1) */
  requestsPerMinute?: number;
  /** requests in flight at once */
  maxConcurrent?: number;
  /** how many requests may go at once before spacing applies (default 1: never exceed the rate in any window) */
  burst?: number;
}

/**
 * A token bucket with a concurrency cap. `acquire` resolves when a request may start and
 * returns its release function. Waiters are served first-in first-out. The in-process limiter
 * of `createLocalCoordinator` (every client's default).
 */
export class RateLimiter implements SharedLimiter {
  private readonly intervalMs: number;
  private readonly burst: number;
  private readonly maxConcurrent: number;
  private tokens: number;
  private lastRefill: number;
  private readonly slots: Slots;
  private chain: Promise<void> = Promise.resolve();
  /** total ms callers spent waiting in `acquire` (for a slot or a token): reported by the migration */
  waitedMs = 0;

  constructor(options: RateLimitOptions) {
    const rpm = options.requestsPerMinute;
    this.intervalMs = rpm && rpm > 0 ? 60_000 / rpm : 0;
    this.burst = Math.max(1, options.burst ?? 1);
    this.maxConcurrent = options.maxConcurrent && options.maxConcurrent > 0 ? options.maxConcurrent : Infinity;
    this.slots = new Slots(() => this.maxConcurrent);
    this.tokens = this.burst;
    this.lastRefill = Date.now();
  }

  /**
   * Resolves with the release function once a request may start; rejects with the signal's reason
   * as soon as the signal aborts (even while queued behind other callers). The release function
   * carries `waitedMs`: how long this caller waited.
   */
  async acquire(signal?: AbortSignal): Promise<LimiterRelease> {
    if (signal?.aborted) throw signal.reason;
    const started = Date.now();
    await this.slots.take(signal);
    // tokens are taken in arrival order: each caller waits behind the previous one
    const turn = this.chain.then(() => this.takeToken(signal));
    this.chain = turn.catch(() => undefined);
    try {
      await raceAbort(turn, signal);
    } catch (error) {
      this.slots.free();
      throw error;
    }
    const waitedMs = Date.now() - started;
    this.waitedMs += waitedMs;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.slots.free();
      }
    };
    return Object.assign(release, { waitedMs });
  }

  private async takeToken(signal?: AbortSignal): Promise<void> {
    // a caller that gave up while queued must not consume a token (or make the next caller wait)
    if (signal?.aborted) throw signal.reason;
    if (this.intervalMs === 0) return;
    this.refill();
    if (this.tokens < 1) {
      const wait = Math.ceil((1 - this.tokens) * this.intervalMs);
      await abortableSleep(wait, signal);
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = Date.now();
    const elapsed = now - this.lastRefill;
    this.lastRefill = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed / this.intervalMs);
  }

}
