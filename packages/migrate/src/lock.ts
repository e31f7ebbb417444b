import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@contactkit/core';

/** Who holds a journal directory: enough to name them, and to tell a live holder from a crashed one. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** the kernel's start time of the process (Linux /proc), so a reused pid is not taken for the holder */
  processStart?: string | undefined;
  purpose: string;
}

export const LOCK_FILE = 'journal.lock';

/** The journal directory is held by another live process (or by one on another host). */
export class JournalLockedError extends ValidationError {
  constructor(readonly holder: LockHolder, lockPath: string) {
    super([{ path: 'journal', message: `is in use by ${describeHolder(holder)}; wait for it to finish, or if that process is gone, delete ${lockPath}` }]);
  }
}

export function describeHolder(h: LockHolder): string {
  return `${h.purpose} (pid ${h.pid} on ${h.host}, since ${h.startedAt})`;
}

function processStartOf(pid: number): string | undefined {
  try {
    // field 22 of /proc/<pid>/stat, counted after the command name (which may hold spaces)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const start = processStartOf(holder.pid);
  return holder.processStart === undefined || start === undefined || start === holder.processStart;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return undefined; // vanished, or torn by a crash between create and write
  }
}

/**
 * An exclusive lock on a journal directory: an atomically created lock file naming its holder.
 * A lock left by a crashed process on this host (its pid gone, or reused by another process) is
 * taken over; a lock from another host is never taken over automatically. Returns the release.
 */
export function lockJournalDir(dir: string, purpose: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), processStart: processStartOf(process.pid), purpose };
  const tmp = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(tmp, JSON.stringify(me), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(tmp, path); // atomic: fails with EEXIST when anyone holds the lock
        return releaser(path, me);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(path);
      if (holder && (holder.host !== me.host || isAlive(holder))) throw new JournalLockedError(holder, path);
      takeOverStale(path, holder);
    }
    throw new ValidationError([{ path: 'journal', message: `could not lock ${path}` }]);
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Moves a stale lock aside atomically (only one contender wins the rename). A contender that was
 * slower may have moved a fresh lock instead (taken over by a faster one in between): that one is
 * put back.
 */
function takeOverStale(path: string, stale: LockHolder | undefined): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first: try again, and meet their lock
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale?.pid || moved.startedAt !== stale.startedAt)) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process locked meanwhile; the one we moved will find its lock gone on release
    }
  }
  unlinkSync(aside);
}

function releaser(path: string, me: LockHolder): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const holder = readHolder(path);
    if (holder?.pid === me.pid && holder.startedAt === me.startedAt) unlinkSync(path);
  };
  process.on('exit', release);
  return release;
}
