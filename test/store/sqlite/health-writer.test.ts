import { randomBytes, randomUUID } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthRow } from '../../../src/store/health.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { createWriterThread } from '../../../src/store/sqlite/writer-thread.js';
import { createStore, type Store } from '../../../src/store/store.js';
import { newEvent } from '../../utils/events.js';
import { createSqliteFiles } from './sqlite-file.js';

const files = createSqliteFiles();
const stores: Store[] = [];
const threads: Array<ReturnType<typeof createWriterThread>> = [];
const others: SqliteDatabase.Database[] = [];
afterEach(async () => {
  for (const o of others.splice(0)) o.close();
  for (const s of stores.splice(0)) await s.close();
  for (const t of threads.splice(0)) await t.close();
  await files.dispose();
});

/** A store on a fresh SQLite file whose health flushes when the test says, on the test's clock. */
async function openStore(clock: { now: number }, errors: unknown[] = []) {
  const { url } = await files.open();
  const store = await createStore({
    databaseUrl: url,
    secretKey: randomBytes(32),
    health: { now: () => clock.now, flushMs: 600_000, onError: (e) => errors.push(e) },
  });
  stores.push(store);
  return { url, store };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((turn) => setImmediate(turn));
};

describe('webhook health on a SQLite file', () => {
  it('is flushed by the writer thread: while this thread’s connection holds the write lock, the flush waits, and survives that transaction’s rollback', async () => {
    const clock = { now: Date.parse('2026-11-30T10:15:00.000Z') };
    const errors: unknown[] = [];
    const { store } = await openStore(clock, errors);
    const w = { tenantId: randomUUID(), id: randomUUID() };
    store.health.delivered(w, 1, 0);
    await store.health.flush();

    // The HTTP thread's own connection takes the file's write lock. An upsert on that connection would join its
    // transaction, finish at once and go with the rollback; on the writer thread it waits for the lock.
    await sql`begin immediate`.execute(store.kysely);
    store.health.delivered(w, 2, 0);
    store.health.refused(w, 'bad_token');
    let flushed = false;
    const flushing = store.health.flush().then(() => {
      flushed = true;
    });
    await turns(50);
    expect(flushed).toBe(false);
    await sql`rollback`.execute(store.kysely);
    await flushing;
    expect(errors).toEqual([]);
    expect((await store.health.read(w.tenantId, [w.id])).get(w.id)).toMatchObject({ deliveries: 3, accepted: 3, refused: 1 });
  });

  it('keeps this thread turning while another connection holds the write lock, and writes once it is released', async () => {
    const clock = { now: Date.parse('2026-11-30T10:15:00.000Z') };
    const errors: unknown[] = [];
    const { url, store } = await openStore(clock, errors);
    const w = { tenantId: randomUUID(), id: randomUUID() };
    store.health.delivered(w, 1, 0);
    await store.health.flush();

    // Another process's writer, say: run on the main connection, the upsert would block this thread in SQLite's
    // busy handler for up to busy_timeout (5 s, db.ts) and then fail with SQLITE_BUSY.
    const other = new SqliteDatabase(url.slice('file:'.length));
    others.push(other);
    other.prepare('begin immediate').run();
    for (let i = 0; i < 1_000; i++) store.health.refused({ tenantId: w.tenantId, id: randomUUID() }, 'too_large');
    store.health.delivered(w, 1, 1);
    let flushed = false;
    const flushing = store.health.flush().then(() => {
      flushed = true;
    });
    const started = performance.now();
    await turns(50);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(flushed).toBe(false);
    other.prepare('commit').run();
    await flushing;
    expect(errors).toEqual([]);
    expect((await store.health.read(w.tenantId, [w.id])).get(w.id)).toMatchObject({ deliveries: 2, accepted: 2, duplicates: 1 });
    expect(
      await store.kysely
        .selectFrom('webhook_health')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ).toEqual({
      n: 1_001,
    });
  });

  it('merges into the rows already there: counts added, newest timestamps kept, the vendor message with the newer failure', async () => {
    const clock = { now: Date.parse('2026-11-30T10:15:00.000Z') };
    const { store } = await openStore(clock);
    const w = { tenantId: randomUUID(), id: randomUUID() };
    const row = async () => store.kysely.selectFrom('webhook_health').selectAll().where('webhook_id', '=', w.id).executeTakeFirstOrThrow();
    const start = store.queryCount();

    store.health.delivered(w, 2, 0);
    await store.health.flush();
    await store.health.recordVendorFailure(w.tenantId, w.id, 'newer');
    clock.now = Date.parse('2026-11-30T10:05:00.000Z');
    // An older delivery, an older failure (another replica's, written late): neither replaces what is newer.
    store.health.refused(w, 'unparsable');
    await store.health.flush();
    await store.health.recordVendorFailure(w.tenantId, w.id, 'older');
    // None of it went through this thread's connection.
    expect(store.queryCount()).toBe(start);
    expect(await row()).toMatchObject({
      hour_start: '2026-11-30T10:00:00.000Z',
      deliveries: 2,
      accepted: 2,
      refused_unparsable: 1,
      vendor_failures: 2,
      last_delivery_at: '2026-11-30T10:15:00.000Z',
      last_event_at: '2026-11-30T10:15:00.000Z',
      last_vendor_error: 'newer',
      last_vendor_error_at: '2026-11-30T10:15:00.000Z',
    });
    // A newer failure takes the message; a delivery without one leaves it.
    clock.now = Date.parse('2026-11-30T10:20:00.000Z');
    await store.health.recordVendorFailure(w.tenantId, w.id, 'newest');
    store.health.delivered(w, 0, 1);
    await store.health.flush();
    expect(await row()).toMatchObject({
      deliveries: 3,
      duplicates: 1,
      vendor_failures: 3,
      last_delivery_at: '2026-11-30T10:20:00.000Z',
      last_event_at: '2026-11-30T10:15:00.000Z',
      last_vendor_error: 'newest',
      last_vendor_error_at: '2026-11-30T10:20:00.000Z',
    });

    // The first flush of an hour past the window deletes the old hours, on the writer thread too.
    clock.now = Date.parse('2026-12-01T11:00:00.000Z');
    store.health.delivered({ tenantId: w.tenantId, id: randomUUID() }, 1, 0);
    const before = store.queryCount();
    await store.health.flush();
    expect(store.queryCount()).toBe(before);
    expect(await store.kysely.selectFrom('webhook_health').select('webhook_id').where('webhook_id', '=', w.id).execute()).toEqual([]);
  });

  it('starts on a schema older than webhook_health and prepares its statements once the table is there', async () => {
    const db = await files.open('0008_api_key_access');
    const thread = createWriterThread(db.url);
    threads.push(thread);
    const [appended] = await thread.append([newEvent(randomUUID(), { webhookId: randomUUID() })]);
    expect(appended?.event.seq).toBe(1);
    const row: HealthRow = {
      hour_start: '2026-11-30T10:00:00.000Z',
      webhook_id: randomUUID(),
      tenant_id: randomUUID(),
      deliveries: 1,
      accepted: 1,
      duplicates: 0,
      refused_bad_token: 0,
      refused_bad_signature: 0,
      refused_too_large: 0,
      refused_unsupported_type: 0,
      refused_unparsable: 0,
      refused_normalizer: 0,
      refused_incomplete: 0,
      refused_unavailable: 0,
      refused_internal: 0,
      vendor_failures: 0,
      last_delivery_at: '2026-11-30T10:15:00.000Z',
      last_event_at: '2026-11-30T10:15:00.000Z',
      last_vendor_error: null,
      last_vendor_error_at: null,
    };
    await expect(thread.health.upsert([row])).rejects.toThrow(/no such table: webhook_health/);
    await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite');
    await thread.health.upsert([row]);
    await thread.health.upsert([row]);
    expect(db.sqlite.prepare('select deliveries, accepted from webhook_health').all()).toEqual([{ deliveries: 2, accepted: 2 }]);
  });
});
