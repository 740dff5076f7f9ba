import { createHash, randomBytes } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3';
import type { AppendedEvent, NewEvent } from './events.js';

const HASH_SPACE = 2 ** 53;

/**
 * SQLite's dedup slot for (webhook, dedup key): 53 bits of SHA-256, so it is exact as a JS number and
 * as a SQLite INTEGER. A collision costs one probe (see createSqliteAppend), never a lost event.
 */
export function dedupHash(webhookId: string, dedupKey: string): number {
  return Number(createHash('sha256').update(`${webhookId}\n${dedupKey}`).digest().readBigUInt64BE(0) >> 11n);
}

let lastMs = 0;
let seqInMs = 0;
/**
 * A time-ordered UUID (RFC 9562 version 7). Event ids grow with time, so their unique index is
 * appended to at its right edge instead of taking a random page per insert. Within one millisecond
 * a 12-bit counter keeps them increasing.
 */
export function uuidv7(): string {
  const b = randomBytes(16);
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seqInMs = (b[6] as number) & 0x03; // a low random start leaves room to count
  } else if (++seqInMs > 0xfff) {
    lastMs += 1;
    seqInMs = 0;
  }
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (seqInMs >> 8);
  b[7] = seqInMs & 0xff;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Event appends on SQLite with prepared statements: one IMMEDIATE transaction per batch, one
 * statement execution per row, no query building. Same contract as EventStore.append.
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
  const insert = sqlite
    .prepare(
      `insert into events (id, tenant_id, webhook_id, provider, type, provider_event_type, resource_type, resource_id,
         occurred_at, received_at, test, payload, dedup_key, dedup_hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (dedup_hash) do nothing
       returning seq`,
    )
    .pluck();
  const holder = sqlite.prepare('select webhook_id, dedup_key from events where dedup_hash = ?');

  const append = sqlite.transaction((events: readonly NewEvent[]): (AppendedEvent | null)[] => {
    const heads = new Map<string, number | null>();
    return events.map((e) => {
      if (!heads.has(e.tenantId)) heads.set(e.tenantId, (head.get(e.tenantId) as number | null) ?? null);
      const id = uuidv7();
      const values = [
        id,
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
      let slot = e.webhookId === null ? null : hash(e.webhookId, e.dedupKey);
      let seq: number | undefined;
      for (;;) {
        seq = insert.get(...values, slot) as number | undefined;
        if (seq !== undefined || slot === null) break;
        const held = holder.get(slot) as { webhook_id: string; dedup_key: string } | undefined;
        if (held && held.webhook_id === e.webhookId && held.dedup_key === e.dedupKey) break; // a duplicate
        slot = (slot + 1) % HASH_SPACE;
      }
      if (seq === undefined) return null;
      const prevSeq = heads.get(e.tenantId) ?? null;
      heads.set(e.tenantId, seq);
      const { dedupKey: _key, payloadJson: _json, payload, ...fields } = e;
      return { event: { ...fields, id, seq, payload: payload ?? null }, prevSeq };
    });
  });
  // IMMEDIATE takes the write lock up front, so a batch never fails halfway on a lock upgrade.
  return (events: readonly NewEvent[]): (AppendedEvent | null)[] => (events.length === 0 ? [] : append.immediate(events));
}
