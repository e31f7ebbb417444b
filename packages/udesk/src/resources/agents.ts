/**
 * Udesk agents (`/agents`). A listed agent carries no role ids (`role_name` is not a role's name):
 * its `roleIds` are unknown unless the client reads each one again (`roleIdsOnList: 'get_agent'`).
 */
import {
  AgentInputSchema,
  AgentPatchSchema,
  EmailSchema,
  NotFoundError,
  agentAsWritten,
  checkPassword,
  type Agent,
  type AgentInput,
  type AgentPatch,
  type CallOptions,
  type CreateOptions,
  type DeleteOptions,
  type ListOptions,
  type PagedIterable,
  type WritePreview,
} from '@contactkit/core';
import { z } from 'zod';
import { UDESK_PASSWORD_RULES } from '../adapter';
import { AGENT_VENDOR_FIELDS, agentFromWire, agentInputToWire, agentPatchToWire, modelFieldOf, roleIdsKnown } from '../mapping';
import {
  UDESK_MAX_STRING,
  UdeskAgentCreateReplySchema,
  UdeskAgentCreateSchema,
  UdeskAgentListReplySchema,
  UdeskAgentReplySchema,
  UdeskAgentWriteSchema,
  UdeskIdTextSchema,
  UdeskMessageReplySchema,
  type UdeskAgent,
  type UdeskAgentWrite,
} from '../wire';
import { checkId, listUdesk, type ResourceContext } from './context';

/** A Udesk id in a delete's vendorFields: a number or a numeric string, sent as a number. */
const deleteId = (whenMissing = 'must be a numeric Udesk id') =>
  z.union([z.number().int().nonnegative(), UdeskIdTextSchema.transform(Number)], {
    error: (issue) => (issue.input === undefined ? whenMissing : 'must be a numeric Udesk id'),
  });

/** `DELETE /agents/:id` requires `owner_group_id`: the group that takes over the agent's customers. */
const AgentDeleteFieldsSchema = z
  .object({
    owner_group_id: deleteId('is required by Udesk to delete an agent: the customer service group that takes over its customers'),
    owner_id: deleteId().optional(),
  })
  .catchall(z.never({ error: 'unknown field (allowed: owner_group_id, owner_id)' }));

/**
 * Udesk's rules the wire schema cannot see alone, checked in the same pass so one error names
 * every bad field: vendorFields keys outside the allow-list (the mapping carries only allowed
 * keys, so the body never shows the others) and the password rules (the adapter's passwordRules,
 * read by core's checkPassword; the password must not be the email).
 */
function agentRules(input: AgentInput | AgentPatch) {
  return (body: UdeskAgentWrite, issues: z.RefinementCtx<UdeskAgentWrite>) => {
    for (const key of Object.keys(input.vendorFields ?? {})) {
      if (!(AGENT_VENDOR_FIELDS as readonly string[]).includes(key)) {
        issues.addIssue({ code: 'custom', path: ['vendorFields', key], message: `unknown Udesk agent field (allowed: ${AGENT_VENDOR_FIELDS.join(', ')})` });
      }
    }
    const { password, email } = body;
    // longer than Udesk's strings: the wire schema has said so already
    if (typeof password !== 'string' || password.length > UDESK_MAX_STRING) return;
    for (const message of checkPassword(password, UDESK_PASSWORD_RULES)) issues.addIssue({ code: 'custom', path: ['password'], message });
    if (typeof email === 'string' && password.toLowerCase() === email.toLowerCase()) {
      issues.addIssue({ code: 'custom', path: ['password'], message: 'must be different from the email address' });
    }
  };
}

function checkWire(ctx: ResourceContext, schema: z.ZodType<UdeskAgentWrite>, body: UdeskAgentWrite, input: AgentInput | AgentPatch): void {
  ctx.validateWire(schema.superRefine(agentRules(input), { when: () => true }), body, modelFieldOf);
}


/** An agent read → Agent; what the mapping could not carry is noted at debug. */
function readAgent(ctx: ResourceContext, operation: string, wire: UdeskAgent): Agent {
  // the wire object was parsed for this read alone: handed over (see AgentFromWireOptions.owned)
  const { value, warnings } = agentFromWire(wire, { exposeSipCredentials: ctx.exposeSipCredentials, owned: true });
  ctx.note(operation, warnings);
  return value;
}

/** List items as read: role ids unknown. One debug line per page (every item has a note). */
function readListPage(ctx: ResourceContext, wire: UdeskAgent[]): Agent[] {
  const options = { exposeSipCredentials: ctx.exposeSipCredentials, owned: true };
  const mapped = wire.map((a) => agentFromWire(a, options));
  // the per-item notes are named only when a logger will read them
  ctx.note('agents.list', () => mapped.flatMap(({ value, warnings }) => warnings.map((w) => ({ ...w, field: `${value.id}.${w.field}` }))));
  return mapped.map((m) => m.value);
}

/** `roleIdsOnList: 'get_agent'`: each item read again by id, one at a time (the rate limit applies). */
async function readDetails(ctx: ResourceContext, wire: UdeskAgent[], signal: AbortSignal | undefined): Promise<Agent[]> {
  const out: Agent[] = [];
  for (const a of wire) {
    try {
      out.push(await fetchAgent(ctx, 'agents.list', 'id', String(a.id), signal));
    } catch (error) {
      // deleted since the page was read: kept as listed, its role ids unknown
      if (!(error instanceof NotFoundError)) throw error;
      out.push(...readListPage(ctx, [a]));
    }
  }
  return out;
}

