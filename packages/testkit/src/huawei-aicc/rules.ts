/**
 * The Huawei AICC cc-management field rules, written from the vendor documents (the seed doc
 * agentAccount-create and ../shared/vendors/huawei-aicc.md), not from the adapter. Each checker returns
 * the failure message the simulator puts in resultMessage / description, or null.
 */
import { isRecord } from '../server';
import type { HuaweiPasswordLength, HuaweiSkillBinding } from './types';

/** agentAccount/create: "6 to 50 characters … letters, digits, and special characters @.-_" */
const CREATE_ACCOUNT = /^[A-Za-z0-9@._-]{6,50}$/;
/** agentAccount/delete: 6–50, none of [ `~!@#$%^&*()+=|{}':;',\[].<>/?～！＠＃￥……＆＊（）——＋｜｛｝【】‘；：”“’。，、？] nor \s */
const DELETE_FORBIDDEN = "`~!@#$%^&*()+=|{}':;,\\[].<>/?～！＠＃￥¥…＆＊（）—＋｜｛｝【】‘；：”“’。，、？";
/** create: userName at most 20 characters, none of "[]'&()=;<>, */
const CREATE_NAME_FORBIDDEN = `"[]'&()=;<>,`;
/** update: userName at most 20 bytes, none of "[]=;<> */
const UPDATE_NAME_FORBIDDEN = `"[]=;<>`;
/** password specials as listed: ~`!@#$%^*()-+_=\¦,./<>?;':"[]{}\& (¦ read as | too) */
const PASSWORD_SPECIALS = "~`!@#$%^*()-+_=\\¦|,./<>?;':\"[]{}&";
/** createSkill name: none of [ `~!#$%^&*()+=|{}':;',<>/?~！#￥%……&*（）+|{}【】‘；：”“’。，、？] (a SPACE first) nor \n \r \t */
const SKILL_NAME_FORBIDDEN = " `~!#$%^&*()+=|{}':;,<>/?！￥¥…（）【】‘；：”“’。，、？\n\r\t";
const SKILL_DESCRIPTION = /^[\p{Script=Han}A-Za-z0-9]{1,50}$/u;

export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function checkCreateAccount(v: unknown): string | null {
  return typeof v === 'string' && CREATE_ACCOUNT.test(v) ? null : 'userAccount must be 6 to 50 characters of letters, digits and @ . - _';
}

export function checkDeleteAccount(v: unknown): string | null {
  if (typeof v !== 'string') return 'userAccount is required';
  const chars = [...v];
  if (chars.length < 6 || chars.length > 50 || chars.some((c) => /\s/.test(c) || DELETE_FORBIDDEN.includes(c))) {
    return 'userAccount must be 6 to 50 characters without blanks or special characters';
  }
  return null;
}

export function checkUserName(v: unknown, on: 'create' | 'update'): string | null {
  if (typeof v !== 'string' || v.trim() === '') return 'userName is invalid';
  if (on === 'create') {
    if ([...v].length > 20) return 'userName must be at most 20 characters';
    if ([...v].some((c) => CREATE_NAME_FORBIDDEN.includes(c))) return `userName must not contain any of ${CREATE_NAME_FORBIDDEN}`;
  } else {
    if (Buffer.byteLength(v, 'utf8') > 20) return 'userName must be at most 20 bytes';
    if ([...v].some((c) => UPDATE_NAME_FORBIDDEN.includes(c))) return `userName must not contain any of ${UPDATE_NAME_FORBIDDEN}`;
  }
  return null;
}

export function checkPassword(p: unknown, reading: HuaweiPasswordLength, field = 'password'): string | null {
  const rule = reading === 'exactly-8' ? 'exactly 8' : '8 to 32';
  const message = `${field} must be ${rule} characters and contain uppercase letters, lowercase letters, digits and special characters`;
  if (typeof p !== 'string') return message;
  const chars = [...p];
  const lengthOk = reading === 'exactly-8' ? chars.length === 8 : chars.length >= 8 && chars.length <= 32;
  const classes = /[A-Z]/.test(p) && /[a-z]/.test(p) && /\d/.test(p) && chars.some((c) => PASSWORD_SPECIALS.includes(c));
  const charset = chars.every((c) => /[A-Za-z0-9]/.test(c) || PASSWORD_SPECIALS.includes(c));
  return lengthOk && classes && charset ? null : message;
}

export function checkSkillName(v: unknown): string | null {
  if (typeof v !== 'string' || v === '' || Buffer.byteLength(v, 'utf8') > 100) return 'name must be 1 to 100 bytes';
  if ([...v].some((c) => SKILL_NAME_FORBIDDEN.includes(c))) return 'name contains special characters that are not allowed';
  return null;
}

export function checkSkillDescription(v: unknown): string | null {
  return typeof v === 'string' && SKILL_DESCRIPTION.test(v) ? null : 'description must be 1 to 50 Chinese characters, letters or digits';
}

