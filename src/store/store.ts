import { type Kysely, sql } from 'kysely';
import { createSealer } from '../crypto.js';
import { createApiKeyStore } from './api-keys.js';
import { createConnectionStore } from './connections.js';
import { type Db, openDb } from './db.js';
import { createEventStore } from './events.js';
import { migrateToLatest } from './migrations.js';
import { createTenantStore } from './tenants.js';
import { createWebhookStore } from './webhooks.js';

/** The whole persistence layer over one Kysely instance, SQLite or PostgreSQL. */
export async function createStore({
  databaseUrl,
  secretKey,
  migrate = true,
}: {
  databaseUrl: string;
  secretKey: Buffer;
  migrate?: boolean;
}) {
  const db: Db = openDb(databaseUrl);
  const sealer = createSealer(secretKey);
  // The migrator works on an untyped view: migrations describe the schema before the types exist.
  if (migrate) await migrateToLatest(db.kysely as unknown as Kysely<unknown>, db.dialect);
  return {
    dialect: db.dialect,
    describe: db.describe,
    kysely: db.kysely,
    queryCount: db.queryCount,
    tenants: createTenantStore(db.kysely),
    apiKeys: createApiKeyStore(db.kysely),
    connections: createConnectionStore(db.kysely, sealer),
    webhooks: createWebhookStore(db.kysely, sealer),
    events: createEventStore(db.kysely, db.dialect),
    async ping(): Promise<void> {
      await sql`select 1`.execute(db.kysely);
    },
    close: () => db.destroy(),
  };
}
export type Store = Awaited<ReturnType<typeof createStore>>;
