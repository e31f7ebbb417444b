/**
 * Huawei AICC wire ⇄ ContactKit model. Pure functions: no I/O, no clock. Whatever cannot be carried
 * over is reported as a MappingWarning, never dropped silently. The tables are repeated in the README.
 */
import type { Agent, AgentInput, AgentPatch, Channel, Group, GroupInput, GroupPatch, Mapped, MappingWarning, Role } from '@contactkit/core';
import {
  SKILL_DESCRIPTION_MAX,
  SKILL_NAME_FORBIDDEN,
  SKILL_NAME_MAX_BYTES,
  SKILL_DESCRIPTION_CHAR,
  USER_NAME_FORBIDDEN,
  USER_NAME_FORBIDDEN_ON_UPDATE,
  USER_NAME_MAX,
  type CreateAgentBody,
  type CreateSkillBody,
  type ModifySkillBody,
  type SkillBinding,
  type SkillParam,
  type UpdateAgentBody,
  type WireAgent,
  type WireSkill,
  type WireSkillBinding,
} from './wire';

export const VENDOR = 'huawei-aicc' as const;


// ---------------------------------------------------------------------------------------------
// tables

/** agentType → channels (read). 255 is Huawei's "idle agent" and has no channel. */
export const AGENT_TYPE_CHANNELS: Readonly<Record<number, readonly Channel[]>> = {
  4: ['voice'],
  11: ['video'],
  5: ['chat'],
  99: ['chat', 'voice', 'video'],
};
export const AGENT_TYPE_NAMES: Readonly<Record<number, string>> = { 4: 'audio', 11: 'video', 5: 'multimedia', 99: 'versatile' };
/** the agentType used when the channels say nothing (matches the default skill media type 53) */
export const DEFAULT_AGENT_TYPE = 5;
export const IDLE = 255;

/** The fixed ccRoleId list: `roles.list()` returns it as is. */
export interface HuaweiRoleRow {
  ccRoleId: number;
  name: string;
  description: string;
}
export const HUAWEI_ROLES: readonly HuaweiRoleRow[] = [
  { ccRoleId: 2, name: 'Agent', description: 'Agent (话务员, ccRoleId 2)' },
  { ccRoleId: 3, name: 'Inspector', description: 'Quality inspector (质检员, ccRoleId 3)' },
  { ccRoleId: 4, name: 'Outbound-call agent', description: 'Outbound-call agent (外呼座席, ccRoleId 4)' },
];
export const DEFAULT_CC_ROLE_ID = 2;

/** createSkill defaults (each overridable through `vendorFields`). */
export const SKILL_DEFAULTS = {
  mediaTypeId: 53,
  maxWaitTime: 60,
  maxWaitNum: 100,
  maxAgentWrapupTime: 30,
} as const;
/** media types where skillParam holds only noAgents/busy/timeOut: those get our default */
export const MEDIA_TYPES_WITH_DEFAULT_SKILL_PARAM = [53, 2, 18] as const;
/** Release on every event; on media type 53 deviceType "can only be 1" (a string in the table), so it is sent. */
export function defaultSkillParam(mediaTypeId: number = SKILL_DEFAULTS.mediaTypeId): SkillParam {
  const config = () => (mediaTypeId === 53 ? { deviceType: '1', transferType: 'Release' } : { transferType: 'Release' });
  return { noAgents: config(), busy: config(), timeOut: config() };
}
/** default weights of a skill binding (agentWeight, skillWeight): the documented minimum */
export const DEFAULT_WEIGHT = 1;

/** vendorFields keys the mapping consumes instead of passing them through. */
const CONSUMED_AGENT_KEYS = new Set(['skillWeights']);
const CONSUMED_GROUP_KEYS = new Set(['agentWeight', 'skillWeight']);

// ---------------------------------------------------------------------------------------------
// small helpers

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s === '' ? null : s;
}

