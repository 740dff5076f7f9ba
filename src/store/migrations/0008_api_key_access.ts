import type { Kysely } from 'kysely';

/**
 * Scoped keys (../api-keys.ts): the scopes a key holds (a comma list; keys from before this migration are
 * ADMIN, as every key was), the event filter it is narrowed to (JSON, raw webhook ids), when it expires and
 * when it was last used (both null: never). One column per statement: SQLite's ALTER TABLE adds one at a time.
 * An index on revoked_at: every replica reads the keys revoked since its last look, every few seconds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('ADMIN'))
    .execute();
  await db.schema.alterTable('api_keys').addColumn('filter', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'text').execute();
  await db.schema.createIndex('api_keys_revoked_at').on('api_keys').column('revoked_at').execute();
}
