export { generateTenant } from './tenant';
export type {
  SeedTenant,
  SeedAgent,
  SeedGroup,
  SeedRole,
  SeedRoleKind,
  SeedDepartment,
  SeedChannel,
  GenerateTenantOptions,
} from './tenant';
export type { SeedResult } from './types';
export { FAULT_KINDS, CONTROL_PREFIX } from './server';
export type { SimulatorHandle, ControlEndpoint } from './handle';
export type {
  FaultKind,
  FaultOptions,
  FaultController,
  RequestMatch,
  RateLimitOptions,
  SimulatorStats,
  SimulatorSettings,
  CommonSimulatorOptions,
  AfterRequestsHook,
  AfterRequestsHandle,
} from './server';
export { startUdeskSimulator, UDESK_CODES } from './udesk';
export type {
  UdeskSimulator,
  UdeskSimulatorOptions,
  UdeskCredentials,
  UdeskState,
  UdeskAgentWire,
  UdeskAgentDetailWire,
  UdeskAgentPutWire,
  UdeskAgentInput,
  UdeskReadings,
  UdeskAgentFlags,
  UdeskUserGroupWire,
  UdeskRoleWire,
  UdeskDepartmentWire,
  UdeskProfile,
} from './udesk';
export { startKf5Simulator, KF5_SEARCH_FIELDS } from './kf5';
export type {
  Kf5Simulator,
  Kf5SimulatorOptions,
  Kf5Credentials,
  Kf5State,
  Kf5UserWire,
  Kf5GroupWire,
  Kf5UserInput,
  Kf5CustomRole,
  Kf5Role,
  Kf5Status,
  Kf5NextPageOrigin,
  Kf5TokenRole,
} from './kf5';
export {
  startHuaweiAiccSimulator,
  huaweiMediaFits,
  huaweiCheckPassword,
  HUAWEI_API_PREFIX,
  HUAWEI_TOKEN_PATH,
} from './huawei-aicc';
export type {
  HuaweiAiccSimulator,
  HuaweiAiccSimulatorOptions,
  HuaweiAiccCredentials,
  HuaweiAiccState,
  HuaweiAgentWire,
  HuaweiSkillWire,
  HuaweiSkillBinding,
  HuaweiRoleWire,
  HuaweiAgentInput,
  HuaweiSkillInput,
  HuaweiAgentType,
  HuaweiCcRoleId,
  HuaweiPasswordLength,
  HuaweiBodyForm,
  HuaweiTokenOrigin,
} from './huawei-aicc';
export { startAllSimulators, simulatorEnv } from './all';
export type { StartAllOptions, AllSimulators } from './all';
