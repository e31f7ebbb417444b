import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContactCenterClient, VendorId } from '@contactkit/core';
import { createHuaweiAiccClient } from '@contactkit/huawei-aicc';
import { createKf5Client } from '@contactkit/kf5';
import { startHuaweiAiccSimulator, startKf5Simulator, startUdeskSimulator, type FaultController } from '@contactkit/testkit';
import { createUdeskClient } from '@contactkit/udesk';
import { MemoryScimStore, createScimServer, type ScimServerOptions, type ScimStore } from '../src';

export const TOKEN = 'scim-test-token-7f3a9c';
export const VENDORS: VendorId[] = ['udesk', 'kf5', 'huawei-aicc'];

/** A simulator, a client on it, and what a SCIM server for that vendor needs configured. */
export interface Vendor {
  vendor: VendorId;
  client: ContactCenterClient;
  /** a client that does not retry, to see a vendor 429 at once */
  clientNoRetry: ContactCenterClient;
  faults: FaultController;
  /** options the vendor needs (Udesk: create defaults and the delete owner group) */
  serverOptions: Partial<ScimServerOptions>;
  /** a role the vendor has besides the default one: { id, name } */
  role: { id: string; name: string };
  /** adds `n` agents straight into the simulator's state (fast seeding) */
  seedAgents(n: number, prefix: string): void;
  /** a password this vendor accepts */
  password: string;
  /** the log-in password the simulator holds for an agent */
  passwordOf(vendorId: string): string | null | undefined;
  close(): Promise<void>;
}

const retry = { minDelayMs: 1, maxDelayMs: 5 };

export async function startVendor(vendor: VendorId): Promise<Vendor> {
  if (vendor === 'udesk') {
    const sim = await startUdeskSimulator();
    const role = sim.state.addRole({ name: 'Agent', description: 'agent' });
    const supervisor = sim.state.addRole({ name: 'Supervisor' });
    const group = sim.state.addGroup({ name: 'Default' });
    const dept = sim.state.addDepartment({ name: 'HQ' });
    const opts = { baseUrl: sim.baseUrl, email: sim.credentials.email, apiToken: sim.credentials.apiToken, rateLimit: false as const };
    return {
      vendor,
      client: createUdeskClient({ ...opts, retry }),
      clientNoRetry: createUdeskClient({ ...opts, retry: false }),
      faults: sim.faults,
      serverOptions: {
        defaults: { roleIds: [String(role.id)], groupIds: [String(group.id)], departmentIds: [String(dept.id)] },
        deleteOptions: { vendorFields: { owner_group_id: group.id } },
      },
      role: { id: String(supervisor.id), name: supervisor.name },
      seedAgents: (n, prefix) => {
        for (let i = 0; i < n; i++) sim.state.addAgent({ email: `${prefix}${i}@example.com`, nick_name: `${prefix} ${i}`, agent_role_ids: [role.id], user_group_ids: [group.id], department_ids: [dept.id] });
      },
      password: 'Start-1234',
      passwordOf: (id) => sim.state.agentLoginPassword(Number(id)),
      close: () => sim.close(),
    };
  }
  if (vendor === 'kf5') {
    const sim = await startKf5Simulator();
    // group writes need an administrator: KF5 answers an API-token login 403 on them
    const opts = { baseUrl: sim.baseUrl, email: sim.credentials.email, password: sim.credentials.password };
    return {
      vendor,
      client: createKf5Client({ ...opts, retry }),
      clientNoRetry: createKf5Client({ ...opts, retry: false }),
      faults: sim.faults,
      serverOptions: {},
      role: { id: 'admin', name: 'Administrator' },
      seedAgents: (n, prefix) => {
        for (let i = 0; i < n; i++) sim.state.addUser({ email: `${prefix}${i}@example.com`, name: `${prefix} ${i}`, role: 'agent' });
      },
      password: 'Start-1234',
      passwordOf: (id) => sim.state.userPassword(Number(id)),
      close: () => sim.close(),
    };
  }
  const sim = await startHuaweiAiccSimulator();
  const opts = { baseUrl: sim.baseUrl, appKey: sim.credentials.appKey, appSecret: sim.credentials.appSecret };
  return {
    vendor,
    client: createHuaweiAiccClient({ ...opts, retry }),
    clientNoRetry: createHuaweiAiccClient({ ...opts, retry: false }),
    faults: sim.faults,
    serverOptions: {},
    role: { id: '3', name: 'Inspector' },
    seedAgents: (n, prefix) => {
      for (let i = 0; i < n; i++) sim.state.addAgent({ userAccount: `${prefix}${i}`, userName: `${prefix} ${i}`, email: `${prefix}${i}@example.com` });
    },
    password: 'Secret#1',
    passwordOf: (id) => sim.state.agentPassword(id),
    close: () => sim.close(),
  };
}

export interface ScimReply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk SCIM JSON freely
  body: any;
}

export interface Scim {
  url: string;
  store: ScimStore;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimReply>;
  close(): Promise<void>;
}

/** A SCIM server on a real loopback port in front of `client`. */
export async function startScim(options: Partial<ScimServerOptions> & { client: ContactCenterClient }): Promise<Scim> {
  const store = options.store ?? new MemoryScimStore();
  const server: Server = createServer(createScimServer({ token: TOKEN, ...options, store }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
  return {
    url,
    store,
    call: (method, path, body, headers = {}) => call(url, method, path, body, { Authorization: `Bearer ${TOKEN}`, ...headers }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimReply> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
export const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