/** A number Huawei sent as a number or a digit string; undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function passThrough(vendorFields: Record<string, unknown> | undefined, consumed: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vendorFields ?? {})) if (!consumed.has(k) && v !== undefined) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// channels ⇄ agentType

export function channelsFromAgentType(agentType: unknown): Mapped<Channel[]> {
  const t = toNumber(agentType);
  if (t === undefined) return { value: [], warnings: agentType == null ? [] : [{ field: 'channels', message: `agentType ${String(agentType)} is not a number; no channels`, value: agentType }] };
  const channels = AGENT_TYPE_CHANNELS[t];
  if (channels) return { value: [...channels], warnings: [] };
  const message = t === IDLE ? 'agentType 255 (idle agent) has no channel' : `agentType ${t} is not in the table (4, 11, 5, 99); no channels`;
  return { value: [], warnings: [{ field: 'channels', message, value: t }] };
}

/** The smallest agentType covering the channels: one medium → 4/11/5, more → 99. */
export function agentTypeFromChannels(channels: readonly Channel[] | undefined): Mapped<number> {
  const warnings: MappingWarning[] = [];
  if (channels === undefined) return { value: DEFAULT_AGENT_TYPE, warnings };
  if (channels.includes('ticket')) warnings.push({ field: 'channels', message: 'Huawei agentType has no ticket channel; ticket is not carried', value: 'ticket' });
  if (channels.includes('outbound')) {
    warnings.push({ field: 'channels', message: "Huawei agentType has no outbound channel; outbound calling is a role (roleIds ['4']): not carried", value: 'outbound' });
  }
  const media = (['chat', 'voice', 'video'] as const).filter((c) => channels.includes(c));
  if (media.length === 0) {
    warnings.push({ field: 'channels', message: `no chat, voice or video channel: Huawei agents always have a type, multimedia (${DEFAULT_AGENT_TYPE}) used`, value: [...channels] });
    return { value: DEFAULT_AGENT_TYPE, warnings };
  }
  if (media.length === 1) {
    const only = media[0];
    return { value: only === 'voice' ? 4 : only === 'video' ? 11 : 5, warnings };
  }
  if (media.length < 3) {
    warnings.push({ field: 'channels', message: `${media.join(' + ')} needs the versatile agentType 99, which reads back as chat, voice and video`, value: [...media] });
  }
  return { value: 99, warnings };
}

/**
 * Whether an agent type may serve a skill queue's media type. The docs say only "the skill queue
 * type must be the same as the agentType"; our reading (shared with the simulator): audio 4 and
 * video 11 → voice/video queues (mediaTypeId 5), multimedia 5 → multimedia queues (53), versatile 99 → any.
 */
export function mediaTypeFits(agentType: number, mediaTypeId: number): boolean {
  if (agentType === 99) return true;
  if (agentType === 4 || agentType === 11) return mediaTypeId === 5;
  if (agentType === 5) return mediaTypeId === 53;
  return false;
}

/** The core `previewMembership`: a warning when `member`'s agent type cannot serve `group`'s queue. */
export function membershipWarning(group: Group | GroupInput, member: Agent | AgentInput): MappingWarning | null {
  const skill = ('remoteData' in group ? (group.remoteData as { mediaTypeId?: unknown } | undefined) : undefined) ?? {};
  const mediaTypeId = toNumber(skill.mediaTypeId) ?? toNumber(('vendorFields' in group ? group.vendorFields?.mediaTypeId : undefined)) ?? SKILL_DEFAULTS.mediaTypeId;
  const wire = 'remoteData' in member ? (member.remoteData as { agentType?: unknown } | undefined) : undefined;
  const agentType = toNumber(wire?.agentType) ?? agentTypeFromChannels(member.channels ?? undefined).value;
  if (mediaTypeFits(agentType, mediaTypeId)) return null;
  return {
    field: 'groupIds',
    message: `a ${AGENT_TYPE_NAMES[agentType] ?? agentType} agent (agentType ${agentType}) cannot join skill queue "${group.name}" of media type ${mediaTypeId}`,
    value: { agentType, mediaTypeId },
  };
}

