/**
 * The Huawei AICC cc-management field rules, written from the vendor documents (the seed doc
 * agentAccount-create and ../shared/vendors/huawei-aicc.md), not from the adapter. Each checker returns
 * the failure message the simulator puts in resultMessage / description, or null.
 */
import { isRecord } from './server';

/** The password length reading: "长度8位 / a string of eight characters" read literally, or as a minimum. */
export type HuaweiPasswordLength = 'exactly-8' | '8-to-32';
/** The body reading: the samples' flat bodies, or the parameter tables' requestParam(s) wrappers. */
export type HuaweiBodyForm = 'flat' | 'wrapped';
/** Where tokenByAkSk lives: the business origin (as the doc URLs show) or its own (the :28070 auth port). */
export type HuaweiTokenOrigin = 'same' | 'separate';

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
