import {
  ConflictError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
  NetworkError,
  UnsupportedOperationError,
  ValidationError,
  isContactKitError,
} from '@contactkit/core';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The scimType values of RFC 7644 §3.12 this server answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers';

/** An error the server answers in SCIM form (RFC 7644 §3.12). */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  body(): Record<string, unknown> {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

/** Names a model field (a ValidationIssue path) by its SCIM attribute. */
export type AttributeNamer = (modelPath: string) => string;

const READ_ONLY = /cannot be changed|read-?only|immutable/i;

/** The SCIM answer for an error thrown by the adapter (or by this server). Never leaks a vendor secret: core already redacted. */
export function toScimError(error: unknown, nameOf: AttributeNamer): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof ValidationError) {
    const issue = error.issues[0];
    const attribute = nameOf(issue?.path ?? '');
    const detail = error.issues.map((i) => `${nameOf(i.path)}: ${i.message}`).join('; ');
    const mutability = error.issues.every((i) => READ_ONLY.test(i.message));
    return new ScimError(400, `${attribute ? '' : 'invalid input: '}${detail}`, mutability ? 'mutability' : 'invalidValue');
  }
  if (error instanceof ConflictError) return new ScimError(409, `already exists at the vendor: ${error.message}`, 'uniqueness');
  if (error instanceof NotFoundError) return new ScimError(404, 'resource not found at the vendor');
  if (error instanceof RateLimitError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    return new ScimError(429, `the vendor is throttling requests: retry after ${seconds} s`, undefined, { 'Retry-After': String(seconds) });
  }
  if (error instanceof UnsupportedOperationError) return new ScimError(501, error.message);
  if (error instanceof TimeoutError || error instanceof NetworkError) return new ScimError(503, `the vendor did not answer: ${error.message}`);
  if (isContactKitError(error)) return new ScimError(502, `the vendor refused the request: ${error.message}`);
  return new ScimError(500, 'internal error');
}
