import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createSealer } from '../../src/crypto.js';
import { openDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createStore } from '../../src/store/store.js';
import { createTestDatabase, storeBackends } from '../utils/databases.js';

/** The ConfigError a start with `secretKey` meets, or null when it opens. */
async function startWith(url: string, secretKey: Buffer, keyOrigin?: string): Promise<ConfigError | null> {
  try {
    const store = await createStore({ databaseUrl: url, secretKey, ...(keyOrigin && { keyOrigin }) });
    await store.close();
    return null;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe.each(storeBackends)('the key check on %s', (backend) => {
  it('lets the key the database was created with in again, and stops any other with one line naming the variable', async () => {
    const db = await createTestDatabase(backend);
    const keyA = randomBytes(32);
    expect(await startWith(db.url, keyA)).toBeNull();
    expect(await startWith(db.url, keyA)).toBeNull();

    const refused = await startWith(db.url, randomBytes(32));
    expect(refused?.problems).toHaveLength(1);
    expect(refused?.problems[0]).toMatch(
      /^HOOKGRAPH_SECRET_KEY does not open the data in (sqlite:\/|postgres:\/\/).*: it is not the key this database was created with$/,
    );
    expect(refused?.problems[0]).not.toContain(keyA.toString('base64'));

    const fromFile = await startWith(db.url, randomBytes(32), 'the key file /srv/hookgraph/secret.key (HOOKGRAPH_SECRET_KEY is not set)');
    expect(fromFile?.problems[0]).toMatch(
      /^the key file \/srv\/hookgraph\/secret\.key \(HOOKGRAPH_SECRET_KEY is not set\) does not open the data in /,
    );
  });

  it('on a database from before the check, accepts only the key that opens its sealed credentials, then records it', async () => {
    const db = await createTestDatabase(backend);
    const keyA = randomBytes(32);
    // A database as 0005 left it, holding one connection sealed with key A.
    const old = openDb(db.url);
    await migrateToLatest(old.kysely as unknown as Kysely<unknown>, old.dialect, '0005_sandbox_accounts');
    const tenantId = randomUUID();
    const now = new Date().toISOString();
    await old.kysely.insertInto('tenants').values({ id: tenantId, name: 'acme', created_at: now }).execute();
    await old.kysely
      .insertInto('connections')
      .values({
        id: randomUUID(),
        tenant_id: tenantId,
        provider: 'PAYBOOK',
        base_url: 'https://sync.paybook.com',
        credentials: createSealer(keyA).seal(JSON.stringify({ apiKey: 'pb-secret' }), `connection:${tenantId}:PAYBOOK`),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await old.destroy();

    expect((await startWith(db.url, randomBytes(32)))?.problems[0]).toMatch(/^HOOKGRAPH_SECRET_KEY does not open the data in /);
    expect(await startWith(db.url, keyA)).toBeNull();
    const store = await createStore({ databaseUrl: db.url, secretKey: keyA });
    try {
      expect((await store.connections.get(tenantId, 'PAYBOOK'))?.credentials).toEqual({ apiKey: 'pb-secret' });
    } finally {
      await store.close();
    }
  });
});