const TRANSFER_KEYS = ['noAgents', 'busy', 'timeOut'] as const;

/**
 * skillParam for a media type: 53, 2 and 18 carry only noAgents, busy and timeOut (deviceType only "1"
 * on 53); 5 and 19 need answerFunction and waitVoice too. transferType Release: "other parameters at the
 * same level are not filled" (value absent); Transfer: deviceType ("1" skill queue, "3" IVR) and value required.
 */
export function checkSkillParam(v: unknown, mediaTypeId: number): string | null {
  if (!isRecord(v)) return 'skillParam must be an object';
  const three = mediaTypeId === 53 || mediaTypeId === 2 || mediaTypeId === 18;
  for (const key of Object.keys(v)) {
    if (![...TRANSFER_KEYS, 'answerFunction', 'waitVoice'].includes(key)) return `skillParam.${key} is not a skill parameter`;
  }
  if (three && (v.answerFunction !== undefined || v.waitVoice !== undefined)) return `skillParam of media type ${mediaTypeId} has only noAgents, busy and timeOut`;
  if (!three && (v.answerFunction === undefined || v.waitVoice === undefined)) return `skillParam of media type ${mediaTypeId} needs answerFunction and waitVoice`;
  for (const key of TRANSFER_KEYS) {
    const c = v[key];
    if (!isRecord(c)) return `skillParam.${key} is required`;
    if (c.deviceType !== undefined && c.deviceType !== '1' && c.deviceType !== '3') return `skillParam.${key}.deviceType must be "1" or "3"`;
    if (mediaTypeId === 53 && c.deviceType !== '1') return `skillParam.${key}.deviceType must be "1" for media type 53`;
    if (c.transferType === 'Release') {
      if (c.value !== undefined) return `skillParam.${key}.value must be empty for Release`;
    } else if (c.transferType === 'Transfer') {
      if (c.deviceType === undefined || !isInteger(c.value)) return `skillParam.${key} needs deviceType and value for Transfer`;
    } else {
      return `skillParam.${key}.transferType must be Release or Transfer`;
    }
  }
  return null;
}

/** The default skillParam a seeded skill queue holds (the documented shape). */
export function seedSkillParam(mediaTypeId: number): Record<string, unknown> {
  const config = () => (mediaTypeId === 53 ? { deviceType: '1', transferType: 'Release' } : { transferType: 'Release' });
  const base: Record<string, unknown> = { noAgents: config(), busy: config(), timeOut: config() };
  if (mediaTypeId === 5 || mediaTypeId === 19) Object.assign(base, { answerFunction: '0', waitVoice: '' });
  return base;
}

/** A description the docs allow, from any text ("skill" when nothing is left). */
export function seedDescription(text: string): string {
  const kept = [...text].filter((c) => /^[\p{Script=Han}A-Za-z0-9]$/u.test(c)).slice(0, 50).join('');
  return kept === '' ? 'skill' : kept;
}

// ---------------------------------------------------------------------------------------------
// Agent and skill fields as the cc-management calls check them
// ---------------------------------------------------------------------------------------------

const AGENT_TYPES: readonly number[] = [4, 11, 5, 99];
const CC_ROLES: readonly number[] = [2, 3, 4];
const MEDIA_TYPES: readonly number[] = [5, 53, 2, 18, 19];

/** Whether a skill of `mediaTypeId` may be bound to an agent of `agentType`. */
export function huaweiMediaFits(agentType: number, mediaTypeId: number): boolean {
  if (agentType === 99) return true;
  if (agentType === 4 || agentType === 11) return mediaTypeId === 5;
  if (agentType === 5) return mediaTypeId === 53;
  return false;
}

/** Whether a password passes the default rule group under a length reading (default 'exactly-8'). */
export function huaweiCheckPassword(p: unknown, reading: HuaweiPasswordLength = 'exactly-8'): boolean {
  return checkPassword(p, reading) === null;
}

/** An integer from a number or a digit string (ids travel both ways); undefined otherwise. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return undefined;
}

/** The documented email limits only (localPart ≤ 64, domainPart ≤ 255, each label ≤ 63): the doc's own example is masked ("t**@****.com"). */
function checkEmail(e: unknown): boolean {
  if (typeof e !== 'string' || /\s/.test(e)) return false;
  const at = e.lastIndexOf('@');
  if (at <= 0) return false;
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  if (local.length > 64 || domain.length === 0 || domain.length > 255) return false;
  return domain.split('.').every((l) => l.length >= 1 && l.length <= 63);
}

/**
 * Validates a skills array for `agentType`; returns the bindings or an error message.
 * `mediaTypeOf` gives an existing skill's media type (undefined: no such skill).
 */