async function fetchAgent(ctx: ResourceContext, operation: string, type: 'id' | 'email', content: string, signal: AbortSignal | undefined): Promise<Agent> {
  const reply = await ctx.call(operation, { method: 'GET', path: 'agents/get_agent', query: { type, content }, schema: UdeskAgentReplySchema, signal });
  return readAgent(ctx, operation, reply.agent);
}

/** PUT with `with_disabled` (a URL parameter): without it a disabled agent cannot be edited. */
async function putAgent(ctx: ResourceContext, operation: string, id: number, body: UdeskAgentWrite, signal: AbortSignal | undefined): Promise<Agent> {
  const reply = await ctx.call(operation, {
    method: 'PUT',
    path: `agents/${id}`,
    query: { with_disabled: 'true' },
    body: { agent: body },
    schema: UdeskAgentReplySchema,
    signal,
  });
  return readAgent(ctx, operation, reply.agent);
}

/** Validation one way: the model input by core's schema, then the mapped body by Udesk's. */
function prepareInput(ctx: ResourceContext, input: AgentInput) {
  const parsed = ctx.validate(AgentInputSchema, input);
  const mapped = agentInputToWire(parsed, { defaultImAbilityValue: ctx.defaultImAbilityValue, defaults: ctx.defaults });
  checkWire(ctx, UdeskAgentCreateSchema, mapped.value, parsed);
  return mapped;
}

function preparePatch(ctx: ResourceContext, patch: AgentPatch) {
  const parsed = ctx.validate(AgentPatchSchema, patch);
  const mapped = agentPatchToWire(parsed);
  checkWire(ctx, UdeskAgentWriteSchema, mapped.value, parsed);
  return mapped;
}

export function listAgents(ctx: ResourceContext, options: ListOptions = {}): PagedIterable<Agent> {
  const signal = options.signal;
  return listUdesk(ctx, {
    operation: 'agents.list',
    path: 'agents',
    query: { with_disabled: options.includeDisabled ? 'true' : undefined },
    pageSize: ctx.pageSize(options),
    schema: UdeskAgentListReplySchema,
    itemsOf: (reply) => reply.agents,
    map: (wire) => (ctx.roleIdsOnList === 'get_agent' ? readDetails(ctx, wire, signal) : readListPage(ctx, wire)),
    signal,
  });
}

export async function getAgent(ctx: ResourceContext, id: string, options: CallOptions = {}): Promise<Agent> {
  checkId(ctx, id);
  return fetchAgent(ctx, 'agents.get', 'id', id, options.signal);
}

export async function findAgentByEmail(ctx: ResourceContext, email: string, options: CallOptions = {}): Promise<Agent | null> {
  ctx.validate(EmailSchema, email, 'email');
  try {
    return await fetchAgent(ctx, 'agents.findByEmail', 'email', email, options.signal);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** POST /agents takes no disable_status: a disabled agent is disabled right after, by PUT. */
export async function createAgent(ctx: ResourceContext, input: AgentInput, options: CreateOptions = {}): Promise<Agent> {
  const { value, warnings } = prepareInput(ctx, input);
  ctx.warn('agents.create', warnings);
  const { disable_status: disableStatus, ...body } = value;
  const signal = options.signal;
  const reply = await ctx.call('agents.create', { method: 'POST', path: 'agents', body: { agent: body }, schema: UdeskAgentCreateReplySchema, signal });
  const id = reply.agent_id;
  if (disableStatus === 'disable') return putAgent(ctx, 'agents.create', id, { disable_status: 'disable' }, signal);
  if (options.readBack === false) {
    // the ids as sent (defaults included), the rest as given
    const ids = (list: number[] | undefined) => (list ?? []).map(String);
    return agentAsWritten('udesk', String(id), { ...input, roleIds: ids(body.agent_role_ids), groupIds: ids(body.user_group_ids), departmentIds: ids(body.department_ids) });
  }
  return fetchAgent(ctx, 'agents.create', 'id', String(id), signal);
}

/** Nothing Udesk can change: no PUT, the current agent is returned. */
export async function updateAgent(ctx: ResourceContext, id: string, patch: AgentPatch, options: CallOptions = {}): Promise<Agent> {
  const numericId = checkId(ctx, id);
  const { value, warnings } = preparePatch(ctx, patch);
  ctx.warn('agents.update', warnings);
  if (Object.keys(value).length === 0) return fetchAgent(ctx, 'agents.update', 'id', id, options.signal);
  return putAgent(ctx, 'agents.update', numericId, value, options.signal);
}

export async function deleteAgent(ctx: ResourceContext, id: string, options: DeleteOptions = {}): Promise<void> {
  const numericId = checkId(ctx, id);
  const body = ctx.validate(AgentDeleteFieldsSchema, options.vendorFields ?? {}, 'vendorFields');
  await ctx.call('agents.delete', { method: 'DELETE', path: `agents/${numericId}`, body, schema: UdeskMessageReplySchema, signal: options.signal });
}

export function previewAgent(ctx: ResourceContext, input: AgentInput): WritePreview {
  const { value, warnings } = prepareInput(ctx, input);
  return { body: ctx.transport.redactor.redact({ agent: value }), warnings };
}

/** A listed agent's role ids are unknown (Udesk's list carries none): a migration neither compares nor trusts them. */
export function unknownAgentFields(agent: Agent): string[] {
  return roleIdsKnown(agent) ? [] : ['roleIds'];
}