// ---------------------------------------------------------------------------------------------
// roles ⇄ ccRoleId

export function isKnownRoleId(id: string): boolean {
  return HUAWEI_ROLES.some((r) => String(r.ccRoleId) === id);
}

export function roleIdsFromCcRoleId(ccRoleId: unknown): Mapped<string[]> {
  const id = toNumber(ccRoleId);
  if (id === undefined) return { value: [], warnings: [] };
  if (id === IDLE) return { value: [], warnings: [{ field: 'roleIds', message: 'ccRoleId 255 (idle role) has no role', value: id }] };
  return { value: [String(id)], warnings: [] };
}

/** roleIds → ccRoleId: the first wins (Huawei holds one role); unknown ids are rejected by validation first. */
export function ccRoleIdFromRoleIds(roleIds: readonly string[] | undefined): Mapped<number | undefined> {
  const warnings: MappingWarning[] = [];
  if (roleIds === undefined) return { value: undefined, warnings };
  if (roleIds.length === 0) {
    warnings.push({ field: 'roleIds', message: `Huawei agents always have one role: agent (${DEFAULT_CC_ROLE_ID}) used`, value: [] });
    return { value: undefined, warnings };
  }
  if (roleIds.length > 1) {
    warnings.push({ field: 'roleIds', message: `Huawei holds one role per agent: ${roleIds[0]} kept, ${roleIds.slice(1).join(', ')} dropped`, value: roleIds.slice(1) });
  }
  return { value: Number(roleIds[0]), warnings };
}

// ---------------------------------------------------------------------------------------------
// names and accounts

/**
 * userName fitted to Huawei (only with the client's `fitNames: true`): forbidden characters removed, blanks
 * collapsed, cut to 20 characters on create or 20 UTF-8 bytes on update. Every change is a warning.
 */
export function cleanUserName(name: string, on: 'create' | 'update' = 'create'): Mapped<string> {
  const forbidden = on === 'create' ? USER_NAME_FORBIDDEN : USER_NAME_FORBIDDEN_ON_UPDATE;
  const cleaned = [...name].filter((c) => !forbidden.includes(c)).join('').replace(/\s+/g, ' ').trim();
  const value = on === 'create' ? [...cleaned].slice(0, USER_NAME_MAX).join('').trim() : cutToBytes(cleaned, USER_NAME_MAX).trim();
  const warnings: MappingWarning[] = [];
  if ([...name].some((c) => forbidden.includes(c))) warnings.push({ field: 'name', message: `characters Huawei forbids in userName (${forbidden}) removed`, value: name });
  if (value !== cleaned) {
    const unit = on === 'create' ? 'characters' : 'bytes (UTF-8) on update';
    warnings.push({ field: 'name', message: `userName is at most ${USER_NAME_MAX} ${unit}: shortened to "${value}"`, value: name });
  }
  if (warnings.length === 0 && value !== name.trim()) warnings.push({ field: 'name', message: `blanks inside the name collapsed: "${value}"`, value: name });
  return { value, warnings };
}

function cutToBytes(text: string, maxBytes: number): string {
  let value = '';
  for (const c of text) {
    if (Buffer.byteLength(value + c, 'utf8') > maxBytes) break;
    value += c;
  }
  return value;
}

const isForbiddenInSkillName = (c: string) => SKILL_NAME_FORBIDDEN.includes(c) || c === '\n' || c === '\r' || c === '\t';

/**
 * skill name fitted to Huawei (only with `fitNames: true`): blanks (the doc forbids the space) become "_",
 * other forbidden characters are removed, cut to 100 UTF-8 bytes. Every change is a warning.
 */
