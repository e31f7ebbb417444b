/**
 * (1) Per-call overhead: each adapter's agents.get through the SDK (A) against the same HTTP request
 * built by hand with bare axios (B), against the same loopback simulator (in a child process).
 * A and B alternate in rounds (the side that goes first alternates too); the headline is the median of
 * the per-round ratios. Shorter, more often alternated batches were tried and read 5-15 % worse for
 * the SDK (each switch costs the side switched to; a caller reads pages in a row). Both use `axios.create()`
 * with no options, i.e. Node's keep-alive global agent. The SDK's rate limiter is off.
 */
import { createHash, randomUUID } from 'node:crypto';
import { globalAgent } from 'node:http';
// axios is a dependency of core, not of the root: the very copy the SDK uses
import axios, { type AxiosInstance } from '../packages/core/node_modules/axios/index.js';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { createUdeskClient } from '@contactkit/udesk';
import { SimProcess, median, round, type SimEndpoints } from './lib';

type Vendor = 'udesk' | 'kf5' | 'huaweiAicc';
type Call = () => Promise<unknown>;

export interface OverheadRow {
  vendor: Vendor;
  operation: string;
  wire: string;
  rounds: number;
  callsPerRound: number;
  sdkMedianUs: number;
  bareMedianUs: number;
  /** median(SDK) / median(bare) */
  ratio: number;
  /** median over rounds of the per-round ratio (paired: both sides ran back to back): the headline figure, which a machine's drifting speed moves least */
  pairedRatio: number;
  overheadUs: number;
  sdkRoundsUs: number[];
  bareRoundsUs: number[];
}

export interface OverheadBench {
  keepAlive: boolean;
  warmupCalls: number;
  rows: OverheadRow[];
}

/** how each side gets its axios instance: `axios.create()` here; bench/in-process.ts gives one that replays recorded replies */
export type HttpFactory = () => AxiosInstance;
const plainHttp: HttpFactory = () => axios.create();

/** Builds the SDK call and the bare-axios call for one vendor. */
export function pair(vendor: Vendor, e: SimEndpoints, id: string, http: HttpFactory = plainHttp): { sdk: Call; bare: Call; operation: string; wire: string } {
  const bareHttp: AxiosInstance = http();
  if (vendor === 'udesk') {
    const { email, apiToken } = e.udesk.credentials;
    const client = createUdeskClient({ baseUrl: e.udesk.baseUrl, email, apiToken, rateLimit: false, httpClient: http() });
    const url = `${e.udesk.baseUrl}/agents/get_agent`;
    return {
      operation: 'agents.get',
      wire: 'GET /agents/get_agent (sign v2)',
      sdk: () => client.agents.get(id),
      bare: async () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomUUID();
        const sign = createHash('sha256').update(`${email}&${apiToken}&${timestamp}&${nonce}&v2`, 'utf8').digest('hex');
        const res = await bareHttp.get(url, {
          params: { type: 'id', content: id, email, timestamp, nonce, sign_version: 'v2', sign },
          headers: { Accept: 'application/json' },
        });
        if (res.data.code !== 1000) throw new Error(`udesk bare: ${JSON.stringify(res.data)}`);
        return res.data.agent;
      },
    };
  }
  if (vendor === 'kf5') {
    const { email, apiToken } = e.kf5.credentials;
    const client = createKf5Client({ baseUrl: e.kf5.baseUrl, email, apiToken, rateLimit: false, httpClient: http() });
    const url = `${e.kf5.baseUrl}/users/${id}.json`;
    const authorization = 'Basic ' + Buffer.from(`${email}/token:${apiToken}`).toString('base64');
    return {
      operation: 'agents.get',
      wire: 'GET /users/{id}.json (Basic)',
      sdk: () => client.agents.get(id),
      bare: async () => {
        const res = await bareHttp.get(url, { headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: authorization } });
        return res.data.user;
      },
    };
  }
  const { appKey, appSecret } = e.huaweiAicc.credentials;
  const client = createHuaweiAiccClient({ baseUrl: e.huaweiAicc.baseUrl, appKey, appSecret, rateLimit: false, httpClient: http() });
  let token: string | undefined;
  const url = `${e.huaweiAicc.baseUrl}/apiaccess/rest/cc-management/v1/agentAccount/query`;
  return {
    operation: 'agents.get',
    wire: 'POST agentAccount/query (Bearer + x-app-key)',
    sdk: () => client.agents.get(id),
    bare: async () => {
      // the token is fetched once (as the SDK does); the warm-up pays for it on both sides
      if (!token) {
        const t = await bareHttp.post(`${e.huaweiAicc.baseUrl}/apigovernance/api/oauth/tokenByAkSk`, { app_key: appKey, app_secret: appSecret }, { headers: { 'X-Token-Expire': '600' } });
        token = t.data.AccessToken as string;
      }
      // the very body the SDK sends (pageNum/pageSize, which the zh page requires, beside the filter)
      const res = await bareHttp.post(url, { userAccount: id, pageNum: 0, pageSize: 1 }, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, 'x-app-key': appKey } });
      if (res.data.resultCode !== '0') throw new Error(`huawei bare: ${JSON.stringify(res.data)}`);
      return res.data.data[0];
    },
  };
}

/**
 * A full page: the SDK's first page of agents.list({ pageSize: 100 }) (validated and mapped) against
 * bare axios fetching and JSON-parsing the same page.
 */
