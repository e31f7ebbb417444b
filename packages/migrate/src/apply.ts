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
  /** steps in flight at once (default DEFAULT_CONCURRENCY, 16): the target client's adaptive window and rate limiter decide what reaches the vendor */
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
/**
 * Steps in flight at once when the caller does not say: the target client's adaptive window (or its
 * rate limit) decides how many of them reach the vendor together.
 */
export const DEFAULT_CONCURRENCY = 16;

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
  const applyRun = new ApplyRun(plan, options, state);
  // roles: mapped to existing target roles at plan time; nothing to write
  for (const role of plan.roles) applyRun.count('role', role.action === 'conflict' ? 'conflict' : 'skipped');
  await applyRun.groups();
  await applyRun.agents();
  await applyRun.memberships();
  if (options.signal?.aborted) throw options.signal.reason;
  return applyRun.report();
}

/** One apply: the phases in dependency order over one journal state, counting as they go. */
class ApplyRun {
  private readonly started = Date.now();
  private readonly targetRequestsBefore: number;
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly counts: ApplyReport['counts'] = { role: {}, group: {}, agent: {}, membership: {} };
  private readonly failures: ApplyFailure[] = [];
  private readonly total: number;
  private readonly alreadyDone: number;
  private readonly groupsByName = new Map<string, string>();
  private done = 0;
  private finished = 0;

  constructor(
    private readonly plan: MigrationPlan,
    private readonly options: ApplyOptions,
    private readonly state: JournalState,
  ) {
    this.targetRequestsBefore = options.target.stats().requests;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.attempts = Math.max(1, options.createAttempts ?? 3);
    this.total = plan.groups.length + plan.agents.length + plan.memberships.length;
    this.alreadyDone = [
      ...plan.groups.map((g) => this.keyOf('group', g.sourceId)),
      ...plan.agents.map((a) => this.keyOf('agent', a.sourceId)),
      ...plan.memberships.map((m) => this.keyOf('membership', m.sourceGroupId)),
    ].filter((k) => state.done.has(k)).length;
    options.onStart?.({ alreadyDone: this.alreadyDone, total: this.total, resuming: state.done.size + state.pending.size + state.failed.size > 0 });
  }

  count(kind: EntityKind | 'membership', outcome: ApplyOutcome): void {
    this.counts[kind][outcome] = (this.counts[kind][outcome] ?? 0) + 1;
  }

  private keyOf(kind: string, sourceId: string): string {
    return `${this.plan.source.vendor}:${kind}:${sourceId}`;
  }

  private async record(r: JournalRecord): Promise<void> {
    await this.options.journal.append(r);
    this.state.applyRecord(r);
  }

  private async fail(kind: ApplyFailure['kind'], sourceId: string, label: string, error: unknown): Promise<void> {
    const signal = this.options.signal;
    const e = isContactKitError(error) ? error : undefined;
    if (!e || (signal?.aborted && error === signal.reason)) throw error; // a bug, a broken journal or an abort: stop the run
    const failure: ApplyFailure = { kind, sourceId, label, code: e.code, vendorCode: e.vendorCode, message: e.message };
    this.failures.push(failure);
    this.count(kind, 'failed');
    await this.record({ type: 'failed', key: this.keyOf(kind, sourceId), at: now(), code: failure.code, vendorCode: failure.vendorCode, message: failure.message });
  }

  private readonly stopped = () => !!this.options.signal?.aborted || !!this.options.stop?.aborted;

  private progress(phase: ProgressEvent['phase'], phaseTotal: number): void {
    this.finished++;
    this.options.onProgress?.({ phase, done: ++this.done, total: phaseTotal });
  }

  private async findGroup(name: string): Promise<string | null> {
    const cached = this.groupsByName.get(name.trim());
    if (cached) return cached;
    // not seen at start: a create whose reply was lost may have landed since, so read the target again
    for await (const g of this.options.target.groups.list({ signal: this.options.signal })) this.groupsByName.set(g.name.trim(), g.id);
    return this.groupsByName.get(name.trim()) ?? null;
  }

