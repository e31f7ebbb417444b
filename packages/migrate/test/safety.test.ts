import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@contactkit/core';
import { apply, JournalMismatchError } from '../src/apply';
import { FileJournal, JournalState } from '../src/journal';
import { JournalLockedError, lockJournalDir, LOCK_FILE } from '../src/lock';
import { GeneratedPasswords } from '../src/passwords';
import { plan } from '../src/plan';
import { readPlan } from '../src/plan-file';
import { rollback } from '../src/rollback';
import { FakeClient } from './fake-client';

const tmp = () => mkdtempSync(join(tmpdir(), 'ck-safety-'));

function tenant(agents = 3) {
  const source = new FakeClient('udesk', [['11', 'Customer Service'], ['12', 'Supervisor']]);
  const ids = Array.from({ length: agents }, (_, i) => source.seedAgent({ email: `agent${i}@example.com`, name: `Agent ${i}`, roleIds: ['11'] }).id);
  source.seedGroup('Sales', ids.slice(0, Math.ceil(agents / 2)));
  source.seedGroup('Support', ids.slice(Math.ceil(agents / 2)));
  return { source };
}

/** writeSync as the disk would do it when it fills up after `budget` bytes: a short write, then ENOSPC */
function fillingDisk(budget: number, onFull?: () => void) {
  let left = budget;
  return {
    writeSync: ((fd: number, buffer: Buffer, offset: number, length: number) => {
      if (left <= 0) {
        onFull?.();
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      const n = Math.min(length, left);
      left -= n;
      return writeSync(fd, buffer, offset, n);
    }) as typeof writeSync,
    fsyncSync: () => {},
  };
}

describe('journal lock', () => {
  it('a second holder is refused, naming the first; released, it can be taken again', () => {
    const dir = tmp();
    const release = lockJournalDir(dir, 'contactkit migrate apply');
    let refused: unknown;
    try {
      lockJournalDir(dir, 'contactkit migrate apply');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(JournalLockedError);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockJournalDir(dir, 'again')();
  });

  it('a lock left by a dead process, or by a pid now used by another process, is taken over', () => {
    const dir = tmp();
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: hostname(), startedAt: 'earlier', purpose: 'crashed apply' }));
    lockJournalDir(dir, 'resume')();
    // our own pid, but another process start: the pid was reused after the holder died
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'earlier', processStart: '1', purpose: 'crashed apply' }));
    lockJournalDir(dir, 'resume')();
  });

  it('a lock from another host is never taken over', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'other-host', startedAt: '2026-12-01T00:00:00Z', purpose: 'contactkit migrate apply' }));
    expect(() => lockJournalDir(dir, 'apply')).toThrow(/in use by contactkit migrate apply \(pid 1 on other-host/);
  });

  it('apply refuses a journal another apply holds, before any request', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    const release = lockJournalDir(dir, 'contactkit migrate apply');
    await expect(apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') })).rejects.toBeInstanceOf(JournalLockedError);
    expect(target.creates).toBe(0);
    release();
  });
});

describe('journal binding', () => {
  it('a journal is refused for another plan, and for another target tenant, saying what differs', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    const first = await plan(source, target);
    const dir = tmp();
    const tenants = { source: 'udesk https://a.example as x@example.com', target: 'kf5 https://b.example as y@example.com' };
    expect((await apply(first, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), tenants })).ok).toBe(true);

    const second = await plan(source, new FakeClient('kf5'));
    const other = new FakeClient('kf5');
    const differs = apply(second, { target: other, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), tenants });
    await expect(differs).rejects.toBeInstanceOf(JournalMismatchError);
    await expect(differs).rejects.toThrow(`belongs to plan ${first.id}, not to this plan ${second.id}`);

    const moved = apply(first, { target: other, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), tenants: { ...tenants, target: 'kf5 https://c.example as y@example.com' } });
    await expect(moved).rejects.toThrow('its target tenant is kf5 https://b.example as y@example.com, this run\'s is kf5 https://c.example');
    expect(other.creates).toBe(0);
  });

  it('a plan made against one tenant is not applied to another', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    const p = { ...(await plan(source, target)), target: { vendor: 'kf5' as const, tenant: 'kf5 https://b.example as y@example.com' } };
    const dir = tmp();
    await expect(apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), tenants: { target: 'kf5 https://c.example as y@example.com' } })).rejects.toThrow(/the plan was made against kf5 https:\/\/b.example/);
    expect(target.creates).toBe(0);
  });
});

