import { chmodSync, closeSync, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import type * as fs from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@contactkit/core';
import { lockJournalDir } from './lock';

/** One line of the journal. An `intent` is written before a write to the target, `done` or `failed` after. */
export type JournalRecord =
  | { type: 'bound'; at: string; binding: JournalBinding }
  | { type: 'intent'; key: string; at: string }
  | {
      type: 'done';
      key: string;
      targetId: string;
      at: string;
      note?: string;
      /** this run made the entity (created, or a lost create adopted): what a rollback may delete */
      created?: boolean;
      /** membership steps: the member ids added, what a rollback removes */
      added?: string[];
      /** agent creates: the target groups the create itself put the agent in (a vendor that takes groups on create) */
      joined?: string[];
    }
  | { type: 'failed'; key: string; at: string; code: string; vendorCode?: string | undefined; message: string }
  /** a rollback removed what the `done` record of `key` made: the step counts as not done again */
  | { type: 'undone'; key: string; at: string; note?: string };

/** What a journal belongs to: written as its first record, checked by every later run. */
export interface JournalBinding {
  planId: string;
  source: { vendor: string; tenant?: string | undefined };
  target: { vendor: string; tenant?: string | undefined };
}

/** Where the journal lives: a file by default; a database can implement the same calls. */
export interface JournalStore {
  /** takes exclusive use of the journal (FileJournal: a lock file in its directory); `close` gives it back */
  open?(purpose: string): Promise<void>;
  load(): Promise<JournalRecord[]>;
  append(record: JournalRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * An append-only file whose appends resolve only once they are on disk. Appends made in the same
 * turn of the event loop share one fsync (group commit): with 8 writes in flight that is one fsync
 * instead of 8, and no caller goes on before its own line is durable.
 */
export class DurableAppender {
  private fd: number | undefined;
  private pending: Promise<void> | undefined;
  /** the first write or fsync that failed: every later append fails with it, nothing goes on after it */
  private broken: Error | undefined;
  constructor(
    readonly path: string,
    private readonly fsync = true,
    private readonly io: Pick<typeof fs, 'writeSync' | 'fsyncSync'> = { writeSync, fsyncSync },
  ) {}

  async append(line: string): Promise<void> {
    if (this.broken) throw this.broken;
    try {
      if (this.fd === undefined) {
        this.fd = openSync(this.path, 'a+', 0o600);
        // a previous crash may have left a torn line without a newline: start on a fresh line
        const size = fstatSync(this.fd).size;
        const last = Buffer.alloc(1);
        if (size > 0 && readSync(this.fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) this.writeAll('\n');
      }
      this.writeAll(line.endsWith('\n') ? line : line + '\n');
    } catch (error) {
      throw this.fail(error);
    }
    if (this.fsync) await this.sync();
  }

  /** a short write (a full disk) is retried for the rest, and a write that makes no progress is an error */
  private writeAll(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length; ) {
      const written = this.io.writeSync(this.fd!, bytes, offset, bytes.length - offset);
      if (written <= 0) throw Object.assign(new Error(`short write to ${this.path}: ${offset} of ${bytes.length} bytes`), { code: 'ESHORTWRITE' });
      offset += written;
    }
  }

  private fail(error: unknown): Error {
    const cause = error as NodeJS.ErrnoException;
    this.broken ??= Object.assign(new Error(`cannot write ${this.path} durably (${cause.message}); the run stops here, nothing more is sent`, { cause }), { code: 'JOURNAL_WRITE' });
    return this.broken;
  }

  private sync(): Promise<void> {
    this.pending ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = undefined;
        try {
          if (this.broken) throw this.broken;
          if (this.fd !== undefined) this.io.fsyncSync(this.fd);
          resolve();
        } catch (error) {
          reject(this.fail(error));
        }
      });
    });
    return this.pending;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Append-only JSON-lines file, fsync'd before each append resolves (group commit), so a crash or
 * kill -9 loses at most records whose writes had not yet been acted on (a torn last line is
 * ignored on load).
 */
export class FileJournal implements JournalStore {
  readonly path: string;
  private appender: DurableAppender | undefined;
  private release: (() => void) | undefined;
  constructor(
    readonly dir: string,
    private readonly options: { fsync?: boolean; io?: ConstructorParameters<typeof DurableAppender>[2] } = {},
  ) {
    this.path = join(dir, 'journal.jsonl');
  }
  async open(purpose: string): Promise<void> {
    this.release ??= lockJournalDir(this.dir, purpose);
  }
  async load(): Promise<JournalRecord[]> {
    return this.loadSync();
  }
  loadSync(): JournalRecord[] {
    if (!existsSync(this.path)) return [];
    // a device or a fifo in its place would be read forever (or block): only a plain file is a journal
    if (!statSync(this.path).isFile()) throw new ValidationError([{ path: 'journal', message: `${this.path} is not a regular file` }]);
    const out: JournalRecord[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as JournalRecord);
      } catch {
        // a torn line from a crash mid-write: the step it describes is settled again on resume
      }
    }
    return out;
  }
  async append(record: JournalRecord): Promise<void> {
    if (!this.appender) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.appender = new DurableAppender(this.path, this.options.fsync !== false, this.options.io);
    }
    await this.appender.append(JSON.stringify(record));
  }
  async close(): Promise<void> {
    this.appender?.close();
    this.appender = undefined;
    this.release?.();
    this.release = undefined;
  }
}

