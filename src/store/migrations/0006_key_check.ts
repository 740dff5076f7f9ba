import { type Kysely, sql } from 'kysely';

/**
 * One row holding a value sealed with the secret key (../key-check.ts): a start with another key
 * stops at once with a clear message, instead of failing later on the first sealed value it opens.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_check')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
