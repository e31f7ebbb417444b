export { createHuaweiAiccClient, HUAWEI_CAPABILITIES, HUAWEI_PASSWORD_RULES, type HuaweiAiccClient, type HuaweiAiccClientOptions } from './client';
export {
  HuaweiTokenAuth,
  TOKEN_OPERATION,
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_TOKEN_TTL_SECONDS,
  refreshMarginMs,
  tokenTimes,
  type HuaweiAuthOptions,
  type HuaweiToken,
} from './auth';
export { classifyResponse, operationOf, API_PREFIX, TOKEN_PATH } from './errors';
export * from './mapping';
export * from './wire';
