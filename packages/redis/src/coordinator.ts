import { randomUUID } from 'node:crypto';
import {
  NetworkError,
  abortableSleep,
  createLocalCoordinator,
  raceAbort,
  tenantId,
  type Coordinator,
  type Credential,
  type CredentialCache,
  type LimiterRelease,
  type Logger,
  type RateLimitOptions,
  type SharedLimiter,
} from '@contactkit/core';
import { Redis } from 'ioredis';
import { CANCEL_RESERVATION, COMPARE_AND_DELETE, DROP_IF_VALUE, RESERVE, SEMAPHORE_ACQUIRE } from './scripts';

export interface RedisCoordinatorOptions {
  /** `redis://[:password@]host:port/db`: the coordinator opens (and `close()` closes) its own connection */
  url?: string | undefined;
  /** or a connection of yours (left open by `close()`) */
  client?: Redis | undefined;
  /** prefix of every key (default `contactkit`) */
  namespace?: string | undefined;
  /** how long one Redis call may take before the coordinator is declared unavailable (default 2 000 ms) */
  commandTimeoutMs?: number | undefined;
  /** how long a token fetch may hold the single-flight lock before another process may take it (default 30 000 ms) */
  lockTtlMs?: number | undefined;
  /** how long a concurrency slot is held at most when its holder dies without releasing it (default 120 000 ms) */
  slotLeaseMs?: number | undefined;
  /**
   * With Redis unreachable: 'error' (default) fails each call with CoordinatorUnavailableError before
   * any request is sent; 'local' falls back to this process's own limiter and token cache (the limit
   * then holds per process only: a warning is logged each time it happens).
   */
  onUnavailable?: 'error' | 'local' | undefined;
  logger?: Logger | undefined;
}

/** Redis could not be reached: no vendor request was sent (the shared limit could not be enforced). */
export class CoordinatorUnavailableError extends NetworkError {}

export interface RedisCoordinator extends Coordinator {
  readonly redis: Redis;
  /** closes the connection the coordinator opened (not one passed as `client`) */
  close(): Promise<void>;
}

const POLL_MS = 20;

