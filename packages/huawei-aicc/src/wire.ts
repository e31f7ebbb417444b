/**
 * The Huawei AICC cc-management wire: zod schemas of the vendor's own JSON, replies and request bodies.
 * Replies are loose objects (unknown fields survive into `remoteData`) and never transform values, so the
 * parsed object is the vendor's object untouched. Request-body schemas carry the documented vendor rules,
 * so a body is checked before it is sent.
 */
import { inPlace } from '@contactkit/core';
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// shared pieces

/** Huawei sends numbers as numbers in some replies and as strings in others ("all strings" for the token). */
export const NumOrStr = z.union([z.number(), z.string()]);
const optNumOrStr = NumOrStr.nullish();

/** `resultCode` (agent calls) / `returnCode` (skill calls): "0" success, anything else a failure. */
const ResultCode = NumOrStr;

// ---------------------------------------------------------------------------------------------
// documented rules (shared by the body schemas and the README)

/** agentAccount/create: 6 to 50 letters, digits and `@ . - _` */
export const USER_ACCOUNT_PATTERN = /^[A-Za-z0-9@._-]{6,50}$/;
/**
 * agentAccount/delete forbids, besides any blank (\s): `` `~!@#$%^&*()+=|{}':;',\[].<>/?`` and their
 * full-width forms (～！＠＃￥……＆＊（）——＋｜｛｝【】‘；：”“’。，、？). Note `@` and `.`, which create allows.
 */
export const DELETE_ACCOUNT_FORBIDDEN = "`~!@#$%^&*()+=|{}':;,\\[].<>/?～！＠＃￥¥…＆＊（）—＋｜｛｝【】‘；：”“’。，、？";
/** an account both create and delete accept: what a derived userAccount must look like */
export const PORTABLE_ACCOUNT_PATTERN = /^[A-Za-z0-9_-]{6,50}$/;
export const USER_NAME_MAX = 20;
/** characters agentAccount/create forbids in userName (at most 20 characters there) */
export const USER_NAME_FORBIDDEN = `"[]'&()=;<>,`;
/** characters agentAccount/update forbids in userName (at most 20 BYTES there): a shorter set */
export const USER_NAME_FORBIDDEN_ON_UPDATE = `"[]=;<>`;
export const PHONE_MAX = 25;
/** the default password rule group: "a string of eight characters" (长度8位) */
export const DEFAULT_PASSWORD_LENGTH: Readonly<PasswordLength> = Object.freeze({ min: 8, max: 8 });
/**
 * The specials the doc lists (``~`!@#$%^*()-+_=\¦,./<>?;':"[]{}\&``). `¦` (broken bar, probably a
 * rendering of `|`) and `|` are accepted when validating but never generated.
 */
export const PASSWORD_SPECIALS_GENERATED = "~`!@#$%^*()-+_=\\,./<>?;':\"[]{}&";
export const PASSWORD_SPECIALS_ACCEPTED = PASSWORD_SPECIALS_GENERATED + '|¦';
export const AGENT_TYPE_VALUES = [4, 11, 5, 99] as const;
export const CC_ROLE_ID_VALUES = [2, 3, 4] as const;
export const MEDIA_TYPE_VALUES = [5, 53, 2, 18, 19] as const;
/** media types whose skillParam holds only noAgents, busy and timeOut */
export const MEDIA_TYPES_THREE_CONFIGS = [53, 2, 18] as const;
/** querySkills `limit` and the agent page sizes */
export const MAX_PAGE_SIZE = 100;
/** addSkillsToAgent `userAccounts` */
export const MAX_ACCOUNTS_PER_BINDING = 50;
/** deleteSkill `skillIds` */
export const MAX_SKILLS_PER_DELETE = 10;
export const SKILL_NAME_MAX_BYTES = 100;
/**
 * characters createSkill forbids in a skill name, besides \n \r \t: the doc's set
 * `[ `~!#$%^&*()+=|{}':;',<>/?~！#￥%……&*（）+|{}【】‘；：”“’。，、？]`, which starts with a SPACE.
 */
