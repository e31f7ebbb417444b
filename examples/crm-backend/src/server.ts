import type { AddressInfo } from 'node:net';
import { isContactKitError } from '@contactkit/core';
import { createApp } from './app';
import { configFromEnv, createClient } from './config';

// CRM_VENDOR=kf5 CONTACTKIT_KF5_SUBDOMAIN=demo CONTACTKIT_KF5_EMAIL=... CONTACTKIT_KF5_API_TOKEN=... PORT=3000 pnpm start
try {
  const config = configFromEnv();
  const client = createClient(config, { timeoutMs: 10_000, logger: console });
  const port = Number(process.env.PORT ?? 3000);
  const server = createApp(client).listen(port, '127.0.0.1', () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`CRM backend on http://127.0.0.1:${bound} (vendor: ${config.vendor})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(isContactKitError(error) ? `config: ${error.message}` : error);
  process.exit(2);
}