export function createRedisCoordinator(options: RedisCoordinatorOptions): RedisCoordinator {
  if (!options.client && !options.url) throw new TypeError('createRedisCoordinator: give url or client');
  const owned = !options.client;
  // no offline queue: with Redis down a command fails at once instead of waiting, unbounded, in memory
  const redis = options.client ?? new Redis(options.url!, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  // a connection error is reported per call; unhandled, ioredis would print every reconnect attempt
  if (owned) redis.on('error', () => undefined);
  const ns = options.namespace ?? 'contactkit';
  const where = describeRedis(redis);
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
  const local = options.onUnavailable === 'local' ? createLocalCoordinator() : undefined;

  /** Resolves once the connection is ready (one listener shared by every waiting call). */
  let connecting: Promise<void> | undefined;
  function ready(): Promise<void> | undefined {
    if (redis.status === 'ready' || redis.status === 'end' || redis.status === 'close') return undefined;
    if (redis.status === 'wait') redis.connect().catch(() => undefined);
    connecting ??= new Promise<void>((resolve) =>
      redis.once('ready', () => {
        connecting = undefined;
        resolve();
      }),
    );
    return connecting;
  }

  /** Runs one Redis call; Redis down or slow is a CoordinatorUnavailableError naming host and port, never a password. */
  async function call<T>(what: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${commandTimeoutMs} ms`)), commandTimeoutMs);
      });
      const waiting = ready();
      if (waiting) await Promise.race([waiting, timeout]);
      return await Promise.race([what(), timeout]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CoordinatorUnavailableError(`contactkit: the Redis coordinator at ${where} is unavailable (${reason}); no request was sent`, {
        retryable: false,
        notProcessed: true,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** With `onUnavailable: 'local'`, a Redis failure runs `fallback` instead (logged); else it is thrown. */
  async function orLocal<T>(shared: () => Promise<T>, fallback: (() => Promise<T>) | undefined): Promise<T> {
    try {
      return await shared();
    } catch (error) {
      if (!(error instanceof CoordinatorUnavailableError) || !fallback) throw error;
      options.logger?.warn('contactkit: Redis coordinator unavailable; using this process\'s own limiter and token cache', { redis: where });
      return fallback();
    }
  }

  const limiters = new Map<string, SharedLimiter>();
  const caches = new Map<string, CredentialCache>();
  return {
    redis,
    limiter(tenant, limits) {
      const id = tenantId(tenant);
      let limiter = limiters.get(id);
      if (!limiter) {
        const shared = new RedisLimiter(redis, call, `${ns}:rl:${id}`, `${ns}:sem:${id}`, limits, options.slotLeaseMs ?? 120_000);
        const fallback = local?.limiter(tenant, limits);
        limiter = { acquire: (signal) => orLocal(() => shared.acquire(signal), fallback && (() => fallback.acquire(signal))) };
        limiters.set(id, limiter);
      }
      return limiter;
    },
    credentials(tenant, cacheOptions) {
      const id = tenantId(tenant);
      let cache = caches.get(id);
      if (!cache) {
        const shared = new RedisCredentialCache(redis, call, `${ns}:cred:${id}`, `${ns}:lock:${id}`, cacheOptions?.now ?? Date.now, options.lockTtlMs ?? 30_000);
        const fallback = local?.credentials(tenant, cacheOptions);
        cache = {
          get: (fetch, signal) => orLocal(() => shared.get(fetch, signal), fallback && (() => fallback.get(fetch, signal))),
          invalidate: (rejected) => orLocal(() => shared.invalidate(rejected), fallback && (() => fallback.invalidate(rejected))),
        };
        caches.set(id, cache);
      }
      return cache;
    },
    async close() {
      if (owned) redis.disconnect();
    },
  };
}

type Call = <T>(what: () => Promise<T>) => Promise<T>;

/**
 * Rate: a reservation on a GCRA schedule kept in one Redis key (one round trip, no polling): each
 * caller is given its start time in arrival order and sleeps until then, so waiting is fair and
 * never fails. Concurrency: a semaphore of leased slots (a sorted set), polled while full.
 */
class RedisLimiter implements SharedLimiter {
  private readonly intervalUs: number;
  private readonly burst: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly redis: Redis,
    private readonly call: Call,
    private readonly rateKey: string,
    private readonly slotsKey: string,
    limits: RateLimitOptions,
    private readonly leaseMs: number,
  ) {
    const rpm = limits.requestsPerMinute;
    this.intervalUs = rpm && rpm > 0 ? Math.round(60_000_000 / rpm) : 0;
    this.burst = Math.max(1, limits.burst ?? 1);
    this.maxConcurrent = limits.maxConcurrent && limits.maxConcurrent > 0 ? limits.maxConcurrent : 0;
  }

  async acquire(signal?: AbortSignal): Promise<LimiterRelease> {
    if (signal?.aborted) throw signal.reason;
    const started = Date.now();
    const slot = this.maxConcurrent ? await this.takeSlot(signal) : undefined;
    const release = () => {
      if (slot) void this.call(() => this.redis.zrem(this.slotsKey, slot)).catch(() => undefined);
    };
    try {
      if (this.intervalUs) await this.takeTurn(signal);
    } catch (error) {
      release();
      throw error;
    }
    let released = false;
    const once = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    return Object.assign(once, { waitedMs: Date.now() - started });
  }

  private async takeTurn(signal: AbortSignal | undefined): Promise<void> {
    const [waitUs, reserved] = (await this.call(() => this.redis.eval(RESERVE, 1, this.rateKey, this.intervalUs, this.burst))) as [number, string];
    if (waitUs <= 0) return;
    try {
      await abortableSleep(Math.ceil(waitUs / 1000), signal);
    } catch (error) {
      // give the turn back when nobody has reserved after it (else it simply goes unused)
      await this.call(() => this.redis.eval(CANCEL_RESERVATION, 1, this.rateKey, reserved, this.intervalUs)).catch(() => undefined);
      throw error;
    }
  }

  private async takeSlot(signal: AbortSignal | undefined): Promise<string> {
    const holder = randomUUID();
    for (;;) {
      const granted = await this.call(() => this.redis.eval(SEMAPHORE_ACQUIRE, 1, this.slotsKey, holder, this.maxConcurrent, this.leaseMs));
      if (granted === 1) return holder;
      await abortableSleep(POLL_MS, signal);
    }
  }
}

/**
 * The token in one key (with the expiry its refresh time gives), memoized in process until then; a
 * lock with expiry (SET NX PX) lets one process fetch while the others wait for the key to appear.
 */
class RedisCredentialCache implements CredentialCache {
  private memo: Credential | undefined;
  private inflight: Promise<Credential> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly call: Call,
    private readonly key: string,
    private readonly lockKey: string,
    private readonly now: () => number,
    private readonly lockTtlMs: number,
  ) {}

  get(fetch: () => Promise<Credential>, signal?: AbortSignal): Promise<Credential> {
    const memo = this.memo;
    if (memo && this.now() < memo.refreshAt) return Promise.resolve(memo);
    // one loop per process; each caller stops waiting on its own signal
    this.inflight ??= this.getShared(fetch).finally(() => {
      this.inflight = undefined;
    });
    return raceAbort(this.inflight, signal);
  }

  async invalidate(rejected: string | undefined): Promise<void> {
    if (rejected === undefined || this.memo?.value === rejected) this.memo = undefined;
    const redis = this.redis;
    if (rejected === undefined) await this.call(() => redis.del(this.key));
    else await this.call(() => redis.eval(DROP_IF_VALUE, 1, this.key, rejected));
  }

  private async getShared(fetch: () => Promise<Credential>): Promise<Credential> {
    const redis = this.redis;
    for (;;) {
      const stored = await this.read();
      if (stored) return (this.memo = stored);
      const lock = randomUUID();
      const locked = await this.call(() => redis.set(this.lockKey, lock, 'PX', this.lockTtlMs, 'NX'));
      if (locked === 'OK') {
        try {
          // the holder before us may have stored it between our read and our lock
          const fresh = await this.read();
          if (fresh) return (this.memo = fresh);
          const credential = await fetch();
          await this.write(credential);
          return (this.memo = credential);
        } finally {
          await this.call(() => redis.eval(COMPARE_AND_DELETE, 1, this.lockKey, lock)).catch(() => undefined);
        }
      }
      await abortableSleep(POLL_MS);
    }
  }

  private async read(): Promise<Credential | undefined> {
    const raw = await this.call(() => this.redis.get(this.key));
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as { value: string; refreshAt: number | null; expiresAt?: number };
    const credential: Credential = { value: parsed.value, refreshAt: parsed.refreshAt ?? Infinity, expiresAt: parsed.expiresAt };
    return this.now() < credential.refreshAt ? credential : undefined;
  }

  private async write(credential: Credential): Promise<void> {
    // the token and its times only: the secret it was fetched with never reaches the coordinator
    const json = JSON.stringify({ value: credential.value, refreshAt: Number.isFinite(credential.refreshAt) ? credential.refreshAt : null, expiresAt: credential.expiresAt });
    const ttlMs = credential.refreshAt - this.now();
    const redis = this.redis;
    if (!Number.isFinite(ttlMs)) await this.call(() => redis.set(this.key, json));
    else if (ttlMs > 0) await this.call(() => redis.set(this.key, json, 'PX', Math.ceil(ttlMs)));
  }
}

/** host:port (and db) of the connection, for messages: never its password. */
function describeRedis(redis: Redis): string {
  const { host, port, db, path } = redis.options;
  return path ? String(path) : `redis://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
}
