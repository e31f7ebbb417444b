import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError, type ContactCenterClient } from '@contactkit/core';
import { VENDORS, createClientFor, type Vendor } from '@contactkit/migrate';
import { openStore } from './open-store';
import { createScimServer, type ScimCreateDefaults } from './server';
import type { ScimStore } from './store';

export const SCIM_USAGE = `Usage: contactkit-scim serve --vendor <udesk|kf5|huawei-aicc> [--host 127.0.0.1] [--port 8080]
                            [--store <sqlite-file | postgres-url>] [--allow-delete]

Environment:
  CONTACTKIT_SCIM_TOKEN      the bearer token the identity provider sends (required)
  CONTACTKIT_SCIM_DEFAULTS   JSON of create defaults, e.g. {"roleIds":["1"],"groupIds":["2"],"departmentIds":["3"]}
  CONTACTKIT_SCIM_DELETE_FIELDS  JSON of vendor delete parameters, e.g. {"owner_group_id":2} (Udesk, with --allow-delete)
  CONTACTKIT_UDESK_* / CONTACTKIT_KF5_* / CONTACTKIT_HUAWEI_AICC_*   vendor credentials, as for contactkit migrate`;

export interface RunningScimServer {
  /** e.g. http://127.0.0.1:8080/scim/v2 */
  url: string;
  server: Server;
  client: ContactCenterClient;
  store: ScimStore;
  close(): Promise<void>;
}

const DEFAULT_KEYS = ['roleIds', 'groupIds', 'departmentIds', 'channels', 'locale', 'vendorFields'];

interface ServeArgs {
  vendor: Vendor;
  host: string;
  port: number;
  store: string;
  allowDelete: boolean;
}

/** `serve …`: starts the SCIM server and resolves once it listens. Vendor credentials come from `env` (CONTACTKIT_*). */
/**
 * `serve` as a command line runs it: starts the server, says where, and resolves once SIGINT or
 * SIGTERM has closed it (with 0). The contactkit-scim bin and `contactkit scim serve` both call it.
 */
export async function serveUntilSignal(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<number> {
  const running = await runScimServe(argv, env);
  out(`contactkit-scim: serving ${running.client.vendor} at ${running.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

export async function runScimServe(argv: string[], env: NodeJS.ProcessEnv): Promise<RunningScimServer> {
  const args = parseServeArgs(argv);
  const token = env.CONTACTKIT_SCIM_TOKEN;
  if (!token) throw new ValidationError([{ path: 'CONTACTKIT_SCIM_TOKEN', message: 'set the bearer token the identity provider will send' }]);
  const defaults = parseJsonObject(env.CONTACTKIT_SCIM_DEFAULTS, 'CONTACTKIT_SCIM_DEFAULTS', DEFAULT_KEYS) as ScimCreateDefaults | undefined;
  const vendorFields = parseJsonObject(env.CONTACTKIT_SCIM_DELETE_FIELDS, 'CONTACTKIT_SCIM_DELETE_FIELDS');
  const client = createClientFor(args.vendor, {}, { env });
  const store = await openStore(args.store);
  const handler = createScimServer({ client, store, token, allowDelete: args.allowDelete, defaults, deleteOptions: vendorFields ? { vendorFields } : undefined });
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, args.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = args.host.includes(':') ? `[${args.host}]` : args.host;
  return {
    url: `http://${host}:${port}/scim/v2`,
    server,
    client,
    store,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

export function parseServeArgs(argv: string[]): ServeArgs {
  const [command, ...rest] = argv;
  if (command !== 'serve') throw new ValidationError([{ path: 'command', message: `unknown command ${command ?? '(none)'}: expected serve` }]);
  const out: Partial<ServeArgs> = { host: '127.0.0.1', port: 8080, store: 'contactkit-scim.sqlite', allowDelete: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new ValidationError([{ path: flag, message: 'needs a value' }]);
      return v;
    };
    if (flag === '--vendor') out.vendor = value() as Vendor;
    else if (flag === '--host') out.host = value();
    else if (flag === '--port') out.port = Number(value());
    else if (flag === '--store') out.store = value();
    else if (flag === '--allow-delete') out.allowDelete = true;
    else throw new ValidationError([{ path: flag, message: 'unknown option' }]);
  }
  if (!out.vendor || !VENDORS.includes(out.vendor)) throw new ValidationError([{ path: '--vendor', message: `must be one of ${VENDORS.join(', ')}` }]);
  if (!Number.isInteger(out.port) || out.port! < 0 || out.port! > 65535) throw new ValidationError([{ path: '--port', message: 'must be a port number' }]);
  return out as ServeArgs;
}

function parseJsonObject(json: string | undefined, name: string, allowed?: string[]): Record<string, unknown> | undefined {
  if (!json) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ValidationError([{ path: name, message: 'must be JSON' }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError([{ path: name, message: 'must be a JSON object' }]);
  const unknown = allowed ? Object.keys(value).filter((k) => !allowed.includes(k)) : [];
  if (unknown.length > 0) throw new ValidationError([{ path: name, message: `unknown keys ${unknown.join(', ')} (allowed: ${allowed!.join(', ')})` }]);
  return value as Record<string, unknown>;
}

