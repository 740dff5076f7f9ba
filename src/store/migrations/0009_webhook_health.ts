import { type Kysely, sql } from 'kysely';

/** The refusal reasons of ../health.ts (HEALTH_REASONS) as they stood when this migration was written: one column each. */
const REASONS = [
  'bad_token',
  'bad_signature',
  'too_large',
  'unsupported_type',
  'unparsable',
  'normalizer',
  'incomplete',
  'unavailable',
  'internal',
];

/**
 * Webhook health (../health.ts): one row per hour and webhook, its counts added to by upserts from every replica.
 * The key leads with the hour, so a flush (every webhook counted in the last second) updates rows that sit side by
 * side at the end of the key, not one random page per webhook; on SQLite the table is WITHOUT ROWID, so that key is
 * the table itself. Reads name the window's hours and the webhooks (both IN lists on the key); pruning deletes a
 * prefix of it. Counts are bigint: a GraphQL Int is clamped on read, a bucket never overflows.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  let table = db.schema
    .createTable('webhook_health')
    .addColumn('hour_start', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('deliveries', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'bigint', (c) => c.notNull().defaultTo(0));
  for (const reason of REASONS) table = table.addColumn(`refused_${reason}`, 'bigint', (c) => c.notNull().defaultTo(0));
  table = table
    .addColumn('vendor_failures', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_delivery_at', 'text')
    .addColumn('last_event_at', 'text')
    .addColumn('last_vendor_error', 'text')
    .addColumn('last_vendor_error_at', 'text')
    .addPrimaryKeyConstraint('webhook_health_pk', ['hour_start', 'webhook_id']);
  await (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table).execute();
}