export const SKILL_NAME_FORBIDDEN = " `~!#$%^&*()+=|{}':;,<>/?！￥¥…（）【】‘；：”“’。，、？";
export const SKILL_DESCRIPTION_MAX = 50;
/** skill descriptions: "only Chinese characters, letters and digits" (允许的字符包括中文、字母、数字) */
export const SKILL_DESCRIPTION_CHAR = /^[\p{Script=Han}A-Za-z0-9]$/u;

export interface PasswordLength {
  min: number;
  max: number;
}

/** The password problems against the documented default rule group (empty when it passes). */
export function passwordProblems(password: string, length: PasswordLength = DEFAULT_PASSWORD_LENGTH): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (length.min === length.max && chars.length !== length.min) problems.push(`must be exactly ${length.min} characters`);
  else if (chars.length < length.min) problems.push(`must be at least ${length.min} characters`);
  else if (chars.length > length.max) problems.push(`must be at most ${length.max} characters`);
  problems.push(...passwordClassProblems(password));
  return problems;
}

/** The character-class part of the rule group (length is the client's configurable part). */
export function passwordClassProblems(password: string): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (!/[A-Z]/.test(password)) problems.push('must contain an upper-case letter');
  if (!/[a-z]/.test(password)) problems.push('must contain a lower-case letter');
  if (!/[0-9]/.test(password)) problems.push('must contain a digit');
  if (!chars.some((c) => PASSWORD_SPECIALS_ACCEPTED.includes(c))) problems.push(`must contain a special character (${PASSWORD_SPECIALS_GENERATED})`);
  if (chars.some((c) => !/[A-Za-z0-9]/.test(c) && !PASSWORD_SPECIALS_ACCEPTED.includes(c))) {
    problems.push('may contain only letters, digits and the documented special characters');
  }
  return problems;
}

/** The email problems against the documented limits (the format itself is checked by core). */
export function emailProblems(email: string): string[] {
  const at = email.lastIndexOf('@');
  if (at < 0) return ['must be an email address'];
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const problems: string[] = [];
  if (local.length > 64) problems.push('local part must be at most 64 characters');
  if (domain.length > 255) problems.push('domain must be at most 255 characters');
  if (domain.split('.').some((label) => label.length > 63)) problems.push('each domain label must be at most 63 characters');
  return problems;
}

/** userName on create: at most 20 characters, none of "[]'&()=;<>, */
export function userNameProblems(name: string): string[] {
  const problems: string[] = [];
  if ([...name].length > USER_NAME_MAX) problems.push(`must be at most ${USER_NAME_MAX} characters`);
  if ([...name].some((c) => USER_NAME_FORBIDDEN.includes(c))) problems.push(`must not contain any of ${USER_NAME_FORBIDDEN}`);
  if (name.trim() === '') problems.push('must not be empty');
  return problems;
}

/** userName on update: at most 20 bytes (UTF-8), none of "[]=;<> */
export function updateUserNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(name, 'utf8') > USER_NAME_MAX) problems.push(`must be at most ${USER_NAME_MAX} bytes (UTF-8) on update`);
  if ([...name].some((c) => USER_NAME_FORBIDDEN_ON_UPDATE.includes(c))) problems.push(`must not contain any of ${USER_NAME_FORBIDDEN_ON_UPDATE}`);
  if (name.trim() === '') problems.push('must not be empty');
  return problems;
}

/** userAccount as agentAccount/delete takes it: 6 to 50 characters, no blank, none of its forbidden set. */
export function deleteAccountProblems(account: string): string[] {
  const chars = [...account];
  const problems: string[] = [];
  if (chars.length < 6 || chars.length > 50) problems.push('must be 6 to 50 characters');
  if (chars.some((c) => /\s/.test(c) || DELETE_ACCOUNT_FORBIDDEN.includes(c))) problems.push('must not contain blanks or any of ' + DELETE_ACCOUNT_FORBIDDEN + ' (agentAccount/delete)');
  return problems;
}

