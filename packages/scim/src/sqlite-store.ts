import type BetterSqlite3 from 'better-sqlite3';
import { fromRow, newRecord, SQL_SCHEMA as SCHEMA, type ResourceType, type Row, type ScimRecord, type ScimStore } from './store';

/** An embedded SQLite file (better-sqlite3 12, loaded only when this store is used): the default for one replica. */
export class SqliteScimStore implements ScimStore {
  private readonly db: BetterSqlite3.Database;

  /** Opens (creating if needed) the file; better-sqlite3 is loaded here, so memory or Postgres users need no native module. */
  static async open(file: string): Promise<SqliteScimStore> {
    const mod = (await import('better-sqlite3')) as unknown as { default?: typeof BetterSqlite3 } & typeof BetterSqlite3;
    const Database = mod.default ?? mod;
    return new SqliteScimStore(new Database(file));
  }

  private constructor(db: BetterSqlite3.Database) {
    this.db = db;
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  async get(type: ResourceType, id: string): Promise<ScimRecord | null> {
    const row = this.db.prepare('SELECT * FROM scim_resources WHERE type = ? AND id = ?').get(type, id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async ensure(type: ResourceType, vendorIds: string[], now: string): Promise<Map<string, ScimRecord>> {
    const select = this.db.prepare('SELECT * FROM scim_resources WHERE type = ? AND vendor_id = ?');
    const out = new Map<string, ScimRecord>();
    this.db.transaction(() => {
      for (const vendorId of vendorIds) {
        const row = select.get(type, vendorId) as Row | undefined;
        const record = row ? fromRow(row) : newRecord(type, vendorId, now);
        if (!row) this.upsert(record);
        out.set(vendorId, record);
      }
    })();
    return out;
  }

  async put(record: ScimRecord): Promise<void> {
    this.upsert(record);
  }

  private upsert(r: ScimRecord): void {
    this.db
      .prepare(
        `INSERT INTO scim_resources (type, id, vendor_id, external_id, created, last_modified, version, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (type, id) DO UPDATE SET vendor_id = excluded.vendor_id, external_id = excluded.external_id,
           last_modified = excluded.last_modified, version = excluded.version, fingerprint = excluded.fingerprint`,
      )
      .run(r.type, r.id, r.vendorId, r.externalId, r.created, r.lastModified, r.version, r.fingerprint);
  }

  async delete(type: ResourceType, id: string): Promise<void> {
    this.db.prepare('DELETE FROM scim_resources WHERE type = ? AND id = ?').run(type, id);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
