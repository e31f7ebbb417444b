/**
 * The Udesk Open API (sign v2, `/open_api_v1`), declared: what core needs to build a client's
 * transport (the sign, classify, redaction) and what every client shares (capabilities, password
 * rules, page size).
 */
import { defineAdapter, type Capabilities, type PasswordRules } from '@contactkit/core';
import { createUdeskAuth } from './auth';
import type { UdeskClientOptions } from './client';
import { MESSAGE_FIELDS, classify } from './errors';

/** The documented limit: 60 requests per minute. */
export const UDESK_DEFAULT_RATE_LIMIT = { requestsPerMinute: 60 } as const;
export const UDESK_MAX_PAGE_SIZE = 100;

export const UDESK_CAPABILITIES: Capabilities = Object.freeze({
  // statusInCreate false: POST /agents takes no disable_status, a disabled agent costs a create and a PUT
  agents: { list: true, get: true, findByEmail: true, create: true, update: true, delete: true, groupsInCreate: true, statusInCreate: false },
  groups: { list: true, get: true, create: true, update: true, delete: true, members: true },
  roles: { list: true, create: false },
}) as Capabilities;

/** minLength 6 is our choice (Udesk documents only "not more than 255 characters"). */
export const UDESK_PASSWORD_RULES: PasswordRules = Object.freeze({
  minLength: 6,
  maxLength: 255,
  requiredClasses: [],
  specials: '!@#$%^&*()-_=+[]{};:,.?',
}) as PasswordRules;

export const udeskAdapter = defineAdapter<UdeskClientOptions>({
  vendor: 'udesk',
  baseUrlFromSubdomain: (subdomain) => `https://${subdomain}.udesk.cn/open_api_v1`,
  defaultRateLimit: UDESK_DEFAULT_RATE_LIMIT,
  defaultHeaders: { Accept: 'application/json' },
  account: (options) => options.email,
  auth: (options) => createUdeskAuth(options),
  classify,
  // the signing token (log_in returns it as open_api_auth_token); SIP `password` is covered by core's suffix rule
  secretFields: ['open_api_token', 'open_api_auth_token', 'agent_api_token'],
  messageFields: MESSAGE_FIELDS,
  passwordRules: UDESK_PASSWORD_RULES,
  maxPageSize: UDESK_MAX_PAGE_SIZE,
  capabilities: UDESK_CAPABILITIES,
});