export function skillDescriptionProblems(description: string): string[] {
  const chars = [...description];
  const problems: string[] = [];
  if (chars.length === 0) problems.push('must not be empty');
  if (chars.length > SKILL_DESCRIPTION_MAX) problems.push(`must be at most ${SKILL_DESCRIPTION_MAX} characters`);
  if (chars.some((c) => !SKILL_DESCRIPTION_CHAR.test(c))) problems.push('may contain only Chinese characters, letters and digits');
  return problems;
}

const refineAll = (check: (v: string) => string[]) => (value: string, ctx: z.RefinementCtx) => {
  for (const message of check(value)) ctx.addIssue({ code: 'custom', message });
};

/** a userAccount as agentAccount/create takes it, and so an agent id as the client takes it */
export const UserAccountSchema = z.string().regex(USER_ACCOUNT_PATTERN, 'must be 6 to 50 letters, digits or @ . - _');
/** a group id as the client takes it: a Huawei skillId (digits) */
export const SkillIdParamSchema = z.string().regex(/^\d+$/, 'must be a Huawei skillId (digits)');
const UserName = z.string().superRefine(refineAll(userNameProblems));
/**
 * A password under the tenant's rule group: the four classes and the length the client is configured
 * with (`passwordLength`). A missing one is named once: "requires a password", not also "too short".
 */
export function passwordSchema(length: PasswordLength = DEFAULT_PASSWORD_LENGTH) {
  const rule = length.min === length.max ? `exactly ${length.min}` : `${length.min} to ${length.max}`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'Huawei requires a password to create an agent account' : 'must be a string') })
    .superRefine(refineAll(passwordClassProblems))
    .refine((p) => [...p].length >= length.min && [...p].length <= length.max, `must be ${rule} characters (the tenant's password rule group; set passwordLength if it differs)`);
}
const Email = z.string().superRefine(refineAll(emailProblems));
const Phone = z.string().max(PHONE_MAX, `must be at most ${PHONE_MAX} characters`);
const AgentType = z.number().refine((v) => (AGENT_TYPE_VALUES as readonly number[]).includes(v), 'must be one of 4 (audio), 11 (video), 5 (multimedia), 99 (versatile)');
const CcRoleId = z.number().refine((v) => (CC_ROLE_ID_VALUES as readonly number[]).includes(v), 'must be one of 2 (agent), 3 (inspector), 4 (outbound-call agent)');
const Weight = z.number().int('must be an integer').min(1, 'must be at least 1');

// ---------------------------------------------------------------------------------------------
// token: POST /apigovernance/api/oauth/tokenByAkSk

export const TokenRequestBodySchema = z.object({ app_key: z.string().min(1), app_secret: z.string().min(1) });
export type TokenRequestBody = z.infer<typeof TokenRequestBodySchema>;

/** `{AccessToken, ApplyType, CreateTime, Expires, Scope, AppKey, UserID}`: every value a string. */
export const TokenReplySchema = z.looseObject({
  AccessToken: z.string().min(1),
  ApplyType: z.string().nullish(),
  CreateTime: optNumOrStr,
  Expires: optNumOrStr,
  Scope: z.unknown().optional(),
  AppKey: z.string().nullish(),
  UserID: z.string().nullish(),
});
export type TokenReply = z.infer<typeof TokenReplySchema>;

// ---------------------------------------------------------------------------------------------
// agentAccount/*

/** `vendorFields.skillWeights` as the client takes it: `{ [skillId]: { agentWeight, skillWeight } }`, the weights judged on the wire */
export const SkillWeightsInputSchema = z.record(z.string(), z.looseObject({}, 'must be an object { agentWeight, skillWeight }'), 'must be an object { [skillId]: { agentWeight, skillWeight } }');

