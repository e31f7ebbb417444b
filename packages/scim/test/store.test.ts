import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryScimStore, PostgresScimStore, SqliteScimStore, type ScimStore } from '../src';
import { USER, startScim, startVendor, type Vendor } from './harness';
import { postgresBinDir, startPostgres, type TestPostgres } from './postgres';

// The ScimStore contract, run against the memory, SQLite-file and Postgres implementations.
function contract(name: string, open: () => Promise<ScimStore>) {
  describe(`${name} store`, () => {
    it('ensure assigns one SCIM id per vendor id and keeps it; put updates; delete forgets', async () => {
      const store = await open();
      try {
        const first = await store.ensure('User', ['v1', 'v2'], '2026-01-01T00:00:00.000Z');
        expect(first.get('v1')).toMatchObject({ type: 'User', vendorId: 'v1', externalId: null, created: '2026-01-01T00:00:00.000Z', version: 1 });
        expect(first.get('v1')!.id).not.toBe(first.get('v2')!.id);
        const again = await store.ensure('User', ['v1'], '2027-01-01T00:00:00.000Z');
        expect(again.get('v1')).toEqual(first.get('v1'));
        // the same vendor id as a Group is another resource
        const group = await store.ensure('Group', ['v1'], '2026-01-01T00:00:00.000Z');
        expect(group.get('v1')!.id).not.toBe(first.get('v1')!.id);

        const record = { ...first.get('v1')!, externalId: 'ext-1', version: 2, lastModified: '2026-02-01T00:00:00.000Z', fingerprint: 'f' };
        await store.put(record);
        expect(await store.get('User', record.id)).toEqual(record);
        expect(await store.get('Group', record.id)).toBeNull();
        await store.delete('User', record.id);
        expect(await store.get('User', record.id)).toBeNull();
        // a forgotten vendor id gets a new SCIM id
        expect((await store.ensure('User', ['v1'], '2026-03-01T00:00:00.000Z')).get('v1')!.id).not.toBe(record.id);
      } finally {
        await store.close();
      }
    });
  });
}

contract('memory', async () => new MemoryScimStore());

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scim-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
contract('sqlite', () => SqliteScimStore.open(join(dir, `contract-${++n}.sqlite`)));

describe('restart (SQLite file)', () => {
  let v: Vendor;
  beforeAll(async () => {
    v = await startVendor('kf5');
  });
  afterAll(async () => {
    await v?.close();
  });

  it('a server restarted on the same file keeps ids, externalIds and created', async () => {
    const file = join(dir, 'restart.sqlite');
    const first = await startScim({ client: v.client, store: await SqliteScimStore.open(file) });
    const created = await first.call('POST', '/Users', { schemas: [USER], userName: 'keep@example.com', displayName: 'Keep', externalId: 'okta-keep' });
    expect(created.status).toBe(201);
    await first.close();
    await first.store.close();

    const second = await startScim({ client: v.client, store: await SqliteScimStore.open(file) });
    try {
      const found = await second.call('GET', `/Users?filter=${encodeURIComponent('externalId eq "okta-keep"')}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0]).toMatchObject({ id: created.body.id, externalId: 'okta-keep', meta: { created: created.body.meta.created, version: created.body.meta.version } });
    } finally {
      await second.close();
      await second.store.close();
    }
  });
});

// Postgres: a real server, started here from Debian's postgresql binaries (CI installs them).
const pgBin = postgresBinDir();
const PG_MISSING = 'PostgreSQL server binaries not found in /usr/lib/postgresql/<15|16|17>/bin (apt-get install -y postgresql)';
if (!pgBin && process.env.CI) {
  describe('postgres store', () => {
    it('needs the PostgreSQL binaries on CI', () => {
      throw new Error(PG_MISSING);
    });
  });
} else {
  // skipped only off CI, when the binaries are missing: PG_MISSING says why
  describe.skipIf(!pgBin)(`postgres (${pgBin ? 'real server' : PG_MISSING})`, () => {
    let pg: TestPostgres;
    beforeAll(async () => {
      pg = await startPostgres(pgBin!);
    }, 60_000);
    afterAll(() => pg?.stop());

    contract('postgres', () => PostgresScimStore.open(pg.url));

    it('two replicas on one database agree on the SCIM id of a vendor id', async () => {
      const [a, b] = await Promise.all([PostgresScimStore.open(pg.url), PostgresScimStore.open(pg.url)]);
      try {
        const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
        const [ra, rb] = await Promise.all([a.ensure('User', ids, '2026-01-01T00:00:00.000Z'), b.ensure('User', ids, '2026-01-01T00:00:00.000Z')]);
        for (const id of ids) expect(ra.get(id)!.id).toBe(rb.get(id)!.id);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('a server on Postgres keeps externalIds across a restart', async () => {
      const v = await startVendor('kf5');
      try {
        const first = await startScim({ client: v.client, store: await PostgresScimStore.open(pg.url) });
        const created = await first.call('POST', '/Users', { schemas: [USER], userName: 'pg@example.com', displayName: 'Pg', externalId: 'entra-pg' });
        expect(created.status).toBe(201);
        await first.close();
        await first.store.close();
        const second = await startScim({ client: v.client, store: await PostgresScimStore.open(pg.url) });
        const got = await second.call('GET', `/Users/${created.body.id}`);
        expect(got.body).toMatchObject({ id: created.body.id, externalId: 'entra-pg' });
        await second.close();
        await second.store.close();
      } finally {
        await v.close();
      }
    });
  });
}
