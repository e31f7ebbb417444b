import { isContactKitError, ValidationError, type ContactCenterClient, type ContactKitError, type Group } from '@contactkit/core';
import { JournalState, type JournalBinding, type JournalRecord, type JournalStore } from './journal';
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
  /** aborts at once, in-flight requests included (their outcome is settled by the next run) */
  signal?: AbortSignal;
  /**
   * A graceful stop (Ctrl-C): no new step starts, the writes in flight finish and are journaled,
   * and the report says `interrupted`. The same apply on the same journal resumes.
   */
  stop?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** called once before any write: how many steps of the plan an earlier run on this journal already did */
  onStart?: (event: { alreadyDone: number; total: number; resuming: boolean }) => void;
  /** the source client, only to report its transport counters */
  source?: ContactCenterClient;
  /**
   * Who the source and target are (vendor + base URL + account, never a secret). Recorded in a new
   * journal and checked against an existing one: a journal is never reused for another target.
   */
  tenants?: { source?: string | undefined; target?: string | undefined };
}

export interface ApplyReport {
  planId: string;
  source: string;
  target: string;
  counts: Record<EntityKind | 'membership', Partial<Record<ApplyOutcome, number>>>;
  warnings: string[];
  failures: ApplyFailure[];
  transport: { retries: number; rateLimitWaitMs: number; retryAfterWaitMs: number; requests: number };
  /** requests this run sent to the target, next to what the plan estimated for a whole run */
  targetRequests: { actual: number; estimated: number | null };
  passwords: string;
  durationMs: number;
  /** set when a graceful stop ended the run early: steps done so far (this run and earlier ones) of all */
  interrupted?: { done: number; total: number };
  /** steps an earlier run on this journal had already done */
  alreadyDone: number;
  ok: boolean;
}

/** The journal belongs to another plan or target: applying would skip or misplace everything. */
export class JournalMismatchError extends ValidationError {
  constructor(differences: string[]) {
    super(differences.map((message) => ({ path: 'journal', message })));
  }
}

/** What differs between a journal's binding and this run; empty when they match. */
export function bindingDifferences(bound: JournalBinding, wanted: JournalBinding): string[] {
  const out: string[] = [];
  if (bound.planId !== wanted.planId) out.push(`belongs to plan ${bound.planId}, not to this plan ${wanted.planId}; use a new --journal directory for a new plan`);
  for (const side of ['source', 'target'] as const) {
    const a = bound[side];
    const b = wanted[side];
    if (a.vendor !== b.vendor) out.push(`its ${side} is ${a.vendor}, this run's ${side} is ${b.vendor}`);
    else if (a.tenant && b.tenant && a.tenant !== b.tenant) out.push(`its ${side} tenant is ${a.tenant}, this run's is ${b.tenant}`);
  }
  return out;
}

/** Errors after which the create may or may not have happened: settle by looking the entity up. */
function isAmbiguous(error: ContactKitError): boolean {
  return ['NETWORK', 'TIMEOUT', 'INVALID_RESPONSE', 'VENDOR', 'RATE_LIMITED', 'CONFLICT'].includes(error.code);
}

/**
 * Executes a plan in dependency order (roles → groups → agents → memberships). Every write is
 * journaled (intent before, result after); a run on the same journal settles unfinished intents by
 * looking the entity up on the target and creates nothing twice. Nothing is deleted (see rollback).
 * The journal is held exclusively for the run and bound to this plan and target.
 */
export async function apply(plan: MigrationPlan, options: ApplyOptions): Promise<ApplyReport> {
  const { target, journal } = options;
  if (target.vendor !== plan.target.vendor) {
    throw new ValidationError([{ path: 'target', message: `the plan targets ${plan.target.vendor}, but the client is ${target.vendor}` }]);
  }
  const planned = plan.target.tenant;
  const configured = options.tenants?.target;
  if (planned && configured && planned !== configured) {
    throw new ValidationError([{ path: 'target', message: `the plan was made against ${planned}, but the configured target is ${configured}; make a new plan for this target` }]);
  }
  await journal.open?.('contactkit migrate apply');
  try {
    const state = new JournalState(await journal.load());
    const binding: JournalBinding = {
      planId: plan.id,
      source: { vendor: plan.source.vendor, tenant: options.tenants?.source },
      target: { vendor: plan.target.vendor, tenant: options.tenants?.target },
    };
    if (state.binding) {
      const differences = bindingDifferences(state.binding, binding);
      if (differences.length) throw new JournalMismatchError(differences);
    } else {
      await journal.append({ type: 'bound', at: new Date().toISOString(), binding });
    }
    return await run(plan, options, state);
  } finally {
    await journal.close();
  }
}

