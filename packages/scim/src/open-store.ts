import { PostgresScimStore } from './pg-store';
import { SqliteScimStore } from './sqlite-store';
import type { ScimStore } from './store';

/** A store from a `--store` value: a postgres:// URL, else a SQLite file path. */
export async function openStore(location: string): Promise<ScimStore> {
  if (/^postgres(ql)?:\/\//i.test(location)) return PostgresScimStore.open(location);
  return SqliteScimStore.open(location);
}