describe('durable writes: nothing is acted on before it is on disk', () => {
  it('a journal that is not a plain file (here /dev/full) is refused before any request', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    symlinkSync('/dev/full', join(dir, 'journal.jsonl'));
    await expect(apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') })).rejects.toThrow(/journal.jsonl is not a regular file/);
    expect(target.creates).toBe(0);
  });

  it('a disk that is full from the start (ENOSPC on the first record) stops the run before the first write to the target', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    await expect(apply(p, { target, journal: new FileJournal(dir, { io: fillingDisk(0) }), passwords: new GeneratedPasswords(dir, 'kf5') })).rejects.toThrow(/cannot write .*journal.jsonl durably \(ENOSPC/);
    expect(target.creates).toBe(0);
    expect(target.groupsById.size).toBe(0);
  });

  it('a write that makes no progress is an error, not a silent loss', async () => {
    const dir = tmp();
    const journal = new FileJournal(dir, { io: { writeSync: (() => 0) as unknown as typeof writeSync, fsyncSync: () => {} } });
    await expect(journal.append({ type: 'intent', key: 'k', at: 'now' })).rejects.toThrow(/short write .* 0 of \d+ bytes/);
    // and the journal stays failed: nothing may go on after it
    await expect(journal.append({ type: 'intent', key: 'k2', at: 'now' })).rejects.toThrow(/durably/);
  });

  it('a disk filling up mid-run (a short write, then ENOSPC): no write to the target starts after it, and the next run settles the rest', async () => {
    for (const budget of [900, 1500, 2600]) {
      const { source } = tenant(12);
      const target = new FakeClient('kf5');
      const p = await plan(source, target);
      const dir = tmp();
      let fullAt = Infinity;
      const createdAt: number[] = [];
      target.onCreate = () => createdAt.push(performance.now());
      const journal = new FileJournal(dir, { io: fillingDisk(budget, () => (fullAt = Math.min(fullAt, performance.now()))) });
      await expect(apply(p, { target, journal, passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 4 }), `budget ${budget}`).rejects.toThrow(/durably \(ENOSPC/);
      expect(createdAt.filter((t) => t > fullAt), `budget ${budget}`).toEqual([]);
      // the torn record is ignored; the resume creates nothing twice and loses nothing
      target.onCreate = undefined;
      const resumed = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
      expect(resumed.failures, `budget ${budget}`).toEqual([]);
      expect(target.agentsById.size, `budget ${budget}`).toBe(12);
      const creds = readFileSync(join(dir, 'credentials.jsonl'), 'utf8');
      for (const [email, pw] of target.passwords) expect(creds).toContain(JSON.stringify({ vendor: 'kf5', email, password: pw }));
    }
  });

  it('a credentials file that cannot be written means the account is not created', async () => {
    const { source } = tenant(6);
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    const passwords = new GeneratedPasswords(dir, 'kf5', { io: fillingDisk(150) });
    await expect(apply(p, { target, journal: new FileJournal(dir), passwords, concurrency: 2 })).rejects.toThrow(/credentials.jsonl durably/);
    const creds = readFileSync(join(dir, 'credentials.jsonl'), 'utf8');
    // every account that exists has its password on disk: no account whose password nobody has
    for (const [email, pw] of target.passwords) expect(creds).toContain(JSON.stringify({ vendor: 'kf5', email, password: pw }));
  });

  it('a credentials file that is a symbolic link is refused', () => {
    const dir = tmp();
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'credentials.jsonl'));
    expect(() => new GeneratedPasswords(dir, 'kf5')).toThrow(/symbolic link/);
  });
});

describe('plan files', () => {
  const damages: Array<[string, (entry: Record<string, unknown>) => void]> = [
    ['input', (e) => (e.input = null)],
    ['input.email', (e) => ((e.input as Record<string, unknown>).email = 42)],
    ['action', (e) => (e.action = 'explode')],
    ['sourceId', (e) => (e.sourceId = '')],
    ['targetId', (e) => (e.targetId = 7)],
    ['label', (e) => delete e.label],
    ['input.password', (e) => ((e.input as Record<string, unknown>).password = 'a plan never holds one')],
  ];

  it('any damaged agent entry is refused with the path of the bad field', async () => {
    const { source } = tenant(8);
    const good = JSON.stringify(await plan(source, new FakeClient('kf5')));
    const dir = tmp();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 }), fc.constantFrom(...damages), async (index, [field, damage]) => {
        const p = JSON.parse(good);
        damage(p.agents[index]);
        const file = join(dir, 'plan.json');
        writeFileSync(file, JSON.stringify(p));
        let error: unknown;
        try {
          readPlan(file);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        const paths = (error as ValidationError).issues.map((i) => i.path);
        expect(paths.some((path) => path.startsWith(`plan.agents.${index}`)), `${field}: ${paths.join(', ')}`).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('an unknown vendor, another version, or a membership naming no agent is refused', async () => {
    const { source } = tenant(4);
    const good = await plan(source, new FakeClient('kf5'));
    const dir = tmp();
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, target: { vendor: 'zendesk' } }, /plan\.target\.vendor/],
      [{ ...good, version: 2 }, /version 2 is not supported/],
      [{ ...good, memberships: [{ ...good.memberships[0], sourceMemberIds: ['nobody'] }] }, /plan\.memberships\.0\.sourceMemberIds\.0: names no agent/],
      [{ format: 'something else' }, /not a contactkit migration plan/],
    ];
    for (const [content, message] of cases) {
      const file = join(dir, 'plan.json');
      writeFileSync(file, JSON.stringify(content));
      expect(() => readPlan(file)).toThrow(message);
    }
  });
});

