import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply } from '../src/apply';
import { FileJournal, JournalState, MemoryJournal, type JournalStore } from '../src/journal';
import { FilePasswords, GeneratedPasswords } from '../src/passwords';
import { plan } from '../src/plan';
import { verify } from '../src/verify';
import { FakeClient } from './fake-client';

function tenant() {
  const source = new FakeClient('udesk', [['11', 'Customer Service'], ['12', 'Supervisor'], ['13', 'Quality']]);
  const a = source.seedAgent({ email: 'wang.wei@example.com', name: '王伟', roleIds: ['11'], channels: ['chat', 'voice'] });
  const b = source.seedAgent({ email: 'li.na@example.com', name: '李娜', roleIds: ['12'], status: 'disabled' });
  const c = source.seedAgent({ email: 'amy@example.com', name: 'Amy Chen', roleIds: ['13'], channels: ['video'], departmentIds: ['5'] });
  source.seedGroup('Sales', [a.id, b.id]);
  source.seedGroup('Support', [c.id]);
  return { source, a, b, c };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'ck-migrate-'));

describe('plan', () => {
  it('decides create / update / skip / conflict with reasons and maps roles', async () => {
    const { source } = tenant();
    source.seedAgent({ email: 'AMY@example.com', name: 'Amy again' }); // duplicate email in the source
    const target = new FakeClient('kf5', [['agent', 'agent'], ['admin', 'admin']]);
    target.seedAgent({ email: 'wang.wei@example.com', name: '王伟', roleIds: ['admin'], channels: ['chat', 'voice'] });
    target.seedAgent({ email: 'li.na@example.com', name: '李娜', roleIds: ['agent'], status: 'disabled' });
    target.seedGroup('Support');
    const p = await plan(source, target, { roleMap: { Supervisor: 'admin', '11': 'admin' } });

    const byEmail = Object.fromEntries(p.agents.map((x) => [x.label, x]));
    expect(byEmail['wang.wei@example.com']).toMatchObject({ action: 'skip' });
    expect(byEmail['li.na@example.com']).toMatchObject({ action: 'update', changes: ['roleIds'] });
    expect(byEmail['amy@example.com']).toMatchObject({ action: 'create', reason: 'no target agent has this email' });
    expect(byEmail['AMY@example.com']).toMatchObject({ action: 'conflict' });
    expect(p.groups.map((g) => [g.label, g.action])).toEqual([['Sales', 'create'], ['Support', 'skip']]);
    // unmapped role falls back to the least-privileged target role, with a warning
    expect(p.roles.find((r) => r.label === 'Quality')).toMatchObject({ targetId: 'agent', reason: expect.stringContaining('fallback') });
    expect(p.warnings.some((w) => w.includes('Quality') && w.includes('least-privileged'))).toBe(true);
    // lossy mappings are listed: departments across vendors, video on this target
    expect(byEmail['amy@example.com']!.warnings.map((w) => w.field).sort()).toEqual(['channels', 'departmentIds']);
    expect(p.summary.agent).toEqual({ create: 1, update: 1, skip: 1, conflict: 1 });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

describe('plan: the id map of an earlier run comes before the email', () => {
  it('an agent whose email changed on the source is updated, not created again', async () => {
    const { source, a } = tenant();
    const target = new FakeClient('kf5');
    const journal = new MemoryJournal();
    const first = await plan(source, target);
    await apply(first, { target, journal, passwords: new GeneratedPasswords(tmp(), 'kf5') });
    source.agentsById.get(a.id)!.email = 'wang.wei@new-domain.example';
    const idMap = new JournalState(await journal.load()).done;
    const second = await plan(source, target, {}, { idMap });
    const entry = second.agents.find((e) => e.sourceId === a.id)!;
    expect(entry).toMatchObject({ action: 'update', changes: ['email'], reason: expect.stringContaining('earlier run') });
    // without the id map the new email looks like a new agent
    expect((await plan(source, target)).agents.find((e) => e.sourceId === a.id)!.action).toBe('create');
    const report = await apply(second, { target, journal: new MemoryJournal(), passwords: new GeneratedPasswords(tmp(), 'kf5') });
    expect(report.counts.agent).toMatchObject({ updated: 1 });
    expect(target.agentsById.size).toBe(3);
    expect([...target.agentsById.values()].some((x) => x.email === 'wang.wei@new-domain.example')).toBe(true);
  });
});

describe('agents without a role', () => {
  it('get the fallback role explicitly, so verify compares like with like', async () => {
    const source = new FakeClient('udesk', [['11', 'Customer Service']]);
    source.seedAgent({ email: 'norole@example.com', name: 'No Role', roleIds: [] });
    const target = new FakeClient('kf5', [['admin', 'admin'], ['agent', 'agent']]);
    const p = await plan(source, target);
    expect(p.defaultTargetRoleId).toBe('agent');
    expect(p.agents[0]!.input.roleIds).toEqual(['agent']);
    await apply(p, { target, journal: new MemoryJournal(), passwords: new GeneratedPasswords(tmp(), 'kf5') });
    expect([...target.agentsById.values()][0]!.roleIds).toEqual(['agent']);
    expect((await verify(p, { source, target })).differences).toEqual([]);
  });
});

describe('passwords from a file', () => {
  it('uses the given passwords, checks them against the target rules, and fails only the agents without one', async () => {
    const { source, a, b, c } = tenant();
    const target = new FakeClient('kf5');
    const dir = tmp();
    const file = join(dir, 'passwords.json');
    writeFileSync(file, JSON.stringify({ [a.email]: 'Given-Passw0rd', [b.email]: 'short' }));
    const report = await apply(await plan(source, target), { target, journal: new MemoryJournal(), passwords: new FilePasswords(file) });
    expect(target.passwords.get(a.email)).toBe('Given-Passw0rd');
    const failed = Object.fromEntries(report.failures.map((f) => [f.label, f]));
    expect(failed[b.email]).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('at least 8') });
    expect(failed[c.email]).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('no password for') });
    expect(JSON.stringify(report)).not.toContain('Given-Passw0rd');
    expect(report.ok).toBe(false);
  });
});

