import type { Kysely } from 'kysely';

/**
 * Reconciliation that never destroys on thin evidence (../webhooks.ts, manage/sync.ts): how many reconciliations in a
 * row found none of the webhook's vendor hooks (`missing_count`), when the vendor was last asked about it
 * (`status_checked_at`), the vendor-specific options it was registered with (`options`, JSON), and the vendor call
 * it still owes (`pending`: `create` until the vendor confirms a create, `delete` until its vendor hooks are gone).
 * Rotation (rotateWebhookSecret): the previous delivery token's hash and secret, accepted until `previous_until`.
 * One column per statement: SQLite's ALTER TABLE adds one at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('webhooks')
    .addColumn('missing_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('webhooks').addColumn('status_checked_at', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('options', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('pending', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('previous_token_hash', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('previous_secret_sealed', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('previous_until', 'text').execute();
}