describe('stopping', () => {
  it('a fatal error stops every worker: no write starts after it', async () => {
    const { source } = tenant(30);
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    let failedAt = Infinity;
    const createdAt: number[] = [];
    target.onCreate = (n) => {
      createdAt.push(performance.now());
      if (n === 10) {
        failedAt = performance.now();
        throw new TypeError('a bug in a mapper');
      }
    };
    await expect(apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 4 })).rejects.toThrow('a bug in a mapper');
    expect(createdAt.filter((t) => t > failedAt)).toEqual([]);
    expect(target.creates).toBeLessThan(30);
  });

  it('a graceful stop lets the writes in flight finish, reports where it stopped, and the same apply resumes', async () => {
    const { source } = tenant(20);
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    const stop = new AbortController();
    target.onCreate = (n) => {
      if (n === 8) stop.abort();
    };
    const first = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 3, stop: stop.signal });
    expect(first.ok).toBe(false);
    expect(first.interrupted).toMatchObject({ total: p.groups.length + p.agents.length + p.memberships.length });
    const created = target.agentsById.size;
    expect(created).toBeGreaterThanOrEqual(6);
    expect(created).toBeLessThan(20);
    // every create that went out was journaled: the resume adopts nothing and creates only the rest
    const state = new JournalState(await new FileJournal(dir).load());
    expect(state.pending.size).toBe(0);
    target.onCreate = undefined;
    let started: { alreadyDone: number; resuming: boolean } | undefined;
    const second = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), onStart: (e) => (started = e) });
    expect(started).toEqual({ alreadyDone: first.interrupted!.done, total: first.interrupted!.total, resuming: true });
    expect(second.ok).toBe(true);
    expect(second.counts.agent.created).toBe(20 - created);
    expect(second.counts.agent.adopted).toBeUndefined();
  });
});

describe('rollback', () => {
  async function applied() {
    const { source } = tenant(6);
    const target = new FakeClient('kf5');
    // there before the migration: an agent the plan matches by email and a group it matches by name
    const before = target.seedAgent({ email: 'agent0@example.com', name: 'Agent 0' });
    const support = target.seedGroup('Support', [before.id]);
    const p = await plan(source, target);
    const dir = tmp();
    const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
    expect(report.ok).toBe(true);
    return { source, target, p, dir, before, support };
  }

  it('a dry run lists exactly what the journal created, newest first, and changes nothing', async () => {
    const { target, p, dir, support } = await applied();
    const agents = target.agentsById.size;
    const report = await rollback(p, { target, journal: new FileJournal(dir), dryRun: true });
    expect(report.steps.map((s) => s.kind)).toEqual(['membership', 'agent', 'agent', 'agent', 'agent', 'agent', 'group']);
    expect(report.steps[0]).toMatchObject({ targetId: support.id, label: 'Support' });
    expect(report.steps.filter((s) => s.kind === 'agent').map((s) => s.label)).not.toContain('agent0@example.com');
    expect(target.agentsById.size).toBe(agents);
  });

  it('deletes what was created and removes the members added to a group that was there before; nothing else; resumable; a later apply recreates', async () => {
    const { target, p, dir, before, support } = await applied();
    const stop = new AbortController();
    let deletes = 0;
    const realDelete = target.agents.delete;
    target.agents.delete = async (id) => {
      if (++deletes === 2) stop.abort();
      return realDelete(id);
    };
    const first = await rollback(p, { target, journal: new FileJournal(dir), stop: stop.signal, concurrency: 1 });
    expect(first.interrupted).toBeDefined();
    const second = await rollback(p, { target, journal: new FileJournal(dir) });
    expect(second.ok).toBe(true);
    expect([...target.agentsById.keys()]).toEqual([before.id]);
    expect([...target.groupsById.keys()]).toEqual([support.id]);
    expect(target.groupsById.get(support.id)!.memberIds).toEqual([before.id]);
    expect((await rollback(p, { target, journal: new FileJournal(dir), dryRun: true })).steps).toEqual([]);

    const again = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
    expect(again.counts.agent.created).toBe(5);
  });

  it('leaves alone an id that now names something else', async () => {
    const { target, p, dir } = await applied();
    const [id, agent] = [...target.agentsById].find(([, a]) => a.email === 'agent3@example.com')!;
    target.agentsById.set(id, { ...agent, email: 'someone.else@example.com' });
    const report = await rollback(p, { target, journal: new FileJournal(dir) });
    expect(report.notOurs).toMatchObject([{ step: { targetId: id }, found: 'someone.else@example.com' }]);
    expect(target.agentsById.has(id)).toBe(true);
  });
});
