import { startHuaweiAiccSimulator, type HuaweiAiccSimulator } from './huawei-aicc';
import { startKf5Simulator, type Kf5Simulator } from './kf5';
import type { FaultOptions, RateLimitOptions } from './server';
import { generateTenant, type GenerateTenantOptions, type SeedTenant } from './tenant';
import { startUdeskSimulator, type UdeskSimulator } from './udesk';

export interface StartAllOptions {
  host?: string;
  /** Ports (default 0 = free port each). */
  ports?: { udesk?: number; kf5?: number; huaweiAicc?: number };
  /**
   * Seed data: a tenant, generator options, or `false` for empty simulators.
   * Default: `generateTenant({ seed: 1 })`.
   */
  tenant?: SeedTenant | GenerateTenantOptions | false;
  /** Which simulators receive the tenant (default all three). */
  seedInto?: Array<'udesk' | 'kf5' | 'huaweiAicc'>;
  rateLimit?: { udesk?: RateLimitOptions | false; kf5?: RateLimitOptions | false; huaweiAicc?: RateLimitOptions | false };
  faults?: { udesk?: FaultOptions; kf5?: FaultOptions; huaweiAicc?: FaultOptions };
  now?: () => number;
  /** Concurrency cap, added latency and control token, the same for all three. */
  maxConcurrent?: number | false;
  latencyMs?: number;
  controlToken?: string;
}

export interface AllSimulators {
  udesk: UdeskSimulator;
  kf5: Kf5Simulator;
  huaweiAicc: HuaweiAiccSimulator;
  /** The tenant the simulators were seeded with (null when none). */
  tenant: SeedTenant | null;
  close(): Promise<void>;
}

function isTenant(t: SeedTenant | GenerateTenantOptions): t is SeedTenant {
  return Array.isArray((t as SeedTenant).agents);
}

/** Starts the three simulators, seeded with one tenant. */
export async function startAllSimulators(opts: StartAllOptions = {}): Promise<AllSimulators> {
  const t = opts.tenant ?? { seed: 1 };
  const tenant = t === false ? null : isTenant(t) ? t : generateTenant(t);
  const into = new Set(opts.seedInto ?? ['udesk', 'kf5', 'huaweiAicc']);
  const common = {
    host: opts.host ?? '127.0.0.1',
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.maxConcurrent !== undefined ? { maxConcurrent: opts.maxConcurrent } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    ...(opts.controlToken !== undefined ? { controlToken: opts.controlToken } : {}),
  };
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const udesk = await startUdeskSimulator({
      ...common,
      port: opts.ports?.udesk ?? 0,
      ...(tenant && into.has('udesk') ? { tenant } : {}),
      ...(opts.rateLimit?.udesk !== undefined ? { rateLimit: opts.rateLimit.udesk } : {}),
      ...(opts.faults?.udesk ? { faults: opts.faults.udesk } : {}),
    });
    started.push(udesk);
    const kf5 = await startKf5Simulator({
      ...common,
      port: opts.ports?.kf5 ?? 0,
      ...(tenant && into.has('kf5') ? { tenant } : {}),
      ...(opts.rateLimit?.kf5 !== undefined ? { rateLimit: opts.rateLimit.kf5 } : {}),
      ...(opts.faults?.kf5 ? { faults: opts.faults.kf5 } : {}),
    });
    started.push(kf5);
    const huaweiAicc = await startHuaweiAiccSimulator({
      ...common,
      port: opts.ports?.huaweiAicc ?? 0,
      ...(tenant && into.has('huaweiAicc') ? { tenant } : {}),
      ...(opts.rateLimit?.huaweiAicc !== undefined ? { rateLimit: opts.rateLimit.huaweiAicc } : {}),
      ...(opts.faults?.huaweiAicc ? { faults: opts.faults.huaweiAicc } : {}),
    });
    started.push(huaweiAicc);
    return {
      udesk,
      kf5,
      huaweiAicc,
      tenant,
      close: async () => {
        await Promise.all([udesk.close(), kf5.close(), huaweiAicc.close()]);
      },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}

/** The environment the contactkit CLI reads (CONTACTKIT_*), pointing at these simulators. */
export function simulatorEnv(sims: AllSimulators): Record<string, string> {
  const { udesk, kf5, huaweiAicc } = sims;
  return {
    CONTACTKIT_UDESK_BASE_URL: udesk.baseUrl,
    CONTACTKIT_UDESK_EMAIL: udesk.credentials.email,
    CONTACTKIT_UDESK_API_TOKEN: udesk.credentials.apiToken,
    CONTACTKIT_KF5_BASE_URL: kf5.baseUrl,
    CONTACTKIT_KF5_EMAIL: kf5.credentials.email,
    CONTACTKIT_KF5_API_TOKEN: kf5.credentials.apiToken,
    // KF5 takes admin-only writes (groups, user deletes) with the password
    CONTACTKIT_KF5_PASSWORD: kf5.credentials.password,
    CONTACTKIT_HUAWEI_AICC_BASE_URL: huaweiAicc.baseUrl,
    CONTACTKIT_HUAWEI_AICC_APP_KEY: huaweiAicc.credentials.appKey,
    CONTACTKIT_HUAWEI_AICC_APP_SECRET: huaweiAicc.credentials.appSecret,
  };
}
