/**
 * What every Huawei resource function works with: core's adapter context plus the token auth and the
 * client's rules (names fitted or not, bodies wrapped or not, the tenant's password length).
 */
import { createAdapterContext, type AdapterContext } from '@contactkit/core';
import type { z } from 'zod';
import { huaweiAiccAdapter } from '../adapter';
import { HuaweiTokenAuth } from '../auth';
import type { HuaweiAiccClientOptions } from '../client';
import { API_PREFIX } from '../errors';
import { DEFAULT_PASSWORD_LENGTH, createAgentBodySchema, updateAgentBodySchema } from '../wire';

export interface ResourceContext extends AdapterContext {
  /** the token auth: `tokenFetches()` reads it */
  readonly auth: HuaweiTokenAuth;
  /** fit names Huawei cannot take (with warnings) instead of rejecting them */
  readonly fitNames: boolean;
  /** wrap bodies in `requestParam` / `requestParams` as the parameter tables show */
  readonly wrapRequestParams: boolean;
  /** the agent body schemas under the tenant's password length */
  readonly schemas: { createAgent: ReturnType<typeof createAgentBodySchema>; updateAgent: ReturnType<typeof updateAgentBodySchema> };
}

export function createResourceContext(options: HuaweiAiccClientOptions): ResourceContext {
  const ctx = createAdapterContext(huaweiAiccAdapter, options);
  const passwordLength = options.passwordLength ?? DEFAULT_PASSWORD_LENGTH;
  return {
    ...ctx,
    auth: tokenAuthOf(ctx),
    fitNames: options.fitNames ?? false,
    wrapRequestParams: options.wrapRequestParams ?? false,
    schemas: { createAgent: createAgentBodySchema(passwordLength), updateAgent: updateAgentBodySchema(passwordLength) },
  };
}

function tokenAuthOf(ctx: AdapterContext): HuaweiTokenAuth {
  if (!(ctx.auth instanceof HuaweiTokenAuth)) throw new Error('huawei-aicc: the client was not built with its token auth');
  return ctx.auth;
}

/** Where a body is wrapped when the client wraps bodies: the name the operation's parameter table uses. */
export type Wrap = 'requestParam' | 'requestParams';

export interface PostOptions {
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  wrap?: Wrap | undefined;
}

/** One cc-management operation: every one is a POST of a JSON body under API_PREFIX, named by its path. */
export function post<T>(ctx: ResourceContext, operation: string, body: unknown, schema: z.ZodType<T>, options: PostOptions): Promise<T> {
  const sent = options.wrap && ctx.wrapRequestParams ? { [options.wrap]: body } : body;
  return ctx.call(operation, { method: 'POST', path: `${API_PREFIX}/${operation}`, body: sent, schema, idempotent: options.idempotent, signal: options.signal });
}
