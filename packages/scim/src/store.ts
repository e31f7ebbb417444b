import { randomUUID } from 'node:crypto';

export type ResourceType = 'User' | 'Group';

/** What the vendor cannot hold about one SCIM resource. Never a password. */
export interface ScimRecord {
  type: ResourceType;
  /** the SCIM id (a UUID this server assigns) */
  id: string;
  vendorId: string;
  externalId: string | null;
  /** ISO 8601 */
  created: string;
  lastModified: string;
  /** bumped on every change; meta.version is W/"<version>" */
  version: number;
  /** a hash of the last representation served: a change made at the vendor bumps version */
  fingerprint: string;
}

/** Persistence of the SCIM id ↔ vendor id map, externalIds and meta. Implementations: memory, SQLite, Postgres. */
export interface ScimStore {
  get(type: ResourceType, id: string): Promise<ScimRecord | null>;
  /** the records of these vendor ids, creating (with a new SCIM id, `now` as created) those not yet known */
  ensure(type: ResourceType, vendorIds: string[], now: string): Promise<Map<string, ScimRecord>>;
  put(record: ScimRecord): Promise<void>;
  delete(type: ResourceType, id: string): Promise<void>;
  close(): Promise<void>;
}

export function newRecord(type: ResourceType, vendorId: string, now: string): ScimRecord {
  return { type, id: randomUUID(), vendorId, externalId: null, created: now, lastModified: now, version: 1, fingerprint: '' };
}

/** Keeps everything in this process: lost on restart (tests, a single short-lived replica). */
export class MemoryScimStore implements ScimStore {
  private readonly byId = new Map<string, ScimRecord>();
  private readonly byVendor = new Map<string, string>();

  async get(type: ResourceType, id: string): Promise<ScimRecord | null> {
    const r = this.byId.get(`${type}:${id}`);
    return r ? { ...r } : null;
  }

  async ensure(type: ResourceType, vendorIds: string[], now: string): Promise<Map<string, ScimRecord>> {
    const out = new Map<string, ScimRecord>();
    for (const vendorId of vendorIds) {
      const id = this.byVendor.get(`${type}:${vendorId}`);
      let record = id === undefined ? undefined : this.byId.get(`${type}:${id}`);
      if (!record) {
        record = newRecord(type, vendorId, now);
        await this.put(record);
      }
      out.set(vendorId, { ...record });
    }
    return out;
  }

  async put(record: ScimRecord): Promise<void> {
    const old = this.byId.get(`${record.type}:${record.id}`);
    if (old) this.byVendor.delete(`${old.type}:${old.vendorId}`);
    this.byId.set(`${record.type}:${record.id}`, { ...record });
    this.byVendor.set(`${record.type}:${record.vendorId}`, record.id);
  }

  async delete(type: ResourceType, id: string): Promise<void> {
    const old = this.byId.get(`${type}:${id}`);
    if (!old) return;
    this.byId.delete(`${type}:${id}`);
    this.byVendor.delete(`${type}:${old.vendorId}`);
  }

  async close(): Promise<void> {}
}

/** The one table both SQL stores keep (SQLite and Postgres speak this much SQL alike). */
export const SQL_SCHEMA = `CREATE TABLE IF NOT EXISTS scim_resources (
  type TEXT NOT NULL, id TEXT NOT NULL, vendor_id TEXT NOT NULL, external_id TEXT,
  created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL, fingerprint TEXT NOT NULL,
  PRIMARY KEY (type, id), UNIQUE (type, vendor_id))`;

/** A row of scim_resources as either driver returns it */
export interface Row {
  type: ResourceType;
  id: string;
  vendor_id: string;
  external_id: string | null;
  created: string;
  last_modified: string;
  /** Postgres drivers may hand back integers as strings */
  version: number | string;
  fingerprint: string;
}

export const fromRow = (r: Row): ScimRecord => ({
  type: r.type,
  id: r.id,
  vendorId: r.vendor_id,
  externalId: r.external_id,
  created: r.created,
  lastModified: r.last_modified,
  version: Number(r.version),
  fingerprint: r.fingerprint,
});