export const SkillBindingSchema = z.object({ skillId: z.number().int().nonnegative(), agentWeight: Weight, skillWeight: Weight });
export type SkillBinding = z.infer<typeof SkillBindingSchema>;

/** agentAccount/create, with the tenant's password length (`passwordLength`) */
export function createAgentBodySchema(length: PasswordLength = DEFAULT_PASSWORD_LENGTH) {
  return z.looseObject({
    userAccount: UserAccountSchema,
    userName: UserName,
    password: passwordSchema(length),
    email: Email,
    agentType: AgentType,
    ccRoleId: CcRoleId,
    skills: z.array(SkillBindingSchema).optional(),
    phone: Phone.optional(),
  });
}
/** agentAccount/create under the documented default rule group */
export const CreateAgentBodySchema = createAgentBodySchema();
export type CreateAgentBody = z.infer<typeof CreateAgentBodySchema>;

/** agentAccount/update, with the tenant's password length for newPassWord */
export function updateAgentBodySchema(length: PasswordLength = DEFAULT_PASSWORD_LENGTH) {
  return z.looseObject({
    userAccount: UserAccountSchema,
    userName: z.string().superRefine(refineAll(updateUserNameProblems)).optional(),
    email: Email.optional(),
    phone: Phone.optional(),
    agentType: AgentType.optional(),
    ccRoleId: CcRoleId.optional(),
    skills: z.array(SkillBindingSchema).optional(),
    oldPassWord: z.string().min(1, 'must not be empty').optional(),
    newPassWord: passwordSchema(length).optional(),
  });
}
/** agentAccount/update under the documented default rule group */
export const UpdateAgentBodySchema = updateAgentBodySchema();
export type UpdateAgentBody = z.infer<typeof UpdateAgentBodySchema>;

export const AgentAccountBodySchema = z.object({ userAccount: z.string().min(1) });

/** agentAccount/delete: its own, stricter account pattern (no "@", no ".") */
export const DeleteAgentBodySchema = z.looseObject({ userAccount: z.string().superRefine(refineAll(deleteAccountProblems)) });
export type AgentAccountBody = z.infer<typeof AgentAccountBodySchema>;

export const AgentQueryBodySchema = z.union([
  // pageNum is mandatory on the zh page even with userAccount (which makes Huawei ignore the rest)
  z.object({ userAccount: z.string().min(1), pageNum: z.number().int().nonnegative(), pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE) }),
  z.object({ pageNum: z.number().int().nonnegative(), pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE), agentType: z.array(z.number()).optional() }),
]);
export type AgentQueryBody = z.infer<typeof AgentQueryBodySchema>;

/** the members and weights of a skill binding as a group write gives them (before batching) */
export const SkillMembershipSchema = z.object({ userAccounts: z.array(UserAccountSchema), agentWeight: Weight, skillWeight: Weight });
export type SkillMembership = z.infer<typeof SkillMembershipSchema>;

export const AddSkillsToAgentBodySchema = z.object({
  userAccounts: z.array(UserAccountSchema).min(1).max(MAX_ACCOUNTS_PER_BINDING),
  skillId: z.number().int(),
  agentWeight: Weight,
  skillWeight: Weight,
});
export type AddSkillsToAgentBody = z.infer<typeof AddSkillsToAgentBodySchema>;

/** an empty `userAccounts` releases EVERY agent of the skill: the client never sends one */
export const ReleaseAgentBySkillIdBodySchema = z.object({ skillId: z.number().int(), userAccounts: z.array(z.string()).min(1) });
export type ReleaseAgentBySkillIdBody = z.infer<typeof ReleaseAgentBySkillIdBodySchema>;

export const QueryAgentInfoBySkillIdBodySchema = z.object({
  skillId: z.number().int(),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE),
  pageNum: z.number().int().nonnegative(),
});
export type QueryAgentInfoBySkillIdBody = z.infer<typeof QueryAgentInfoBySkillIdBodySchema>;

const AgentEnvelope = { resultCode: ResultCode, resultMessage: z.string().nullish() };