  async groups(): Promise<void> {
    const { target, signal } = this.options;
    for await (const g of target.groups.list({ signal })) this.groupsByName.set(g.name.trim(), g.id);
    this.done = 0;
    await runPool(this.plan.groups, this.concurrency, async (entry: GroupPlanEntry) => {
      try {
        // group names are not unique on every vendor: a group planned for creation that the target holds by
        // now (a run whose journal was lost) is taken as it is, not created twice, and not marked ours
        const existing = this.groupsByName.get(entry.input.name.trim());
        const key = this.keyOf('group', entry.sourceId);
        if (entry.action === 'create' && existing && !this.state.done.has(key) && !this.state.pending.has(key)) {
          await this.record({ type: 'done', key, targetId: existing, at: now(), note: 'on the target at apply time' });
          this.count('group', 'adopted');
          return;
        }
        await this.applyEntry(entry, 'group', {
          create: async () => ({ id: (await target.groups.create(entry.input, { signal, readBack: false })).id }),
          find: () => this.findGroup(entry.input.name),
          onKnown: async (id) => void this.groupsByName.set(entry.input.name.trim(), id),
        });
      } finally {
        this.progress('groups', this.plan.groups.length);
      }
    }, this.stopped);
  }

  /**
   * Where the target takes memberships in the create itself, each agent is created in its groups
   * (one request instead of a create plus a membership update per group).
   */
  async agents(): Promise<void> {
    const { target, signal, passwords } = this.options;
    const groupsInCreate = target.capabilities.agents.groupsInCreate === true;
    const groupsOfAgent = new Map<string, string[]>();
    for (const m of this.plan.memberships) for (const id of m.sourceMemberIds) groupsOfAgent.set(id, [...(groupsOfAgent.get(id) ?? []), m.sourceGroupId]);
    const targetGroupsOf = (sourceId: string) =>
      (groupsOfAgent.get(sourceId) ?? []).map((g) => this.state.done.get(this.keyOf('group', g))).filter((id): id is string => id !== undefined);
    this.done = 0;
    await runPool(this.plan.agents, this.concurrency, async (entry: AgentPlanEntry) => {
      try {
        await this.applyEntry(entry, 'agent', {
          create: async () => {
            const password = await passwords.passwordFor(entry.input.email, target.passwordRules);
            const joined = groupsInCreate ? targetGroupsOf(entry.sourceId) : [];
            const groupIds = [...new Set([...(entry.input.groupIds ?? []), ...joined])];
            const created = await target.agents.create({ ...entry.input, password, ...(groupIds.length ? { groupIds } : {}) }, { signal, readBack: false });
            return { id: created.id, joined };
          },
          find: async () => (await target.agents.findByEmail(entry.input.email, { signal }))?.id ?? null,
          update: async (targetId) => {
            // the email is the match key: sent only when the plan saw it change (an id-map match)
            const { email, ...rest } = entry.input;
            const patch = entry.changes?.includes('email') ? { ...rest, email } : rest;
            await target.agents.update(targetId, patch, { signal });
          },
        });
      } finally {
        this.progress('agents', this.plan.agents.length);
      }
    }, this.stopped);
  }

  /** Adds the mapped members to each target group; existing members are kept. */
  async memberships(): Promise<void> {
    this.done = 0;
    await runPool(this.plan.memberships, Math.min(this.concurrency, 4), async (m) => {
      try {
        await this.applyMembership(m);
      } catch (error) {
        await this.fail('membership', m.sourceGroupId, m.groupLabel, error);
      } finally {
        this.progress('memberships', this.plan.memberships.length);
      }
    }, this.stopped);
  }

  private async applyMembership(m: MigrationPlan['memberships'][number]): Promise<void> {
    const { target, signal } = this.options;
    const key = this.keyOf('membership', m.sourceGroupId);
    const groupId = this.state.done.get(this.keyOf('group', m.sourceGroupId));
    if (!groupId) return this.count('membership', 'skipped');
    const wanted: string[] = [];
    let joinedAtCreate = 0;
    for (const sourceId of m.sourceMemberIds) {
      const agentKey = this.keyOf('agent', sourceId);
      const agentId = this.state.done.get(agentKey);
      if (agentId) wanted.push(agentId);
      if (this.state.joined.get(agentKey)?.includes(groupId)) joinedAtCreate++;
    }
    // every member was put in the group by its own create: nothing to read or write
    if (joinedAtCreate === m.sourceMemberIds.length) {
      this.count('membership', 'skipped');
      if (!this.state.done.has(key)) await this.record({ type: 'done', key, targetId: groupId, at: now(), note: 'joined at create' });
      return;
    }
    const current: Group = await target.groups.get(groupId, { signal });
    const have = new Set(current.memberIds ?? []);
    const missing = wanted.filter((id) => !have.has(id));
    if (missing.length === 0) {
      this.count('membership', 'skipped');
      if (!this.state.done.has(key)) await this.record({ type: 'done', key, targetId: groupId, at: now() });
      return;
    }
    await this.record({ type: 'intent', key, at: now() });
    await target.groups.update(groupId, { memberIds: [...have, ...missing] }, { signal });
    await this.record({ type: 'done', key, targetId: groupId, at: now(), note: `+${missing.length}`, added: missing });
    this.count('membership', 'updated');
  }

