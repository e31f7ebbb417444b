import type { Agent, ContactCenterClient, PagedIterable } from '@contactkit/core';
import type { Vendor } from './vendors';
import { UDESK_DEFAULT_RATE_LIMIT, UDESK_MAX_PAGE_SIZE } from '@contactkit/udesk';
import type { Config } from './config';
import { formatDuration } from './progress';

/** The adapters' own limits when the config sets none (Udesk documents 60/min; KF5 and Huawei none). */
const DEFAULT_REQUESTS_PER_MINUTE: Record<Vendor, number | undefined> = {
  udesk: UDESK_DEFAULT_RATE_LIMIT.requestsPerMinute,
  kf5: undefined,
  'huawei-aicc': undefined,
};

/** The client's limit in requests per minute, as the config (or the adapter's default) sets it; undefined = none. */
export function requestsPerMinute(vendor: Vendor, config: Config): number | undefined {
  const set = config[vendor]?.rateLimit;
  if (set === false) return undefined;
  return set?.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE[vendor];
}

/**
 * Requests a full read of `agents` source agents costs: the list pages, and on Udesk (read as a
 * source) one `get_agent` per agent, since its list carries no role ids.
 */
export function readRequests(vendor: Vendor, agents: number): number {
  const pages = Math.max(1, Math.ceil(agents / UDESK_MAX_PAGE_SIZE));
  return vendor === 'udesk' ? pages + agents : pages;
}

/** "udesk: limit 60 requests/min → reading 20,000 agents takes about 5 h 36 min (20,200 requests)" */
export function describeReadBound(vendor: Vendor, agents: number | undefined, rpm: number | undefined): string {
  const limit = rpm ? `limit ${rpm} requests/min` : 'no rate limit set';
  if (agents === undefined) return `${vendor}: ${limit}; the number of agents is not known before reading`;
  const requests = readRequests(vendor, agents);
  const n = (x: number) => x.toLocaleString('en-US');
  if (!rpm) return `${vendor}: ${limit} → reading ${n(agents)} agents takes ${n(requests)} requests, bound by the vendor's response time`;
  return `${vendor}: ${limit} → reading ${n(agents)} agents takes about ${formatDuration((requests / rpm) * 60_000)} (${n(requests)} requests)`;
}

/** "kf5: limit 60 requests/min → the plan's 1,234 requests take about 20 min 34 s; 4 writes in flight at most" */
export function describeWriteBound(vendor: Vendor, requests: number | undefined, rpm: number | undefined, concurrency: number): string {
  const limit = rpm ? `limit ${rpm} requests/min` : 'no rate limit set';
  const n = (x: number) => x.toLocaleString('en-US');
  const cost = requests === undefined ? '' : rpm ? ` → the plan's ${n(requests)} requests take about ${formatDuration((requests / rpm) * 60_000)}` : ` → the plan estimates ${n(requests)} requests`;
  return `${vendor}: ${limit}${cost}; ${concurrency} writes in flight at most`;
}

/** The vendor's own count of agents, from one small list request; undefined where the reply gives none. */
export async function countAgents(client: ContactCenterClient, includeDisabled: boolean, signal?: AbortSignal): Promise<number | undefined> {
  if (client.vendor === 'udesk') {
    const body = await client.request<{ meta?: { total_count?: number; count?: number } }>({ method: 'GET', path: 'agents', query: { page: 1, per_page: 1, with_disabled: includeDisabled ? 'true' : undefined }, signal });
    return body?.meta?.total_count ?? body?.meta?.count;
  }
  if (client.vendor === 'kf5') {
    const body = await client.request<{ count?: number }>({ method: 'GET', path: 'users.json', query: { role: 'agent,admin', page: 1, per_page: 1 }, signal });
    return typeof body?.count === 'number' ? body.count : undefined;
  }
  return undefined;
}

/**
 * The client with `agents.list` reporting each agent read (plan() itself only reports every 500,
 * without a total): the CLI's progress gets a count, the total when known, a rate and an ETA.
 */
export function withReadProgress(client: ContactCenterClient, phase: string, total: number | undefined, onProgress: (e: { phase: string; done: number; total?: number }) => void): ContactCenterClient {
  const list = (options?: Parameters<ContactCenterClient['agents']['list']>[0]): PagedIterable<Agent> => {
    const inner = client.agents.list(options);
    let done = 0;
    return {
      async *[Symbol.asyncIterator]() {
        onProgress({ phase, done, total });
        for await (const agent of inner) {
          done++;
          onProgress({ phase, done, total: total === undefined ? undefined : Math.max(total, done) });
          yield agent;
        }
      },
      pages: () => inner.pages(),
      toArray: (o) => inner.toArray(o),
    };
  };
  return Object.assign(Object.create(client) as ContactCenterClient, { agents: Object.assign(Object.create(client.agents) as ContactCenterClient['agents'], { list }) });
}
