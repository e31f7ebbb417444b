export { createHuaweiAiccClient, type HuaweiAiccClient, type HuaweiAiccClientOptions } from './client';
export { huaweiAiccAdapter, huaweiPasswordRules, HUAWEI_CAPABILITIES, HUAWEI_PASSWORD_RULES } from './adapter';
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
export { classify, operationOf, API_PREFIX, TOKEN_PATH } from './errors';
export * from './mapping';
export * from './wire';