  report(): ApplyReport {
    const { plan, options, failures } = this;
    const t = options.target.stats();
    const s = options.source?.stats();
    const interrupted = options.stop?.aborted && this.finished < this.total ? { done: this.alreadyDone + this.finished, total: this.total } : undefined;
    return {
      planId: plan.id,
      source: plan.source.vendor,
      target: plan.target.vendor,
      counts: this.counts,
      warnings: [...plan.warnings],
      failures,
      transport: {
        retries: t.retries + (s?.retries ?? 0),
        rateLimitWaitMs: Math.round(t.rateLimitWaitMs + (s?.rateLimitWaitMs ?? 0)),
        retryAfterWaitMs: Math.round(t.retryAfterWaitMs + (s?.retryAfterWaitMs ?? 0)),
        requests: t.requests + (s?.requests ?? 0),
      },
      targetRequests: { actual: t.requests - this.targetRequestsBefore, estimated: plan.estimate?.requests ?? null },
      passwords: options.passwords.describe(),
      durationMs: Date.now() - this.started,
      ...(interrupted ? { interrupted } : {}),
      alreadyDone: this.alreadyDone,
      ok: !interrupted && failures.length === 0 && !plan.agents.some((a) => a.action === 'conflict') && !plan.groups.some((g) => g.action === 'conflict'),
    };
  }

  /**
   * One entity: journal first, then the target. `find` settles an unfinished or ambiguous create
   * by looking the entity up (email for agents, name for groups).
   */
  private async applyEntry(entry: GroupPlanEntry | AgentPlanEntry, kind: 'group' | 'agent', steps: EntrySteps): Promise<void> {
    const key = this.keyOf(kind, entry.sourceId);
    try {
      if (entry.action === 'conflict') return this.count(kind, 'conflict');
      if (this.state.done.get(key)) return this.count(kind, 'skipped');
      if (entry.action === 'skip' && entry.targetId) {
        await this.record({ type: 'done', key, targetId: entry.targetId, at: now(), note: 'matched' });
        return this.count(kind, 'skipped');
      }
      if (entry.action === 'update' && entry.targetId && steps.update) {
        await this.record({ type: 'intent', key, at: now() });
        await steps.update(entry.targetId);
        await this.record({ type: 'done', key, targetId: entry.targetId, at: now(), note: 'updated' });
        return this.count(kind, 'updated');
      }
      // create: settle a leftover intent from an interrupted run before writing anything
      if (this.state.pending.has(key) || this.state.failed.has(key)) {
        const found = await steps.find();
        if (found) return await this.adopt(kind, key, found, 'adopted after resume', steps);
      }
      await this.create(kind, key, steps);
    } catch (error) {
      await this.fail(kind, entry.sourceId, entry.label, error);
    }
  }

  /** A create, journaled, retried only after looking whether an ambiguous failure landed after all. */
  private async create(kind: 'group' | 'agent', key: string, steps: EntrySteps): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      await this.record({ type: 'intent', key, at: now() });
      try {
        const { id, joined } = await steps.create();
        await this.record({ type: 'done', key, targetId: id, at: now(), created: true, ...(joined?.length ? { joined } : {}) });
        await steps.onKnown?.(id);
        return this.count(kind, 'created');
      } catch (error) {
        lastError = error;
        if (!isContactKitError(error) || !isAmbiguous(error)) break;
        // the write may have landed (a lost reply) or been taken by an earlier attempt: look before retrying
        const found = await steps.find().catch(() => null);
        if (found) return await this.adopt(kind, key, found, `adopted after ${error.code}`, steps);
        if (error.code === 'CONFLICT') break;
      }
    }
    throw lastError;
  }

  private async adopt(kind: 'group' | 'agent', key: string, found: string, note: string, steps: EntrySteps): Promise<void> {
    await this.record({ type: 'done', key, targetId: found, at: now(), note, created: true });
    await steps.onKnown?.(found);
    this.count(kind, 'adopted');
  }
}

interface EntrySteps {
  create: () => Promise<{ id: string; joined?: string[] }>;
  find: () => Promise<string | null>;
  onKnown?: (id: string) => Promise<void>;
  update?: (id: string) => Promise<void>;
}

const now = () => new Date().toISOString();
