export { createKf5Client } from './client';
export type { Kf5AgentsResource, Kf5Client, Kf5ClientOptions } from './client';
export { KF5_CAPABILITIES, KF5_MAX_PAGE_SIZE, KF5_PASSWORD_RULES, kf5Adapter } from './adapter';
export { createKf5Auth, kf5RequiredRole, kf5UserPass } from './auth';
export type { Kf5Auth, Kf5AuthMode, Kf5CallRole, Kf5Credentials } from './auth';
export {
  DEFAULT_KF5_TIMEZONE,
  KF5_BASE_ROLES,
  KF5_CUSTOM_ROLE_PREFIX,
  agentFromWire,
  agentInputToWire,
  agentPatchToWire,
  customRoleId,
  groupFromWire,
  groupInputToWire,
  groupPatchToWire,
  isKf5AgentRole,
  kf5LanguageToLocale,
  kf5Roles,
  kf5UserRoleIds,
  localeToKf5Language,
  parseKf5DateTime,
  parseKf5RoleId,
  parseTimezoneOffset,
  roleFromWire,
} from './mapping';
export type { Kf5ReadOptions, Kf5RemoteExtras, Kf5RoleRef } from './mapping';
export { leastPrivilegedRole } from './resources/roles';
export { MESSAGE_FIELDS, classify, describeKf5Error, isDuplicateEmail, parseKf5ErrorBody } from './errors';
export type { Kf5ErrorInfo } from './errors';
export * from './wire';