describe('plan: memberships the target cannot hold', () => {
  it('lists them as excluded with the reason, and apply adds only the others', async () => {
    const { source, a, b } = tenant();
    const target = new FakeClient('huawei-aicc');
    // this target refuses voice agents in any group (as Huawei refuses them in a multimedia queue)
    Object.assign(target.groups, {
      previewMembership: (_g: unknown, m: { channels?: string[] | null }) => (m.channels?.includes('voice') ? { field: 'groupIds', message: 'voice agents cannot join' } : null),
    });
    const p = await plan(source, target);
    const sales = p.memberships.find((m) => m.groupLabel === 'Sales')!;
    expect(sales.sourceMemberIds).toEqual([b.id]);
    expect(sales.excluded).toEqual([{ sourceId: a.id, label: a.email, reason: 'voice agents cannot join' }]);
    expect(p.warnings.some((w) => w.includes('1 group membership'))).toBe(true);
    const report = await apply(p, { target, journal: new MemoryJournal(), passwords: new GeneratedPasswords(tmp(), 'huawei-aicc') });
    expect(report.failures).toEqual([]);
    const group = [...target.groupsById.values()].find((g) => g.name === 'Sales')!;
    expect(group.memberIds).toHaveLength(1);
    expect((await verify(p, { source, target })).ok).toBe(true);
  });
});