export function checkSkills(raw: unknown, agentType: number, mediaTypeOf: (skillId: number) => number | undefined): HuaweiSkillBinding[] | string {
  if (!Array.isArray(raw)) return 'skills must be an array';
  const out: HuaweiSkillBinding[] = [];
  for (const item of raw) {
    if (!isRecord(item)) return 'skills must be an array of {skillId, agentWeight, skillWeight}';
    const { skillId, agentWeight, skillWeight } = item;
    // Integer in the table: a number, not a digit string
    if (!isInteger(skillId) || !isInteger(agentWeight) || !isInteger(skillWeight)) {
      return 'skillId, agentWeight and skillWeight are required integers for each skill';
    }
    if (agentWeight < 1 || skillWeight < 1) return 'agentWeight and skillWeight must be at least 1';
    const media = mediaTypeOf(skillId);
    if (media === undefined) return `skill ${skillId} does not exist`;
    if (!huaweiMediaFits(agentType, media)) {
      return `the media type ${media} of skill ${skillId} does not match agentType ${agentType}`;
    }
    out.push({ skillId, agentWeight, skillWeight });
  }
  return out;
}

/** Checks the agent fields present in `p`; returns an error message or null. */
export function checkAgentFields(p: Record<string, unknown>, on: 'create' | 'update', passwordLength: HuaweiPasswordLength): string | null {
  if (p.userName !== undefined) {
    const bad = checkUserName(p.userName, on);
    if (bad) return bad;
  }
  if (on === 'create') {
    const bad = checkPassword(p.password, passwordLength);
    if (bad) return bad;
  }
  if (p.email !== undefined && !checkEmail(p.email)) {
    return 'email is invalid: local part at most 64 characters, domain at most 255, each label at most 63';
  }
  if (p.phone !== undefined && p.phone !== null && (typeof p.phone !== 'string' || p.phone.length > 25)) {
    return 'phone must be a string of at most 25 characters';
  }
  if (p.agentType !== undefined && !(isInteger(p.agentType) && AGENT_TYPES.includes(p.agentType))) {
    return 'agentType must be one of 4, 11, 5, 99';
  }
  if (p.ccRoleId !== undefined && !(isInteger(p.ccRoleId) && CC_ROLES.includes(p.ccRoleId))) {
    return 'ccRoleId must be one of 2, 3, 4';
  }
  return null;
}

export interface PageWindow {
  pageNum: number;
  pageSize: number;
  /** Items served per page: pageSize, or the simulator's pageCap when smaller. */
  serve: number;
}

/** pageNum is mandatory (zh page) and 0-based; pageSize at most 100 (documented on queryAgentInfoBySkillId). */
export function checkPage(p: Record<string, unknown>, pageCap: number): PageWindow | string {
  if (p.pageNum === undefined || p.pageNum === null) return 'pageNum is required';
  const pageSize = p.pageSize === undefined ? 10 : p.pageSize;
  if (!isInteger(p.pageNum) || p.pageNum < 0) return 'pageNum must be an integer from 0';
  if (!isInteger(pageSize) || pageSize < 1 || pageSize > 100) return 'pageSize must be an integer from 1 to 100';
  // pageCap: the server pages by its own, smaller size (pages shorter than asked; `total` counts everything)
  const size = Math.min(pageSize, pageCap);
  return { pageNum: p.pageNum, pageSize: size, serve: size };
}

const SKILL_FIELDS = ['name', 'description', 'mediaTypeId', 'maxWaitTime', 'maxWaitNum', 'maxAgentWrapupTime', 'skillParam'];
const SKILL_RANGES: ReadonlyArray<[string, number]> = [
  ['maxWaitTime', 60000],
  ['maxWaitNum', 10000],
  ['maxAgentWrapupTime', 3600],
];

/** createSkill (every field required) and modifySkill (those present); skillParam is read for `mediaTypeId`. */
export function checkSkillFields(p: Record<string, unknown>, create: boolean, mediaTypeId = p.mediaTypeId as number): string | null {
  const need = (f: string) => create || p[f] !== undefined;
  if (create) {
    for (const f of SKILL_FIELDS) if (p[f] === undefined || p[f] === null) return `${f} is required`;
  }
  if (need('name')) {
    const bad = checkSkillName(p.name);
    if (bad) return bad;
  }
  if (need('description')) {
    const bad = checkSkillDescription(p.description);
    if (bad) return bad;
  }
  if (need('mediaTypeId') && !(isInteger(p.mediaTypeId) && MEDIA_TYPES.includes(p.mediaTypeId))) {
    return 'mediaTypeId must be one of 5, 53, 2, 18, 19';
  }
  for (const [f, max] of SKILL_RANGES) {
    if (!need(f)) continue;
    const v = p[f];
    if (!isInteger(v) || v < 0 || v > max) return `${f} must be an integer from 0 to ${max}`;
  }
  if (need('skillParam')) return checkSkillParam(p.skillParam, mediaTypeId);
  return null;
}
