import { chmodSync, closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One line of the journal. An `intent` is written before a write to the target, `done` or `failed` after. */
export type JournalRecord =
  | { type: 'intent'; key: string; at: string }
  | { type: 'done'; key: string; targetId: string; at: string; note?: string }
  | { type: 'failed'; key: string; at: string; code: string; vendorCode?: string | undefined; message: string };

/** Where the journal lives: a file by default; a database can implement the same two calls. */
export interface JournalStore {
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
  constructor(readonly path: string, private readonly fsync = true) {}

  async append(line: string): Promise<void> {
    if (this.fd === undefined) {
      this.fd = openSync(this.path, 'a+', 0o600);
      // a previous crash may have left a torn line without a newline: start on a fresh line
      const size = fstatSync(this.fd).size;
      const last = Buffer.alloc(1);
      if (size > 0 && readSync(this.fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
    writeSync(this.fd, line.endsWith('\n') ? line : line + '\n');
    if (this.fsync) await this.sync();
  }

  private sync(): Promise<void> {
    this.pending ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = undefined;
        try {
          if (this.fd !== undefined) fsyncSync(this.fd);
          resolve();
        } catch (error) {
          reject(error);
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
  constructor(readonly dir: string, private readonly options: { fsync?: boolean } = {}) {
    this.path = join(dir, 'journal.jsonl');
  }
  async load(): Promise<JournalRecord[]> {
    if (!existsSync(this.path)) return [];
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
      this.appender = new DurableAppender(this.path, this.options.fsync !== false);
    }
    await this.appender.append(JSON.stringify(record));
  }
  async close(): Promise<void> {
    this.appender?.close();
    this.appender = undefined;
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
  constructor(records: JournalRecord[]) {
    for (const r of records) this.applyRecord(r);
  }
  applyRecord(r: JournalRecord): void {
    if (r.type === 'intent') {
      if (!this.done.has(r.key)) this.pending.add(r.key);
    } else if (r.type === 'done') {
      this.done.set(r.key, r.targetId);
      this.pending.delete(r.key);
      this.failed.delete(r.key);
    } else {
      this.failed.set(r.key, r);
      this.pending.delete(r.key);
    }
  }
}

/** Secrets file for generated passwords: created 0600, one JSON line per account. */
export function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
