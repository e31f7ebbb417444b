import { Slots } from './slots';
import { abortableSleep } from './sleep';

/**
 * Adaptive concurrency: how many requests a client keeps in flight when the vendor documents no
 * limit. Additive increase while answers come back fast, multiplicative decrease on a throttle, an
 * overload (502/503/504, a timeout, a dropped connection) or a latency jump — TCP's congestion
 * window, as Netflix's concurrency-limits applies it to RPC.
 */
export interface AdaptiveConcurrencyOptions {
  /** requests in flight at the start (default 4) */
  initial?: number | undefined;
  /** never more in flight than this (default 32) */
  max?: number | undefined;
  /** never fewer (default 1) */
  min?: number | undefined;
  /** a reply slower than this many times the baseline latency (and at least 50 ms slower) counts as congestion (default 3) */
  latencyTolerance?: number | undefined;
  /** the factor the window shrinks by on congestion (default 0.5) */
  backoff?: number | undefined;
}

/** What one request told the limiter. */
export type AttemptOutcome =
  | { kind: 'ok'; latencyMs: number }
  | { kind: 'throttled'; retryAfterMs?: number | undefined }
  | { kind: 'overloaded' }
  /** says nothing about the vendor's capacity (an abort, a bug) */
  | { kind: 'ignored' };

export type AdaptiveRelease = (outcome: AttemptOutcome) => void;

export interface AdaptiveStats {
  /** the current window (requests allowed in flight) */
  limit: number;
  inFlight: number;
  /** ms between request starts when pacing after a throttle; 0 when not pacing */
  pacingMs: number;
  throttles: number;
  decreases: number;
}

/** The window a throttle leaves behind is held this long before the pace is probed upwards again. */
const PROBE_EVERY_MS = 5_000;
/**
 * Accepted requests are remembered this long to estimate the rate a vendor allows: documented limits
 * are per minute, so the answers of the last minute are what its window counted.
 */
const RATE_WINDOW_MS = 60_000;
const MIN_ACCEPTED_FOR_RATE = 10;
/** The least added latency that counts as a jump, whatever the baseline. */
const LATENCY_MARGIN_MS = 50;
/**
 * The share of the accepted rate a throttled client paces at. The estimate counts requests the vendor
 * took before its limit began, so it runs high; a fifth below it the pace holds on the first try.
 */
const PACE_SHARE = 0.8;
/** Throttles among the last RECENT_ANSWERS answers that mean a limit was reached, not a hiccup. */
const RECENT_ANSWERS = 20;
const SUSTAINED_THROTTLES = 8;

export class AdaptiveLimiter {
  private limit: number;
  private readonly max: number;
  private readonly min: number;
  private readonly tolerance: number;
  private readonly backoff: number;
  private readonly slots = new Slots(() => Math.floor(this.limit));
  /** no request starts before this (a Retry-After applies to the whole client, not only to the one request) */
  private pausedUntil = 0;
  /** after a throttle: the spacing of request starts that stays under the rate the vendor allowed */
  private pacingMs = 0;
  private nextStartAt = 0;
  private lastProbeAt = 0;
  private baselineMs: number | undefined;
  /** a congestion signal from a request started before the last decrease was already answered by it */
  private lastDecreaseAt = -Infinity;
  private lastPaceAt = -Infinity;
  /** whether each of the last RECENT_ANSWERS answers was a throttle */
  private readonly recent: boolean[] = [];
  /** start times of the requests the vendor accepted in the last RATE_WINDOW_MS (from index `head`) */
  private accepted: number[] = [];
  private head = 0;
  private throttles = 0;
  private decreases = 0;

  constructor(options: AdaptiveConcurrencyOptions = {}) {
    this.max = Math.max(1, options.max ?? 32);
    this.min = Math.min(this.max, Math.max(1, options.min ?? 1));
    this.limit = Math.min(this.max, Math.max(this.min, options.initial ?? 4));
    this.tolerance = Math.max(1.1, options.latencyTolerance ?? 3);
    this.backoff = Math.min(0.95, Math.max(0.1, options.backoff ?? 0.5));
  }

  stats(): AdaptiveStats {
    return { limit: Math.floor(this.limit), inFlight: this.slots.inFlight, pacingMs: Math.round(this.pacingMs), throttles: this.throttles, decreases: this.decreases };
  }

  /** Waits for a place in the window, any pause and the pace; resolves with the function that reports the outcome. */
  async acquire(signal?: AbortSignal): Promise<AdaptiveRelease> {
    await this.slots.take(signal);
    try {
      await this.waitForTurn(signal);
    } catch (error) {
      this.slots.free();
      throw error;
    }
    const startedAt = Date.now();
    let done = false;
    return (outcome) => {
      if (done) return;
      done = true;
      this.slots.free();
      this.learn(outcome, startedAt);
    };
  }

