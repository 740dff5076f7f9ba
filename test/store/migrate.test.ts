import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../utils/databases.js';
import { services } from '../utils/services.js';

describe.skipIf(!services.postgres)('migrations on a PostgreSQL server that other schemas share', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of databases) await d.drop();
  });

  it("migrate a schema of their own while another schema already holds Kysely's migration tables", async () => {
    const first = await createTestDatabase('postgres');
    const second = await createTestDatabase('postgres');
    databases.push(first, second);
    await (await createStore({ databaseUrl: first.url, secretKey: randomBytes(32) })).close();
    // The second schema starts empty while the first has kysely_migration and kysely_migration_lock.
    const store = await createStore({ databaseUrl: second.url, secretKey: randomBytes(32) });
    const { tenant } = await store.tenants.getOrCreate('acme');
    expect(tenant.name).toBe('acme');
    await store.close();

    const schemaOf = (url: string) => /search_path=(\w+)/.exec(decodeURIComponent(url))?.[1] as string;
    const client = new pg.Client({ connectionString: services.postgres as string });
    await client.connect();
    const { rows } = await client.query<{ table_schema: string }>(
      "select table_schema from information_schema.tables where table_name = 'kysely_migration' and table_schema = any($1)",
      [[schemaOf(first.url), schemaOf(second.url)]],
    );
    await client.end();
    expect(rows.map((r) => r.table_schema).sort()).toEqual([schemaOf(first.url), schemaOf(second.url)].sort());
  });
});
