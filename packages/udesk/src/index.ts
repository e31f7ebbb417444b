export { createUdeskClient } from './client';
export type { DepartmentsResource, UdeskClient, UdeskClientOptions } from './client';
export { UDESK_CAPABILITIES, UDESK_DEFAULT_RATE_LIMIT, UDESK_MAX_PAGE_SIZE, UDESK_PASSWORD_RULES, udeskAdapter } from './adapter';
export { UdeskAuth, SIGN_VERSION, createUdeskAuth, signV2 } from './auth';
export type { UdeskAuthOptions } from './auth';
export { KNOWN_CODES, LOG_IN_OPERATION, MESSAGE_FIELDS, UDESK_SUCCESS, classify, classifyUdeskCode } from './errors';
export type { UdeskErrorClass } from './errors';
export {
  AGENT_VENDOR_FIELDS,
  DEFAULT_IM_ABILITY_VALUE,
  PROFILE_CHANNELS,
  SIP_FIELDS,
  agentFromWire,
  agentInputToWire,
  agentPatchToWire,
  channelsToProfile,
  flattenDepartments,
  groupFromWire,
  groupInputToWire,
  groupPatchToWire,
  langToLocale,
  modelFieldOf,
  localeToLang,
  profileToChannels,
  ROLE_IDS_UNKNOWN,
  UDESK_REQUIRED_ID_FIELDS,
  requiredIds,
  roleIdsKnown,
  roleFromWire,
  sanitizeRemoteData,
  statusFromWire,
  statusToWire,
} from './mapping';
export type { AgentFromWireOptions, AgentToWireOptions, AgentVendorField, Department, UdeskCreateDefaults, UdeskRequiredIdField } from './mapping';
export { leastPrivilegedRole } from './resources/roles';
export * from './wire';
