import type { z } from 'zod';
import type { Capabilities, CommonClientOptions, ContactCenterClient, ListOptions, MappingWarning, PasswordRules, RawRequest } from './client';
import { ValidationError } from './errors';
import type { VendorId } from './model';
import type { RateLimitOptions } from './rate-limit';
import { Redactor, registerSecretKeys } from './redact';
import { HttpTransport, assertSecureBaseUrl, type AuthStrategy, type RequestSpec, type TransportOptions } from './transport';
import { checkWire, parseInput } from './validate';

export interface AdapterTransportConfig {
  vendor: VendorId;
  options: CommonClientOptions & { subdomain?: string | undefined };
  /** the API root for a subdomain, e.g. (s) => `https://${s}.example.com/api/v1` */
  baseUrlFromSubdomain?: ((subdomain: string) => string) | undefined;
  /** the vendor's documented limit, applied unless the caller passes `rateLimit` (false turns it off) */
  defaultRateLimit?: RateLimitOptions | undefined;
  auth: AuthStrategy | ((transport: HttpTransport) => AuthStrategy);
  /** the account the client calls as (email, app key; never a secret): part of the coordinator's tenant key */
  account?: string | undefined;
  classify?: TransportOptions['classify'];
  messageFields?: readonly string[] | undefined;
  defaultHeaders?: Record<string, string> | undefined;
  /** credential values to scrub from every message */
  secrets: Array<string | undefined>;
}

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Resolves the base URL, checks it, and builds the shared transport: the one way adapters start. */
export function createAdapterTransport(config: AdapterTransportConfig): HttpTransport {
  const { options } = config;
  let baseUrl = options.baseUrl;
  if (!baseUrl) {
    if (!options.subdomain || !config.baseUrlFromSubdomain) {
      throw new ValidationError([{ path: 'subdomain', message: 'give subdomain or baseUrl' }], { vendor: config.vendor });
    }
    if (!SUBDOMAIN.test(options.subdomain)) {
      throw new ValidationError([{ path: 'subdomain', message: 'must be letters, digits and hyphens' }], { vendor: config.vendor });
    }
    baseUrl = config.baseUrlFromSubdomain(options.subdomain);
  }
  assertSecureBaseUrl(baseUrl);
  const rateLimit = options.rateLimit === undefined ? config.defaultRateLimit : options.rateLimit;
  return new HttpTransport({
    vendor: config.vendor,
    baseUrl,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    retry: options.retry,
    rateLimit,
    concurrency: options.concurrency,
    coordinator: options.coordinator,
    account: config.account,
    hooks: options.hooks,
    logger: options.logger,
    httpClient: options.httpClient,
    auth: config.auth,
    classify: config.classify,
    messageFields: config.messageFields,
    defaultHeaders: config.defaultHeaders,
    redactor: new Redactor(config.secrets),
  });
}

/** The members every client builds the same way on its transport: the raw `request` passthrough and `stats`. */
export function transportMembers(transport: HttpTransport): Pick<ContactCenterClient, 'request' | 'stats'> {
  return {
    async request<T = unknown>(raw: RawRequest): Promise<T> {
      const { method, path, query, body, signal, idempotent } = raw;
      const res = await transport.request<T>({ method, path, query, body, signal, idempotent, operation: 'request' });
      return res.data;
    },
    stats: () => ({ ...transport.stats }),
  };
}

// ---- the adapter definition: a vendor's seam as data --------------------------------------------

/** What an adapter's auth gives the transport: the strategy (or a factory given the transport) and the values to scrub. */
export interface AdapterAuth {
  strategy: AuthStrategy | ((transport: HttpTransport) => AuthStrategy);
  /** credential values (tokens, passwords, app secrets) scrubbed from every message */
  secrets: Array<string | undefined>;
}

/**
 * One vendor, declared: everything core needs to build a client's transport and everything the
 * resources share. Each adapter package exports one (`<vendor>Adapter`).
 */
export interface AdapterDefinition<O extends CommonClientOptions = CommonClientOptions> {
  vendor: VendorId;
  /** the API root for a subdomain, e.g. (s) => `https://${s}.example.com/api` */
  baseUrlFromSubdomain?: ((subdomain: string) => string) | undefined;
  /** the vendor's documented limit, applied unless the caller passes `rateLimit` (false turns it off) */
  defaultRateLimit?: RateLimitOptions | undefined;
  defaultHeaders?: Record<string, string> | undefined;
  /** the account the client calls as (an email, an app key; never a secret): part of the coordinator's tenant key */
  account(options: O): string | undefined;
  auth(options: O): AdapterAuth;
  /** the vendor's reading of a reply: an error, null for "success whatever the status", undefined to leave it to the status */
  classify: NonNullable<TransportOptions['classify']>;
  /** the vendor's secret field names, redacted wherever they appear (registered by defineAdapter) */
  secretFields: readonly string[];
  /** body fields that carry the vendor's error message */
  messageFields: readonly string[];
  /** what the vendor demands of a password; a function where it depends on the client's options (a tenant setting) */
  passwordRules: PasswordRules | ((options: O) => PasswordRules);
  /** the largest page the vendor serves; list calls default to it and cap at it */
  maxPageSize: number;
  capabilities: Capabilities;
}

