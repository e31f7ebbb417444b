/**
 * One benchmark section in its own fresh process (started by run.ts with the bench tsconfig, so
 * @contactkit/* are the built dist). argv[2] = section name, argv[3] = JSON options; the result
 * goes back over IPC.
 */
import { benchCoordinator } from './coordinator';
import { benchEconomy } from './economy';
import { benchImports } from './imports';
import { benchLatency } from './latency';
import { benchMigration } from './migration';
import { benchOverhead } from './overhead';
import { benchStream } from './stream';
import { benchThrottle } from './throttle';
import { benchToken } from './token';

const [name, json] = process.argv.slice(2);
const opts = JSON.parse(json ?? '{}');
const sections: Record<string, (o: never) => unknown> = {
  overhead: benchOverhead,
  stream: benchStream,
  token: benchToken,
  imports: benchImports,
  migration: benchMigration,
  economy: benchEconomy,
  latency: benchLatency,
  throttle: benchThrottle,
  coordinator: benchCoordinator,
};
try {
  const fn = sections[name!];
  if (!fn) throw new Error(`unknown section ${name}`);
  const result = await fn(opts as never);
  process.send!({ ok: true, result }, () => process.exit(0));
} catch (error) {
  process.send!({ ok: false, error: String((error as Error).stack ?? error) }, () => process.exit(1));
}
