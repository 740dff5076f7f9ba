import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './db.js';
import { dedupHash } from './sqlite-append.js';

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('tenants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createTable('connections')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('base_url', 'text', (c) => c.notNull())
          .addColumn('credentials', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('connections_tenant_provider', ['tenant_id', 'provider'])
          .execute();
        await db.schema
          .createTable('webhooks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('events', 'text', (c) => c.notNull())
          .addColumn('external_ids', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('payload_version', 'text')
          .addColumn('token_hash', 'text', (c) => c.notNull())
          .addColumn('token_sealed', 'text', (c) => c.notNull())
          .addColumn('secret_sealed', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('deleted_at', 'text')
          .execute();
        await db.schema.createIndex('webhooks_tenant').on('webhooks').columns(['tenant_id', 'provider', 'created_at']).execute();
        let events = db.schema.createTable('events');
        events =
          dialect === 'postgres'
            ? events.addColumn('seq', 'bigserial', (c) => c.primaryKey())
            : events.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement());
        await events
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('webhook_id', 'text')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('provider_event_type', 'text', (c) => c.notNull())
          .addColumn('resource_type', 'text')
          .addColumn('resource_id', 'text')
          .addColumn('occurred_at', 'text')
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('test', 'integer', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('dedup_key', 'text', (c) => c.notNull())
          .execute();
        // Dedup is per webhook: the same vendor event reaching two webhooks is two deliveries.
        await db.schema.createIndex('events_dedup').unique().on('events').columns(['webhook_id', 'dedup_key']).execute();
        await db.schema.createIndex('events_tenant_seq').on('events').columns(['tenant_id', 'seq']).execute();
        await db.schema.createIndex('events_tenant_type_seq').on('events').columns(['tenant_id', 'type', 'seq']).execute();
        await db.schema.createIndex('events_tenant_webhook_seq').on('events').columns(['tenant_id', 'webhook_id', 'seq']).execute();
        await sql`select 1`.execute(db);
      },
    },
    '0002_events_fewer_indexes': {
      // Type filters are mostly prefixes (`invoice.*`), which this index cannot serve, while every
      // insert paid for it; (tenant_id, seq) already bounds each page.
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex('events_tenant_type_seq').execute();
      },
    },
    '0003_events_dedup_hash': {
      // SQLite dedups on a unique 53-bit hash of (webhook_id, dedup_key): see sqlite-append.ts. The
      // column exists on PostgreSQL too, for one table shape, but stays null there: PostgreSQL keeps
      // its unique index on the two columns, whose inserts it logs as tuples rather than whole pages.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('events').addColumn('dedup_hash', 'bigint').execute();
        if (dialect !== 'sqlite') return;
        // Backfill in seq order under the new unique index, probing on a collision exactly as appends do.
        await db.schema.createIndex('events_dedup_hash').unique().on('events').column('dedup_hash').execute();
        let after = 0;
        for (;;) {
          const { rows } = await sql<{ seq: number; webhook_id: string | null; dedup_key: string }>`
            select seq, webhook_id, dedup_key from events where seq > ${after} order by seq limit 1000`.execute(db);
          if (rows.length === 0) break;
          for (const r of rows) {
            after = r.seq;
            if (r.webhook_id === null) continue;
            for (let h = dedupHash(r.webhook_id, r.dedup_key); ; h = (h + 1) % 2 ** 53) {
              try {
                await sql`update events set dedup_hash = ${h} where seq = ${r.seq}`.execute(db);
                break;
              } catch (error) {
                if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
              }
            }
          }
        }
        await db.schema.dropIndex('events_dedup').execute();
      },
    },
    '0004_event_dedup_table': {
      // SQLite: dedup hashes move from a unique index on events to event_dedup, merged in hash order
      // in the background of appends (see sqlite-append.ts); event_dedup_mark is the seq through which
      // every event's hash is in it. events.dedup_hash stays, as each row's own unprobed hash.
      async up(db: Kysely<unknown>) {
        if (dialect !== 'sqlite') return;
        // Kysely runs SQLite migrations outside a transaction: this one is all or nothing.
        await sql`begin immediate`.execute(db);
        try {
          // Under 0003 a hash already taken was probed to the next free slot, so a row whose slot minus
          // one is taken may hold a probed hash: those few get their own hash back.
          const { rows: maybeProbed } = await sql<{ seq: number; webhook_id: string; dedup_key: string }>`
            select e.seq, e.webhook_id, e.dedup_key from events e
            where e.dedup_hash is not null and exists (select 1 from events p where p.dedup_hash = e.dedup_hash - 1)`.execute(db);
          await db.schema.dropIndex('events_dedup_hash').execute();
          for (const r of maybeProbed) {
            await sql`update events set dedup_hash = ${dedupHash(r.webhook_id, r.dedup_key)} where seq = ${r.seq}`.execute(db);
          }
          await db.schema
            .createTable('event_dedup')
            .addColumn('hash', 'integer', (c) => c.notNull())
            .addColumn('seq', 'integer', (c) => c.notNull())
            .addPrimaryKeyConstraint('event_dedup_pk', ['hash', 'seq'])
            .modifyEnd(sql`without rowid`)
            .execute();
          await db.schema
            .createTable('event_dedup_mark')
            .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
            .addColumn('seq', 'integer', (c) => c.notNull())
            .execute();
          await sql`insert into event_dedup (hash, seq) select dedup_hash, seq from events where dedup_hash is not null order by dedup_hash, seq`.execute(
            db,
          );
          await sql`insert into event_dedup_mark (id, seq) select 1, coalesce(max(seq), 0) from events`.execute(db);
          await sql`commit`.execute(db);
        } catch (error) {
          await sql`rollback`.execute(db);
          throw error;
        }
      },
    },
    '0005_sandbox_accounts': {
      // The sandbox vendors' accounts (src/store/sandbox.ts), one row each: sandbox webhooks survive
      // restarts and every replica sees them. Plain text columns, the same on both dialects.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sandbox_accounts')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('secrets', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('sandbox_accounts_pk', ['provider', 'id'])
          .execute();
      },
    },
    '0006_key_check': {
      // One row holding a value sealed with the secret key (store/key-check.ts): a start with another key
      // stops at once with a clear message, instead of failing later on the first sealed value it opens.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('key_check')
          .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
          .addColumn('sealed', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0007_retention': {
      // Retention (retention.ts): a tenant's own window (null: the gateway's HOOKGRAPH_RETENTION, 0: keep
      // forever) and the highest seq pruned so far, below which its cursors are expired. Pruning walks
      // (tenant_id, seq), an index the events table already has. One column per statement: SQLite's ALTER
      // TABLE adds one at a time.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('tenants').addColumn('retention_ms', 'bigint').execute();
        await db.schema
          .alterTable('tenants')
          .addColumn('pruned_through_seq', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
  };
}

/**
 * Brings the schema up to date (or to `target`). Kysely's migrator takes a lock (a row lock on PostgreSQL), so
 * several replicas starting at once apply each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, target?: string): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Kysely looks for its migration tables in every schema unless told which one: another schema's copy (another
  // deployment, or another test's database on the same server) would be taken for ours. Ours live beside the data.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema && { migrationTableSchema }) });
  // `target` (a migration name) stops there instead: tests build an older schema with it.
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
