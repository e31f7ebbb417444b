import type { CommonClientOptions, ContactCenterClient, RawRequest } from './client';
import { ValidationError } from './errors';
import type { VendorId } from './model';
import type { RateLimitOptions } from './rate-limit';
import { Redactor } from './redact';
import { HttpTransport, assertSecureBaseUrl, type AuthStrategy, type TransportOptions } from './transport';

export interface AdapterTransportConfig {
  vendor: VendorId;
  options: CommonClientOptions & { subdomain?: string | undefined };
  /** the API root for a subdomain, e.g. (s) => `https://${s}.udesk.cn/open_api_v1` */
  baseUrlFromSubdomain?: ((subdomain: string) => string) | undefined;
  /** the vendor's documented limit, applied unless the caller passes `rateLimit` (false turns it off) */
  defaultRateLimit?: RateLimitOptions | undefined;
  auth: AuthStrategy;
  /** the account the client calls as (email, app key; never a secret): part of the coordinator's tenant key */
  account?: string | undefined;
  classify?: TransportOptions['classify'];
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
    coordinator: options.coordinator,
    account: config.account,
    hooks: options.hooks,
    logger: options.logger,
    httpClient: options.httpClient,
    auth: config.auth,
    classify: config.classify,
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