async function run(plan: MigrationPlan, options: ApplyOptions, state: JournalState): Promise<ApplyReport> {
  const started = Date.now();
  const { target, journal, passwords, signal } = options;
  const targetRequestsBefore = target.stats().requests;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const attempts = Math.max(1, options.createAttempts ?? 3);
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
    if (!e || (signal?.aborted && error === signal.reason)) throw error; // a bug, a broken journal or an abort: stop the run
    const failure: ApplyFailure = { kind, sourceId, label, code: e.code, vendorCode: e.vendorCode, message: e.message };
    failures.push(failure);
    count(kind, 'failed');
    await record({ type: 'failed', key: keyOf(kind, sourceId), at: now(), code: failure.code, vendorCode: failure.vendorCode, message: failure.message });
  };
  const stopped = () => !!signal?.aborted || !!options.stop?.aborted;

  const total = plan.groups.length + plan.agents.length + plan.memberships.length;
  const alreadyDone = [
    ...plan.groups.map((g) => keyOf('group', g.sourceId)),
    ...plan.agents.map((a) => keyOf('agent', a.sourceId)),
    ...plan.memberships.map((m) => keyOf('membership', m.sourceGroupId)),
  ].filter((k) => state.done.has(k)).length;
  options.onStart?.({ alreadyDone, total, resuming: state.done.size + state.pending.size + state.failed.size > 0 });

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
  let finished = 0;
  const report = (phase: ProgressEvent['phase'], phaseTotal: number) => {
    finished++;
    options.onProgress?.({ phase, done: ++done, total: phaseTotal });
  };
  await runPool(plan.groups, concurrency, async (entry: GroupPlanEntry) => {
    try {
      // group names are not unique on every vendor: a group planned for creation that the target holds by
      // now (a run whose journal was lost) is taken as it is, not created twice, and not marked ours
      const existing = groupsByName.get(entry.input.name.trim());
      const key = keyOf('group', entry.sourceId);
      if (entry.action === 'create' && existing && !state.done.has(key) && !state.pending.has(key)) {
        await record({ type: 'done', key, targetId: existing, at: now(), note: 'on the target at apply time' });
        count('group', 'adopted');
        return;
      }
      await applyEntry(entry, 'group', async () => ({ id: (await target.groups.create(entry.input, { signal, readBack: false })).id }), () => findGroup(entry.input.name), async (id) => {
        groupsByName.set(entry.input.name.trim(), id);
      });
    } finally {
      report('groups', plan.groups.length);
    }
  }, stopped);

  // agents: where the target takes memberships in the create itself, each agent is created in its
  // groups (one request instead of a create plus a membership update per group)
  const groupsInCreate = target.capabilities.agents.groupsInCreate === true;
  const groupsOfAgent = new Map<string, string[]>();
  for (const m of plan.memberships) for (const id of m.sourceMemberIds) groupsOfAgent.set(id, [...(groupsOfAgent.get(id) ?? []), m.sourceGroupId]);
  const targetGroupsOf = (sourceId: string) =>
    (groupsOfAgent.get(sourceId) ?? []).map((g) => state.done.get(keyOf('group', g))).filter((id): id is string => id !== undefined);
  done = 0;
  await runPool(plan.agents, concurrency, async (entry: AgentPlanEntry) => {
    try {
      await applyEntry(
        entry,
        'agent',
        async () => {
          const password = await passwords.passwordFor(entry.input.email, target.passwordRules);
          const joined = groupsInCreate ? targetGroupsOf(entry.sourceId) : [];
          const groupIds = [...new Set([...(entry.input.groupIds ?? []), ...joined])];
          const created = await target.agents.create({ ...entry.input, password, ...(groupIds.length ? { groupIds } : {}) }, { signal, readBack: false });
          return { id: created.id, joined };
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
  }, stopped);

  // memberships: add the mapped members to each target group; existing members are kept
  done = 0;
  await runPool(plan.memberships, Math.min(concurrency, 4), async (m) => {
    const key = keyOf('membership', m.sourceGroupId);
    try {
      const groupId = state.done.get(keyOf('group', m.sourceGroupId));
      if (!groupId) {
        count('membership', 'skipped');
        return;
      }
      const wanted: string[] = [];
      let joinedAtCreate = 0;
      for (const sourceId of m.sourceMemberIds) {
        const agentKey = keyOf('agent', sourceId);
        const agentId = state.done.get(agentKey);
        if (agentId) wanted.push(agentId);
        if (state.joined.get(agentKey)?.includes(groupId)) joinedAtCreate++;
      }
      // every member was put in the group by its own create: nothing to read or write
      if (joinedAtCreate === m.sourceMemberIds.length) {
        count('membership', 'skipped');
        if (!state.done.has(key)) await record({ type: 'done', key, targetId: groupId, at: now(), note: 'joined at create' });
        return;
      }
      const current: Group = await target.groups.get(groupId, { signal });
      const have = new Set(current.memberIds ?? []);
      const missing = wanted.filter((id) => !have.has(id));
      if (missing.length === 0) {
        count('membership', 'skipped');
        if (!state.done.has(key)) await record({ type: 'done', key, targetId: groupId, at: now() });
        return;
      }
      await record({ type: 'intent', key, at: now() });
      await target.groups.update(groupId, { memberIds: [...have, ...missing] }, { signal });
      await record({ type: 'done', key, targetId: groupId, at: now(), note: `+${missing.length}`, added: missing });
      count('membership', 'updated');
    } catch (error) {
      await fail('membership', m.sourceGroupId, m.groupLabel, error);
    } finally {
      report('memberships', plan.memberships.length);
    }
  }, stopped);
  if (signal?.aborted) throw signal.reason;

  const t = target.stats();
  const s = options.source?.stats();
  const interrupted = options.stop?.aborted && finished < total ? { done: alreadyDone + finished, total } : undefined;
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
    targetRequests: { actual: t.requests - targetRequestsBefore, estimated: plan.estimate?.requests ?? null },
    passwords: passwords.describe(),
    durationMs: Date.now() - started,
    ...(interrupted ? { interrupted } : {}),
    alreadyDone,
    ok: !interrupted && failures.length === 0 && !plan.agents.some((a) => a.action === 'conflict') && !plan.groups.some((g) => g.action === 'conflict'),
  };

  /**
   * One entity: journal first, then the target. `find` settles an unfinished or ambiguous create
   * by looking the entity up (email for agents, name for groups).
   */
  async function applyEntry(
    entry: GroupPlanEntry | AgentPlanEntry,
    kind: 'group' | 'agent',
    create: () => Promise<{ id: string; joined?: string[] }>,
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
          await record({ type: 'done', key, targetId: found, at: now(), note: 'adopted after resume', created: true });
          await onKnown?.(found);
          count(kind, 'adopted');
          return;
        }
      }
      let lastError: unknown;
      for (let attempt = 0; attempt < attempts; attempt++) {
        await record({ type: 'intent', key, at: now() });
        try {
          const { id, joined } = await create();
          await record({ type: 'done', key, targetId: id, at: now(), created: true, ...(joined?.length ? { joined } : {}) });
          await onKnown?.(id);
          count(kind, 'created');
          return;
        } catch (error) {
          lastError = error;
          if (!isContactKitError(error) || !isAmbiguous(error)) break;
          // the write may have landed (a lost reply) or been taken by an earlier attempt: look before retrying
          const found = await find().catch(() => null);
          if (found) {
            await record({ type: 'done', key, targetId: found, at: now(), note: `adopted after ${error.code}`, created: true });
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