export function cleanSkillName(name: string): Mapped<string> {
  const underscored = name.trim().replace(/\s+/g, '_');
  const cleaned = [...underscored].filter((c) => !isForbiddenInSkillName(c)).join('').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  const value = cutToBytes(cleaned, SKILL_NAME_MAX_BYTES);
  const warnings: MappingWarning[] = [];
  if (cleaned !== name) warnings.push({ field: 'name', message: `characters Huawei forbids in skill names (blanks included) replaced or removed: "${cleaned}"`, value: name, written: value });
  if (value !== cleaned) warnings.push({ field: 'name', message: `skill names are at most ${SKILL_NAME_MAX_BYTES} bytes: shortened to "${value}"`, value: name, written: value });
  return { value, warnings };
}

/** A skill description from its name: only Chinese characters, letters and digits, at most 50 ("skill" when none is left). */
export function descriptionFromName(name: string): string {
  const kept = [...name].filter((c) => SKILL_DESCRIPTION_CHAR.test(c)).slice(0, SKILL_DESCRIPTION_MAX).join('');
  return kept === '' ? 'skill' : kept;
}

/**
 * A userAccount from an email: the local part with every character outside [A-Za-z0-9_-] turned into "_"
 * ("agent" when nothing is left), padded with "0" to 6 characters, cut to 50. Such an account passes both
 * the create pattern and the stricter delete pattern (which forbids "@" and "."), so it can be deleted later.
 * Uniqueness (-2, -3 …) is the client's job.
 */
export function deriveUserAccount(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at < 0 ? email : email.slice(0, at);
  let account = local.replace(/[^A-Za-z0-9_-]/g, '_');
  if (/^_*$/.test(account)) account = 'agent';
  return account.padEnd(6, '0').slice(0, 50);
}

/** `base` with the suffix `-n`, cut so the whole stays within 50 characters. */
export function suffixUserAccount(base: string, n: number): string {
  const suffix = `-${n}`;
  return base.slice(0, 50 - suffix.length) + suffix;
}

/** The n-th userAccount tried for `base`: `base` itself first, then `base-2`, `base-3` … */
export function accountCandidate(base: string, n: number): string {
  return n <= 1 ? base : suffixUserAccount(base, n);
}

/**
 * A userAccount for a new agent (`agents.loginNameFor`): derived from the email, suffixed until `taken`
 * says it is free. A migration assigns them at plan time, where every target account is known.
 */
export function loginNameFor(email: string, taken: (candidate: string) => boolean): string {
  const base = deriveUserAccount(email);
  let n = 1;
  while (taken(accountCandidate(base, n))) n++;
  return accountCandidate(base, n);
}

// ---------------------------------------------------------------------------------------------
// skills ⇄ groupIds

export interface SkillWeights {
  agentWeight?: unknown;
  skillWeight?: unknown;
}

function weightsFrom(vendorFields: Record<string, unknown> | undefined): Record<string, SkillWeights> {
  const raw = vendorFields?.skillWeights;
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, SkillWeights>) : {};
}

/**
 * groupIds → skills: weights from vendorFields.skillWeights[id], else from the agent's current binding,
 * else 1/1. Values that are not numbers are passed on for the schema to reject.
 */
export function skillsFromGroupIds(
  groupIds: readonly string[],
  vendorFields?: Record<string, unknown>,
  current?: readonly WireSkillBinding[] | null,
): SkillBinding[] {
  const weights = weightsFrom(vendorFields);
  return groupIds.map((id) => {
    const given = weights[id] ?? {};
    const now = current?.find((b) => String(b.skillId) === id);
    const pick = (v: unknown, fallback: unknown): number => (v === undefined ? (toNumber(fallback) ?? DEFAULT_WEIGHT) : (v as number));
    return { skillId: Number(id), agentWeight: pick(given.agentWeight, now?.agentWeight), skillWeight: pick(given.skillWeight, now?.skillWeight) };
  });
}

