import type { ContactCenterClient } from '@contactkit/core';
import { simulatorClient, type Vendor } from '@contactkit/migrate';
import type { AllSimulators } from '@contactkit/testkit';
import type { SimEndpoints, SimKey } from './lib';

/** the simulator of each vendor id of @contactkit/migrate */
export const SIM_KEY = { udesk: 'udesk', kf5: 'kf5', 'huawei-aicc': 'huaweiAicc' } as const satisfies Record<Vendor, SimKey>;

/**
 * The client the migrate tests and the demo use for a vendor (simulatorClient), on simulators in the
 * other process: simulatorClient reads only each simulator's baseUrl and credentials, which SimEndpoints carries.
 */
export function simClient(e: SimEndpoints, vendor: Vendor, options: Parameters<typeof simulatorClient>[2] = {}): ContactCenterClient {
  return simulatorClient(e as unknown as AllSimulators, vendor, options);
}
