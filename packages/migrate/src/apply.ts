import { isContactKitError, type ContactCenterClient, type ContactKitError, type Group } from '@contactkit/core';
import { JournalState, type JournalRecord, type JournalStore } from './journal';
import type { PasswordProvider } from './passwords';
import type { AgentPlanEntry, EntityKind, GroupPlanEntry, MigrationPlan } from './plan-types';
import { runPool } from './util';

export type ApplyOutcome = 'created' | 'updated' | 'skipped' | 'conflict' | 'failed' | 'adopted';

export interface ApplyFailure {
  kind: EntityKind | 'membership';
  sourceId: string;
  label: string;
  code: string;
  vendorCode?: string | undefined;
  message: string;
}

export interface ProgressEvent {
  phase: 'groups' | 'agents' | 'memberships';
  done: number;
  total: number;
}

export interface ApplyOptions {
  target: ContactCenterClient;
  journal: JournalStore;
  passwords: PasswordProvider;
  /** writes in flight at once (default 4); the target's own rate limiter still applies */
  concurrency?: number;
  /** how many times an ambiguous create is settled and retried (default 3) */
  createAttempts?: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** the source client, only to report its transport counters */
  source?: ContactCenterClient;
}

export interface ApplyReport {
  planId: string;
  source: string;
  target: string;
  counts: Record<EntityKind | 'membership', Partial<Record<ApplyOutcome, number>>>;
  warnings: string[];
  failures: ApplyFailure[];
  transport: { retries: number; rateLimitWaitMs: number; retryAfterWaitMs: number; requests: number };
  passwords: string;
  durationMs: number;
  ok: boolean;
}

/** Errors after which the create may or may not have happened: settle by looking the entity up. */
function isAmbiguous(error: ContactKitError): boolean {
  return ['NETWORK', 'TIMEOUT', 'INVALID_RESPONSE', 'VENDOR', 'RATE_LIMITED', 'CONFLICT'].includes(error.code);
}

/**
 * Executes a plan in dependency order (roles → groups → agents → memberships). Every write is
 * journaled (intent before, result after); a run on the same journal settles unfinished intents by
 * looking the entity up on the target and creates nothing twice. Nothing is deleted.
 */
