import { hash as digest } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/**
 * The dedup hash as this migration wrote it: a copy of sqlite/dedup-hash.ts, kept here so the migration
 * computes forever what it computed when it was written.
 */
function dedupHash(webhookId: string, dedupKey: string): number {
  return Number(digest('sha256', `${webhookId}\n${dedupKey}`, 'buffer').readBigUInt64BE(0) >> 11n);
}

/**
 * SQLite dedups on a unique 53-bit hash of (webhook_id, dedup_key): see ../sqlite/appender.ts. The
 * column exists on PostgreSQL too, for one table shape, but stays null there: PostgreSQL keeps
 * its unique index on the two columns, whose inserts it logs as tuples rather than whole pages.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
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
}