describe('apply', () => {
  it('creates everything in order, journals it, and a second run creates nothing', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    const p = await plan(source, target);
    const dir = tmp();
    const report = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
    expect(report.ok).toBe(true);
    expect(report.counts.agent).toEqual({ created: 3 });
    expect(report.counts.group).toEqual({ created: 2 });
    expect(target.agentsById.size).toBe(3);
    const sales = [...target.groupsById.values()].find((g) => g.name === 'Sales')!;
    expect(sales.memberIds).toHaveLength(2);

    const again = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5') });
    expect(again.counts.agent).toEqual({ skipped: 3 });
    expect(target.creates).toBe(5);
    expect((await verify(p, { source, target })).ok).toBe(true);

    // passwords: only in the 0600 credentials file, never in the journal or the report
    const creds = join(dir, 'credentials.jsonl');
    expect(statSync(creds).mode & 0o777).toBe(0o600);
    const journalText = readFileSync(join(dir, 'journal.jsonl'), 'utf8');
    for (const pw of target.passwords.values()) {
      expect(readFileSync(creds, 'utf8')).toContain(pw);
      expect(journalText).not.toContain(pw);
      expect(JSON.stringify(report)).not.toContain(pw);
    }
  });

  it('adopts a create whose reply was lost instead of creating it twice', async () => {
    const { source } = tenant();
    const target = new FakeClient('kf5');
    target.loseReplyOnCreate.add(3); // the first agent create lands, its reply is lost
    target.failCreate.add(4); // the next create fails before landing, and is retried
    const p = await plan(source, target);
    const report = await apply(p, { target, journal: new MemoryJournal(), passwords: new GeneratedPasswords(tmp(), 'kf5'), concurrency: 1 });
    expect(report.ok).toBe(true);
    expect(report.counts.agent).toEqual({ adopted: 1, created: 2 });
    expect(target.agentsById.size).toBe(3);
  });

  it('resumes after a crash at every step without creating anything twice', async () => {
    for (let crashAt = 1; crashAt <= 5; crashAt++) {
      const { source } = tenant();
      const target = new FakeClient('kf5');
      const p = await plan(source, target);
      const dir = tmp();
      // the crash: the process dies right after the Nth create reached the target, before its result is journaled
      target.onCreate = (n) => {
        if (n === crashAt) target.loseReplyOnCreate.add(n);
      };
      const crashing: JournalStore = new FileJournal(dir);
      let crashed = false;
      const realAppend = crashing.append.bind(crashing);
      crashing.append = async (r) => {
        if (crashed) throw new Error('process is dead');
        if (r.type === 'done' && target.creates >= crashAt) {
          crashed = true;
          throw new Error('killed');
        }
        return realAppend(r);
      };
      await apply(p, { target, journal: crashing, passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 1 }).catch(() => undefined);
      target.onCreate = undefined;
      const resumed = await apply(p, { target, journal: new FileJournal(dir), passwords: new GeneratedPasswords(dir, 'kf5'), concurrency: 2 });
      expect(resumed.ok, `crash at ${crashAt}`).toBe(true);
      expect(target.agentsById.size, `crash at ${crashAt}`).toBe(3);
      expect(target.groupsById.size, `crash at ${crashAt}`).toBe(2);
      const check = await verify(p, { source, target });
      expect(check.differences, `crash at ${crashAt}`).toEqual([]);
      // every created agent's password is in the credentials file, including the one created before the crash
      const creds = readFileSync(join(dir, 'credentials.jsonl'), 'utf8');
      for (const [email, pw] of target.passwords) {
        expect(creds).toContain(JSON.stringify(pw));
        expect(creds).toContain(email);
      }
    }
  });
});

describe('FileJournal', () => {
  it('ignores a torn last line from a crash and appends on a fresh line', async () => {
    const dir = tmp();
    const first = new FileJournal(dir);
    await first.append({ type: 'intent', key: 'udesk:agent:1', at: 'now' });
    await first.close();
    // the crash: half a record, no newline
    writeFileSync(join(dir, 'journal.jsonl'), readFileSync(join(dir, 'journal.jsonl'), 'utf8') + '{"type":"done","key":"udesk:ag', { flag: 'w' });
    const second = new FileJournal(dir);
    expect(await second.load()).toEqual([{ type: 'intent', key: 'udesk:agent:1', at: 'now' }]);
    await second.append({ type: 'done', key: 'udesk:agent:1', targetId: '9', at: 'later' });
    await second.close();
    const state = new JournalState(await new FileJournal(dir).load());
    expect(state.done.get('udesk:agent:1')).toBe('9');
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter((l) => l === '')).toHaveLength(1); // only the final newline
  });

  it('50 concurrent appends (group-committed) all land, each once', async () => {
    const dir = tmp();
    const journal = new FileJournal(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ type: 'intent', key: `k${i}`, at: 'now' })));
    const keys = (await journal.load()).flatMap((r) => ('key' in r ? [r.key] : []));
    expect(new Set(keys).size).toBe(50);
    expect(keys).toHaveLength(50);
    await journal.close();
  });
});
