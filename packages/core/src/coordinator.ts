import { createHash } from 'node:crypto';
import type { VendorId } from './model';
import { RateLimiter, type RateLimitOptions } from './rate-limit';
import { raceAbort } from './sleep';

/**
 * Who owns a vendor budget and a credential: the vendor, the API root and the account (an email, an
 * app key). Never a secret: a coordinator may store it, and it names what is shared.
 */
export interface TenantKey {
  vendor: VendorId;
  baseUrl: string;
  account: string;
}

/** Releases the slot a request held; `waitedMs` is how long this caller waited for it. */
export type LimiterRelease = (() => void) & { waitedMs: number };

/** A rate limit with a concurrency cap, shared by every client of one tenant on the coordinator. */
export interface SharedLimiter {
  /** Resolves once a request may start; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<LimiterRelease>;
}

export interface Credential {
  /** the token (never the secret it was fetched with) */
  value: string;
  /** epoch ms after which it is fetched again (Infinity: until the vendor rejects it) */
  refreshAt: number;
  /** epoch ms at which the vendor expires it, when known */
  expiresAt?: number | undefined;
}

/** A single-flight credential cache: one fetch at a time for all the clients sharing it. */
export interface CredentialCache {
  /** The cached credential while fresh; else the one `fetch` returns, fetched once for every waiting caller. */
  get(fetch: () => Promise<Credential>, signal?: AbortSignal): Promise<Credential>;
  /**
   * The vendor rejected `rejected`: drop it, unless another caller has already replaced it (then the
   * next `get` returns the replacement, no fetch). `undefined` drops whatever is cached.
   */
  invalidate(rejected: string | undefined): Promise<void>;
}

/**
 * What must be shared per vendor tenant when several clients (or processes) call the same vendor.
 * The default, `createLocalCoordinator()`, shares within one process; `@contactkit/redis` shares
 * across processes and machines.
 */
export interface Coordinator {
  /** The limiter of `tenant`; the first caller's options define it. */
  limiter(tenant: TenantKey, options: RateLimitOptions): SharedLimiter;
  /** The credential cache of `tenant` (`now`: the clock `refreshAt` is read with). */
  credentials(tenant: TenantKey, options?: { now?: (() => number) | undefined }): CredentialCache;
}

/** A stable, secret-free name for a tenant: a digest, so no email or URL lands in a key name either. */
export function tenantId(tenant: TenantKey): string {
  const digest = createHash('sha256').update(`${tenant.vendor}\n${tenant.baseUrl.replace(/\/+$/, '')}\n${tenant.account}`, 'utf8').digest('hex');
  return `${tenant.vendor}:${digest.slice(0, 32)}`;
}

/** The in-process cache: a memoized credential and one shared in-flight fetch. */
class LocalCredentialCache implements CredentialCache {
  private credential: Credential | undefined;
  private inflight: Promise<Credential> | undefined;

  constructor(private readonly now: () => number) {}

  get(fetch: () => Promise<Credential>, signal?: AbortSignal): Promise<Credential> {
    const current = this.credential;
    if (current && this.now() < current.refreshAt) return Promise.resolve(current);
    this.inflight ??= fetch()
      .then((credential) => {
        this.credential = credential;
        return credential;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    // the shared fetch is never aborted by one caller; each caller stops waiting on its own signal
    return raceAbort(this.inflight, signal);
  }

  async invalidate(rejected: string | undefined): Promise<void> {
    if (rejected === undefined || this.credential?.value === rejected) this.credential = undefined;
  }
}

/**
 * Shares limiters and credentials among the clients of one process. Each client that is given no
 * coordinator gets its own, which is exactly a limiter and a token memo per client.
 */
export function createLocalCoordinator(): Coordinator {
  const limiters = new Map<string, RateLimiter>();
  const caches = new Map<string, LocalCredentialCache>();
  return {
    limiter(tenant, options) {
      const id = tenantId(tenant);
      let limiter = limiters.get(id);
      if (!limiter) limiters.set(id, (limiter = new RateLimiter(options)));
      return limiter;
    },
    credentials(tenant, options) {
      const id = tenantId(tenant);
      let cache = caches.get(id);
      if (!cache) caches.set(id, (cache = new LocalCredentialCache(options?.now ?? Date.now)));
      return cache;
    },
  };
}