/** Declares an adapter: registers its secret field names with redaction and freezes the definition. */
export function defineAdapter<O extends CommonClientOptions>(definition: AdapterDefinition<O>): AdapterDefinition<O> {
  registerSecretKeys(definition.secretFields);
  return Object.freeze(definition);
}

/** What every resource function of an adapter works with: one per client. */
export interface AdapterContext {
  readonly vendor: VendorId;
  readonly transport: HttpTransport;
  readonly definition: AdapterDefinition<never>;
  /** the auth strategy the definition built for this client's transport */
  readonly auth: AuthStrategy | undefined;
  /** the password rules for this client (its options applied) */
  readonly passwordRules: PasswordRules;
  /** one request with the vendor's auth, retries and errors; the body parsed by `schema` */
  call<T>(operation: string, spec: Omit<RequestSpec, 'operation'> & { schema: z.ZodType<T> }): Promise<T>;
  /** a write the mapping could not carry whole: logged as a warning, redacted */
  warn(operation: string, warnings: MappingWarning[]): void;
  /** what a read could not carry whole: logged at debug, redacted (a function is called only when there is a logger) */
  note(operation: string, warnings: MappingWarning[] | (() => MappingWarning[])): void;
  /** the page size a list asks for: the vendor's maximum by default, capped at it; ValidationError otherwise */
  pageSize(options?: ListOptions): number;
  /** zod-parses a caller's input: ValidationError naming each bad field, nothing sent */
  validate<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S>;
  /** checks a mapped body against the vendor's wire schema, issues named by the model field `fieldOf` gives */
  validateWire<S extends z.ZodType>(schema: S, body: unknown, fieldOf: (wirePath: PropertyKey[]) => string): z.infer<S>;
}

/** Builds a client's transport and context from its adapter definition: the one way adapters start. */
export function createAdapterContext<O extends CommonClientOptions & { subdomain?: string | undefined }>(
  definition: AdapterDefinition<O>,
  options: O,
): AdapterContext {
  const auth = definition.auth(options);
  const transport = createAdapterTransport({
    vendor: definition.vendor,
    options,
    baseUrlFromSubdomain: definition.baseUrlFromSubdomain,
    defaultRateLimit: definition.defaultRateLimit,
    auth: auth.strategy,
    account: definition.account(options),
    classify: definition.classify,
    messageFields: definition.messageFields,
    defaultHeaders: definition.defaultHeaders,
    secrets: auth.secrets,
  });
  const vendor = definition.vendor;
  const log = (level: 'warn' | 'debug', message: string) => (operation: string, given: MappingWarning[] | (() => MappingWarning[])) => {
    if (!options.logger) return;
    const warnings = typeof given === 'function' ? given() : given;
    if (warnings.length > 0) options.logger[level](message, transport.redactor.redact({ vendor, operation, warnings }));
  };
  return {
    vendor,
    transport,
    definition: definition as unknown as AdapterDefinition<never>,
    auth: transport.auth,
    passwordRules: typeof definition.passwordRules === 'function' ? definition.passwordRules(options) : definition.passwordRules,
    call: async (operation, spec) => (await transport.request({ ...spec, operation })).data,
    warn: log('warn', `contactkit: ${vendor} mapping could not carry every field`),
    note: log('debug', `contactkit: ${vendor} mapping notes`),
    pageSize: (list) => pageSizeOf(list?.pageSize, definition.maxPageSize, vendor),
    validate: (schema, input, prefix) => parseInput(schema, input, { vendor, prefix }),
    validateWire: (schema, body, fieldOf) => checkWire(schema, body, fieldOf, { vendor }),
  };
}

function pageSizeOf(pageSize: number | undefined, max: number, vendor: VendorId): number {
  if (pageSize === undefined) return max;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new ValidationError([{ path: 'pageSize', message: 'must be a positive integer' }], { vendor });
  }
  return Math.min(pageSize, max);
}

/** The members every client takes from its context the same way: vendor, capabilities, password rules, raw `request`, `stats`. */
export function clientMembers(ctx: AdapterContext): Pick<ContactCenterClient, 'vendor' | 'capabilities' | 'passwordRules' | 'request' | 'stats'> {
  return {
    vendor: ctx.vendor,
    capabilities: ctx.definition.capabilities,
    passwordRules: ctx.passwordRules,
    ...transportMembers(ctx.transport),
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- a function of any arguments after the context, as each resource declares them */
type ResourceFunctions<C> = Record<string, (ctx: C, ...args: any[]) => unknown>;
type Bound<C, F extends ResourceFunctions<C>> = { [K in keyof F]: F[K] extends (ctx: C, ...args: infer A) => infer R ? (...args: A) => R : never };
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * A resource as declared from its module-level functions (Stripe's declarative methods): each is
 * called with the client's context first. `bindContext(ctx, { list: listGroups, get: getGroup })`.
 */
export function bindContext<C, F extends ResourceFunctions<C>>(ctx: C, functions: F): Bound<C, F> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(functions)) bound[name] = (...args: unknown[]) => fn(ctx, ...args);
  return bound as Bound<C, F>;
}
