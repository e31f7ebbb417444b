import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { redact } from '@contactkit/core';
import { createRedisCoordinator, type RedisCoordinator } from './coordinator';
import { COMPARE_AND_DELETE } from './scripts';

/**
 * The journal calls of @contactkit/migrate's `JournalStore` (structurally: this package does not
 * depend on the migration engine; records are stored as the JSON they are).
 */
export interface RedisJournalStore<R = unknown> {
  open(purpose: string): Promise<void>;
  load(): Promise<R[]>;
  append(record: R): Promise<void>;
  close(): Promise<void>;
}

/** Another worker holds this plan's journal (and did not let it go within `waitMs`). */
export class JournalBusyError extends Error {
  readonly code = 'JOURNAL_BUSY';
}

/** Appends only while this holder owns the lock: a worker that lost it (stalled, presumed dead) can no longer write. */
const FENCED_APPEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('JOURNAL_LOCK_LOST') end
return redis.call('RPUSH', KEYS[2], ARGV[2])
`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

export interface RedisJournalOptions {
  /** the plan the journal belongs to (its key) */
  planId: string;
  namespace?: string | undefined;
  /** the lock's expiry: a killed holder frees the journal this long after its last renewal (default 10 000 ms) */
  lockTtlMs?: number | undefined;
  /** how long `open` waits for another holder's lock to be released or to expire (default 2 × lockTtlMs) */
  waitMs?: number | undefined;
}

/**
 * A migration journal in a Redis list, so any worker can resume a plan another one started. `open`
 * takes an expiring lock (renewed while open); every append is fenced by it, so two workers never
 * write one journal. Keep Redis durable (appendonly yes) where a lost journal would matter.
 */
export class RedisJournal<R = unknown> implements RedisJournalStore<R> {
  private readonly listKey: string;
  private readonly lockKey: string;
  private readonly lockTtlMs: number;
  private readonly waitMs: number;
  private token: string | undefined;
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    options: RedisJournalOptions,
  ) {
    const ns = options.namespace ?? 'contactkit';
    this.listKey = `${ns}:journal:${options.planId}`;
    this.lockKey = `${ns}:journal-lock:${options.planId}`;
    this.lockTtlMs = options.lockTtlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 2 * this.lockTtlMs;
  }

  async open(purpose: string): Promise<void> {
    if (this.token) return;
    const token = `${purpose}:${randomUUID()}`;
    const until = Date.now() + this.waitMs;
    while ((await this.redis.set(this.lockKey, token, 'PX', this.lockTtlMs, 'NX')) !== 'OK') {
      if (Date.now() > until) throw new JournalBusyError(`the journal of plan ${this.listKey} is in use by another worker`);
      await new Promise((r) => setTimeout(r, 200));
    }
    this.token = token;
    this.renewal = setInterval(() => {
      void this.redis.eval(RENEW, 1, this.lockKey, token, this.lockTtlMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.lockTtlMs / 3)));
    this.renewal.unref();
  }

  async load(): Promise<R[]> {
    const out: R[] = [];
    for (const line of await this.redis.lrange(this.listKey, 0, -1)) out.push(JSON.parse(line) as R);
    return out;
  }

  async append(record: R): Promise<void> {
    if (!this.token) throw new Error('RedisJournal: open() it before appending');
    await this.redis.eval(FENCED_APPEND, 2, this.lockKey, this.listKey, this.token, JSON.stringify(record));
  }

  async close(): Promise<void> {
    clearInterval(this.renewal);
    const token = this.token;
    this.token = undefined;
    if (token) await this.redis.eval(COMPARE_AND_DELETE, 1, this.lockKey, token).catch(() => undefined);
  }
}

/**
 * A plan's sealed generated passwords in a Redis list (the records of @contactkit/migrate's
 * SealedPasswords: encrypted to the operator's public key, never a password in clear), so the
 * passwords of a job survive the worker that made them, as its journal does.
 */
export class RedisSealedStore {
  readonly key: string;
  constructor(
    private readonly redis: Redis,
    options: { planId: string; namespace?: string | undefined },
  ) {
    this.key = `${options.namespace ?? 'contactkit'}:passwords:${options.planId}`;
  }
  async append(record: string): Promise<void> {
    await this.redis.rpush(this.key, record);
  }
  load(): Promise<string[]> {
    return this.redis.lrange(this.key, 0, -1);
  }
  describe(): string {
    return `the Redis list ${this.key}`;
  }
}

/** The sealed password records of a plan, read by the operator who holds the private key. */
export async function readSealedPasswords(options: JobsConnection & { planId: string }): Promise<string[]> {
  const redis = new Redis(options.redis, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    return await new RedisSealedStore(redis, options).load();
  } finally {
    redis.disconnect();
  }
}

/** A plan as submitted: what the engine needs besides credentials (which never travel through Redis). */
export interface PlanLike {
  /** the plan id: the job id and the journal key */
  id: string;
}

/** What a worker reports while it runs a plan (the engine's ProgressEvent). */
export interface MigrationProgress {
  phase: string;
  done: number;
  total: number;
}

export interface JobsConnection {
  /** `redis://host:port`; the queue opens its own connections */
  redis: string;
  /** queue and key prefix (default `contactkit`) */
  namespace?: string | undefined;
}

