export { createUdeskClient, UDESK_CAPABILITIES, UDESK_DEFAULT_RATE_LIMIT, UDESK_MAX_IDS, UDESK_MAX_PAGE_SIZE, UDESK_MAX_STRING, UDESK_PASSWORD_RULES } from './client';
export type { DepartmentsResource, UdeskClient, UdeskClientOptions } from './client';
export { UdeskAuth, SIGN_VERSION, signV2 } from './auth';
export type { UdeskAuthOptions } from './auth';
export { KNOWN_CODES, LOG_IN_OPERATION, UDESK_SUCCESS, classifyUdeskCode, createUdeskClassifier } from './errors';
export type { UdeskErrorClass } from './errors';
export {
  AGENT_VENDOR_FIELDS,
  DEFAULT_IM_ABILITY_VALUE,
  PROFILE_CHANNELS,
  SIP_FIELDS,
  agentFromWire,
  agentToWire,
  channelsToProfile,
  flattenDepartments,
  groupFromWire,
  groupToWire,
  langToLocale,
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
export type { AgentFromWireOptions, AgentToWireOptions, AgentVendorField, Department, Mapped, UdeskCreateDefaults, UdeskRequiredIdField } from './mapping';
export * from './wire';
