import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, existsSync, writeSync, chmodSync } from 'node:fs';
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
 * Append-only JSON-lines file, fsync'd after every record by default, so a crash or kill -9
 * loses at most the record being written (a torn last line is ignored on load).
 */
export class FileJournal implements JournalStore {
  readonly path: string;
  private fd: number | undefined;
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
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
      // a previous crash may have left a torn line without a newline: start on a fresh line
      writeSync(this.fd, '\n');
    }
    writeSync(this.fd, JSON.stringify(record) + '\n');
    if (this.options.fsync !== false) fsyncSync(this.fd);
  }
  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
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