export interface StartMigrationWorkerOptions<P extends PlanLike, Report, R = unknown> extends JobsConnection {
  /**
   * Runs one plan: the CLI calls the migration engine's `apply(plan, { journal, onProgress, stop,
   * target, passwords })`, its target client built from this worker's own configuration with
   * `coordinator` (on the same Redis), so all workers share each tenant's limit and token.
   */
  run(
    plan: P,
    context: {
      journal: RedisJournal<R>;
      coordinator: RedisCoordinator;
      /** where sealed generated passwords go, so they outlive this worker */
      sealedPasswords: RedisSealedStore;
      onProgress(event: MigrationProgress): void;
      stop: AbortSignal;
      jobId: string;
    },
  ): Promise<Report>;
  /** plans run at once by this worker (default 1) */
  concurrency?: number | undefined;
  /** how long a worker's job lock lasts without renewal: a killed worker's plan is picked up after it (default 10 000 ms) */
  lockDurationMs?: number | undefined;
  /** journal lock expiry (default lockDurationMs) */
  journalLockTtlMs?: number | undefined;
  /** called when this worker starts a job (also for a job it takes over from a stalled worker) */
  onJob?: ((jobId: string) => void) | undefined;
  /**
   * Called once when this worker loses Redis. The plan in hand cannot go on (its journal cannot be
   * written, so the run stops): exit, and let the supervisor start a fresh worker once Redis is back;
   * plans resume from their journal. Default: nothing (the worker keeps reconnecting).
   */
  onRedisLost?: ((error: RedisUnavailableError) => void) | undefined;
}

export interface MigrationWorker {
  /** finishes the jobs in hand (their plans are stopped gracefully), then disconnects */
  close(): Promise<void>;
}

const QUEUE = 'migrations';

/** BullMQ job ids may not hold ':' */
function jobIdOf(plan: PlanLike): string {
  return `plan-${plan.id.replace(/:/g, '_')}`;
}

/**
 * A worker that runs migration jobs from the BullMQ queue. A job is its plan: the job id is the plan
 * id, so a plan is queued once; BullMQ's job lock keeps it on one worker, and when that worker dies
 * the stalled job goes to another, which resumes from the journal in Redis.
 */
export function startMigrationWorker<P extends PlanLike, Report, R = unknown>(options: StartMigrationWorkerOptions<P, Report, R>): MigrationWorker {
  const prefix = options.namespace ?? 'contactkit';
  const lockDuration = options.lockDurationMs ?? 10_000;
  const journalRedis = new Redis(options.redis, { maxRetriesPerRequest: 1 });
  // failures surface on the calls (journal appends, coordinator); unhandled, ioredis prints each reconnect
  journalRedis.on('error', () => undefined);
  const coordinator = createRedisCoordinator({ client: journalRedis, namespace: prefix });
  const stop = new AbortController();
  // BullMQ leaves a connection it was given open: closed with the worker
  // (BullMQ's blocking commands need maxRetriesPerRequest null)
  const workerConnection = new Redis(options.redis, { maxRetriesPerRequest: null });
  workerConnection.on('error', () => undefined);
  if (options.onRedisLost) {
    let told = false;
    const lost = (cause: Error) => {
      if (told) return;
      told = true;
      stop.abort();
      options.onRedisLost!(new RedisUnavailableError(`lost the connection to Redis at ${redact(options.redis)} (${(cause as NodeJS.ErrnoException).code ?? cause.message}): this worker stops; start a fresh one once Redis is back (plans resume from their journal)`, { cause }));
    };
    journalRedis.once('error', lost);
    workerConnection.once('error', lost);
  }
  const worker = new Worker<P, Report>(
    QUEUE,
    async (job: Job<P, Report>) => {
      options.onJob?.(job.id!);
      const journal = new RedisJournal<R>(journalRedis, { planId: job.data.id, namespace: prefix, lockTtlMs: options.journalLockTtlMs ?? lockDuration });
      return options.run(job.data, {
        journal,
        coordinator,
        sealedPasswords: new RedisSealedStore(journalRedis, { planId: job.data.id, namespace: prefix }),
        onProgress: (event) => void job.updateProgress({ ...event }).catch(() => undefined),
        stop: stop.signal,
        jobId: job.id!,
      });
    },
    {
      connection: workerConnection,
      prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
      // a plan that a dying worker held is taken over, not failed (the journal makes it safe to resume)
      maxStalledCount: 10,
    },
  );
  worker.on('error', () => undefined);
  return {
    async close() {
      stop.abort();
      await worker.close();
      workerConnection.disconnect();
      journalRedis.disconnect();
    },
  };
}