export async function apply(plan: MigrationPlan, options: ApplyOptions): Promise<ApplyReport> {
  const started = Date.now();
  const { target, journal, passwords, signal } = options;
  if (target.vendor !== plan.target.vendor) {
    throw new Error(`the plan targets ${plan.target.vendor}, but the client is ${target.vendor}`);
  }
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const attempts = Math.max(1, options.createAttempts ?? 3);
  const state = new JournalState(await journal.load());
  const counts: ApplyReport['counts'] = { role: {}, group: {}, agent: {}, membership: {} };
  const failures: ApplyFailure[] = [];
  const warnings = [...plan.warnings];
  const count = (kind: EntityKind | 'membership', outcome: ApplyOutcome) => {
    counts[kind][outcome] = (counts[kind][outcome] ?? 0) + 1;
  };
  const keyOf = (kind: string, sourceId: string) => `${plan.source.vendor}:${kind}:${sourceId}`;
  const record = async (r: JournalRecord) => {
    await journal.append(r);
    state.applyRecord(r);
  };
  const now = () => new Date().toISOString();
  const fail = async (kind: ApplyFailure['kind'], sourceId: string, label: string, error: unknown) => {
    const e = isContactKitError(error) ? error : undefined;
    const failure: ApplyFailure = {
      kind,
      sourceId,
      label,
      code: e?.code ?? 'UNKNOWN',
      vendorCode: e?.vendorCode,
      message: e ? e.message : 'unexpected error',
    };
    failures.push(failure);
    count(kind, 'failed');
    await record({ type: 'failed', key: keyOf(kind, sourceId), at: now(), code: failure.code, vendorCode: failure.vendorCode, message: failure.message });
    if (!e) throw error; // a bug, not a vendor failure: stop rather than hide it
  };

  // roles: mapped to existing target roles at plan time; nothing to write
  for (const role of plan.roles) count('role', role.action === 'conflict' ? 'conflict' : 'skipped');

  // groups
  const groupsByName = new Map<string, string>();
  for await (const g of target.groups.list({ signal })) groupsByName.set(g.name.trim(), g.id);
  const findGroup = async (name: string) => {
    const cached = groupsByName.get(name.trim());
    if (cached) return cached;
    // not seen at start: a create whose reply was lost may have landed since, so read the target again
    for await (const g of target.groups.list({ signal })) groupsByName.set(g.name.trim(), g.id);
    return groupsByName.get(name.trim()) ?? null;
  };
  let done = 0;
  const report = (phase: ProgressEvent['phase'], total: number) => options.onProgress?.({ phase, done: ++done, total });
  await runPool(plan.groups, concurrency, async (entry: GroupPlanEntry) => {
    try {
      await applyEntry(entry, 'group', async () => (await target.groups.create(entry.input, { signal })).id, () => findGroup(entry.input.name), async (id) => {
        groupsByName.set(entry.input.name.trim(), id);
      });
    } finally {
      report('groups', plan.groups.length);
    }
  }, signal);

  // agents
  done = 0;
  await runPool(plan.agents, concurrency, async (entry: AgentPlanEntry) => {
    try {
      await applyEntry(
        entry,
        'agent',
        async () => {
          const password = await passwords.passwordFor(entry.input.email, target.passwordRules);
          return (await target.agents.create({ ...entry.input, password }, { signal })).id;
        },
        async () => (await target.agents.findByEmail(entry.input.email, { signal }))?.id ?? null,
        undefined,
        async (targetId) => {
          // the email is the match key: sent only when the plan saw it change (an id-map match)
          const { email, ...rest } = entry.input;
          const patch = entry.changes?.includes('email') ? { ...rest, email } : rest;
          await target.agents.update(targetId, patch, { signal });
        },
      );
    } finally {
      report('agents', plan.agents.length);
    }
  }, signal);

  // memberships: add the mapped members to each target group; existing members are kept
  done = 0;
  await runPool(plan.memberships, Math.min(concurrency, 4), async (m) => {
    try {
      const groupId = state.done.get(keyOf('group', m.sourceGroupId));
      if (!groupId) {
        count('membership', 'skipped');
        return;
      }
      const wanted: string[] = [];
      for (const sourceId of m.sourceMemberIds) {
        const agentId = state.done.get(keyOf('agent', sourceId));
        if (agentId) wanted.push(agentId);
      }
      const current: Group = await target.groups.get(groupId, { signal });
      const have = new Set(current.memberIds ?? []);
      const missing = wanted.filter((id) => !have.has(id));
      if (missing.length === 0) {
        count('membership', 'skipped');
        await record({ type: 'done', key: keyOf('membership', m.sourceGroupId), targetId: groupId, at: now() });
        return;
      }
      await record({ type: 'intent', key: keyOf('membership', m.sourceGroupId), at: now() });
      await target.groups.update(groupId, { memberIds: [...have, ...missing] }, { signal });
      await record({ type: 'done', key: keyOf('membership', m.sourceGroupId), targetId: groupId, at: now(), note: `+${missing.length}` });
      count('membership', 'updated');
    } catch (error) {
      await fail('membership', m.sourceGroupId, m.groupLabel, error);
    } finally {
      report('memberships', plan.memberships.length);
    }
  }, signal);

  await journal.close();
  const t = target.stats();
  const s = options.source?.stats();
  return {
    planId: plan.id,
    source: plan.source.vendor,
    target: plan.target.vendor,
    counts,
    warnings,
    failures,
    transport: {
      retries: t.retries + (s?.retries ?? 0),
      rateLimitWaitMs: Math.round(t.rateLimitWaitMs + (s?.rateLimitWaitMs ?? 0)),
      retryAfterWaitMs: Math.round(t.retryAfterWaitMs + (s?.retryAfterWaitMs ?? 0)),
      requests: t.requests + (s?.requests ?? 0),
    },
    passwords: passwords.describe(),
    durationMs: Date.now() - started,
    ok: failures.length === 0 && !plan.agents.some((a) => a.action === 'conflict') && !plan.groups.some((g) => g.action === 'conflict'),
  };

  /**
   * One entity: journal first, then the target. `find` settles an unfinished or ambiguous create
   * by looking the entity up (email for agents, name for groups).
   */
  async function applyEntry(
    entry: GroupPlanEntry | AgentPlanEntry,
    kind: 'group' | 'agent',
    create: () => Promise<string>,
    find: () => Promise<string | null>,
    onKnown?: (id: string) => Promise<void>,
    update?: (id: string) => Promise<void>,
  ): Promise<void> {
    const key = keyOf(kind, entry.sourceId);
    try {
      if (entry.action === 'conflict') {
        count(kind, 'conflict');
        return;
      }
      const known = state.done.get(key);
      if (known) {
        count(kind, 'skipped');
        return;
      }
      if (entry.action === 'skip' && entry.targetId) {
        await record({ type: 'done', key, targetId: entry.targetId, at: now(), note: 'matched' });
        count(kind, 'skipped');
        return;
      }
      if (entry.action === 'update' && entry.targetId && update) {
        await record({ type: 'intent', key, at: now() });
        await update(entry.targetId);
        await record({ type: 'done', key, targetId: entry.targetId, at: now(), note: 'updated' });
        count(kind, 'updated');
        return;
      }
      // create: settle a leftover intent from an interrupted run before writing anything
      if (state.pending.has(key) || state.failed.has(key)) {
        const found = await find();
        if (found) {
          await record({ type: 'done', key, targetId: found, at: now(), note: 'adopted after resume' });
          await onKnown?.(found);
          count(kind, 'adopted');
          return;
        }
      }
      let lastError: unknown;
      for (let attempt = 0; attempt < attempts; attempt++) {
        await record({ type: 'intent', key, at: now() });
        try {
          const id = await create();
          await record({ type: 'done', key, targetId: id, at: now() });
          await onKnown?.(id);
          count(kind, 'created');
          return;
        } catch (error) {
          lastError = error;
          if (!isContactKitError(error) || !isAmbiguous(error)) break;
          // the write may have landed (a lost reply) or been taken by an earlier attempt: look before retrying
          const found = await find().catch(() => null);
          if (found) {
            await record({ type: 'done', key, targetId: found, at: now(), note: `adopted after ${error.code}` });
            await onKnown?.(found);
            count(kind, 'adopted');
            return;
          }
          if (error.code === 'CONFLICT') break;
        }
      }
      throw lastError;
    } catch (error) {
      await fail(kind, entry.sourceId, entry.label, error);
    }
  }
}
