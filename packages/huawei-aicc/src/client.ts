/**
 * createHuaweiAiccClient: agents (agent accounts), groups (skill queues) and roles (the fixed ccRoleId
 * list) of Huawei AICC cc-management, on the shared core transport.
 */
import {
  AgentInputSchema,
  AgentPatchSchema,
  EmailSchema,
  GroupInputSchema,
  GroupPatchSchema,
  IdSchema,
  InvalidResponseError,
  IssueCollector,
  NotFoundError,
  ConflictError,
  ValidationError,
  createAdapterTransport,
  transportMembers,
  pageNumberCursor,
  paginate,
  parseInput,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type CallOptions,
  type CreateOptions,
  groupAsWritten,
  type Capabilities,
  type CommonClientOptions,
  type ContactCenterClient,
  type DeleteOptions,
  type Group,
  type GroupInput,
  type GroupPatch,
  type HttpTransport,
  type ListOptions,
  type MappingWarning,
  type PagedIterable,
  type PasswordRules,
  type Role,
  type WritePreview,
} from '@contactkit/core';
import type { z } from 'zod';
import { DEFAULT_TOKEN_TTL_SECONDS, HuaweiTokenAuth, MAX_TOKEN_TTL_SECONDS } from './auth';
import { API_PREFIX, classifyResponse } from './errors';
import {
  MEDIA_TYPES_WITH_DEFAULT_SKILL_PARAM,
  VENDOR,
  agentFromWire,
  agentInputToWire,
  agentPatchToWire,
  deriveUserAccount,
  groupFromWire,
  groupInputToWire,
  groupPatchToWire,
  isKnownRoleId,
  memberWeights,
  membershipWarning,
  rolesFromTable,
  suffixUserAccount,
} from './mapping';
import {
  AgentQueryReplySchema,
  AgentResultReplySchema,
  CreateAgentBodySchema,
  CreateAgentReplySchema,
  CreateSkillBodySchema,
  CreateSkillReplySchema,
  MAX_ACCOUNTS_PER_BINDING,
  DEFAULT_PASSWORD_LENGTH,
  MAX_PAGE_SIZE,
  ModifySkillBodySchema,
  PASSWORD_SPECIALS_GENERATED,
  SkillMembersReplySchema,
  SkillQueryReplySchema,
  SkillResultReplySchema,
  USER_ACCOUNT_PATTERN,
  UpdateAgentBodySchema,
  deleteAccountProblems,
  type PasswordLength,
  type CreateAgentBody,
  type CreateSkillBody,
  type UpdateAgentBody,
  type WireAgent,
  type WireSkill,
} from './wire';

export interface HuaweiAiccClientOptions extends CommonClientOptions {
  /** the origin of the business API, e.g. 'https://service.besclouds.com': /apiaccess/... hangs off it */
  baseUrl: string;
  /**
   * the origin of tokenByAkSk (/apigovernance/...), when it differs from baseUrl (e.g. the :28070 auth
   * port of AICC deployments). Default: the same origin as baseUrl, as the docs show it.
   */
  tokenBaseUrl?: string | undefined;
  appKey: string;
  appSecret: string;
  /** X-Token-Expire: the token lifetime asked for, in seconds (default 600, at most 3600) */
  tokenTtlSeconds?: number | undefined;
  /** wrap bodies in `requestParam` / `requestParams` as the parameter tables show (default false: flat, as the samples) */
  wrapRequestParams?: boolean | undefined;
  /**
   * true: a userName or skill name Huawei cannot take is fitted (forbidden characters removed, shortened)
   * and each change reported as a MappingWarning (logged, and in `preview`). Default false: such a name is
   * a ValidationError naming `name`, and nothing is sent.
   */
  fitNames?: boolean | undefined;
  /**
   * the password length the tenant's rule group allows, checked on create and on newPassWord.
   * Default { min: 8, max: 8 }: the documented default rule group ("a string of eight characters").
   */
  passwordLength?: PasswordLength | undefined;
  /** injectable clock (epoch ms) for the token lifecycle; default Date.now */
  now?: (() => number) | undefined;
}