/** The submitter lost Redis: the job's outcome cannot be followed, and what to do about it. */
export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
}

function redisLostError(url: string, jobId: string, cause: Error): RedisUnavailableError {
  const where = redact(url);
  return new RedisUnavailableError(
    `lost the connection to Redis at ${where} (${(cause as NodeJS.ErrnoException).code ?? cause.message}) while following job ${jobId}: ` +
      'its outcome cannot be followed from here. A worker that cannot write its journal stops sending; once Redis is back, ' +
      'submit the plan again: it resumes from the journal, or, if Redis lost its data, adopts by email what the first run created',
    { cause },
  );
}

export type MigrationJobEvent<Report> =
  | { type: 'progress'; progress: MigrationProgress }
  | { type: 'completed'; report: Report }
  | { type: 'failed'; message: string };

export interface SubmittedMigration<Report> {
  jobId: string;
  /** progress events until the job completes or fails (then the iteration ends) */
  events: AsyncIterable<MigrationJobEvent<Report>>;
  /** the worker's report */
  result: Promise<Report>;
  close(): Promise<void>;
}

/**
 * Queues a plan (once: the job id is the plan id) and follows it. Only the plan travels: the
 * workers hold the credentials.
 */
export async function submitMigration<P extends PlanLike, Report>(plan: P, options: JobsConnection & { attempts?: number }): Promise<SubmittedMigration<Report>> {
  const prefix = options.namespace ?? 'contactkit';
  // BullMQ leaves a connection it was given open: this one is ours to close. It never reconnects (nor
  // does the copy QueueEvents makes of it for its blocking reads): a lost Redis ends the follow, and a
  // client left reconnecting could not be closed (ioredis parks one disconnected between two attempts,
  // and BullMQ's close waits for an `end` that never comes)
  const connection = new Redis(options.redis, { maxRetriesPerRequest: null, retryStrategy: () => null });
  const jobId = jobIdOf(plan);
  // Redis gone (or not there) while submitting or following: say so at once rather than hang
  let closing = false;
  const lost = new Promise<never>((_, reject) => {
    let cause: Error | undefined;
    // (unheard, ioredis prints each error)
    connection.on('error', (error: Error) => (cause ??= error));
    connection.once('end', () => reject(closing ? new Error(`stopped following job ${jobId}: closed before it finished`) : redisLostError(options.redis, jobId, cause ?? new Error('connection closed'))));
  });
  lost.catch(() => undefined);
  const queue = new Queue(QUEUE, { connection, prefix });
  const queueEvents = new QueueEvents(QUEUE, { connection, prefix });
  const close = async () => {
    closing = true;
    await queueEvents.close();
    await queue.close();
    connection.disconnect();
  };
  // (unheard, BullMQ prints every connection failure: the loss is reported once, through `result`)
  queue.on('error', () => undefined);
  queueEvents.on('error', () => undefined);
  let job: Job<P, Report>;
  try {
    await Promise.race([queueEvents.waitUntilReady(), lost]);
    job = await Promise.race([queue.add('apply', plan, { jobId, attempts: options.attempts ?? 1, removeOnComplete: false, removeOnFail: false }), lost]);
  } catch (error) {
    await close();
    throw error;
  }

  const buffered: Array<MigrationJobEvent<Report>> = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const push = (event: MigrationJobEvent<Report>) => {
    buffered.push(event);
    wake?.();
  };
  queueEvents.on('progress', ({ jobId: id, data }) => {
    if (id === jobId) push({ type: 'progress', progress: data as MigrationProgress });
  });
  const result = Promise.race([job.waitUntilFinished(queueEvents) as Promise<Report>, lost]);
  result.then(
    (report) => push({ type: 'completed', report }),
    (error: unknown) => push({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
  result.catch(() => undefined);

  async function* events(): AsyncGenerator<MigrationJobEvent<Report>> {
    while (!finished) {
      while (buffered.length) {
        const event = buffered.shift()!;
        yield event;
        if (event.type !== 'progress') {
          finished = true;
          return;
        }
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }

  return {
    jobId,
    events: events(),
    result,
    close,
  };
}
