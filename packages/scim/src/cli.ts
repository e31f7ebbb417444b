#!/usr/bin/env node
import { ValidationError } from '@contactkit/core';
import { SCIM_USAGE, serveUntilSignal } from './serve';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${SCIM_USAGE}\n`);
  process.exitCode = argv.length === 0 ? 2 : 0;
} else {
  serveUntilSignal(argv, process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof ValidationError ? error.issues.map((i) => `${i.path}: ${i.message}`).join('\n') : String((error as Error)?.message ?? error);
      process.stderr.write(`contactkit-scim: ${message}\n`);
      process.exitCode = 2;
    },
  );
}