  private async waitForTurn(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      const at = Math.max(this.pausedUntil, this.pacingMs > 0 ? this.nextStartAt : 0);
      if (at <= now) break;
      await abortableSleep(Math.ceil(at - now), signal);
    }
    if (this.pacingMs > 0) this.nextStartAt = Math.max(Date.now(), this.nextStartAt) + this.pacingMs;
  }

  private learn(outcome: AttemptOutcome, startedAt: number): void {
    const now = Date.now();
    if (outcome.kind !== 'ignored') this.note(outcome.kind === 'throttled');
    if (outcome.kind === 'ok') {
      this.remember(startedAt, now);
      return this.onAnswer(outcome.latencyMs, startedAt, now);
    }
    if (outcome.kind === 'overloaded') return this.decrease(startedAt, now);
    if (outcome.kind === 'throttled') return this.onThrottle(outcome.retryAfterMs, startedAt, now);
  }

  private onAnswer(latencyMs: number, startedAt: number, now: number): void {
    // the baseline is the fastest recent answer, drifting up slowly so a vendor that got slower for good is re-learned
    this.baselineMs = this.baselineMs === undefined ? latencyMs : Math.min(latencyMs, this.baselineMs * 1.002);
    // a jump is a multiple of the baseline AND tens of ms: a fast vendor's jitter (1 → 12 ms) is not congestion
    if (latencyMs > Math.max(this.tolerance * this.baselineMs, this.baselineMs + LATENCY_MARGIN_MS)) return this.decrease(startedAt, now);
    this.limit = Math.min(this.max, this.limit + 1 / this.limit);
    this.slots.wake();
    if (this.pacingMs > 0 && now - this.lastProbeAt >= PROBE_EVERY_MS) {
      // probe: a little faster each quiet period, until pacing is no longer needed
      this.lastProbeAt = now;
      this.pacingMs = this.pacingMs > 1 ? this.pacingMs * 0.9 : 0;
    }
  }

  /**
   * A lone throttle (a vendor's hiccup) cuts the window and leaves the wait to the throttled request
   * itself. Sustained throttling (a limit reached: most recent answers are 429s) pauses the whole
   * client for the Retry-After, then paces starts a fifth below the rate the vendor accepted.
   */
  private onThrottle(retryAfterMs: number | undefined, startedAt: number, now: number): void {
    this.throttles++;
    this.decrease(startedAt, now);
    if (!this.sustained()) return;
    if (retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    if (startedAt <= this.lastPaceAt) return; // started before the last pace change, which already answered it
    this.lastPaceAt = now;
    // the vendor's window: about twice the wait it asks for (its oldest counted request leaves then), 1 s to 1 min
    const spanMs = Math.min(RATE_WINDOW_MS, Math.max(1_000, 2 * (retryAfterMs ?? RATE_WINDOW_MS)));
    const accepted = this.acceptedSince(now - spanMs);
    if (accepted < MIN_ACCEPTED_FOR_RATE) return; // too few answers to tell a rate
    this.pacingMs = Math.max(this.pacingMs * 1.25, spanMs / (PACE_SHARE * accepted));
    this.lastProbeAt = now + (retryAfterMs ?? 0);
  }

  /** Most of the recent answers were throttles: a limit, not a hiccup. */
  private sustained(): boolean {
    return this.recent.filter(Boolean).length >= SUSTAINED_THROTTLES;
  }

  private note(throttled: boolean): void {
    this.recent.push(throttled);
    if (this.recent.length > RECENT_ANSWERS) this.recent.shift();
  }

  private decrease(startedAt: number, now: number): void {
    // one cut per round trip: the requests already in flight when it was made do not cut again
    if (startedAt <= this.lastDecreaseAt) return;
    this.lastDecreaseAt = now;
    this.decreases++;
    this.limit = Math.max(this.min, this.limit * this.backoff);
  }

  private acceptedSince(at: number): number {
    let n = 0;
    for (let i = this.accepted.length - 1; i >= this.head && this.accepted[i]! >= at; i--) n++;
    return n;
  }

  private remember(startedAt: number | undefined, now: number): void {
    if (startedAt !== undefined) this.accepted.push(startedAt);
    while (this.head < this.accepted.length && this.accepted[this.head]! < now - RATE_WINDOW_MS) this.head++;
    if (this.head > 1024 && this.head * 2 > this.accepted.length) {
      this.accepted = this.accepted.slice(this.head);
      this.head = 0;
    }
  }

}