/** a skill id: a non-negative integer, as a number or a digit string (never "" or "abc") */
const SkillId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a number')]);
export const WireSkillBindingSchema = z.looseObject({ skillId: SkillId, agentWeight: optNumOrStr, skillWeight: optNumOrStr });
export type WireSkillBinding = z.infer<typeof WireSkillBindingSchema>;

/** one item of agentAccount/query `data` */
export const WireAgentSchema = z.looseObject({
  userAccount: z.string().min(1),
  userName: z.string().nullish(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
  agentType: optNumOrStr,
  ccRoleId: optNumOrStr,
  sipAccount: z.unknown().optional(),
  skills: z.array(WireSkillBindingSchema).nullish(),
  workNo: optNumOrStr,
  transparentDisplayFlag: z.unknown().optional(),
});
export type WireAgent = z.infer<typeof WireAgentSchema>;

export const AgentResultReplySchema = z.looseObject(AgentEnvelope);
export type AgentResultReply = z.infer<typeof AgentResultReplySchema>;

export const CreateAgentReplySchema = z.looseObject({ ...AgentEnvelope, workNo: optNumOrStr });
export type CreateAgentReply = z.infer<typeof CreateAgentReplySchema>;

/** checked in place (see core's inPlace): a listed page is not copied account by account, field by field */
export const AgentQueryReplySchema = inPlace(z.looseObject({ ...AgentEnvelope, data: z.array(WireAgentSchema).nullish(), total: optNumOrStr }));
export type AgentQueryReply = z.infer<typeof AgentQueryReplySchema>;

export const WireSkillMemberSchema = z.looseObject({ userAccount: z.string().min(1), userName: z.string().nullish(), workNo: optNumOrStr, agentType: optNumOrStr });
export type WireSkillMember = z.infer<typeof WireSkillMemberSchema>;

export const SkillMembersReplySchema = z.looseObject({ ...AgentEnvelope, data: z.array(WireSkillMemberSchema).nullish(), total: optNumOrStr });
export type SkillMembersReply = z.infer<typeof SkillMembersReplySchema>;

// ---------------------------------------------------------------------------------------------
// skill/*

const SkillEnvelope = { returnCode: ResultCode, description: z.string().nullish() };

export const WireSkillSchema = z.looseObject({
  skillId: SkillId,
  name: z.string(),
  description: z.string().nullish(),
  mediaTypeId: optNumOrStr,
  maxWaitTime: optNumOrStr,
  maxWaitNum: optNumOrStr,
  maxAgentWrapupTime: optNumOrStr,
  skillParam: z.unknown().optional(),
});
export type WireSkill = z.infer<typeof WireSkillSchema>;

export const SkillQueryBodySchema = z.object({
  name: z.string().optional(),
  mediaTypeId: z.string().optional(),
  /** string in the parameter table ("limit string") */
  limit: z.string().regex(/^\d+$/),
  /** string in the parameter table ("offset string"), though the sample prints a number */
  offset: z.string().regex(/^\d+$/),
  skillIds: z.array(z.string()).optional(),
});
export type SkillQueryBody = z.infer<typeof SkillQueryBodySchema>;

export const SkillQueryReplySchema = z.looseObject({ ...SkillEnvelope, total: optNumOrStr, data: z.array(WireSkillSchema).nullish() });
export type SkillQueryReply = z.infer<typeof SkillQueryReplySchema>;

const TransferConfig = z.looseObject({ deviceType: z.string().optional(), transferType: z.string(), value: z.number().optional() });
export const SkillParamSchema = z.looseObject({
  noAgents: TransferConfig,
  busy: TransferConfig,
  timeOut: TransferConfig,
  answerFunction: z.string().optional(),
  waitVoice: z.unknown().optional(),
});
export type SkillParam = z.infer<typeof SkillParamSchema>;

const SkillName = z.string().superRefine(refineAll(skillNameProblems));
const MediaTypeId = z.number().refine((v) => (MEDIA_TYPE_VALUES as readonly number[]).includes(v), 'must be one of 5, 53, 2, 18, 19');
const MaxWaitTime = z.number().int().min(0).max(60000, 'must be at most 60000 seconds');
const MaxWaitNum = z.number().int().min(0).max(10000, 'must be at most 10000');
const MaxWrapup = z.number().int().min(0).max(3600, 'must be at most 3600 seconds');
const SkillDescription = z.string().superRefine(refineAll(skillDescriptionProblems));

export function skillNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(name, 'utf8') > SKILL_NAME_MAX_BYTES) problems.push(`must be at most ${SKILL_NAME_MAX_BYTES} bytes (UTF-8)`);
  if ([...name].some((c) => SKILL_NAME_FORBIDDEN.includes(c) || c === '\n' || c === '\r' || c === '\t')) problems.push(`must not contain any of ${SKILL_NAME_FORBIDDEN} or tabs and line breaks`);
  if (name.trim() === '') problems.push('must not be empty');
  return problems;
}

