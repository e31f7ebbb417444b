/** Agents: Huawei agent accounts (agentAccount/*), their id is the userAccount. */
import {
  AgentInputSchema,
  AgentPatchSchema,
  ConflictError,
  EmailSchema,
  IdSchema,
  NotFoundError,
  listPages,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type CallOptions,
  type CreateOptions,
  type DeleteOptions,
  type ListOptions,
  type MappingWarning,
  type PagedIterable,
  type WritePreview,
} from '@contactkit/core';
import { z } from 'zod';
import { accountCandidate, agentFromWire, agentInputToWire, agentPatchToWire, deriveUserAccount, isKnownRoleId, modelFieldOf, toNumber } from '../mapping';
import {
  AgentQueryReplySchema,
  AgentResultReplySchema,
  CreateAgentReplySchema,
  DeleteAgentBodySchema,
  MAX_PAGE_SIZE,
  SkillIdParamSchema,
  SkillWeightsInputSchema,
  UserAccountSchema,
  type CreateAgentBody,
  type UpdateAgentBody,
  type WireAgent,
} from '../wire';
import { post, type ResourceContext } from './context';

/** how many userAccounts (base, base-2 … base-N) a create tries for a derived account before giving up */
const MAX_ACCOUNT_SUFFIX = 50;

export function listAgents(ctx: ResourceContext, options: ListOptions = {}): PagedIterable<Agent> {
  const pageSize = ctx.pageSize(options);
  return listPages({
    vendor: ctx.vendor,
    operation: 'agents.list',
    style: 'page-number',
    pageSize,
    firstPage: 0,
    fetch: async ({ page }) => {
      const reply = await post(ctx, 'agentAccount/query', { pageNum: page, pageSize }, AgentQueryReplySchema, { idempotent: true, signal: options.signal, wrap: 'requestParams' });
      return { items: reply.data ?? [], total: { items: toNumber(reply.total) } };
    },
    map: (wires) => wires.map((wire) => readAgent(ctx, 'agents.list', wire)),
  });
}

export async function getAgent(ctx: ResourceContext, id: string, options: CallOptions = {}): Promise<Agent> {
  ctx.validate(IdSchema, id, 'id');
  return readAgent(ctx, 'agents.get', await getWire(ctx, id, options.signal));
}

/** Huawei has no email filter: the list is read until the email turns up. */
export async function findAgentByEmail(ctx: ResourceContext, email: string, options: CallOptions = {}): Promise<Agent | null> {
  const wanted = ctx.validate(EmailSchema, email, 'email').trim().toLowerCase();
  for await (const agent of listAgents(ctx, { pageSize: MAX_PAGE_SIZE, signal: options.signal })) {
    if (agent.email.trim().toLowerCase() === wanted) return agent;
  }
  return null;
}

export async function createAgent(ctx: ResourceContext, input: AgentInput, options: CreateOptions = {}): Promise<Agent> {
  const { body, warnings, derived } = prepareCreate(ctx, input);
  if (derived) body.userAccount = await freeUserAccount(ctx, body.userAccount, warnings, options.signal);
  ctx.warn('agents.create', warnings);
  const reply = await post(ctx, 'agentAccount/create', body, CreateAgentReplySchema, { idempotent: false, signal: options.signal, wrap: 'requestParam' });
  // what was sent (never the password): the answer without read-back, or while query does not show it yet
  const { password: _password, ...sent } = body;
  const asSent = () => readAgent(ctx, 'agents.create', { ...sent, workNo: reply.workNo ?? null } as WireAgent);
  if (options.readBack === false) return asSent();
  try {
    return readAgent(ctx, 'agents.create', await getWire(ctx, body.userAccount, options.signal));
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    return asSent();
  }
}

export async function updateAgent(ctx: ResourceContext, id: string, patch: AgentPatch, options: CallOptions = {}): Promise<Agent> {
  let prepared = preparePatch(ctx, id, patch);
  // new bindings keep the weights of the current ones: read them first
  if (prepared.parsed.groupIds !== undefined || prepared.parsed.vendorFields?.skillWeights !== undefined) {
    prepared = preparePatch(ctx, id, patch, (await getWire(ctx, id, options.signal)).skills);
  }
  ctx.warn('agents.update', prepared.warnings);
  if (Object.keys(prepared.body).length > 1) {
    // a password change is neither repeatable (one per 24 h) nor safe to replay (lockout): never retried
    const idempotent = prepared.body.newPassWord === undefined;
    await post(ctx, 'agentAccount/update', prepared.body, AgentResultReplySchema, { idempotent, signal: options.signal, wrap: 'requestParam' });
  }
  return readAgent(ctx, 'agents.update', await getWire(ctx, id, options.signal));
}

export async function deleteAgent(ctx: ResourceContext, id: string, options: DeleteOptions = {}): Promise<void> {
  const body = ctx.validateWire(DeleteAgentBodySchema, { ...(options.vendorFields ?? {}), userAccount: id }, (path) =>
    path[0] === 'userAccount' ? 'id' : modelFieldOf(path, { vendorFields: options.vendorFields }),
  );
  await post(ctx, 'agentAccount/delete', body, AgentResultReplySchema, { idempotent: true, signal: options.signal, wrap: 'requestParams' });
}

export function previewAgent(ctx: ResourceContext, input: AgentInput): WritePreview {
  const { body, warnings } = prepareCreate(ctx, input);
  return { body: ctx.transport.redactor.redact(body), warnings };
}

// ---- validation and mapping ---------------------------------------------------------------------

