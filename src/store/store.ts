import { type Kysely, sql } from 'kysely';
import { createSealer } from '../crypto.js';
import { createApiKeyStore } from './api-keys.js';
import { createConnectionStore } from './connections.js';
import { type Db, openDb, prepareDb } from './db.js';
import { createEventStore, createPostgresWrites } from './events.js';
import { createHealthStore, createPostgresHealthWrites, type HealthOptions } from './health.js';
import { checkSecretKey } from './key-check.js';
import { createLocks } from './locks.js';
import { migrateToLatest } from './migrate.js';
import { createSandboxAccountStore } from './sandbox.js';
import { createSqliteWriter } from './sqlite/writer-thread.js';
import { createTenantStore } from './tenants.js';
import { createWebhookStore } from './webhooks.js';

/** The whole persistence layer over one Kysely instance, SQLite or PostgreSQL. */
export async function createStore({
  databaseUrl,
  secretKey,
  migrate = true,
  pgSchema = null,
  keyOrigin = 'HOOKGRAPH_SECRET_KEY',
  checkKey = migrate,
  onCommit,
  health: healthOptions = {},
}: {
  databaseUrl: string;
  secretKey: Buffer;
  migrate?: boolean;
  /** PostgreSQL schema (HOOKGRAPH_PG_SCHEMA), created if missing. @default null: the connection's current schema */
  pgSchema?: string | null;
  /** Where the key came from, for the wrong-key message (SecretKey.origin). @default 'HOOKGRAPH_SECRET_KEY' */
  keyOrigin?: string;
  /** Refuse a key that does not open this database's data (see key-check.ts). @default migrate */
  checkKey?: boolean;
  /** Called after each group commit of events with its rows and duration (the /metrics commit histograms). */
  onCommit?: (rows: number, seconds: number) => void;
  /** Webhook health counting (health.ts): its window, flush interval and error report. */
  health?: HealthOptions;
}) {
  const db: Db = openDb(databaseUrl, { pgSchema });
  await prepareDb(db);
  const sealer = createSealer(secretKey);
  // The migrator works on an untyped view: migrations describe the schema before the types exist.
  if (migrate) await migrateToLatest(db.kysely as unknown as Kysely<unknown>, db.dialect);
  if (checkKey) {
    try {
      await checkSecretKey(db.kysely as unknown as Kysely<unknown>, sealer, { describe: db.describe, keyOrigin });
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  // SQLite files: appends (and their fsync) run on a writer thread, and health flushes with them, so the HTTP
  // thread never waits for the file's write lock; PostgreSQL's waits are already off-thread.
  const sqliteWrites = db.sqlite ? createSqliteWriter(databaseUrl, db.sqlite) : null;
  const writes = sqliteWrites ?? createPostgresWrites(db.kysely);
  // The writes stop after health's last flush, which goes through them (close below), not with the event store.
  const events = createEventStore(db.kysely, { ...writes, close: async () => {} }, { onCommit });
  const health = createHealthStore(db.kysely, sqliteWrites?.health ?? createPostgresHealthWrites(db.kysely), healthOptions);
  return {
    dialect: db.dialect,
    describe: db.describe,
    kysely: db.kysely,
    queryCount: db.queryCount,
    tenants: createTenantStore(db.kysely),
    apiKeys: createApiKeyStore(db.kysely),
    connections: createConnectionStore(db.kysely, sealer),
    webhooks: createWebhookStore(db.kysely, sealer),
    sandbox: createSandboxAccountStore(db.kysely, sealer),
    events,
    health,
    locks: createLocks(db.kysely, db.dialect),
    async ping(): Promise<void> {
      await sql`select 1`.execute(db.kysely);
    },
    async close() {
      // Appends settle first: deliveries finishing meanwhile are still counted by health's last flush.
      await events.close();
      await health.close();
      await writes.close();
      await db.destroy();
    },
  };
}
export type Store = Awaited<ReturnType<typeof createStore>>;
