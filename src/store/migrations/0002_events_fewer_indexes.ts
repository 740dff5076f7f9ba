import type { Kysely } from 'kysely';

/**
 * Type filters are mostly prefixes (`invoice.*`), which this index cannot serve, while every
 * insert paid for it; (tenant_id, seq) already bounds each page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_tenant_type_seq').execute();
}
