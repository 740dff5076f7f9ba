import { hash as digest } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3';
import type { AppendedEvent, NewEvent } from './events.js';
import { uuidv7 } from './uuidv7.js';

const HASH_SPACE = 2 ** 53;

/**
 * SQLite's dedup slot for (webhook, dedup key): 53 bits of SHA-256, so it is exact as a JS number and
 * as a SQLite INTEGER. A collision costs one probe (see createSqliteAppend), never a lost event.
 */
export function dedupHash(webhookId: string, dedupKey: string): number {
  return Number(digest('sha256', `${webhookId}\n${dedupKey}`, 'buffer').readBigUInt64BE(0) >> 11n);
}

/**
 * One event as the SQLite appender takes it: the column values in insert order, with the payload
 * already serialized. Flat arrays of primitives are what crosses to the writer thread: they clone
 * several times faster than the event objects.
 */
export type WireRow = [
  tenantId: string,
  webhookId: string | null,
  provider: string,
  type: string,
  providerEventType: string,
  resourceType: string | null,
  resourceId: string | null,
  occurredAt: string | null,
  receivedAt: string,
  test: 0 | 1,
  payload: string,
  dedupKey: string,
];
/** What the appender answers per row: the new event's id, seq and the tenant's previous seq; null for a duplicate. */
export type WireResult = [id: string, seq: number, prevSeq: number | null] | null;

export function toWireRow(e: NewEvent): WireRow {
  return [
    e.tenantId,
    e.webhookId,
    e.provider,
    e.type,
    e.providerEventType,
    e.resource?.type ?? null,
    e.resource?.id ?? null,
    e.occurredAt?.toISOString() ?? null,
    e.receivedAt.toISOString(),
    e.test ? 1 : 0,
    e.payloadJson ?? JSON.stringify(e.payload ?? null),
    e.dedupKey,
  ];
}

/** Joins the appender's answers back to the events that were sent. */
export function fromWireResults(events: readonly NewEvent[], results: readonly WireResult[]): (AppendedEvent | null)[] {
  return events.map((e, i) => {
    const r = results[i];
    if (!r) return null;
    return {
      event: {
        id: r[0],
        seq: r[1],
        tenantId: e.tenantId,
        webhookId: e.webhookId,
        provider: e.provider,
        type: e.type,
        providerEventType: e.providerEventType,
        resource: e.resource,
        occurredAt: e.occurredAt,
        receivedAt: e.receivedAt,
        test: e.test,
        payload: e.payload ?? null,
      },
      prevSeq: r[2],
    };
  });
}

/**
 * Event appends on SQLite with prepared statements: one IMMEDIATE transaction per batch, one
 * statement execution per row, no query building. Same contract as EventStore.append, on wire rows.
 *
 * Dedup: a unique index on a 53-bit hash of (webhook, key) instead of on the two text columns. Keys
 * are random (vendor ids, body hashes), so every insert lands on a random index page, and SQLite
 * writes whole pages to its log: the narrow index holds ~5× more entries per page and roughly
 * halved the per-row write cost here. A hash already held by a different (webhook, key) is probed
 * linearly (h+1, h+2, …) and the stored row's own columns decide, so dedup stays exact.
 * Rows without a webhook are never deduplicated (as the PostgreSQL unique index treats NULLs).
 */
export function createSqliteAppend(sqlite: SqliteDatabase.Database, { hash = dedupHash }: { hash?: typeof dedupHash } = {}) {
  const head = sqlite.prepare('select max(seq) from events where tenant_id = ?').pluck();
  const insert = sqlite.prepare(
    `insert into events (tenant_id, webhook_id, provider, type, provider_event_type, resource_type, resource_id,
         occurred_at, received_at, test, payload, dedup_key, id, dedup_hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (dedup_hash) do nothing`,
  );
  const holder = sqlite.prepare('select webhook_id, dedup_key from events where dedup_hash = ?');

  const append = sqlite.transaction((rows: readonly WireRow[]): WireResult[] => {
    const heads = new Map<string, number | null>();
    return rows.map((row) => {
      const [tenantId, webhookId, , , , , , , , , , dedupKey] = row;
      if (!heads.has(tenantId)) heads.set(tenantId, (head.get(tenantId) as number | null) ?? null);
      const id = uuidv7();
      let slot = webhookId === null ? null : hash(webhookId, dedupKey);
      let seq: number | undefined;
      for (;;) {
        // No RETURNING: SQLite would stage each returned row in a temporary table.
        const done = insert.run(...row, id, slot);
        if (done.changes === 1) {
          seq = Number(done.lastInsertRowid);
          break;
        }
        if (slot === null) break;
        const held = holder.get(slot) as { webhook_id: string; dedup_key: string } | undefined;
        if (held && held.webhook_id === webhookId && held.dedup_key === dedupKey) break; // a duplicate
        slot = (slot + 1) % HASH_SPACE;
      }
      if (seq === undefined) return null;
      const prevSeq = heads.get(tenantId) ?? null;
      heads.set(tenantId, seq);
      return [id, seq, prevSeq];
    });
  });
  // IMMEDIATE takes the write lock up front, so a batch never fails halfway on a lock upgrade.
  return (rows: readonly WireRow[]): WireResult[] => (rows.length === 0 ? [] : append.immediate(rows));
}
