/**
 * Huawei AICC replies → ContactKit errors. Given to the transport as `classify`: it reads business
 * failures carried on HTTP 200 and the token rejections; other statuses are left to core (400 → VendorError,
 * 404 → NotFoundError, 429 → RateLimitError, 5xx → VendorError retryable when the request is idempotent).
 */
import { createError, type ContactKitError, type ResponseErrorOptions, type VendorResponse } from '@contactkit/core';

export const TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';
export const API_PREFIX = '/apiaccess/rest/cc-management/v1';
/** body fields holding Huawei's message: agent calls and the API gateway (skill calls use `description`, a common one) */
export const MESSAGE_FIELDS = ['resultMessage', 'error_msg'] as const;

/** "userAccount already exists", "duplicate", "已存在" … */
const CONFLICT = /already exist|duplicat|exists|occupied|in use|重复|已存在|已被占用/i;
/** "agent does not exist", "skill not found", "不存在" … */
const NOT_FOUND = /not exist|does not exist|not found|no such|不存在|未找到/i;

function record(body: unknown): Record<string, unknown> | undefined {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** The call name from a URL: `agentAccount/create`, `skill/querySkills`, `tokenByAkSk`. */
export function operationOf(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // keep as is
  }
  const lower = path.toLowerCase();
  if (lower.includes(TOKEN_PATH.toLowerCase())) return 'tokenByAkSk';
  const i = lower.indexOf(API_PREFIX.toLowerCase());
  return i >= 0 ? path.slice(i + API_PREFIX.length + 1) : path;
}

export function isTokenUrl(url: string): boolean {
  return operationOf(url) === 'tokenByAkSk';
}

/**
 * The business result of a 2xx reply: undefined for success (or for a body without a result code,
 * which the wire schema then judges), else the error.
 */
function businessError(response: VendorResponse, errorOptions: () => ResponseErrorOptions): ContactKitError | undefined {
  const body = record(response.body);
  if (!body) return undefined;
  let code: string | undefined;
  let message: unknown;
  if (body.resultCode !== undefined && body.resultCode !== null) {
    if (String(body.resultCode) === '0') return undefined;
    code = String(body.resultCode);
    message = body.resultMessage;
  } else if (body.returnCode !== undefined && body.returnCode !== null) {
    if (String(body.returnCode) === '0') return undefined;
    code = String(body.returnCode);
    message = body.description;
  } else {
    return undefined;
  }
  const text = typeof message === 'string' && message.trim() !== '' ? message.trim().slice(0, 300) : 'no message';
  const full = `huawei-aicc ${operationOf(response.request.url)} failed: ${text} (code ${code})`;
  const options = { ...errorOptions(), vendorCode: code, retryable: false };
  if (CONFLICT.test(text) && !NOT_FOUND.test(text)) return createError('CONFLICT', full, options);
  if (NOT_FOUND.test(text)) return createError('NOT_FOUND', full, options);
  return createError('VENDOR', full, options);
}

/**
 * classify(response, errorOptions): Huawei's reading of a reply, given to the transport by the adapter definition.
 * - 2xx with resultCode ≠ "0" / returnCode ≠ "0": Conflict / NotFound / Vendor by the message.
 * - 401 anywhere, and 403 on a business call: AuthenticationError (Huawei documents 403 as
 *   "authentication fails"), so the transport refreshes the token once and replays the call once.
 * - the token endpoint answering 403: PermissionError (no token to refresh).
 */
export function classify(response: VendorResponse, errorOptions: () => ResponseErrorOptions): ContactKitError | undefined {
  const { status } = response;
  if (status >= 200 && status < 300) return businessError(response, errorOptions);
  if (status !== 401 && status !== 403) return undefined;
  const body = record(response.body);
  const vendorCode = typeof body?.error_code === 'string' ? body.error_code : undefined;
  const vendorMessage = typeof body?.error_msg === 'string' ? `: ${body.error_msg.slice(0, 200)}` : '';
  const token = isTokenUrl(response.request.url);
  const options = { ...errorOptions(), vendorCode, retryable: false };
  if (token) {
    if (status === 403) return createError('PERMISSION', `huawei-aicc refused a token for this app_key (HTTP 403)${vendorMessage}`, options);
    return createError('AUTHENTICATION', `huawei-aicc rejected app_key/app_secret (HTTP 401)${vendorMessage}`, options);
  }
  return createError('AUTHENTICATION', `huawei-aicc rejected the access token on ${operationOf(response.request.url)} (HTTP ${status})${vendorMessage}`, options);
}