function prepareCreate(ctx: ResourceContext, input: AgentInput): { body: CreateAgentBody; warnings: MappingWarning[]; derived: boolean } {
  const parsed = ctx.validate(AgentInputSchema, input);
  checkBeyondWire(ctx, parsed);
  const derived = !parsed.loginName;
  const mapped = agentInputToWire(parsed, { userAccount: parsed.loginName ?? deriveUserAccount(parsed.email), fitNames: ctx.fitNames });
  const body = ctx.validateWire(ctx.schemas.createAgent, mapped.value, (path) => modelFieldOf(path, parsed));
  return { body, warnings: mapped.warnings, derived };
}

function preparePatch(ctx: ResourceContext, id: string, patch: AgentPatch, currentSkills?: WireAgent['skills']): { body: UpdateAgentBody; warnings: MappingWarning[]; parsed: AgentPatch } {
  ctx.validate(UserAccountSchema, id, 'id');
  const parsed = ctx.validate(AgentPatchSchema, patch);
  checkBeyondWire(ctx, parsed, id);
  const mapped = agentPatchToWire(id, parsed, { fitNames: ctx.fitNames, currentSkills });
  const body = ctx.validateWire(ctx.schemas.updateAgent, mapped.value, (path) => modelFieldOf(path, parsed));
  for (const secret of [body.oldPassWord, body.newPassWord]) if (secret !== undefined) ctx.transport.redactor.add(secret);
  return { body, warnings: mapped.warnings, parsed };
}

/**
 * Huawei's rules on an agent input that the wire schema cannot check, because the mapping hides what
 * the caller gave: roleIds past the first (dropped with a warning), vendorFields that would overwrite
 * mapped fields, and the shape of the skillWeights the mapping reads.
 */
function checkBeyondWire(ctx: ResourceContext, input: AgentPatch, id?: string): void {
  ctx.validate(id === undefined ? AgentInputRules : agentPatchRules(id), input);
}

const reserved = (why: string) => z.undefined({ error: why }).optional();

const AgentVendorFieldsRules = z.looseObject({
  userAccount: reserved('set loginName instead (it is the userAccount)'),
  password: reserved('pass password instead'),
  workNo: reserved('workNo is assigned by Huawei and read-only'),
  skillWeights: SkillWeightsInputSchema.optional(),
});

const AgentInputRules = z.looseObject({
  // checked here, not on the wire: the mapping's Number(id) would read ' ' as skill 0 and '1e3' as 1000
  groupIds: z.array(SkillIdParamSchema).optional(),
  roleIds: z.array(z.string().refine(isKnownRoleId, 'unknown Huawei role: use 2 (agent), 3 (inspector) or 4 (outbound-call agent)')).optional(),
  vendorFields: AgentVendorFieldsRules.optional(),
});

/** On update besides: no plain password, no other userAccount, and a password change names both passwords. */
function agentPatchRules(id: string) {
  return AgentInputRules.extend({
    password: reserved(
      'Huawei changes a password only with the current one: pass vendorFields { oldPassWord, newPassWord } (one change per 24 h; three wrong current passwords lock the account for 30 min)',
    ),
    loginName: z.literal(id, { error: 'the userAccount cannot be changed on Huawei' }).nullish(),
    vendorFields: AgentVendorFieldsRules.superRefine((vf, check) => {
      if ((vf.oldPassWord === undefined) === (vf.newPassWord === undefined)) return;
      check.addIssue({ code: 'custom', path: [vf.oldPassWord === undefined ? 'oldPassWord' : 'newPassWord'], message: 'a password change needs both oldPassWord and newPassWord' });
    }).optional(),
  });
}

// ---- reads --------------------------------------------------------------------------------------

function readAgent(ctx: ResourceContext, operation: string, wire: WireAgent): Agent {
  const { value, warnings } = agentFromWire(wire);
  ctx.note(operation, warnings);
  return value;
}

async function queryAccount(ctx: ResourceContext, userAccount: string, signal?: AbortSignal): Promise<WireAgent | undefined> {
  // pageNum/pageSize as the zh page requires them (pageNum mandatory); Huawei ignores them next to userAccount
  const reply = await post(ctx, 'agentAccount/query', { userAccount, pageNum: 0, pageSize: 1 }, AgentQueryReplySchema, { idempotent: true, signal, wrap: 'requestParams' });
  const data = reply.data ?? [];
  // the filter is checked, not trusted: a server that ignored it would hand back a page of others
  return data.find((a) => a.userAccount === userAccount) ?? data.find((a) => a.userAccount.toLowerCase() === userAccount.toLowerCase());
}

/** The account, or undefined where Huawei says it does not exist (some tenants answer with a not-found code). */
async function findWire(ctx: ResourceContext, userAccount: string, signal?: AbortSignal): Promise<WireAgent | undefined> {
  try {
    return await queryAccount(ctx, userAccount, signal);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

async function getWire(ctx: ResourceContext, id: string, signal?: AbortSignal): Promise<WireAgent> {
  const found = await findWire(ctx, id, signal);
  if (!found) throw new NotFoundError(`huawei-aicc has no agent account "${id}"`, { vendor: ctx.vendor });
  return found;
}

/** The first free userAccount of base, base-2 … (one query each); a suffix used is reported. */
async function freeUserAccount(ctx: ResourceContext, base: string, warnings: MappingWarning[], signal?: AbortSignal): Promise<string> {
  for (let n = 1; n <= MAX_ACCOUNT_SUFFIX; n++) {
    const candidate = accountCandidate(base, n);
    if ((await findWire(ctx, candidate, signal)) !== undefined) continue;
    if (candidate !== base) warnings.push({ field: 'loginName', message: `derived userAccount ${base} is taken: ${candidate} used`, value: candidate });
    return candidate;
  }
  throw new ConflictError(`huawei-aicc: userAccounts ${base} to ${accountCandidate(base, MAX_ACCOUNT_SUFFIX)} are all taken; pass loginName`, { vendor: ctx.vendor });
}