/** For tests and for callers who keep the journal elsewhere. */
export class MemoryJournal implements JournalStore {
  readonly records: JournalRecord[] = [];
  async load() {
    return [...this.records];
  }
  async append(record: JournalRecord) {
    this.records.push(record);
  }
  async close() {}
}

/** The journal folded into its current state per key. */
export class JournalState {
  readonly done = new Map<string, string>();
  readonly pending = new Set<string>();
  readonly failed = new Map<string, JournalRecord & { type: 'failed' }>();
  /** member ids each membership step added (journal key → ids), so a rollback removes exactly those */
  readonly added = new Map<string, string[]>();
  /** done keys, oldest first (a Set keeps insertion order): a rollback walks it newest first */
  readonly order = new Set<string>();
  /** agent key → target group ids its create joined */
  readonly joined = new Map<string, string[]>();
  /** keys of the entities this journal created */
  readonly created = new Set<string>();
  binding: JournalBinding | undefined;
  constructor(records: JournalRecord[]) {
    for (const r of records) this.applyRecord(r);
  }
  applyRecord(r: JournalRecord): void {
    if (r.type === 'bound') {
      this.binding ??= r.binding;
    } else if (r.type === 'intent') {
      if (!this.done.has(r.key)) this.pending.add(r.key);
    } else if (r.type === 'done') {
      this.done.set(r.key, r.targetId);
      this.order.delete(r.key);
      this.order.add(r.key);
      if (r.created) this.created.add(r.key);
      if (r.joined) this.joined.set(r.key, r.joined);
      if (r.added) this.added.set(r.key, [...(this.added.get(r.key) ?? []), ...r.added]);
      this.pending.delete(r.key);
      this.failed.delete(r.key);
    } else if (r.type === 'undone') {
      this.done.delete(r.key);
      this.created.delete(r.key);
      this.added.delete(r.key);
      this.joined.delete(r.key);
      this.order.delete(r.key);
    } else {
      this.failed.set(r.key, r);
      this.pending.delete(r.key);
    }
  }
}

/** Secrets file for generated passwords: created 0600, one JSON line per account; never through a symlink. */
export function ensurePrivateFile(path: string): void {
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new ValidationError([{ path: 'credentials', message: `${path} is a symbolic link; passwords are written only to a plain file` }]);
  }
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