/** skills → skillWeights as `vendorFields.skillWeights` expects them (for a round trip). */
export function skillWeightsFromWire(skills: readonly WireSkillBinding[] | null | undefined): Record<string, { agentWeight: number; skillWeight: number }> {
  const out: Record<string, { agentWeight: number; skillWeight: number }> = {};
  for (const s of skills ?? []) out[String(s.skillId)] = { agentWeight: toNumber(s.agentWeight) ?? DEFAULT_WEIGHT, skillWeight: toNumber(s.skillWeight) ?? DEFAULT_WEIGHT };
  return out;
}

// ---------------------------------------------------------------------------------------------
// agents

/** agentAccount/query item → Agent. */
export function agentFromWire(wire: WireAgent): Mapped<Agent> {
  const channels = channelsFromAgentType(wire.agentType);
  const roles = roleIdsFromCcRoleId(wire.ccRoleId);
  return {
    value: {
      id: wire.userAccount,
      vendor: VENDOR,
      email: wire.email ?? '',
      loginName: wire.userAccount,
      name: wire.userName ?? '',
      nickname: null,
      phone: str(wire.phone),
      status: 'active',
      channels: channels.value,
      roleIds: roles.value,
      groupIds: (wire.skills ?? []).map((s) => String(s.skillId)),
      departmentIds: [],
      employeeNo: str(wire.workNo),
      locale: null,
      remoteData: wire,
    },
    warnings: [...channels.warnings, ...roles.warnings],
  };
}

/** Warnings for model fields Huawei does not carry (shared by create and update). */
function uncarried(input: AgentPatch): MappingWarning[] {
  const w: MappingWarning[] = [];
  if (input.status === 'disabled') w.push({ field: 'status', message: 'Huawei has no disabled state in the API: the agent stays active', value: 'disabled' });
  if (input.employeeNo !== undefined && input.employeeNo !== null) w.push({ field: 'employeeNo', message: 'workNo is assigned by Huawei and read-only: not carried', value: input.employeeNo });
  if (input.departmentIds && input.departmentIds.length > 0) w.push({ field: 'departmentIds', message: 'Huawei cc-management has no departments: not carried', value: input.departmentIds });
  if (input.locale !== undefined && input.locale !== null) w.push({ field: 'locale', message: 'Huawei agent accounts have no locale: not carried', value: input.locale });
  if (input.nickname !== undefined && input.nickname !== null) w.push({ field: 'nickname', message: 'Huawei agent accounts have no nickname: not carried', value: input.nickname });
  return w;
}

export interface AgentMappingOptions {
  /** the userAccount to create (loginName, or derived from the email by the client) */
  userAccount: string;
  /** true: names are fitted to Huawei with warnings; default: sent as given (validation rejects bad ones) */
  fitNames?: boolean | undefined;
}

/** AgentInput → agentAccount/create body (not yet validated). */
export function agentInputToWire(input: AgentInput, options: AgentMappingOptions): Mapped<CreateAgentBody> {
  const warnings: MappingWarning[] = [];
  const name = options.fitNames ? cleanUserName(input.name, 'create') : { value: input.name, warnings: [] };
  warnings.push(...name.warnings);
  const type = agentTypeFromChannels(input.channels);
  warnings.push(...type.warnings);
  const role = ccRoleIdFromRoleIds(input.roleIds);
  warnings.push(...role.warnings);
  warnings.push(...uncarried(input));
  const body = {
    userAccount: options.userAccount,
    userName: name.value,
    email: input.email,
    agentType: type.value,
    ccRoleId: role.value ?? DEFAULT_CC_ROLE_ID,
  } as CreateAgentBody;
  // a missing password stays missing: the wire schema names it
  if (input.password !== undefined) body.password = input.password;
  if (input.groupIds && input.groupIds.length > 0) body.skills = skillsFromGroupIds(input.groupIds, input.vendorFields);
  if (input.phone) body.phone = input.phone;
  return { value: { ...body, ...passThrough(input.vendorFields, CONSUMED_AGENT_KEYS) } as CreateAgentBody, warnings };
}

