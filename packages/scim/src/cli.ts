#!/usr/bin/env node
import { ValidationError } from '@contactkit/core';
import { SCIM_USAGE, runScimServe } from './serve';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${SCIM_USAGE}\n`);
  process.exitCode = argv.length === 0 ? 2 : 0;
} else {
  runScimServe(argv, process.env).then(
    (running) => {
      process.stdout.write(`contactkit-scim: serving ${running.client.vendor} at ${running.url}\n`);
      const stop = () => void running.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      const message = error instanceof ValidationError ? error.issues.map((i) => `${i.path}: ${i.message}`).join('\n') : String((error as Error)?.message ?? error);
      process.stderr.write(`contactkit-scim: ${message}\n`);
      process.exitCode = 2;
    },
  );
}
