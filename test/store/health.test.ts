import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, storeBackends, type TestDatabase } from '../utils/databases.js';

const HOUR = 3_600_000;

/**
 * A SQLite file (health writes on the event writer thread), an in-memory SQLite database (the same prepared
 * statements, on the store's own connection) and PostgreSQL when reachable (Kysely statements).
 */
const backends = [...storeBackends, 'sqlite-memory'] as const;
const inMemory = (): TestDatabase => ({ name: 'sqlite', url: 'file::memory:', drop: async () => {} });

describe.each(backends)('webhook health in the store on %s', (backend) => {
  let db: TestDatabase;
  let store: Store;
  const secretKey = randomBytes(32);
  /** The store's clock: tests move it across hours and windows. */
  let clock = Date.parse('2026-11-30T10:15:00.000Z');
  const errors: unknown[] = [];
  beforeAll(async () => {
    db = backend === 'sqlite-memory' ? inMemory() : await createTestDatabase(backend);
    // A long flush interval: these tests flush when they choose (one test checks the timer on a store of its own).
    store = await createStore({
      databaseUrl: db.url,
      secretKey,
      health: { now: () => clock, flushMs: 600_000, onError: (e) => errors.push(e) },
    });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const webhook = () => ({ tenantId: randomUUID(), id: randomUUID() });
  const readOne = async (w: { tenantId: string; id: string }) => (await store.health.read(w.tenantId, [w.id])).get(w.id);
  const rowsOf = (webhookId: string) =>
    store.kysely.selectFrom('webhook_health').selectAll().where('webhook_id', '=', webhookId).orderBy('hour_start').execute();

  it('counts accepted events, duplicates and refusals by reason, and sums them over the window', async () => {
    const w = webhook();
    clock = Date.parse('2026-11-30T10:15:00.000Z');
    store.health.delivered(w, 3, 0);
    store.health.delivered(w, 0, 2);
    store.health.refused(w, 'bad_token');
    store.health.refused(w, 'bad_token');
    store.health.refused(w, 'unparsable');
    // Nothing reaches the table before a flush.
    expect(await rowsOf(w.id)).toEqual([]);
    await store.health.flush();
    clock = Date.parse('2026-11-30T11:05:00.000Z');
    store.health.delivered(w, 1, 1);
    await store.health.flush();

    expect(await readOne(w)).toEqual({
      window: '24h',
      lastDeliveryAt: new Date('2026-11-30T11:05:00.000Z'),
      lastEventAt: new Date('2026-11-30T11:05:00.000Z'),
      deliveries: 6,
      accepted: 4,
      duplicates: 3,
      refused: 3,
      refusedByReason: [
        { reason: 'bad_token', count: 2 },
        { reason: 'unparsable', count: 1 },
      ],
      vendorFailures: 0,
      lastVendorError: null,
      lastVendorErrorAt: null,
    });
    // One row per hour.
    expect((await rowsOf(w.id)).map((r) => [r.hour_start, Number(r.deliveries), Number(r.refused_bad_token)])).toEqual([
      ['2026-11-30T10:00:00.000Z', 5, 2],
      ['2026-11-30T11:00:00.000Z', 1, 0],
    ]);
  });

  it('writes every webhook counted since the last flush in one statement, adding to the hours already there', async () => {
    clock = Date.parse('2026-11-30T12:10:00.000Z');
    const hooks = [webhook(), webhook(), webhook()];
    for (const w of hooks) store.health.delivered(w, 1, 0);
    // The hour's first flush also deletes the buckets past the window.
    await store.health.flush();
    for (const w of hooks) {
      store.health.delivered(w, 2, 0);
      store.health.refused(w, 'too_large');
    }
    // PostgreSQL: one Kysely statement. SQLite: none through Kysely, one transaction of prepared statements (on the
    // writer thread for a file: test/store/sqlite/health-writer.test.ts shows it is not this thread's connection).
    const statements = (n: number) => (backend === 'postgres' ? n : 0);
    const before = store.queryCount();
    await store.health.flush();
    expect(store.queryCount() - before).toBe(statements(1));
    for (const w of hooks) expect(await readOne(w)).toMatchObject({ deliveries: 3, accepted: 3, refused: 1 });
    // Past 250 webhooks a flush takes several upserts (with turns of the event loop between them).
    const many = Array.from({ length: 600 }, webhook);
    for (const w of many) store.health.refused(w, 'incomplete');
    const start = store.queryCount();
    await store.health.flush();
    expect(store.queryCount() - start).toBe(statements(3));
    const sample = [many[0], many[299], many[599]] as { tenantId: string; id: string }[];
    for (const w of sample) expect((await readOne(w))?.refusedByReason).toEqual([{ reason: 'incomplete', count: 1 }]);
  });

  it('reads only the asking tenant’s rows', async () => {
    const w = webhook();
    store.health.delivered(w, 5, 0);
    await store.health.flush();
    expect((await readOne(w))?.accepted).toBe(5);
    const other = (await store.health.read(randomUUID(), [w.id])).get(w.id);
    expect(other).toMatchObject({ deliveries: 0, accepted: 0, lastDeliveryAt: null });
  });

  it('leaves buckets older than the window out of the sums, and deletes them on the first flush of a later hour', async () => {
    const w = webhook();
    clock = Date.parse('2026-11-30T13:20:00.000Z');
    store.health.delivered(w, 7, 0);
    await store.health.flush();
    // The current hour and the 24 before it are summed: at 13:59 tomorrow the 13:00 bucket still counts.
    clock = Date.parse('2026-12-01T13:59:00.000Z');
    expect((await readOne(w))?.accepted).toBe(7);
    clock = Date.parse('2026-12-01T14:00:00.000Z');
    expect(await readOne(w)).toMatchObject({ accepted: 0, deliveries: 0, lastEventAt: null });
    expect(await rowsOf(w.id)).toHaveLength(1);
    store.health.delivered(webhook(), 1, 0);
    await store.health.flush();
    expect(await rowsOf(w.id)).toEqual([]);
  });

  it('keeps the newest vendor failure message, one line of at most 300 characters', async () => {
    const w = webhook();
    clock = Date.parse('2026-12-01T15:00:00.000Z');
    await store.health.recordVendorFailure(w.tenantId, w.id, 'BOOQABLE answered 503');
    clock += 60_000;
    await store.health.recordVendorFailure(w.tenantId, w.id, `SUPEROFFICE\nanswered ${'x'.repeat(1_000)}`);
    const h = await readOne(w);
    expect(h?.vendorFailures).toBe(2);
    expect(h?.lastVendorErrorAt).toEqual(new Date(clock));
    expect(Array.from(h?.lastVendorError ?? '')).toHaveLength(300);
    expect(h?.lastVendorError?.startsWith('SUPEROFFICE answered xxx')).toBe(true);
    // An older failure written later (another replica's) does not replace the newer message.
    clock -= 30_000;
    await store.health.recordVendorFailure(w.tenantId, w.id, 'older');
    expect((await readOne(w))?.lastVendorError?.startsWith('SUPEROFFICE')).toBe(true);
    expect((await readOne(w))?.vendorFailures).toBe(3);
  });

  it('keeps a message with quotes, braces, commas, backslashes and the word NULL as it was', async () => {
    const w = webhook();
    const message = 'ROOTFI said "no", {x}\\y NULL \'z\'';
    await store.health.recordVendorFailure(w.tenantId, w.id, message);
    expect((await readOne(w))?.lastVendorError).toBe(message);
  });

  it('clamps sums to a GraphQL Int', async () => {
    const w = webhook();
    const hour = Math.floor(clock / HOUR) * HOUR;
    const row = (at: number) => ({
      hour_start: new Date(at).toISOString(),
      webhook_id: w.id,
      tenant_id: w.tenantId,
      accepted: 3_000_000_000,
      refused_bad_token: 2_000_000_000,
      refused_too_large: 1_000,
    });
    await store.kysely
      .insertInto('webhook_health')
      .values([row(hour), row(hour - HOUR)])
      .execute();
    expect(await readOne(w)).toMatchObject({ accepted: 2_147_483_647, refused: 2_147_483_647 });
    expect((await readOne(w))?.refusedByReason).toEqual([
      { reason: 'bad_token', count: 2_147_483_647 },
      { reason: 'too_large', count: 2_000 },
    ]);
  });

  it('keeps the counts of a flush that failed for the next one', async () => {
    const w = webhook();
    store.health.delivered(w, 2, 0);
    await store.kysely.schema.alterTable('webhook_health').renameTo('webhook_health_away').execute();
    try {
      await store.health.flush();
      expect(errors).toHaveLength(1);
    } finally {
      await store.kysely.schema.alterTable('webhook_health_away').renameTo('webhook_health').execute();
    }
    store.health.delivered(w, 1, 0);
    await store.health.flush();
    expect(await readOne(w)).toMatchObject({ deliveries: 2, accepted: 3 });
    errors.length = 0;
  });

  it('flushes on its own within the interval, and at close', async () => {
    const own = await createStore({ databaseUrl: db.url, secretKey, health: { flushMs: 20 } });
    const w = webhook();
    own.health.delivered(w, 1, 0);
    await vi.waitFor(async () => expect((await own.health.read(w.tenantId, [w.id])).get(w.id)?.accepted).toBe(1), { timeout: 5_000 });
    own.health.refused(w, 'normalizer');
    await own.close();
    // An in-memory database goes with its store: there is nothing left to read the last flush from.
    if (backend === 'sqlite-memory') return;
    clock = Date.now();
    const h = (await store.health.read(w.tenantId, [w.id])).get(w.id);
    expect(h).toMatchObject({ accepted: 1, refused: 1, deliveries: 2 });
  });

  it('counts nothing when the window is 0', async () => {
    const off = await createStore({ databaseUrl: db.url, secretKey, health: { windowHours: 0 } });
    const w = webhook();
    expect(off.health.enabled).toBe(false);
    off.health.delivered(w, 1, 0);
    off.health.refused(w, 'bad_token');
    await off.health.recordVendorFailure(w.tenantId, w.id, 'x');
    await off.health.flush();
    expect(await off.kysely.selectFrom('webhook_health').selectAll().where('webhook_id', '=', w.id).execute()).toEqual([]);
    await off.close();
    expect(await rowsOf(w.id)).toEqual([]);
  });
});