export interface PatchMappingOptions {
  fitNames?: boolean | undefined;
  /** the agent's current skill bindings, to keep their weights when groupIds change */
  currentSkills?: readonly WireSkillBinding[] | null | undefined;
}

/** AgentPatch → agentAccount/update body (userAccount fixed; only the fields given). */
export function agentPatchToWire(userAccount: string, patch: AgentPatch, options: PatchMappingOptions = {}): Mapped<UpdateAgentBody> {
  const warnings: MappingWarning[] = [];
  const body: UpdateAgentBody = { userAccount };
  if (patch.name !== undefined) {
    const name = options.fitNames ? cleanUserName(patch.name, 'update') : { value: patch.name, warnings: [] };
    warnings.push(...name.warnings);
    body.userName = name.value;
  }
  if (patch.email !== undefined) body.email = patch.email;
  if (patch.phone !== undefined) body.phone = patch.phone ?? '';
  if (patch.channels !== undefined) {
    if (patch.channels.length === 0) warnings.push({ field: 'channels', message: 'Huawei agents always have a type: agentType unchanged', value: [] });
    else {
      const type = agentTypeFromChannels(patch.channels);
      warnings.push(...type.warnings);
      body.agentType = type.value;
    }
  }
  if (patch.roleIds !== undefined) {
    if (patch.roleIds.length === 0) warnings.push({ field: 'roleIds', message: 'Huawei agents always have one role: ccRoleId unchanged', value: [] });
    else {
      const role = ccRoleIdFromRoleIds(patch.roleIds);
      warnings.push(...role.warnings);
      if (role.value !== undefined) body.ccRoleId = role.value;
    }
  }
  const weightsGiven = patch.vendorFields?.skillWeights !== undefined;
  if (patch.groupIds !== undefined) {
    body.skills = skillsFromGroupIds(patch.groupIds, patch.vendorFields, options.currentSkills);
  } else if (weightsGiven && options.currentSkills) {
    body.skills = skillsFromGroupIds(options.currentSkills.map((s) => String(s.skillId)), patch.vendorFields, options.currentSkills);
  }
  warnings.push(...uncarried(patch));
  return { value: { ...body, ...passThrough(patch.vendorFields, CONSUMED_AGENT_KEYS) } as UpdateAgentBody, warnings };
}

// ---------------------------------------------------------------------------------------------
// groups (skill queues)

export function groupFromWire(skill: WireSkill, memberIds: string[] | null): Mapped<Group> {
  return { value: { id: String(skill.skillId), vendor: VENDOR, name: skill.name, memberIds, remoteData: skill }, warnings: [] };
}

export interface GroupMappingOptions {
  /** true: skill names are fitted with warnings; default: sent as given */
  fitNames?: boolean | undefined;
}

/** GroupInput → skill/createSkill body with the documented defaults; vendorFields win. */
export function groupInputToWire(input: GroupInput, options: GroupMappingOptions = {}): Mapped<CreateSkillBody> {
  const name = options.fitNames ? cleanSkillName(input.name) : { value: input.name, warnings: [] };
  const vf = input.vendorFields ?? {};
  const mediaTypeId = vf.mediaTypeId === undefined ? SKILL_DEFAULTS.mediaTypeId : (toNumber(vf.mediaTypeId) ?? (vf.mediaTypeId as number));
  const body = {
    name: name.value,
    description: descriptionFromName(name.value),
    mediaTypeId,
    maxWaitTime: SKILL_DEFAULTS.maxWaitTime,
    maxWaitNum: SKILL_DEFAULTS.maxWaitNum,
    maxAgentWrapupTime: SKILL_DEFAULTS.maxAgentWrapupTime,
    skillParam: defaultSkillParam(mediaTypeId),
    ...passThrough(vf, CONSUMED_GROUP_KEYS),
  };
  body.mediaTypeId = mediaTypeId;
  return { value: body as CreateSkillBody, warnings: name.warnings };
}

