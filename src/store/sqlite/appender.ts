import type SqliteDatabase from 'better-sqlite3';
import { uuidv7 } from '../uuidv7.js';
import { createDedupIndex } from './dedup-index.js';
import { dedupHash } from './dedup-hash.js';
import type { PruneResult, WireResult, WireRow } from './wire-row.js';

/**
 * Event appends on SQLite with prepared statements: one IMMEDIATE transaction per batch, one
 * statement execution per row, no query building. Same contract as EventWrites.append (events.ts), on wire rows.
 *
 * Dedup is exact on (webhook, key), looked up by a 53-bit hash of the two. Keys are random (vendor
 * ids, body hashes), so a unique index on them puts every insert on a random index page, and
 * SQLite writes whole pages to its log: that index was half of all the writing per event. So the
 * events table has no dedup index. A key's hash lives in two places:
 * - in memory (dedup-index.ts), for the rows appended since the last merge, rebuilt from the events
 *   table (`dedup_hash`, seq > the merge mark) when the appender starts, so a crash loses nothing;
 * - in `event_dedup (hash, seq)`, for the rest. Once `generation` keys have gathered in memory they
 *   are frozen and merged into it in hash order, a bucket of hashes at a time with the next appends
 *   (at least twice as many keys as each append adds), so each merge step writes a handful of
 *   neighbouring pages; the step that merges the last of them moves the mark in the same transaction.
 * A hash found in either place is only a candidate: the stored row's own columns decide.
 * Rows without a webhook are never deduplicated (as the PostgreSQL unique index treats NULLs).
 *
 * Its memory is part of the dedup index, so each transaction first reads the keys of any rows that
 * another writer (another appender on the file) committed since this one last looked.
 *
 * The one SQLite append path: the writer thread runs it on a file (writer-worker.ts), and an in-memory
 * database runs it on its own connection (writer-thread.ts `createSqliteWriter`).
 */
