import type * as PgModule from 'pg';
import type { Pool as PgPool, PoolClient } from 'pg';
import { fromRow, newRecord, SQL_SCHEMA as SCHEMA, type ResourceType, type Row, type ScimRecord, type ScimStore } from './store';

const UPSERT = `INSERT INTO scim_resources (type, id, vendor_id, external_id, created, last_modified, version, fingerprint)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (type, id) DO UPDATE SET vendor_id = excluded.vendor_id, external_id = excluded.external_id,
    last_modified = excluded.last_modified, version = excluded.version, fingerprint = excluded.fingerprint`;

/** Postgres by URL (`pg`, loaded only when this store is used): for more than one replica. */
export class PostgresScimStore implements ScimStore {
  private readonly pool: PgPool;
  private ready: Promise<void> | undefined;

  /** `pg` is loaded here, so memory or SQLite users never load it. */
  static async open(url: string): Promise<PostgresScimStore> {
    const mod = (await import('pg')) as unknown as { default?: typeof PgModule } & typeof PgModule;
    const { Pool } = mod.default ?? mod;
    return new PostgresScimStore(new Pool({ connectionString: url, max: 4 }));
  }

  private constructor(pool: PgPool) {
    this.pool = pool;
  }

  private init(): Promise<void> {
    this.ready ??= this.pool.query(SCHEMA).then(() => undefined);
    return this.ready;
  }

  async get(type: ResourceType, id: string): Promise<ScimRecord | null> {
    await this.init();
    const { rows } = await this.pool.query<Row>('SELECT * FROM scim_resources WHERE type = $1 AND id = $2', [type, id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async ensure(type: ResourceType, vendorIds: string[], now: string): Promise<Map<string, ScimRecord>> {
    await this.init();
    const out = new Map<string, ScimRecord>();
    if (vendorIds.length === 0) return out;
    const { rows } = await this.pool.query<Row>('SELECT * FROM scim_resources WHERE type = $1 AND vendor_id = ANY($2)', [type, vendorIds]);
    for (const row of rows) out.set(row.vendor_id, fromRow(row));
    const missing = vendorIds.filter((v) => !out.has(v));
    if (missing.length > 0) await this.insertMissing(type, missing, now, out);
    return out;
  }

  /** Inserts new records; a replica that raced us wins and its record is read back. */
  private async insertMissing(type: ResourceType, vendorIds: string[], now: string, out: Map<string, ScimRecord>): Promise<void> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const vendorId of vendorIds) {
        const r = newRecord(type, vendorId, now);
        await client.query(
          `INSERT INTO scim_resources (type, id, vendor_id, external_id, created, last_modified, version, fingerprint)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (type, vendor_id) DO NOTHING`,
          [r.type, r.id, r.vendorId, r.externalId, r.created, r.lastModified, r.version, r.fingerprint],
        );
      }
      const { rows } = await client.query<Row>('SELECT * FROM scim_resources WHERE type = $1 AND vendor_id = ANY($2)', [type, vendorIds]);
      await client.query('COMMIT');
      for (const row of rows) out.set(row.vendor_id, fromRow(row));
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async put(r: ScimRecord): Promise<void> {
    await this.init();
    await this.pool.query(UPSERT, [r.type, r.id, r.vendorId, r.externalId, r.created, r.lastModified, r.version, r.fingerprint]);
  }

  async delete(type: ResourceType, id: string): Promise<void> {
    await this.init();
    await this.pool.query('DELETE FROM scim_resources WHERE type = $1 AND id = $2', [type, id]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
