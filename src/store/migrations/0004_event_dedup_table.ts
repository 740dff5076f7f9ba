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
 * SQLite: dedup hashes move from a unique index on events to event_dedup, merged in hash order
 * in the background of appends (see ../sqlite/appender.ts); event_dedup_mark is the seq through which
 * every event's hash is in it. events.dedup_hash stays, as each row's own unprobed hash.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
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
}
