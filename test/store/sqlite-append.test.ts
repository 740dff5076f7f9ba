import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../src/store/db.js';
import { createEventStore } from '../../src/store/events.js';
import { migrateToLatest } from '../../src/store/migrations.js';
import type { NewEvent } from '../../src/store/events.js';
import { createSqliteAppend, dedupHash, fromWireResults, toWireRow } from '../../src/store/sqlite-append.js';
import { uuidv7 } from '../../src/store/uuidv7.js';
import { newEvent } from '../utils/events.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.destroy();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A migrated SQLite file (or one stopped at `target`). */
async function sqliteDb(target?: string): Promise<Db & { sqlite: NonNullable<Db['sqlite']> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hookgraph-append-'));
  dirs.push(dir);
  const db = openDb(`file:${join(dir, 'events.sqlite')}`);
  dbs.push(db);
  await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite', target);
  if (!db.sqlite) throw new Error('not SQLite');
  return db as Db & { sqlite: NonNullable<Db['sqlite']> };
}

/** The appender over NewEvents, as the store and the writer thread drive it. */
function appender(...args: Parameters<typeof createSqliteAppend>) {
  const append = createSqliteAppend(...args);
  return (events: NewEvent[]) => fromWireResults(events, append(events.map(toWireRow)));
}

describe('uuidv7', () => {
  it('makes version-7 ids that sort in creation order, many per millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = Number.parseInt((ids[0] as string).replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(5_000);
  });
});

describe('SQLite append', () => {
  it('stores the dedup hash as an exact INTEGER', async () => {
    const db = await sqliteDb();
    const append = appender(db.sqlite);
    const webhookId = randomUUID();
    const e = newEvent(randomUUID(), { webhookId });
    const [a] = append([e]);
    const row = db.sqlite.prepare('select dedup_hash, typeof(dedup_hash) as t from events where seq = ?').get(a?.event.seq) as {
      dedup_hash: number;
      t: string;
    };
    expect(row).toEqual({ dedup_hash: dedupHash(webhookId, e.dedupKey), t: 'integer' });
    expect(row.dedup_hash).toBeGreaterThan(2 ** 40);
    expect(Number.isSafeInteger(row.dedup_hash)).toBe(true);
  });

  it('keeps dedup exact when different keys share a hash: it probes to the next slot', async () => {
    const db = await sqliteDb();
    // Every key hashes to the same slot (near the top of the space, so probing wraps to 0).
    const append = appender(db.sqlite, { hash: () => 2 ** 53 - 2 });
    const tenantId = randomUUID();
    const w1 = randomUUID();
    const w2 = randomUUID();
    const [a, b, c, d] = append([
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:a' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:b' }),
      newEvent(tenantId, { webhookId: w2, dedupKey: 'id:a' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:c' }),
    ]);
    expect([a, b, c, d].every((x) => x !== null)).toBe(true);
    const slots = db.sqlite.prepare('select dedup_hash from events order by seq').pluck().all();
    expect(slots).toEqual([2 ** 53 - 2, 2 ** 53 - 1, 0, 1]);
    // Each one again, in another order and batch, is a duplicate; a fifth key takes the next slot.
    const again = append([
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:c' }),
      newEvent(tenantId, { webhookId: w2, dedupKey: 'id:a' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:e' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:a' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:b' }),
    ]);
    expect(again.map((x) => x !== null)).toEqual([false, false, true, false, false]);
    expect(again[2]?.prevSeq).toBe(d?.event.seq);
    expect(db.sqlite.prepare('select count(*) from events').pluck().get()).toBe(5);
  });

  it('never deduplicates events without a webhook', async () => {
    const db = await sqliteDb();
    const append = appender(db.sqlite);
    const e = newEvent(randomUUID(), { webhookId: null, dedupKey: 'id:same' });
    expect(append([e, { ...e }]).every((x) => x !== null)).toBe(true);
  });

  it('rolls the whole batch back when a row fails', async () => {
    const db = await sqliteDb();
    const append = appender(db.sqlite);
    const tenantId = randomUUID();
    const bad = { ...newEvent(tenantId, { webhookId: randomUUID() }), provider: null } as unknown as NewEvent;
    expect(() => append([newEvent(tenantId, { webhookId: randomUUID() }), bad])).toThrow(/NOT NULL/);
    expect(db.sqlite.prepare('select count(*) from events').pluck().get()).toBe(0);
  });
});

describe('migration 0003 on a SQLite log written before it', () => {
  it('backfills the dedup hash, so deliveries stored earlier are still recognised', async () => {
    const db = await sqliteDb('0002_events_fewer_indexes');
    const tenantId = randomUUID();
    const w1 = randomUUID();
    const w2 = randomUUID();
    // Rows as the 0002 schema held them (no dedup_hash column yet).
    const insert = db.sqlite.prepare(
      `insert into events (id, tenant_id, webhook_id, provider, type, provider_event_type, occurred_at, received_at, test, payload, dedup_key)
       values (?, ?, ?, 'BOOQABLE', 'invoice.created', 'invoice.created', null, '2026-01-01T00:00:00.000Z', 0, '{}', 'id:one')`,
    );
    for (const w of [w1, w2, null]) insert.run(randomUUID(), tenantId, w);
    expect(await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite')).toEqual(['0003_events_dedup_hash']);
    const slots = db.sqlite.prepare('select dedup_hash from events order by seq').pluck().all();
    expect(slots).toEqual([dedupHash(w1, 'id:one'), dedupHash(w2, 'id:one'), null]);
    const events = createEventStore(db);
    const again = await events.append([
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:one' }),
      newEvent(tenantId, { webhookId: w2, dedupKey: 'id:one' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:two' }),
    ]);
    expect(again.map((x) => x !== null)).toEqual([false, false, true]);
    expect(again[2]?.prevSeq).toBe(3);
    const indexes = db.sqlite
      .prepare("select name from sqlite_master where type = 'index' and tbl_name = 'events' order by name")
      .pluck()
      .all();
    expect(indexes).not.toContain('events_dedup');
    expect(indexes).toContain('events_dedup_hash');
  });
});
