import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { VENDORS, isVendor, type Vendor } from './vendors';
import { parseInput, ValidationError, type ContactCenterClient, type Coordinator, type Hooks, type Logger } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { createUdeskClient } from '@contactkit/udesk';

const RateLimit = z.union([z.literal(false), z.object({ requestsPerMinute: z.number().positive().optional(), maxConcurrent: z.number().int().positive().optional(), burst: z.number().int().positive().optional() }).strict()]);

const BasicVendor = z
  .object({
    subdomain: z.string().optional(),
    baseUrl: z.string().url().optional(),
    email: z.string().optional(),
    apiToken: z.string().optional(),
    password: z.string().optional(),
    rateLimit: RateLimit.optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

const IdList = z.array(z.union([z.string().min(1), z.number().int().positive()]).transform(String)).min(1);

/** Udesk: what every create needs when the agent brings none (ids of an existing role, group, department) */
const UdeskDefaults = z.object({ roleIds: IdList.optional(), groupIds: IdList.optional(), departmentIds: IdList.optional() }).strict();

const HuaweiVendor = z
  .object({
    baseUrl: z.string().url().optional(),
    appKey: z.string().optional(),
    appSecret: z.string().optional(),
    rateLimit: RateLimit.optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** The `--config` file: connections (secrets may come from the environment instead) and migration options. */
export const ConfigSchema = z
  .object({
    /** defaults: Udesk creates need a role, a customer service group and a department; these go to agents that bring none */
    udesk: BasicVendor.extend({ defaults: UdeskDefaults.optional() }).strict().optional(),
    kf5: BasicVendor.optional(),
    'huawei-aicc': HuaweiVendor.optional(),
    roleMap: z.record(z.string(), z.string()).optional(),
    defaultTargetRole: z.string().optional(),
    includeDisabled: z.boolean().optional(),
    /** migrate only these source groups (names or ids) and their members */
    onlyGroups: z.array(z.string().min(1)).min(1).optional(),
    /** migrate only the agents whose emails this file lists (one a line; relative to the config file) */
    emailsFile: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    passwords: z
      .object({ policy: z.enum(['generate', 'from-file']), file: z.string().optional() })
      .strict()
      .refine((p) => p.policy !== 'from-file' || !!p.file, { message: 'from-file needs a file', path: ['file'] })
      .optional(),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;

export { VENDORS, isVendor, type Vendor } from './vendors';

/** The file looked for in the working directory when no --config is given. */
export const CONFIG_FILE_NAME = 'contactkit.config.json';

/**
 * Reads the config: the `--config` file, else `contactkit.config.json` in `cwd` when present, else {}.
 * JSON with comments and trailing commas; file paths inside are resolved against the config's folder.
 */
export function loadConfig(path: string | undefined, cwd: string = process.cwd()): Config & { configPath?: string } {
  const found = path ? resolve(cwd, path) : existsSync(join(cwd, CONFIG_FILE_NAME)) ? join(cwd, CONFIG_FILE_NAME) : undefined;
  if (!found) return {};
  let text: string;
  try {
    text = readFileSync(found, 'utf8');
  } catch (error) {
    throw new ValidationError([{ path: '--config', message: `cannot read ${found} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }]);
  }
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    throw new ValidationError(errors.slice(0, 5).map((e) => ({ path: '--config', message: `${found} is not valid JSON: ${printParseErrorCode(e.error)} at ${lineCol(text, e.offset)}` })));
  }
  const config = parseInput(ConfigSchema, raw, { prefix: 'config' });
  const base = dirname(found);
  const at = (p: string) => resolve(base, p);
  return {
    ...config,
    ...(config.emailsFile ? { emailsFile: at(config.emailsFile) } : {}),
    ...(config.passwords?.file ? { passwords: { ...config.passwords, file: at(config.passwords.file) } } : {}),
    configPath: found,
  };
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

export function parseVendor(value: string | undefined, flag: string): Vendor {
  if (!value || !isVendor(value)) {
    throw new ValidationError([{ path: flag, message: `must be one of ${VENDORS.join(', ')}` }]);
  }
  return value;
}

/** A CONTACTKIT_* variable of `source` (process.env unless a caller passes its own), empty meaning unset. */
const readEnv = (source: NodeJS.ProcessEnv) => (name: string) => {
  const v = source[name];
  return v === undefined || v === '' ? undefined : v;
};

/**
 * Who a vendor connection points at, never a secret: the vendor, its API root (or subdomain) and
 * the account (an email as is; Huawei's app key only as a hash prefix). A journal is bound to it.
 */
export function tenantOf(vendor: Vendor, config: Config, source: NodeJS.ProcessEnv = process.env): string {
  const env = readEnv(source);
  if (vendor === 'huawei-aicc') {
    const c = config['huawei-aicc'] ?? {};
    const appKey = c.appKey ?? env('CONTACTKIT_HUAWEI_AICC_APP_KEY') ?? '';
    return `huawei-aicc ${c.baseUrl ?? env('CONTACTKIT_HUAWEI_AICC_BASE_URL') ?? '?'} app key sha256:${createHash('sha256').update(appKey).digest('hex').slice(0, 12)}`;
  }
  const prefix = vendor === 'udesk' ? 'CONTACTKIT_UDESK' : 'CONTACTKIT_KF5';
  const c = config[vendor] ?? {};
  const where = c.baseUrl ?? env(`${prefix}_BASE_URL`) ?? `subdomain ${c.subdomain ?? env(`${prefix}_SUBDOMAIN`) ?? '?'}`;
  return `${vendor} ${where} as ${(c.email ?? env(`${prefix}_EMAIL`) ?? '?').toLowerCase()}`;
}

/** Builds a client from the config file, with the CONTACTKIT_* environment filling what it leaves out. */
export function createClientFor(
  vendor: Vendor,
  config: Config,
  extra: {
    hooks?: Hooks | undefined;
    logger?: Logger | undefined;
    side?: 'source' | 'target';
    coordinator?: Coordinator | undefined;
    /** where the CONTACTKIT_* credentials are read (default process.env) */
    env?: NodeJS.ProcessEnv | undefined;
  } = {},
): ContactCenterClient {
  const env = readEnv(extra.env ?? process.env);
  if (vendor === 'huawei-aicc') {
    const c = config['huawei-aicc'] ?? {};
    const opts = {
      baseUrl: c.baseUrl ?? env('CONTACTKIT_HUAWEI_AICC_BASE_URL'),
      appKey: c.appKey ?? env('CONTACTKIT_HUAWEI_AICC_APP_KEY'),
      appSecret: c.appSecret ?? env('CONTACTKIT_HUAWEI_AICC_APP_SECRET'),
    };
    requireFields('huawei-aicc', opts, { baseUrl: 'CONTACTKIT_HUAWEI_AICC_BASE_URL', appKey: 'CONTACTKIT_HUAWEI_AICC_APP_KEY', appSecret: 'CONTACTKIT_HUAWEI_AICC_APP_SECRET' });
    // fitNames: fitting a name to Huawei's limits is the migration's job, shown in the plan as a lossy mapping
    return createHuaweiAiccClient({ ...opts, baseUrl: opts.baseUrl!, appKey: opts.appKey!, appSecret: opts.appSecret!, rateLimit: c.rateLimit, timeoutMs: c.timeoutMs, hooks: extra.hooks, logger: extra.logger, coordinator: extra.coordinator, fitNames: true });
  }
  const prefix = vendor === 'udesk' ? 'CONTACTKIT_UDESK' : 'CONTACTKIT_KF5';
  const c = config[vendor] ?? {};
  const opts = {
    subdomain: c.subdomain ?? env(`${prefix}_SUBDOMAIN`),
    baseUrl: c.baseUrl ?? env(`${prefix}_BASE_URL`),
    email: c.email ?? env(`${prefix}_EMAIL`),
    apiToken: c.apiToken ?? env(`${prefix}_API_TOKEN`),
    password: c.password ?? env(`${prefix}_PASSWORD`),
  };
  const issues: Array<{ path: string; message: string }> = [];
  if (!opts.subdomain && !opts.baseUrl) issues.push({ path: `${prefix}_SUBDOMAIN`, message: `set ${prefix}_SUBDOMAIN or ${prefix}_BASE_URL (or ${vendor}.subdomain/baseUrl in the config)` });
  if (!opts.email) issues.push({ path: `${prefix}_EMAIL`, message: `set ${prefix}_EMAIL (or ${vendor}.email in the config)` });
  if (!opts.apiToken && !opts.password) issues.push({ path: `${prefix}_API_TOKEN`, message: `set ${prefix}_API_TOKEN or ${prefix}_PASSWORD` });
  if (issues.length) throw new ValidationError(issues, { vendor });
  const common = { rateLimit: c.rateLimit, timeoutMs: c.timeoutMs, hooks: extra.hooks, logger: extra.logger, coordinator: extra.coordinator };
  // KF5 given both signs admin-only writes with the password and the rest with the token
  const auth = vendor === 'kf5' ? { ...(opts.apiToken ? { apiToken: opts.apiToken } : {}), ...(opts.password ? { password: opts.password } : {}) } : opts.apiToken ? { apiToken: opts.apiToken } : { password: opts.password! };
  const where = opts.baseUrl ? { baseUrl: opts.baseUrl } : { subdomain: opts.subdomain! };
  // a Udesk source is read agent by agent: its list carries no role ids, and a migration must not guess roles
  const udesk = { defaults: udeskDefaults(config, env), ...(extra.side === 'source' ? { roleIdsOnList: 'get_agent' as const } : {}) };
  return vendor === 'udesk'
    ? createUdeskClient({ ...where, email: opts.email!, ...auth, ...common, ...udesk })
    : createKf5Client({ ...where, email: opts.email!, ...auth, ...common });
}

/** udesk.defaults from the config, each list filled from CONTACTKIT_UDESK_DEFAULT_{ROLE,GROUP,DEPARTMENT}_IDS (comma-separated) when absent */
function udeskDefaults(config: Config, env: (name: string) => string | undefined) {
  const fromEnv = (name: string) => env(name)?.split(',').map((id) => id.trim()).filter(Boolean);
  const d = config.udesk?.defaults ?? {};
  return {
    roleIds: d.roleIds ?? fromEnv('CONTACTKIT_UDESK_DEFAULT_ROLE_IDS'),
    groupIds: d.groupIds ?? fromEnv('CONTACTKIT_UDESK_DEFAULT_GROUP_IDS'),
    departmentIds: d.departmentIds ?? fromEnv('CONTACTKIT_UDESK_DEFAULT_DEPARTMENT_IDS'),
  };
}

function requireFields(vendor: Vendor, opts: Record<string, unknown>, names: Record<string, string>): void {
  const issues = Object.entries(names)
    .filter(([k]) => !opts[k])
    .map(([, envName]) => ({ path: envName, message: `set ${envName} (or the ${vendor} block in the config)` }));
  if (issues.length) throw new ValidationError(issues, { vendor });
}
