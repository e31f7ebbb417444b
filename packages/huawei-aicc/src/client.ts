/**
 * createHuaweiAiccClient: agents (agent accounts), groups (skill queues) and roles (the fixed ccRoleId
 * list) of Huawei AICC cc-management, on the shared core transport.
 */
import { IssueCollector, ValidationError, bindContext, clientMembers, type CommonClientOptions, type ContactCenterClient } from '@contactkit/core';
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS } from './auth';
import { VENDOR, loginNameFor } from './mapping';
import { createAgent, deleteAgent, findAgentByEmail, getAgent, listAgents, previewAgent, updateAgent } from './resources/agents';
import { createResourceContext } from './resources/context';
import { createGroup, deleteGroup, getGroup, listGroups, previewGroup, previewMembership, updateGroup } from './resources/groups';
import { leastPrivilegedRole, listRoles } from './resources/roles';
import { DEFAULT_PASSWORD_LENGTH, type PasswordLength } from './wire';

export interface HuaweiAiccClientOptions extends CommonClientOptions {
  /** the origin of the business API, e.g. 'https://service.besclouds.com': /apiaccess/... hangs off it */
  baseUrl: string;
  /**
   * the origin of tokenByAkSk (/apigovernance/...), when it differs from baseUrl (e.g. the :28070 auth
   * port of AICC deployments). Default: the same origin as baseUrl, as the docs show it.
   */
  tokenBaseUrl?: string | undefined;
  appKey: string;
  appSecret: string;
  /** X-Token-Expire: the token lifetime asked for, in seconds (default 600, at most 3600) */
  tokenTtlSeconds?: number | undefined;
  /** wrap bodies in `requestParam` / `requestParams` as the parameter tables show (default false: flat, as the samples) */
  wrapRequestParams?: boolean | undefined;
  /**
   * true: a userName or skill name Huawei cannot take is fitted (forbidden characters removed, shortened)
   * and each change reported as a MappingWarning (logged, and in `preview`). Default false: such a name is
   * a ValidationError naming `name`, and nothing is sent.
   */
  fitNames?: boolean | undefined;
  /**
   * the password length the tenant's rule group allows, checked on create and on newPassWord.
   * Default { min: 8, max: 8 }: the documented default rule group ("a string of eight characters").
   */
  passwordLength?: PasswordLength | undefined;
  /** injectable clock (epoch ms) for the token lifecycle; default Date.now */
  now?: (() => number) | undefined;
}

export interface HuaweiAiccClient extends ContactCenterClient {
  readonly vendor: 'huawei-aicc';
  /** token fetches made so far (tokenByAkSk calls that were started) */
  tokenFetches(): number;
}

export function createHuaweiAiccClient(options: HuaweiAiccClientOptions): HuaweiAiccClient {
  checkOptions(options);
  const ctx = createResourceContext(options);
  return {
    ...clientMembers(ctx),
    vendor: VENDOR,
    agents: {
      ...bindContext(ctx, { list: listAgents, get: getAgent, findByEmail: findAgentByEmail, create: createAgent, update: updateAgent, delete: deleteAgent, preview: previewAgent }),
      loginNameFor,
    },
    groups: {
      ...bindContext(ctx, { list: listGroups, get: getGroup, create: createGroup, update: updateGroup, delete: deleteGroup, preview: previewGroup }),
      previewMembership,
    },
    roles: { ...bindContext(ctx, { list: listRoles }), leastPrivileged: leastPrivilegedRole },
    tokenFetches: () => ctx.auth.fetches,
  };
}

/** The options as a whole, before anything is built: every problem named at once, the secret never quoted. */
function checkOptions(options: HuaweiAiccClientOptions): void {
  const config = new IssueCollector();
  const given = (options ?? {}) as Partial<HuaweiAiccClientOptions>;
  config.check(typeof given.baseUrl === 'string' && given.baseUrl !== '', 'baseUrl', "give the origin, e.g. 'https://service.besclouds.com'");
  config.check(typeof given.appKey === 'string' && given.appKey.trim() !== '', 'appKey', 'must be a non-empty string');
  config.check(typeof given.appSecret === 'string' && given.appSecret !== '', 'appSecret', 'must be a non-empty string');
  const ttl = given.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  config.check(Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS, 'tokenTtlSeconds', `must be an integer from 1 to ${MAX_TOKEN_TTL_SECONDS} (X-Token-Expire)`);
  config.check(given.tokenBaseUrl === undefined || URL.canParse(String(given.tokenBaseUrl)), 'tokenBaseUrl', "give the origin, e.g. 'https://service.besclouds.com:28070'");
  const length = given.passwordLength ?? DEFAULT_PASSWORD_LENGTH;
  config.check(
    Number.isInteger(length.min) && Number.isInteger(length.max) && length.min >= 4 && length.max >= length.min,
    'passwordLength',
    'must be { min, max }: integers, min at least 4 (one per class), max ≥ min',
  );
  if (config.issues.length > 0) throw new ValidationError(config.issues, { vendor: VENDOR, secrets: typeof given.appSecret === 'string' ? [given.appSecret] : [] });
}
