import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createStore } from '../../src/store/store.js';
import { services } from '../utils/services.js';

describe.skipIf(!services.postgres)('HOOKGRAPH_PG_SCHEMA', () => {
  const schemas: string[] = [];
  const admin = () => new pg.Client({ connectionString: services.postgres as string });
  afterAll(async () => {
    const c = admin();
    await c.connect();
    for (const s of schemas) await c.query(`drop schema if exists ${s} cascade`);
    await c.end();
  });

  async function tablesIn(schema: string): Promise<string[]> {
    const c = admin();
    await c.connect();
    const { rows } = await c.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by 1',
      [schema],
    );
    await c.end();
    return rows.map((r) => r.table_name);
  }

  it('creates the schema when missing and keeps every table, the migration tables included, in it', async () => {
    const schema = `hg_cfg_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    const config = loadConfig({ DATABASE_URL: services.postgres as string, HOOKGRAPH_PG_SCHEMA: schema });
    const open = () => createStore({ databaseUrl: config.databaseUrl, secretKey: Buffer.alloc(32, 1), pgSchema: config.pgSchema });

    const store = await open();
    const { tenant } = await store.tenants.getOrCreate('acme');
    expect(store.describe).toContain(`(schema ${schema})`);
    await store.close();
    expect(await tablesIn(schema)).toEqual(
      expect.arrayContaining(['events', 'key_check', 'kysely_migration', 'kysely_migration_lock', 'tenants']),
    );

    // A restart finds its data (and its applied migrations) in the same schema.
    const again = await open();
    expect((await again.tenants.findByName('acme'))?.id).toBe(tenant.id);
    await again.close();
  });

  it("wins over a search_path in the URL's own options", async () => {
    const inUrl = `hg_cfg_${randomBytes(5).toString('hex')}`;
    const configured = `hg_cfg_${randomBytes(5).toString('hex')}`;
    schemas.push(inUrl, configured);
    const url = new URL(services.postgres as string);
    url.searchParams.set('options', `-c search_path=${inUrl}`);
    const store = await createStore({ databaseUrl: url.toString(), secretKey: Buffer.alloc(32, 2), pgSchema: configured });
    await store.close();
    expect(await tablesIn(configured)).toContain('events');
    expect(await tablesIn(inUrl)).toEqual([]);
  });
});