/** GroupPatch → skill/modifySkill body, or undefined when nothing but members changes. */
export function groupPatchToWire(skillId: number, patch: GroupPatch, options: GroupMappingOptions = {}): Mapped<ModifySkillBody | undefined> {
  const warnings: MappingWarning[] = [];
  const body: ModifySkillBody = { skillId };
  if (patch.name !== undefined) {
    const name = options.fitNames ? cleanSkillName(patch.name) : { value: patch.name, warnings: [] };
    warnings.push(...name.warnings);
    body.name = name.value;
  }
  const extra = passThrough(patch.vendorFields, CONSUMED_GROUP_KEYS);
  delete extra.mediaTypeId; // a skill's media type is fixed at creation
  if (patch.vendorFields?.mediaTypeId !== undefined) warnings.push({ field: 'vendorFields.mediaTypeId', message: 'modifySkill cannot change the media type: not carried', value: patch.vendorFields.mediaTypeId });
  const value = { ...body, ...extra } as ModifySkillBody;
  return { value: Object.keys(value).length > 1 ? value : undefined, warnings };
}

/** The weights addSkillsToAgent sends for new members (vendorFields.agentWeight/skillWeight, else 1). */
export function memberWeights(vendorFields: Record<string, unknown> | undefined): { agentWeight: number; skillWeight: number } {
  const pick = (v: unknown) => (v === undefined ? DEFAULT_WEIGHT : (toNumber(v) ?? (v as number)));
  return { agentWeight: pick(vendorFields?.agentWeight), skillWeight: pick(vendorFields?.skillWeight) };
}

// ---------------------------------------------------------------------------------------------
// roles

/** One row of the fixed ccRoleId table → Role. */
export function roleFromWire(row: HuaweiRoleRow): Mapped<Role> {
  return { value: { id: String(row.ccRoleId), vendor: VENDOR, name: row.name, description: row.description, remoteData: { ccRoleId: row.ccRoleId } }, warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// validation issues: wire path → model field

/**
 * The field a wire-body issue is about, as the caller wrote it: wire names become model names
 * (userAccount → loginName, skills.i → groupIds.i …) and keys that came from `vendorFields` say so.
 */
export function modelFieldOf(path: PropertyKey[], input: { vendorFields?: Record<string, unknown> | undefined; groupIds?: readonly string[] | undefined }): string {
  const [head, index, leaf] = path.map(String);
  if (head === undefined) return '';
  if (head === 'skills' && index !== undefined) return skillIssueField(index, leaf, input);
  if (head === 'userAccounts' && index !== undefined) return `memberIds.${index}`;
  if (input.vendorFields && head in input.vendorFields) return ['vendorFields', ...path.map(String)].join('.');
  return [MODEL_FIELD_OF_WIRE[head] ?? head, ...path.slice(1).map(String)].join('.');
}

const MODEL_FIELD_OF_WIRE: Readonly<Record<string, string>> = { userAccount: 'loginName', userName: 'name', agentType: 'channels', ccRoleId: 'roleIds', agentWeight: 'vendorFields.agentWeight', skillWeight: 'vendorFields.skillWeight' };

function skillIssueField(index: string, leaf: string | undefined, input: { vendorFields?: Record<string, unknown> | undefined; groupIds?: readonly string[] | undefined }): string {
  const groupId = input.groupIds?.[Number(index)];
  if (leaf === 'skillId' || leaf === undefined || groupId === undefined) return `groupIds.${index}`;
  return weightsFrom(input.vendorFields)[groupId] !== undefined ? `vendorFields.skillWeights.${groupId}.${leaf}` : `groupIds.${index}`;
}