export interface HuaweiAiccClient extends ContactCenterClient {
  readonly vendor: 'huawei-aicc';
  /** token fetches made so far (tokenByAkSk calls that were started) */
  tokenFetches(): number;
}

/** The password rules for a length rule: the four classes of the default rule group. */
export function huaweiPasswordRules(length: PasswordLength = DEFAULT_PASSWORD_LENGTH): PasswordRules {
  return Object.freeze({
    minLength: length.min,
    maxLength: length.max,
    requiredClasses: ['upper', 'lower', 'digit', 'special'],
    specials: PASSWORD_SPECIALS_GENERATED,
  }) as PasswordRules;
}

/** The documented default rule group: exactly eight characters, upper, lower, digit and special. */
export const HUAWEI_PASSWORD_RULES: PasswordRules = huaweiPasswordRules();

export const HUAWEI_CAPABILITIES: Capabilities = Object.freeze({
  agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true, groupsInCreate: true },
  groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
  roles: { list: true, create: false },
}) as Capabilities;

/** how many suffixes (-2 … -N) a derived userAccount tries before giving up */
const MAX_ACCOUNT_SUFFIX = 50;
const RESERVED_AGENT_VENDOR_FIELDS: Record<string, string> = {
  userAccount: 'set loginName instead (it is the userAccount)',
  password: 'pass password instead',
  workNo: 'workNo is assigned by Huawei and read-only',
};

