/**
 * KF5 apiv2, declared: what core needs to build a client's transport (HTTP Basic per documented
 * role, classify, redaction) and what every client shares (capabilities, password rules, page size).
 */
import { defineAdapter, type Capabilities, type PasswordRules } from '@contactkit/core';
import { createKf5Auth } from './auth';
import type { Kf5ClientOptions } from './client';
import { MESSAGE_FIELDS, classify } from './errors';

/** KF5 caps `per_page` at 100 (the simulator clamps larger values; we never ask for more). */
export const KF5_MAX_PAGE_SIZE = 100;

export const KF5_CAPABILITIES: Capabilities = Object.freeze({
  // statusInCreate: a suspended agent is created suspended (`status` in the create body)
  agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true, groupsInCreate: false, statusInCreate: true },
  groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
  roles: { list: true, create: false },
}) as Capabilities;

/** Our choice: KF5 publishes no password rules (unconfirmed; see README). */
export const KF5_PASSWORD_RULES: PasswordRules = Object.freeze({
  minLength: 6,
  maxLength: 128,
  requiredClasses: [],
  specials: '!@#$%^&*()-_=+[]{};:,.?',
}) as PasswordRules;

export const kf5Adapter = defineAdapter<Kf5ClientOptions>({
  vendor: 'kf5',
  baseUrlFromSubdomain: (subdomain) => `https://${subdomain}.kf5.com/apiv2`,
  defaultHeaders: { Accept: 'application/json', 'Content-Type': 'application/json' },
  account: (options) => options.email,
  auth: (options) => {
    const { strategy, secrets } = createKf5Auth(options);
    return { strategy, secrets };
  },
  classify,
  // KF5's credential fields (Zendesk-like user bodies); the generic key rules cover some of them too
  secretFields: ['password', 'password_confirmation', 'api_token'],
  messageFields: MESSAGE_FIELDS,
  passwordRules: KF5_PASSWORD_RULES,
  maxPageSize: KF5_MAX_PAGE_SIZE,
  capabilities: KF5_CAPABILITIES,
});