export function createSqliteAppender(
  sqlite: SqliteDatabase.Database,
  { hash = dedupHash, generation = 1 << 16 }: { hash?: typeof dedupHash; generation?: number } = {},
) {
  const head = sqlite.prepare('select max(seq) from events where tenant_id = ?').pluck();
  const insert = sqlite.prepare(
    `insert into events (tenant_id, webhook_id, provider, type, provider_event_type, resource_type, resource_id,
         occurred_at, received_at, test, payload, dedup_key, id, dedup_hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const holder = sqlite.prepare('select webhook_id, dedup_key from events where seq = ?');
  const mergedSeq = sqlite.prepare('select seq from event_dedup where hash = ? limit 1').pluck();
  const mergedSeqs = sqlite.prepare('select seq from event_dedup where hash = ?').pluck();
  const merge = sqlite.prepare('insert or ignore into event_dedup (hash, seq) values (?, ?)');
  const setMark = sqlite.prepare(
    'insert into event_dedup_mark (id, seq) values (1, ?) on conflict (id) do update set seq = max(seq, excluded.seq)',
  );
  const top = sqlite.prepare('select max(seq) from events').pluck();
  const keysAfter = sqlite.prepare('select seq, dedup_hash from events where seq > ? and dedup_hash is not null order by seq').raw();
  const writeMerged = (h: number, seq: number) => void merge.run(h, seq);
  const moveMark = (upto: number) => void setMark.run(upto);

  const index = createDedupIndex({ generation });
  /** The log's last seq as this appender last saw it: every key up to it is in memory or merged. */
  let seen = (sqlite.prepare('select seq from event_dedup_mark where id = 1').pluck().get() as number | undefined) ?? 0;
  /** Takes into memory the keys of rows committed after `seen` by anyone else (all of them, at start). */
  function catchUp(): void {
    const last = (top.get() as number | null) ?? 0;
    if (last <= seen) return;
    for (const [seq, h] of keysAfter.iterate(seen) as IterableIterator<[number, number]>) index.add(h, seq);
    seen = last;
  }
  catchUp();

  /** The keys of this transaction's rows: hash → seqs. */
  type Staged = Map<number, number[]>;

  function isDuplicate(slot: number, webhookId: string, dedupKey: string, staged: Staged): boolean {
    const holds = (seq: number) => {
      const held = holder.get(seq) as { webhook_id: string; dedup_key: string } | undefined;
      return held !== undefined && held.webhook_id === webhookId && held.dedup_key === dedupKey;
    };
    return (
      staged.get(slot)?.some(holds) === true ||
      index.find(slot, holds) ||
      // Most keys are new: one indexed probe of event_dedup tells, and only a hit reads its rows.
      (mergedSeq.get(slot) !== undefined && (mergedSeqs.all(slot) as number[]).some(holds))
    );
  }

  const append = sqlite.transaction((rows: readonly WireRow[], staged: Staged) => {
    catchUp();
    const heads = new Map<string, number | null>();
    const results = rows.map((row): WireResult => {
      const [tenantId, webhookId, , , , , , , , , , dedupKey] = row;
      const slot = webhookId === null ? null : hash(webhookId, dedupKey);
      if (slot !== null && isDuplicate(slot, webhookId as string, dedupKey, staged)) return null;
      if (!heads.has(tenantId)) heads.set(tenantId, (head.get(tenantId) as number | null) ?? null);
      const id = uuidv7();
      // No RETURNING: SQLite would stage each returned row in a temporary table.
      const seq = Number(insert.run(...row, id, slot).lastInsertRowid);
      if (slot !== null) {
        const seqs = staged.get(slot);
        if (seqs) seqs.push(seq);
        else staged.set(slot, [seq]);
      }
      const prevSeq = heads.get(tenantId) ?? null;
      heads.set(tenantId, seq);
      return [id, seq, prevSeq];
    });
    // Merge work rides along (dedup-index.ts `merge`).
    const merged = index.merge(rows.length, writeMerged, moveMark);
    return { results, merged };
  });

  // Pruning (retention.ts) runs here, on the appender's own connection and thread, between appends: on a
  // file the writer thread is the only writer, so a prune batch never waits for the write lock (nor makes a
  // commit wait for one) and never blocks the HTTP thread, and the keys of pruned rows leave memory too.
  // Prepared on the first prune: an appender also runs on schemas older than the retention columns (migrations).
  let pruning: ReturnType<typeof preparePrune> | null = null;
  const preparePrune = () => {
    const oldest = sqlite.prepare('select received_at from events where tenant_id = ? order by seq limit 1').pluck();
    const firstRows = sqlite.prepare('select seq, received_at, dedup_hash from events where tenant_id = ? order by seq limit ?').raw();
    const deleteThrough = sqlite.prepare('delete from events where tenant_id = ? and seq <= ? and received_at < ?');
    const unmerge = sqlite.prepare('delete from event_dedup where hash = ? and seq = ?');
    const setHorizon = sqlite.prepare('update tenants set pruned_through_seq = max(pruned_through_seq, ?) where id = ?');
    const batch = sqlite.transaction((tenantId: string, before: string, limit: number) => {
      const rows = firstRows.all(tenantId, limit) as Array<[seq: number, receivedAt: string, dedupHash: number | null]>;
      // Only a prefix of the log goes, so everything after the horizon is still there: a resume from any
      // cursor at or past it misses nothing. A younger row stops the batch (clock skew costs a little delay).
      let n = 0;
      while (n < rows.length && (rows[n] as (typeof rows)[number])[1] < before) n++;
      if (n === 0) return { deleted: 0, through: null as number | null, keys: [] as Array<[number, number]>, more: false };
      const through = (rows[n - 1] as (typeof rows)[number])[0];
      const deleted = deleteThrough.run(tenantId, through, before).changes;
      // The dedup index must not keep (hash, seq) pairs of rows that are gone: a hash is only a candidate
      // and a missing row simply isn't a duplicate, but the pairs would pile up forever.
      // In hash order, so neighbouring pairs share the pages they are deleted from.
      const keys: Array<[number, number]> = [];
      for (let i = 0; i < n; i++) {
        const [seq, , h] = rows[i] as (typeof rows)[number];
        if (h !== null) keys.push([h, seq]);
      }
      keys.sort((x, y) => x[0] - y[0]);
      for (const [h, seq] of keys) unmerge.run(h, seq);
      setHorizon.run(through, tenantId);
      return { deleted, through, keys, more: n === limit };
    });
    // The connection's own setting (db.ts: FULL), restored after each batch.
    const synchronous = Number(sqlite.pragma('synchronous', { simple: true }));
    return { oldest, batch, synchronous };
  };

  /**
   * Deletes up to `limit` of the tenant's oldest events received before `before` (an ISO timestamp), in
   * seq order, and moves its horizon (tenants.pruned_through_seq) in the same transaction.
   */
  function prune(tenantId: string, before: string, limit: number): PruneResult {
    pruning ??= preparePrune();
    const started = performance.now();
    // Most passes find nothing due: one indexed read, and no transaction.
    const first = pruning.oldest.get(tenantId) as string | undefined;
    if (first === undefined || first >= before) return [0, null, false, performance.now() - started];
    // No fsync of its own: nothing waits on a prune being durable (a crash at worst brings back rows and their
    // horizon together, for the next pass), and the next append's commit syncs the log with it anyway.
    sqlite.pragma('synchronous = NORMAL');
    let r: ReturnType<typeof pruning.batch>;
    try {
      r = pruning.batch.immediate(tenantId, before, limit);
    } finally {
      sqlite.pragma(`synchronous = ${pruning.synchronous}`);
    }
    // Committed: the keys of the deleted rows leave memory (a key not yet merged would go back into
    // event_dedup with the rest of its generation).
    for (const [h, seq] of r.keys) index.remove(h, seq);
    return [r.deleted, r.through, r.more, performance.now() - started];
  }

  // IMMEDIATE takes the write lock up front, so a batch never fails halfway on a lock upgrade.
  const appendRows = (rows: readonly WireRow[]): WireResult[] => {
    if (rows.length === 0) return [];
    // Keys go into memory only once their rows have committed.
    const staged: Staged = new Map();
    const { results, merged } = append.immediate(rows, staged);
    for (const [h, seqs] of staged) for (const seq of seqs) index.add(h, seq);
    for (const r of results) if (r) seen = Math.max(seen, r[1]);
    index.advance(merged, seen);
    return results;
  };
  return Object.assign(appendRows, { prune });
}