type Wrap = 'requestParam' | 'requestParams';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function toNumber(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A page-number walk: the page to ask for and how many items came before it. */
interface PageCursor {
  pageNum: number;
  seen: number;
}

/**
 * The next page of a pageNum/pageSize walk: `total` (when Huawei sends it) decides, so a page shorter
 * than asked is not the end while more exist; without it a short page ends the list.
 */
function nextPage(pageNum: number, seen: number, got: number, pageSize: number, total: unknown): PageCursor | undefined {
  const seenNow = seen + got;
  const next = pageNumberCursor(pageNum, got, pageSize, { items: toNumber(total) }, seenNow);
  return next === undefined ? undefined : { pageNum: next, seen: seenNow };
}

/** Maps a wire-body issue path back to the field as the caller wrote it. */
function agentIssuePath(path: PropertyKey[], vendorFields: Record<string, unknown> | undefined, groupIds: readonly string[] | undefined): string {
  const [head, index, leaf] = path.map(String);
  if (head === undefined) return '';
  if (head === 'skills' && index !== undefined) {
    const gid = groupIds?.[Number(index)];
    if (leaf === 'skillId' || leaf === undefined) return `groupIds.${index}`;
    const weights = vendorFields?.skillWeights;
    if (gid !== undefined && isPlainObject(weights) && weights[gid] !== undefined) return `vendorFields.skillWeights.${gid}.${leaf}`;
    return `groupIds.${index}`;
  }
  if (vendorFields && head in vendorFields) return ['vendorFields', ...path.map(String)].join('.');
  const table: Record<string, string> = { userAccount: 'loginName', userName: 'name', agentType: 'channels', ccRoleId: 'roleIds' };
  return [table[head] ?? head, ...path.slice(1).map(String)].join('.');
}

function groupIssuePath(path: PropertyKey[], vendorFields: Record<string, unknown> | undefined): string {
  const head = String(path[0] ?? '');
  if (head === 'name') return 'name';
  if (vendorFields && head in vendorFields) return ['vendorFields', ...path.map(String)].join('.');
  return path.map(String).join('.');
}

function collect(schema: z.ZodType, body: unknown, issues: IssueCollector, toPath: (p: PropertyKey[]) => string): void {
  const result = schema.safeParse(body);
  if (result.success) return;
  for (const issue of result.error.issues) issues.add(toPath(issue.path), issue.message);
}

/** The transport tokenByAkSk goes through: the calls' own, or one on `tokenBaseUrl` when its origin differs. */
function tokenTransportFor(options: HuaweiAiccClientOptions, transport: HttpTransport): HttpTransport {
  const tokenBaseUrl = options.tokenBaseUrl;
  if (tokenBaseUrl === undefined || new URL(tokenBaseUrl).origin === new URL(transport.baseUrl).origin) return transport;
  let tokenTransportRef: HttpTransport | undefined;
  const tokenTransport = createAdapterTransport({
    vendor: VENDOR,
    options: { ...options, baseUrl: tokenBaseUrl },
    // the token request carries its credentials in the body: nothing to add
    auth: { authenticate: () => undefined },
    account: options.appKey,
    defaultRateLimit: undefined,
    classify: (response) => classifyResponse(response, () => tokenTransportRef!.errorOptions(response)),
    defaultHeaders: { Accept: 'application/json' },
    secrets: [options.appSecret],
  });
  tokenTransportRef = tokenTransport;
  return tokenTransport;
}

export function createHuaweiAiccClient(options: HuaweiAiccClientOptions): HuaweiAiccClient {
  // ---- options ------------------------------------------------------------------------------
  const config = new IssueCollector();
  const given = (options ?? {}) as Partial<HuaweiAiccClientOptions>;
  config.check(typeof given.baseUrl === 'string' && given.baseUrl !== '', 'baseUrl', "give the origin, e.g. 'https://service.besclouds.com'");
  config.check(typeof given.appKey === 'string' && given.appKey.trim() !== '', 'appKey', 'must be a non-empty string');
  config.check(typeof given.appSecret === 'string' && given.appSecret !== '', 'appSecret', 'must be a non-empty string');
  const ttl = given.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  config.check(Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS, 'tokenTtlSeconds', `must be an integer from 1 to ${MAX_TOKEN_TTL_SECONDS} (X-Token-Expire)`);
  config.check(given.tokenBaseUrl === undefined || URL.canParse(String(given.tokenBaseUrl)), 'tokenBaseUrl', "give the origin, e.g. 'https://service.besclouds.com:28070'");
  const passwordLength = given.passwordLength ?? DEFAULT_PASSWORD_LENGTH;
  config.check(
    Number.isInteger(passwordLength.min) && Number.isInteger(passwordLength.max) && passwordLength.min >= 4 && passwordLength.max >= passwordLength.min,
    'passwordLength',
    'must be { min, max }: integers, min at least 4 (one per class), max ≥ min',
  );
  if (config.issues.length > 0) throw new ValidationError(config.issues, { vendor: VENDOR, secrets: typeof given.appSecret === 'string' ? [given.appSecret] : [] });

  const wrapRequestParams = options.wrapRequestParams ?? false;
  const fitNames = options.fitNames ?? false;
  const passwordRules = huaweiPasswordRules(passwordLength);
  const auth = new HuaweiTokenAuth({ appKey: options.appKey, appSecret: options.appSecret, tokenTtlSeconds: ttl, now: options.now });
  // the classifier needs the transport's errorOptions; the transport needs the classifier
  let transportRef: HttpTransport | undefined;
  const transport: HttpTransport = createAdapterTransport({
    vendor: VENDOR,
    options,
    auth,
    account: options.appKey,
    // no limit is documented for cc-management: off unless the caller passes `rateLimit`
    defaultRateLimit: undefined,
    classify: (response) => classifyResponse(response, () => transportRef!.errorOptions(response)),
    defaultHeaders: { Accept: 'application/json' },
    secrets: [options.appSecret],
  });
  transportRef = transport;
  auth.attach(tokenTransportFor(options, transport), [transport.redactor]);

  // ---- plumbing -----------------------------------------------------------------------------
  async function call<T>(op: string, body: unknown, schema: z.ZodType<T>, opts: { idempotent: boolean; signal?: AbortSignal | undefined; wrap?: Wrap }): Promise<T> {
    const sent = opts.wrap && wrapRequestParams ? { [opts.wrap]: body } : body;
    const { data } = await transport.request({
      method: 'POST',
      path: `${API_PREFIX}/${op}`,
      body: sent,
      schema,
      idempotent: opts.idempotent,
      signal: opts.signal,
      operation: op,
    });
    return data;
  }

  function report(operation: string, warnings: MappingWarning[]): void {
    if (warnings.length === 0) return;
    options.logger?.warn('contactkit: lossy mapping', transport.redactor.redact({ vendor: VENDOR, operation, warnings }));
  }

  function checkUserAccount(id: unknown, path: string, issues: IssueCollector): void {
    issues.check(typeof id === 'string' && USER_ACCOUNT_PATTERN.test(id), path, 'must be a Huawei userAccount: 6 to 50 letters, digits or @ . - _');
  }

  function checkSkillId(id: unknown): number {
    if (typeof id !== 'string' || !/^\d+$/.test(id)) throw new ValidationError([{ path: 'id', message: 'must be a Huawei skillId (digits)' }], { vendor: VENDOR });
    return Number(id);
  }

  function checkPasswordLength(password: unknown, path: string, issues: IssueCollector): void {
    if (typeof password !== 'string') return;
    const n = [...password].length;
    const { min, max } = passwordLength;
    const rule = min === max ? `exactly ${min}` : `${min} to ${max}`;
    issues.check(n >= min && n <= max, path, `must be ${rule} characters (the tenant's password rule group; set passwordLength if it differs)`);
  }

  // ---- agents -------------------------------------------------------------------------------
  function checkAgentCommon(input: AgentPatch, issues: IssueCollector): void {
    input.roleIds?.forEach((id, i) => issues.check(isKnownRoleId(id), `roleIds.${i}`, 'unknown Huawei role: use 2 (agent), 3 (inspector) or 4 (outbound-call agent)'));
    input.groupIds?.forEach((id, i) => issues.check(/^\d+$/.test(id), `groupIds.${i}`, 'must be a Huawei skillId (digits)'));
    const vf = input.vendorFields ?? {};
    for (const [key, why] of Object.entries(RESERVED_AGENT_VENDOR_FIELDS)) if (vf[key] !== undefined) issues.add(`vendorFields.${key}`, why);
    if (vf.skillWeights !== undefined) {
      if (!isPlainObject(vf.skillWeights)) issues.add('vendorFields.skillWeights', 'must be an object { [skillId]: { agentWeight, skillWeight } }');
      else for (const [k, w] of Object.entries(vf.skillWeights)) if (!isPlainObject(w)) issues.add(`vendorFields.skillWeights.${k}`, 'must be an object { agentWeight, skillWeight }');
    }
  }

  function prepareCreate(input: AgentInput): { body: CreateAgentBody; warnings: MappingWarning[]; derived: boolean } {
    const parsed = parseInput(AgentInputSchema, input, { vendor: VENDOR });
    const issues = new IssueCollector();
    if (parsed.password === undefined) issues.add('password', 'Huawei requires a password to create an agent account');
    checkAgentCommon(parsed, issues);
    const derived = !parsed.loginName;
    const userAccount = parsed.loginName ?? deriveUserAccount(parsed.email);
    const mapped = agentInputToWire(parsed, { userAccount, fitNames });
    if (parsed.password !== undefined) checkPasswordLength(parsed.password, 'password', issues);
    const bodyIssues = new IssueCollector();
    collect(CreateAgentBodySchema, mapped.value, bodyIssues, (p) => agentIssuePath(p, parsed.vendorFields, parsed.groupIds));
    // an absent password is reported once, above, not again as "too short"
    for (const issue of bodyIssues.issues) if (!(parsed.password === undefined && issue.path === 'password')) issues.add(issue.path, issue.message);
    issues.throwIfAny(VENDOR);
    return { body: mapped.value, warnings: mapped.warnings, derived };
  }

  function validatePatch(id: string, patch: AgentPatch, currentSkills?: WireAgent['skills']): { body: UpdateAgentBody; warnings: MappingWarning[]; parsed: AgentPatch } {
    const issues = new IssueCollector();
    checkUserAccount(id, 'id', issues);
    issues.throwIfAny(VENDOR);
    const parsed = parseInput(AgentPatchSchema, patch, { vendor: VENDOR });
    if (parsed.password !== undefined) {
      issues.add(
        'password',
        'Huawei changes a password only with the current one: pass vendorFields { oldPassWord, newPassWord } (one change per 24 h; three wrong current passwords lock the account for 30 min)',
      );
    }
    if (parsed.loginName !== undefined && parsed.loginName !== null && parsed.loginName !== id) issues.add('loginName', 'the userAccount cannot be changed on Huawei');
    const vf = parsed.vendorFields ?? {};
    if ((vf.oldPassWord === undefined) !== (vf.newPassWord === undefined)) {
      issues.add(vf.oldPassWord === undefined ? 'vendorFields.oldPassWord' : 'vendorFields.newPassWord', 'a password change needs both oldPassWord and newPassWord');
    }
    for (const key of ['oldPassWord', 'newPassWord']) if (vf[key] !== undefined && typeof vf[key] !== 'string') issues.add(`vendorFields.${key}`, 'must be a string');
    checkAgentCommon(parsed, issues);
    checkPasswordLength(vf.newPassWord, 'vendorFields.newPassWord', issues);
    const mapped = agentPatchToWire(id, parsed, { fitNames, currentSkills });
    collect(UpdateAgentBodySchema, mapped.value, issues, (p) => agentIssuePath(p, parsed.vendorFields, parsed.groupIds));
    issues.throwIfAny(VENDOR);
    for (const key of ['oldPassWord', 'newPassWord']) if (typeof vf[key] === 'string') transport.redactor.add(vf[key] as string);
    return { body: mapped.value, warnings: mapped.warnings, parsed };
  }

  async function queryAccount(userAccount: string, signal?: AbortSignal): Promise<WireAgent | undefined> {
    // pageNum/pageSize as the zh page requires them (pageNum mandatory); Huawei ignores them next to userAccount
    const reply = await call('agentAccount/query', { userAccount, pageNum: 0, pageSize: 1 }, AgentQueryReplySchema, { idempotent: true, signal, wrap: 'requestParams' });
    const data = reply.data ?? [];
    // the filter is checked, not trusted: a server that ignored it would hand back a page of others
    return data.find((a) => a.userAccount === userAccount) ?? data.find((a) => a.userAccount.toLowerCase() === userAccount.toLowerCase());
  }

  async function getWire(id: string, signal?: AbortSignal): Promise<WireAgent> {
    let found: WireAgent | undefined;
    try {
      found = await queryAccount(id, signal);
    } catch (e) {
      if (e instanceof NotFoundError) found = undefined;
      else throw e;
    }
    if (!found) throw new NotFoundError(`huawei-aicc has no agent account "${id}"`, { vendor: VENDOR });
    return found;
  }

  async function accountTaken(userAccount: string, signal?: AbortSignal): Promise<boolean> {
    try {
      return (await queryAccount(userAccount, signal)) !== undefined;
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  }

  function toAgent(wire: WireAgent): Agent {
    return agentFromWire(wire).value;
  }

  function listAgents(opts: ListOptions = {}): PagedIterable<Agent> {
    const pageSize = pageSizeOf(opts.pageSize);
    return paginate<Agent, PageCursor>({ pageNum: 0, seen: 0 }, async ({ pageNum, seen }) => {
      const reply = await call('agentAccount/query', { pageNum, pageSize }, AgentQueryReplySchema, { idempotent: true, signal: opts.signal, wrap: 'requestParams' });
      const data = reply.data ?? [];
      return { items: data.map(toAgent), next: nextPage(pageNum, seen, data.length, pageSize, reply.total) };
    });
  }

  function pageSizeOf(pageSize: number | undefined): number {
    if (pageSize === undefined) return MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new ValidationError([{ path: 'pageSize', message: 'must be a positive integer' }], { vendor: VENDOR });
    return Math.min(pageSize, MAX_PAGE_SIZE);
  }

  const agents = {
    list: listAgents,

    async get(id: string, opts: CallOptions = {}): Promise<Agent> {
      parseInput(IdSchema, id, { vendor: VENDOR, prefix: 'id' });
      return toAgent(await getWire(id, opts.signal));
    },

    async findByEmail(email: string, opts: CallOptions = {}): Promise<Agent | null> {
      const wanted = parseInput(EmailSchema, email, { vendor: VENDOR, prefix: 'email' }).trim().toLowerCase();
      for await (const agent of listAgents({ pageSize: MAX_PAGE_SIZE, signal: opts.signal })) {
        if (agent.email.trim().toLowerCase() === wanted) return agent;
      }
      return null;
    },

    async create(input: AgentInput, opts: CreateOptions = {}): Promise<Agent> {
      const { body, warnings, derived } = prepareCreate(input);
      if (derived) {
        const base = body.userAccount;
        let candidate = base;
        for (let n = 2; await accountTaken(candidate, opts.signal); n++) {
          if (n > MAX_ACCOUNT_SUFFIX) {
            throw new ConflictError(`huawei-aicc: userAccounts ${base} to ${suffixUserAccount(base, MAX_ACCOUNT_SUFFIX)} are all taken; pass loginName`, { vendor: VENDOR });
          }
          candidate = suffixUserAccount(base, n);
        }
        if (candidate !== base) warnings.push({ field: 'loginName', message: `derived userAccount ${base} is taken: ${candidate} used`, value: candidate });
        body.userAccount = candidate;
      }
      report('agents.create', warnings);
      const reply = await call('agentAccount/create', body, CreateAgentReplySchema, { idempotent: false, signal: opts.signal, wrap: 'requestParam' });
      // what was sent (never the password): the answer without read-back, or while query does not show it yet
      const { password: _password, ...sent } = body;
      const asSent = () => toAgent({ ...sent, workNo: reply.workNo ?? null } as WireAgent);
      if (opts.readBack === false) return asSent();
      try {
        return toAgent(await getWire(body.userAccount, opts.signal));
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
        return asSent();
      }
    },

    async update(id: string, patch: AgentPatch, opts: CallOptions = {}): Promise<Agent> {
      let prepared = validatePatch(id, patch);
      const needsCurrent = prepared.parsed.groupIds !== undefined || prepared.parsed.vendorFields?.skillWeights !== undefined;
      if (needsCurrent) {
        const current = await getWire(id, opts.signal);
        prepared = validatePatch(id, patch, current.skills);
      }
      report('agents.update', prepared.warnings);
      if (Object.keys(prepared.body).length > 1) {
        // a password change is neither repeatable (one per 24 h) nor safe to replay (lockout): never retried
        const idempotent = prepared.body.newPassWord === undefined;
        await call('agentAccount/update', prepared.body, AgentResultReplySchema, { idempotent, signal: opts.signal, wrap: 'requestParam' });
      }
      return toAgent(await getWire(id, opts.signal));
    },

    async delete(id: string, opts: DeleteOptions = {}): Promise<void> {
      // agentAccount/delete documents its own, stricter pattern (no "@", no ".")
      const issues = new IssueCollector();
      for (const message of typeof id === 'string' ? deleteAccountProblems(id) : ['must be a string']) issues.add('id', message);
      issues.throwIfAny(VENDOR);
      await call('agentAccount/delete', { ...(opts.vendorFields ?? {}), userAccount: id }, AgentResultReplySchema, { idempotent: true, signal: opts.signal, wrap: 'requestParams' });
    },

    preview(input: AgentInput): WritePreview {
      const { body, warnings } = prepareCreate(input);
      return { body: transport.redactor.redact(body), warnings };
    },
  };

  // ---- groups (skill queues) ------------------------------------------------------------------
  async function querySkills(body: Record<string, unknown>, signal?: AbortSignal) {
    return call('skill/querySkills', body, SkillQueryReplySchema, { idempotent: true, signal });
  }

  async function getSkill(skillId: number, signal?: AbortSignal): Promise<WireSkill> {
    const reply = await querySkills({ limit: String(MAX_PAGE_SIZE), offset: '0', skillIds: [String(skillId)] }, signal);
    const found = (reply.data ?? []).find((s) => String(s.skillId) === String(skillId));
    if (!found) throw new NotFoundError(`huawei-aicc has no skill queue ${skillId}`, { vendor: VENDOR });
    return found;
  }

  async function memberAccounts(skillId: number, signal?: AbortSignal): Promise<string[]> {
    const pages = paginate<string, PageCursor>({ pageNum: 0, seen: 0 }, async ({ pageNum, seen }) => {
      const reply = await call('agentAccount/queryAgentInfoBySkillId', { skillId, pageSize: MAX_PAGE_SIZE, pageNum }, SkillMembersReplySchema, {
        idempotent: true,
        signal,
        wrap: 'requestParam',
      });
      const data = reply.data ?? [];
      return { items: data.map((m) => m.userAccount), next: nextPage(pageNum, seen, data.length, MAX_PAGE_SIZE, reply.total) };
    });
    return [...new Set(await pages.toArray())];
  }

  async function addMembers(skillId: number, accounts: readonly string[], weights: { agentWeight: number; skillWeight: number }, signal?: AbortSignal): Promise<void> {
    for (const batch of chunks(accounts, MAX_ACCOUNTS_PER_BINDING)) {
      // binding is a set operation: replaying it leaves the same state
      await call('agentAccount/addSkillsToAgent', { userAccounts: batch, skillId, ...weights }, AgentResultReplySchema, { idempotent: true, signal });
    }
  }

  async function releaseMembers(skillId: number, accounts: readonly string[], signal?: AbortSignal): Promise<void> {
    // never an empty list: Huawei reads `userAccounts: []` as "release every agent of the skill"
    for (const batch of chunks(accounts, MAX_ACCOUNTS_PER_BINDING)) {
      if (batch.length === 0) continue;
      await call('agentAccount/releaseAgentBySkillId', { skillId, userAccounts: batch }, AgentResultReplySchema, { idempotent: true, signal });
    }
  }

  function checkGroupCommon(input: GroupPatch, issues: IssueCollector): void {
    input.memberIds?.forEach((id, i) => checkUserAccount(id, `memberIds.${i}`, issues));
    const vf = input.vendorFields ?? {};
    for (const key of ['agentWeight', 'skillWeight']) {
      const w = vf[key];
      if (w !== undefined) issues.check(Number.isInteger(toNumber(w)) && (toNumber(w) ?? 0) >= 1, `vendorFields.${key}`, 'must be an integer of at least 1');
    }
    if (vf.skillId !== undefined) issues.add('vendorFields.skillId', 'the skillId is assigned by Huawei');
  }

  function prepareGroupCreate(input: GroupInput): { body: CreateSkillBody; warnings: MappingWarning[]; parsed: GroupInput } {
    const parsed = parseInput(GroupInputSchema, input, { vendor: VENDOR });
    const issues = new IssueCollector();
    checkGroupCommon(parsed, issues);
    const mapped = groupInputToWire(parsed, { fitNames });
    const media = mapped.value.mediaTypeId;
    if (parsed.vendorFields?.skillParam === undefined && !(MEDIA_TYPES_WITH_DEFAULT_SKILL_PARAM as readonly number[]).includes(media) && typeof media === 'number') {
      issues.add('vendorFields.skillParam', `mediaTypeId ${media} needs answerFunction and waitVoice, which have no safe default: pass vendorFields.skillParam`);
    }
    const bodyIssues = new IssueCollector();
    collect(CreateSkillBodySchema, mapped.value, bodyIssues, (p) => groupIssuePath(p, parsed.vendorFields));
    // a missing skillParam is reported once, above, not again for each of its parts
    const skillParamMissing = issues.issues.some((i) => i.path === 'vendorFields.skillParam');
    for (const issue of bodyIssues.issues) if (!(skillParamMissing && issue.path.startsWith('skillParam'))) issues.add(issue.path, issue.message);
    issues.throwIfAny(VENDOR);
    return { body: mapped.value, warnings: mapped.warnings, parsed };
  }

  async function skillIdByName(name: string, signal?: AbortSignal): Promise<number | undefined> {
    const reply = await querySkills({ name, limit: String(MAX_PAGE_SIZE), offset: '0' }, signal);
    const ids = (reply.data ?? []).filter((s) => s.name === name).map((s) => toNumber(s.skillId)).filter((n): n is number => n !== undefined);
    return ids.length > 0 ? Math.max(...ids) : undefined;
  }

  async function getGroup(skillId: number, signal?: AbortSignal): Promise<Group> {
    const skill = await getSkill(skillId, signal);
    return groupFromWire(skill, await memberAccounts(skillId, signal)).value;
  }

  const groups = {
    previewMembership: membershipWarning,
    list(opts: ListOptions = {}): PagedIterable<Group> {
      const limit = pageSizeOf(opts.pageSize);
      return paginate<Group, number>(0, async (offset) => {
        // limit and offset are strings in the parameter table
        const reply = await querySkills({ limit: String(limit), offset: String(offset) }, opts.signal);
        const data = reply.data ?? [];
        const total = toNumber(reply.total);
        const seen = offset + data.length;
        // a short page is not the end while `total` says more exist
        const more = total === undefined ? data.length >= limit : seen < total;
        const next = data.length > 0 && more ? seen : undefined;
        return { items: data.map((s) => groupFromWire(s, null).value), next };
      });
    },

    async get(id: string, opts: CallOptions = {}): Promise<Group> {
      return getGroup(checkSkillId(id), opts.signal);
    },

    async create(input: GroupInput, opts: CreateOptions = {}): Promise<Group> {
      const { body, warnings, parsed } = prepareGroupCreate(input);
      report('groups.create', warnings);
      const reply = await call('skill/createSkill', body, CreateSkillReplySchema, { idempotent: false, signal: opts.signal });
      // the docs do not show skillId in the reply: use it when present, else look the queue up by name
      let skillId = toNumber(reply.skillId);
      skillId ??= await skillIdByName(body.name, opts.signal);
      if (skillId === undefined) {
        throw new InvalidResponseError(`huawei-aicc created skill queue "${body.name}" but neither the reply nor querySkills gives its skillId`, { vendor: VENDOR });
      }
      const members = [...new Set(parsed.memberIds ?? [])];
      if (members.length > 0) await addMembers(skillId, members, memberWeights(parsed.vendorFields), opts.signal);
      if (opts.readBack === false) return groupAsWritten(VENDOR, String(skillId), { ...parsed, name: body.name, memberIds: members });
      return getGroup(skillId, opts.signal);
    },

    async update(id: string, patch: GroupPatch, opts: CallOptions = {}): Promise<Group> {
      const skillId = checkSkillId(id);
      const parsed = parseInput(GroupPatchSchema, patch, { vendor: VENDOR });
      const issues = new IssueCollector();
      checkGroupCommon(parsed, issues);
      const mapped = groupPatchToWire(skillId, parsed, { fitNames });
      if (mapped.value) collect(ModifySkillBodySchema, mapped.value, issues, (p) => groupIssuePath(p, parsed.vendorFields));
      issues.throwIfAny(VENDOR);
      report('groups.update', mapped.warnings);
      if (mapped.value) await call('skill/modifySkill', mapped.value, SkillResultReplySchema, { idempotent: true, signal: opts.signal });
      if (parsed.memberIds !== undefined) {
        const wanted = [...new Set(parsed.memberIds)];
        const current = await memberAccounts(skillId, opts.signal);
        const release = current.filter((a) => !wanted.includes(a));
        const add = wanted.filter((a) => !current.includes(a));
        await releaseMembers(skillId, release, opts.signal);
        await addMembers(skillId, add, memberWeights(parsed.vendorFields), opts.signal);
      }
      return getGroup(skillId, opts.signal);
    },

    async delete(id: string, opts: DeleteOptions = {}): Promise<void> {
      const skillId = checkSkillId(id);
      await call('skill/deleteSkill', { ...(opts.vendorFields ?? {}), skillIds: String(skillId) }, SkillResultReplySchema, { idempotent: true, signal: opts.signal });
    },

    preview(input: GroupInput): WritePreview {
      const { body, warnings } = prepareGroupCreate(input);
      return { body: transport.redactor.redact(body), warnings };
    },
  };

  // ---- roles --------------------------------------------------------------------------------
  const roles = {
    async list(opts: CallOptions = {}): Promise<Role[]> {
      if (opts.signal?.aborted) throw opts.signal.reason;
      return rolesFromTable();
    },
  };

  return {
    vendor: VENDOR,
    capabilities: HUAWEI_CAPABILITIES,
    passwordRules,
    agents,
    groups,
    roles,
    ...transportMembers(transport),
    tokenFetches(): number {
      return auth.fetches;
    },
  };
}
