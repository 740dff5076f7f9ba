import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import type { AppendedEvent, NewEvent } from '../../src/domain/event.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createPruner } from '../../src/store/retention.js';
import { createSqliteAppender } from '../../src/store/sqlite/appender.js';
import { fromWireResults, toWireRow } from '../../src/store/sqlite/wire-row.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, storeBackends, type TestDatabase } from '../utils/databases.js';
import { newEvent } from '../utils/events.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const silent = pino({ level: 'silent' });

describe.each(storeBackends)('retention in the store on %s', (backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    store = await createStore({ databaseUrl: db.url, secretKey: randomBytes(32) });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const tenant = async () => (await store.tenants.getOrCreate(`t-${randomUUID()}`)).tenant.id;
  const append = async (events: NewEvent[]) => (await store.events.append(events)) as AppendedEvent[];
  const seqsOf = async (tenantId: string) => (await store.events.list(tenantId, { limit: 1_000, order: 'asc' })).map((e) => e.seq);

  it('keeps a window, forever or the gateway default per tenant, and refuses anything else', async () => {
    const id = await tenant();
    const shown = async () => (await store.tenants.list()).find((t) => t.id === id)?.retention;
    expect(await shown()).toBeNull();
    expect(await store.tenants.setRetention(id, 3 * HOUR)).toBe(true);
    expect(await shown()).toBe(3 * HOUR);
    expect(await store.tenants.setRetention(id, 'forever')).toBe(true);
    expect(await shown()).toBe('forever');
    expect((await store.events.horizon(id)).retention).toBe('forever');
    expect(await store.tenants.setRetention(id, null)).toBe(true);
    expect(await shown()).toBeNull();
    expect(await store.tenants.setRetention(randomUUID(), HOUR)).toBe(false);
    // 0 would read back as 'forever', a negative window would prune everything: neither is a window.
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      await expect(store.tenants.setRetention(id, bad)).rejects.toThrow(RangeError);
  });

  it("deletes only a prefix of a tenant's expired events, a batch at a time, each moving the horizon with it", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const old = await append(Array.from({ length: 7 }, () => newEvent(a, { receivedAt: daysAgo(2) })));
    const young = await append([newEvent(a)]);
    // Old again after a young one (a clock step back): kept, since only a prefix of the log may go.
    const late = await append(Array.from({ length: 2 }, () => newEvent(a, { receivedAt: daysAgo(3) })));
    const others = await append(Array.from({ length: 4 }, () => newEvent(b, { receivedAt: daysAgo(2) })));
    const seq = (x: AppendedEvent[], i: number) => (x[i] as AppendedEvent).event.seq;

    expect(await store.events.pruneBatch(a, daysAgo(1), 3)).toMatchObject({ rows: 3, throughSeq: seq(old, 2), more: true });
    expect((await store.events.horizon(a)).seq).toBe(seq(old, 2));
    expect(await store.events.pruneBatch(a, daysAgo(1), 3)).toMatchObject({ rows: 3, throughSeq: seq(old, 5), more: true });
    expect(await store.events.pruneBatch(a, daysAgo(1), 3)).toMatchObject({ rows: 1, throughSeq: seq(old, 6), more: false });
    expect(await store.events.pruneBatch(a, daysAgo(1), 3)).toMatchObject({ rows: 0, throughSeq: null, more: false });
    expect((await store.events.horizon(a)).seq).toBe(seq(old, 6));
    expect(await seqsOf(a)).toEqual([seq(young, 0), seq(late, 0), seq(late, 1)]);
    // Another tenant's events, however old, are its own window's business.
    expect(await seqsOf(b)).toEqual(others.map((e) => e.event.seq));
    expect((await store.events.horizon(b)).seq).toBe(0);
  });

  it('forgets the dedup key of a pruned delivery (a redelivery is stored again) and still deduplicates the kept ones', async () => {
    const id = await tenant();
    const webhookId = randomUUID();
    const [gone] = await append([newEvent(id, { webhookId, dedupKey: 'id:gone', receivedAt: daysAgo(2) })]);
    const [kept] = await append([newEvent(id, { webhookId, dedupKey: 'id:kept' })]);
    expect((await store.events.pruneBatch(id, daysAgo(1), 10)).rows).toBe(1);
    const [again, dup] = await store.events.append([
      newEvent(id, { webhookId, dedupKey: 'id:gone' }),
      newEvent(id, { webhookId, dedupKey: 'id:kept' }),
    ]);
    expect(again?.event.seq).toBeGreaterThan(kept?.event.seq as number);
    expect(dup).toBeNull();
    expect(await seqsOf(id)).toEqual([kept?.event.seq, again?.event.seq]);
    expect(gone).toBeTruthy();
  });

  it('runs passes in the background on a jittered interval until stopped, and logs each pass that pruned', async () => {
    const id = await tenant();
    await store.tenants.setRetention(id, HOUR);
    await append(Array.from({ length: 5 }, () => newEvent(id, { receivedAt: daysAgo(1) })));
    const lines: Array<Record<string, unknown>> = [];
    const log = { info: (o: object, msg: string) => void lines.push({ ...o, msg }), debug: () => {}, warn: () => {} };
    const pruner = createPruner({ store, retentionMs: null, log, intervalMs: 20 });
    pruner.start();
    await expect.poll(() => seqsOf(id), { timeout: 5_000 }).toEqual([]);
    await pruner.stop();
    const line = lines.find((l) => l['msg'] === 'retention pass');
    expect(line).toMatchObject({ rows: 5, batches: 1, tenantsPruned: 1 });
    expect(typeof line?.['ms']).toBe('number');
  });

  it('stops a pass in progress after its current batch, and keeps what it already pruned', async () => {
    const id = await tenant();
    await store.tenants.setRetention(id, HOUR);
    await append(Array.from({ length: 2_000 }, () => newEvent(id, { receivedAt: daysAgo(1) })));
    const pruner = createPruner({ store, retentionMs: null, log: silent, batchSize: 10 });
    const pass = pruner.pruneOnce();
    await expect.poll(async () => (await store.events.horizon(id)).seq, { interval: 1 }).toBeGreaterThan(0);
    await pruner.stop();
    const report = await pass;
    expect(report.rows).toBeGreaterThan(0);
    expect(report.rows).toBeLessThan(2_000);
    expect(await store.events.count(id)).toBe(2_000 - report.rows);
    // An explicit pass still runs after a stop (the bench and `pruneOnce` callers rely on it).
    expect((await pruner.pruneOnce({ batchSize: 5_000 })).rows).toBe(2_000 - report.rows);
  });
});