export function pagePair(vendor: Vendor, e: SimEndpoints, http: HttpFactory = plainHttp): { sdk: Call; bare: Call; operation: string; wire: string } {
  const bareHttp: AxiosInstance = http();
  const firstPage = async (client: { agents: { list(o: { pageSize: number; includeDisabled: boolean }): { pages(): AsyncIterable<unknown[]> } } }) => {
    for await (const page of client.agents.list({ pageSize: 100, includeDisabled: true }).pages()) return page;
    return [];
  };
  if (vendor === 'udesk') {
    const { email, apiToken } = e.udesk.credentials;
    const client = createUdeskClient({ baseUrl: e.udesk.baseUrl, email, apiToken, rateLimit: false, httpClient: http() });
    return {
      operation: 'agents.list page of 100',
      wire: 'GET /agents?page=1&per_page=100 (sign v2)',
      sdk: () => firstPage(client),
      bare: async () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomUUID();
        const sign = createHash('sha256').update(`${email}&${apiToken}&${timestamp}&${nonce}&v2`, 'utf8').digest('hex');
        const res = await bareHttp.get(`${e.udesk.baseUrl}/agents`, {
          params: { page: 1, per_page: 100, with_disabled: 'true', email, timestamp, nonce, sign_version: 'v2', sign },
          headers: { Accept: 'application/json' },
        });
        return res.data.agents;
      },
    };
  }
  if (vendor === 'kf5') {
    const { email, apiToken } = e.kf5.credentials;
    const client = createKf5Client({ baseUrl: e.kf5.baseUrl, email, apiToken, rateLimit: false, httpClient: http() });
    const authorization = 'Basic ' + Buffer.from(`${email}/token:${apiToken}`).toString('base64');
    return {
      operation: 'agents.list page of 100',
      wire: 'GET /users.json?role=agent,admin&per_page=100 (Basic)',
      sdk: () => firstPage(client),
      bare: async () => {
        const res = await bareHttp.get(`${e.kf5.baseUrl}/users.json`, { params: { role: 'agent,admin', page: 1, per_page: 100 }, headers: { Accept: 'application/json', Authorization: authorization } });
        return res.data.users;
      },
    };
  }
  const { appKey, appSecret } = e.huaweiAicc.credentials;
  const client = createHuaweiAiccClient({ baseUrl: e.huaweiAicc.baseUrl, appKey, appSecret, rateLimit: false, httpClient: http() });
  let token: string | undefined;
  return {
    operation: 'agents.list page of 100',
    wire: 'POST agentAccount/query {pageNum, pageSize: 100} (Bearer + x-app-key)',
    sdk: () => firstPage(client),
    bare: async () => {
      if (!token) {
        const t = await bareHttp.post(`${e.huaweiAicc.baseUrl}/apigovernance/api/oauth/tokenByAkSk`, { app_key: appKey, app_secret: appSecret }, { headers: { 'X-Token-Expire': '600' } });
        token = t.data.AccessToken as string;
      }
      const res = await bareHttp.post(`${e.huaweiAicc.baseUrl}/apiaccess/rest/cc-management/v1/agentAccount/query`, { pageNum: 0, pageSize: 100 }, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, 'x-app-key': appKey } });
      return res.data.data;
    },
  };
}

async function runBatch(call: Call, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call();
  return ((performance.now() - t0) * 1000) / n; // µs per call
}

export async function benchOverhead(opts: { rounds: number; callsPerRound: number; warmup: number }): Promise<OverheadBench> {
  const sims = new SimProcess();
  try {
    const e = await sims.start({ agents: 200, groups: 8, seedInto: ['udesk', 'kf5', 'huaweiAicc'] });
    const ids = await sims.call<Record<Vendor, string>>({ cmd: 'sampleAgentIds' });
    const rows: OverheadRow[] = [];
    const cases = (['udesk', 'kf5', 'huaweiAicc'] as const).flatMap((vendor) => [[vendor, pair(vendor, e, ids[vendor])] as const, [vendor, pagePair(vendor, e)] as const]);
    for (const [vendor, p] of cases) {
      // both sides answer the same agent (the same page: as many agents, the first one the same)
      const [a, b] = [await p.sdk(), await p.bare()];
      const first = (x: unknown) => (Array.isArray(x) ? (x[0] as { email: string }).email + ` ×${x.length}` : (x as { email: string }).email);
      if (first(a) !== first(b)) throw new Error(`${vendor} ${p.operation}: SDK and bare read different data (${first(a)} / ${first(b)})`);
      for (let i = 0; i < opts.warmup; i++) {
        await p.sdk();
        await p.bare();
      }
      const sdkRounds: number[] = [];
      const bareRounds: number[] = [];
      for (let r = 0; r < opts.rounds; r++) {
        if (r % 2 === 0) {
          sdkRounds.push(await runBatch(p.sdk, opts.callsPerRound));
          bareRounds.push(await runBatch(p.bare, opts.callsPerRound));
        } else {
          bareRounds.push(await runBatch(p.bare, opts.callsPerRound));
          sdkRounds.push(await runBatch(p.sdk, opts.callsPerRound));
        }
      }
      const sdkMedianUs = median(sdkRounds);
      const bareMedianUs = median(bareRounds);
      rows.push({
        vendor,
        operation: p.operation,
        wire: p.wire,
        rounds: opts.rounds,
        callsPerRound: opts.callsPerRound,
        sdkMedianUs: round(sdkMedianUs, 1),
        bareMedianUs: round(bareMedianUs, 1),
        ratio: round(sdkMedianUs / bareMedianUs, 3),
        pairedRatio: round(median(sdkRounds.map((s, i) => s / bareRounds[i]!)), 3),
        overheadUs: round(sdkMedianUs - bareMedianUs, 1),
        sdkRoundsUs: sdkRounds.map((x) => round(x, 1)),
        bareRoundsUs: bareRounds.map((x) => round(x, 1)),
      });
    }
    return { keepAlive: (globalAgent as unknown as { keepAlive: boolean }).keepAlive, warmupCalls: opts.warmup, rows };
  } finally {
    await sims.stop();
  }
}
