/**
 * Huawei AICC cc-management, declared: what core needs to build a client's transport (token auth,
 * classify, redaction) and what every client shares (capabilities, password rules, page size).
 */
import { defineAdapter, type Capabilities, type PasswordRules } from '@contactkit/core';
import { createTokenAuth } from './auth';
import type { HuaweiAiccClientOptions } from './client';
import { MESSAGE_FIELDS, classify } from './errors';
import { VENDOR } from './mapping';
import { DEFAULT_PASSWORD_LENGTH, MAX_PAGE_SIZE, PASSWORD_SPECIALS_GENERATED, type PasswordLength } from './wire';

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

export const huaweiAiccAdapter = defineAdapter<HuaweiAiccClientOptions>({
  vendor: VENDOR,
  // no limit is documented for cc-management: off unless the caller passes `rateLimit`
  defaultRateLimit: undefined,
  defaultHeaders: { Accept: 'application/json' },
  account: (options) => options.appKey,
  auth: (options) => ({ strategy: (transport) => createTokenAuth(options, transport), secrets: [options.appSecret] }),
  classify,
  // the generic key rules cover these too (…secret, …password, accesstoken): named here as Huawei's own
  secretFields: ['app_secret', 'AccessToken', 'password', 'oldPassWord', 'newPassWord', 'accountPwd', 'newPhonePwd'],
  messageFields: MESSAGE_FIELDS,
  // the tenant's length rule (8, or 8 to 32) with the four classes
  passwordRules: (options) => huaweiPasswordRules(options.passwordLength ?? DEFAULT_PASSWORD_LENGTH),
  maxPageSize: MAX_PAGE_SIZE,
  capabilities: HUAWEI_CAPABILITIES,
});
