import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../src/domain/event.js';
import { dedupHash } from '../../../src/store/sqlite/dedup-hash.js';
import { newEvent } from '../../utils/events.js';
import { appender, createSqliteFiles } from './sqlite-file.js';

const files = createSqliteFiles();
afterEach(() => files.dispose());

describe('SQLite append', () => {
  it('stores the dedup hash as an exact INTEGER', async () => {
    const db = await files.open();
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

  it('keeps dedup exact when different keys share a hash, in memory and once merged', async () => {
    const db = await files.open();
    // Every key hashes to the same value; a generation of 2 keys is frozen and merged at once.
    const append = appender(db.sqlite, { hash: () => 42, generation: 2 });
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
    expect(db.sqlite.prepare('select dedup_hash from events order by seq').pluck().all()).toEqual([42, 42, 42, 42]);
    // Each one again, in another order and batch, is a duplicate; a fifth key is not.
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
    // The first four were merged with that second append; all five are found there after a restart.
    expect(db.sqlite.prepare('select hash, seq from event_dedup order by seq').raw().all()).toEqual(
      [a, b, c, d].map((x) => [42, x?.event.seq]),
    );
    const restarted = appender(db.sqlite, { hash: () => 42 });
    const third = restarted([
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:e' }),
      newEvent(tenantId, { webhookId: w2, dedupKey: 'id:b' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:b' }),
    ]);
    expect(third.map((x) => x !== null)).toEqual([false, true, false]);
  });

  it('merges keys into event_dedup in hash order, a few per append, and moves the mark with the last', async () => {
    const db = await files.open();
    const append = appender(db.sqlite, { generation: 100 });
    const tenantId = randomUUID();
    const webhookId = randomUUID();
    const batch = (n: number) => Array.from({ length: n }, () => newEvent(tenantId, { webhookId }));
    const mark = () => db.sqlite.prepare('select seq from event_dedup_mark').pluck().get();
    const merged = () => db.sqlite.prepare('select count(*) from event_dedup').pluck().get();
    const first = append(batch(100));
    const hashOf = (seq: number | undefined) =>
      dedupHash(webhookId, db.sqlite.prepare('select dedup_key from events where seq = ?').pluck().get(seq) as string);
    const byHash = first.map((x) => [hashOf(x?.event.seq), x?.event.seq]).sort(([x], [y]) => (x as number) - (y as number));
    const mergedRows = () => db.sqlite.prepare('select hash, seq from event_dedup order by hash').raw().all();
    // 100 keys in memory: frozen now, merged from the next append on, whole buckets of hashes until at
    // least 64 are in, lowest hashes first.
    expect([merged(), mark()]).toEqual([0, 0]);
    append(batch(1));
    expect(mark()).toBe(0);
    const firstStep = merged() as number;
    expect(firstStep).toBeGreaterThanOrEqual(64);
    expect(firstStep).toBeLessThan(100);
    expect(mergedRows()).toEqual(byHash.slice(0, firstStep));
    append(batch(1));
    expect(mergedRows()).toEqual(byHash);
    expect(mark()).toBe(first.at(-1)?.event.seq);
    // The merged ones and the newer ones still in memory are all duplicates.
    const keys = db.sqlite.prepare('select dedup_key from events order by seq').pluck().all() as string[];
    expect(keys).toHaveLength(102);
    expect(append(keys.map((dedupKey) => newEvent(tenantId, { webhookId, dedupKey }))).every((x) => x === null)).toBe(true);
  });

  it('rebuilds its memory from the log on start: keys not merged before a stop are still found', async () => {
    const db = await files.open();
    const tenantId = randomUUID();
    const webhookId = randomUUID();
    const events = Array.from({ length: 150 }, () => newEvent(tenantId, { webhookId }));
    // Stopped halfway through a merge: 100 frozen, 64 or a few more of them merged, the mark not moved.
    const first = appender(db.sqlite, { generation: 100 });
    first(events.slice(0, 100));
    first(events.slice(100, 101));
    expect(db.sqlite.prepare('select count(*) from event_dedup').pluck().get()).toBeGreaterThanOrEqual(64);
    expect(db.sqlite.prepare('select seq from event_dedup_mark').pluck().get()).toBe(0);
    // The new appender finds those 101 in the log and freezes them again with its first append.
    const restarted = appender(db.sqlite, { generation: 100 });
    expect(restarted(events.slice(0, 101).map((e) => ({ ...e }))).every((x) => x === null)).toBe(true);
    const rest = restarted(events.slice(101)); // 49 new ones, and at least 98 keys merged
    expect(rest.every((x) => x !== null)).toBe(true);
    restarted([newEvent(tenantId, { webhookId })]); // the rest merged, the mark moved
    // Merged twice, stored once.
    expect(db.sqlite.prepare('select count(*) from event_dedup').pluck().get()).toBe(101);
    expect(db.sqlite.prepare('select seq from event_dedup_mark').pluck().get()).toBe(101);
    expect(restarted(events.map((e) => ({ ...e }))).every((x) => x === null)).toBe(true);
    expect(db.sqlite.prepare('select count(*) from events').pluck().get()).toBe(151);
  });

  it('stays exact with two appenders on one file: each reads the keys the other committed', async () => {
    const db = await files.open();
    const a = appender(db.sqlite, { generation: 3 });
    const b = appender(db.sqlite, { generation: 3 });
    const tenantId = randomUUID();
    const webhookId = randomUUID();
    const e = (k: number) => newEvent(tenantId, { webhookId, dedupKey: `id:${k}` });
    const stored = (xs: unknown[]) => xs.map((x) => x !== null);
    expect(stored(a([e(1), e(2)]))).toEqual([true, true]);
    expect(stored(b([e(1), e(3)]))).toEqual([false, true]);
    expect(stored(a([e(3), e(4), e(5)]))).toEqual([false, true, true]);
    expect(stored(b([e(2), e(4), e(5), e(6)]))).toEqual([false, false, false, true]);
    // Both freeze and merge what they hold; keys merged twice are stored once, and the mark only moves on.
    for (let k = 7; k <= 12; k++) (k % 2 ? a : b)([e(k)]);
    expect(db.sqlite.prepare('select count(*) from event_dedup').pluck().get()).toBeGreaterThanOrEqual(6);
    expect(db.sqlite.prepare('select count(*) from event_dedup').pluck().get()).toBe(
      db.sqlite.prepare('select count(distinct seq) from event_dedup').pluck().get(),
    );
    const fresh = appender(db.sqlite);
    expect(fresh(Array.from({ length: 12 }, (_, i) => e(i + 1))).every((x) => x === null)).toBe(true);
    expect(db.sqlite.prepare('select count(*) from events').pluck().get()).toBe(12);
  });

  it('keeps no key of a batch that rolled back', async () => {
    const db = await files.open();
    const append = appender(db.sqlite);
    const tenantId = randomUUID();
    const good = newEvent(tenantId, { webhookId: randomUUID() });
    const bad = { ...newEvent(tenantId, { webhookId: randomUUID() }), provider: null } as unknown as NewEvent;
    expect(() => append([good, bad])).toThrow(/NOT NULL/);
    expect(append([{ ...good }])[0]).not.toBeNull();
    expect(append([{ ...good }])[0]).toBeNull();
  });

  it('never deduplicates events without a webhook', async () => {
    const db = await files.open();
    const append = appender(db.sqlite);
    const e = newEvent(randomUUID(), { webhookId: null, dedupKey: 'id:same' });
    expect(append([e, { ...e }]).every((x) => x !== null)).toBe(true);
  });

  it('rolls the whole batch back when a row fails', async () => {
    const db = await files.open();
    const append = appender(db.sqlite);
    const tenantId = randomUUID();
    const bad = { ...newEvent(tenantId, { webhookId: randomUUID() }), provider: null } as unknown as NewEvent;
    expect(() => append([newEvent(tenantId, { webhookId: randomUUID() }), bad])).toThrow(/NOT NULL/);
    expect(db.sqlite.prepare('select count(*) from events').pluck().get()).toBe(0);
  });
});