describe.skipIf(!storeBackends.includes('postgres'))('retention on PostgreSQL replicas', () => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    store = await createStore({ databaseUrl: db.url, secretKey: randomBytes(32) });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('runs one pass at a time across replicas: a replica that finds the lock taken skips its pass', async () => {
    const { tenant } = await store.tenants.getOrCreate('replicated');
    await store.events.append(Array.from({ length: 3 }, () => newEvent(tenant.id, { receivedAt: daysAgo(2) })));
    const pruner = createPruner({ store, retentionMs: DAY, log: silent });
    // Another replica's pass, holding the lock of this deployment's schema.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query(`select pg_advisory_lock(hashtext('hookgraph-retention:' || coalesce(current_schema(), '')))`);
      expect(await pruner.pruneOnce()).toMatchObject({ skipped: true, rows: 0 });
      expect(await store.events.count(tenant.id)).toBe(3);
      await other.query(`select pg_advisory_unlock(hashtext('hookgraph-retention:' || coalesce(current_schema(), '')))`);
      expect(await pruner.pruneOnce()).toMatchObject({ skipped: false, rows: 3 });
      expect(await store.events.count(tenant.id)).toBe(0);
    } finally {
      await other.end();
    }
  });
});

describe('retention on the SQLite appender', () => {
  it('takes pruned keys out of memory and out of event_dedup, merged or not, so none of them ever comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookgraph-retention-'));
    const db = openDb(`file:${join(dir, 'events.sqlite')}`);
    try {
      await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite');
      const sqlite = db.sqlite as NonNullable<typeof db.sqlite>;
      const tenantId = randomUUID();
      sqlite.prepare('insert into tenants (id, name, created_at) values (?, ?, ?)').run(tenantId, 'acme', new Date().toISOString());
      // Generations of 4 keys: most of the old keys get merged into event_dedup, the last few stay in memory.
      const raw = createSqliteAppender(sqlite, { generation: 4 });
      const append = (events: NewEvent[]) => fromWireResults(events, raw(events.map(toWireRow))) as AppendedEvent[];
      const webhookId = randomUUID();
      const event = (key: string, receivedAt = new Date()) => newEvent(tenantId, { webhookId, dedupKey: key, receivedAt });
      const old = Array.from({ length: 14 }, (_, i) => append([event(`old-${i}`, daysAgo(2))])[0] as AppendedEvent);
      const oldSeqs = old.map((e) => e.event.seq);
      const pairsOf = (seqs: number[]) =>
        (sqlite.prepare('select seq from event_dedup').pluck().all() as number[]).filter((s) => seqs.includes(s)).length;
      expect(pairsOf(oldSeqs)).toBeGreaterThan(0);

      expect(raw.prune(tenantId, daysAgo(1).toISOString(), 5).slice(0, 3)).toEqual([5, oldSeqs[4], true]);
      expect(raw.prune(tenantId, daysAgo(1).toISOString(), 100).slice(0, 3)).toEqual([9, oldSeqs[13], false]);
      expect(pairsOf(oldSeqs)).toBe(0);
      // Later appends merge whatever generation was in memory at the prune: no pair of a pruned row returns.
      for (let i = 0; i < 30; i++) append([event(`young-${i}`)]);
      expect(pairsOf(oldSeqs)).toBe(0);
      // A pruned delivery comes back as new; the kept ones are still duplicates, merged or in memory.
      expect(append(old.map((_, i) => event(`old-${i}`))).every((r) => r !== null)).toBe(true);
      expect(append(Array.from({ length: 30 }, (_, i) => event(`young-${i}`))).every((r) => r === null)).toBe(true);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
