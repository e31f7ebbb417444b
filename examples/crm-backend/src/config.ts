import type { ContactCenterClient, CommonClientOptions } from '@contactkit/core';
import { ValidationError } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { createUdeskClient } from '@contactkit/udesk';

/** Which vendor the backend talks to, and how. Secrets live here and nowhere else. */
export type VendorConfig =
  | {
      vendor: 'udesk';
      subdomain?: string;
      baseUrl?: string;
      email: string;
      apiToken?: string;
      password?: string;
      /** ids every create needs when the request brings none (Udesk requires a role, a group and a department) */
      defaults?: { roleIds?: string[]; groupIds?: string[]; departmentIds?: string[] };
    }
  | { vendor: 'kf5'; subdomain?: string; baseUrl?: string; email: string; apiToken?: string; password?: string }
  | { vendor: 'huawei-aicc'; baseUrl: string; appKey: string; appSecret: string };

const VENDORS = ['udesk', 'kf5', 'huawei-aicc'] as const;
type Vendor = (typeof VENDORS)[number];

/**
 * Reads the config from the environment, with the same names as the `contactkit` CLI:
 *   CRM_VENDOR=udesk|kf5|huawei-aicc
 *   CONTACTKIT_UDESK_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
 *   CONTACTKIT_UDESK_DEFAULT_{ROLE,GROUP,DEPARTMENT}_IDS (comma-separated: what every Udesk create needs)
 *   CONTACTKIT_KF5_{SUBDOMAIN|BASE_URL, EMAIL, API_TOKEN|PASSWORD}
 *   CONTACTKIT_HUAWEI_AICC_{BASE_URL, APP_KEY, APP_SECRET}
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VendorConfig {
  const get = (name: string) => (env[name] === '' ? undefined : env[name]);
  const vendor = get('CRM_VENDOR') as Vendor | undefined;
  if (!vendor || !VENDORS.includes(vendor)) {
    throw new ValidationError([{ path: 'CRM_VENDOR', message: `must be one of ${VENDORS.join(', ')}` }]);
  }
  const missing = (names: string[]) => {
    const issues = names.filter((n) => !get(n)).map((n) => ({ path: n, message: 'is required' }));
    if (issues.length) throw new ValidationError(issues);
  };
  if (vendor === 'huawei-aicc') {
    missing(['CONTACTKIT_HUAWEI_AICC_BASE_URL', 'CONTACTKIT_HUAWEI_AICC_APP_KEY', 'CONTACTKIT_HUAWEI_AICC_APP_SECRET']);
    return {
      vendor,
      baseUrl: get('CONTACTKIT_HUAWEI_AICC_BASE_URL')!,
      appKey: get('CONTACTKIT_HUAWEI_AICC_APP_KEY')!,
      appSecret: get('CONTACTKIT_HUAWEI_AICC_APP_SECRET')!,
    };
  }
  const p = vendor === 'udesk' ? 'CONTACTKIT_UDESK' : 'CONTACTKIT_KF5';
  missing([`${p}_EMAIL`]);
  if (!get(`${p}_SUBDOMAIN`) && !get(`${p}_BASE_URL`)) missing([`${p}_SUBDOMAIN`]);
  if (!get(`${p}_API_TOKEN`) && !get(`${p}_PASSWORD`)) missing([`${p}_API_TOKEN`]);
  const common = {
    email: get(`${p}_EMAIL`)!,
    ...(get(`${p}_BASE_URL`) ? { baseUrl: get(`${p}_BASE_URL`)! } : { subdomain: get(`${p}_SUBDOMAIN`)! }),
    ...(get(`${p}_API_TOKEN`) ? { apiToken: get(`${p}_API_TOKEN`)! } : { password: get(`${p}_PASSWORD`)! }),
  };
  const ids = (name: string) => get(name)?.split(',').map((id) => id.trim()).filter(Boolean);
  const defaults = { roleIds: ids('CONTACTKIT_UDESK_DEFAULT_ROLE_IDS'), groupIds: ids('CONTACTKIT_UDESK_DEFAULT_GROUP_IDS'), departmentIds: ids('CONTACTKIT_UDESK_DEFAULT_DEPARTMENT_IDS') };
  return vendor === 'udesk' ? { vendor, ...common, defaults } : { vendor, ...common };
}

/** One client for the configured vendor. `options` are the transport knobs every adapter takes. */
export function createClient(config: VendorConfig, options: CommonClientOptions = {}): ContactCenterClient {
  switch (config.vendor) {
    case 'udesk': {
      const { vendor: _v, ...rest } = config;
      return createUdeskClient({ ...rest, ...auth(rest), ...options });
    }
    case 'kf5': {
      const { vendor: _v, ...rest } = config;
      return createKf5Client({ ...rest, ...auth(rest), ...options });
    }
    case 'huawei-aicc': {
      const { vendor: _v, ...rest } = config;
      return createHuaweiAiccClient({ ...rest, ...options });
    }
  }
}

// Udesk and KF5 take either an API token or a password, never both.
function auth(c: { apiToken?: string; password?: string }): { apiToken: string } | { password: string } {
  return c.apiToken ? { apiToken: c.apiToken } : { password: c.password! };
}
