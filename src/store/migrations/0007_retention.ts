import type { Kysely } from 'kysely';

/**
 * Retention (../retention.ts): a tenant's own window (null: the gateway's HOOKGRAPH_RETENTION, 0: keep
 * forever) and the highest seq pruned so far, below which its cursors are expired. Pruning walks
 * (tenant_id, seq), an index the events table already has. One column per statement: SQLite's ALTER
 * TABLE adds one at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('retention_ms', 'bigint').execute();
  await db.schema
    .alterTable('tenants')
    .addColumn('pruned_through_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