/**
 * The skillParam rules of createSkill/modifySkill: media types 53, 2 and 18 carry only noAgents, busy
 * and timeOut; on 53 deviceType "can only be 1" (string in the table); 5 and 19 need answerFunction and waitVoice too.
 */
export function skillParamProblems(mediaTypeId: number, skillParam: SkillParam): Array<{ path: string[]; message: string }> {
  const problems: Array<{ path: string[]; message: string }> = [];
  const three = (MEDIA_TYPES_THREE_CONFIGS as readonly number[]).includes(mediaTypeId);
  if (three) {
    for (const key of ['answerFunction', 'waitVoice']) {
      if (skillParam[key] !== undefined) problems.push({ path: ['skillParam', key], message: `media type ${mediaTypeId} takes only noAgents, busy and timeOut` });
    }
  } else {
    for (const key of ['answerFunction', 'waitVoice']) if (skillParam[key] === undefined) problems.push({ path: ['skillParam', key], message: `is required for media type ${mediaTypeId}` });
  }
  if (mediaTypeId === 53) {
    for (const key of ['noAgents', 'busy', 'timeOut'] as const) {
      if (skillParam[key]?.deviceType !== '1') problems.push({ path: ['skillParam', key, 'deviceType'], message: 'must be "1" (skill queue) for media type 53' });
    }
  }
  return problems;
}

export const CreateSkillBodySchema = z
  .looseObject({
    name: SkillName,
    description: SkillDescription,
    mediaTypeId: MediaTypeId,
    maxWaitTime: MaxWaitTime,
    maxWaitNum: MaxWaitNum,
    maxAgentWrapupTime: MaxWrapup,
    skillParam: SkillParamSchema,
  })
  .superRefine((body, ctx) => {
    for (const p of skillParamProblems(body.mediaTypeId, body.skillParam)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
export type CreateSkillBody = z.infer<typeof CreateSkillBodySchema>;

export const ModifySkillBodySchema = z.looseObject({
  skillId: z.number().int(),
  name: SkillName.optional(),
  description: SkillDescription.optional(),
  maxWaitTime: MaxWaitTime.optional(),
  maxWaitNum: MaxWaitNum.optional(),
  maxAgentWrapupTime: MaxWrapup.optional(),
  skillParam: SkillParamSchema.optional(),
});
export type ModifySkillBody = z.infer<typeof ModifySkillBodySchema>;

export const DeleteSkillBodySchema = z.object({ skillIds: z.string().min(1) });
export type DeleteSkillBody = z.infer<typeof DeleteSkillBodySchema>;

export const SkillResultReplySchema = z.looseObject(SkillEnvelope);
export type SkillResultReply = z.infer<typeof SkillResultReplySchema>;

export const CreateSkillReplySchema = z.looseObject({ ...SkillEnvelope, skillId: optNumOrStr });
export type CreateSkillReply = z.infer<typeof CreateSkillReplySchema>;
