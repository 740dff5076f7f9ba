import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { dedupHash } from '../../../src/store/sqlite/dedup-hash.js';
import { newEvent } from '../../utils/events.js';
import { appender, createSqliteFiles } from '../sqlite/sqlite-file.js';

const files = createSqliteFiles();
afterEach(() => files.dispose());

describe('migrations 0003 and 0004 on a SQLite log written before them', () => {
  it('backfill the dedup hash and move it to event_dedup, so deliveries stored earlier are still recognised', async () => {
    const db = await files.open('0002_events_fewer_indexes');
    const tenantId = randomUUID();
    const w1 = randomUUID();
    const w2 = randomUUID();
    // Rows as the 0002 schema held them (no dedup_hash column yet).
    const insert = db.sqlite.prepare(
      `insert into events (id, tenant_id, webhook_id, provider, type, provider_event_type, occurred_at, received_at, test, payload, dedup_key)
       values (?, ?, ?, 'BOOQABLE', 'invoice.created', 'invoice.created', null, '2026-01-01T00:00:00.000Z', 0, '{}', 'id:one')`,
    );
    for (const w of [w1, w2, null]) insert.run(randomUUID(), tenantId, w);
    const migrate = (target?: string) => migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite', target);
    expect(await migrate('0003_events_dedup_hash')).toEqual(['0003_events_dedup_hash']);
    const slots = db.sqlite.prepare('select dedup_hash from events order by seq').pluck().all();
    expect(slots).toEqual([dedupHash(w1, 'id:one'), dedupHash(w2, 'id:one'), null]);
    expect(await migrate('0004_event_dedup_table')).toEqual(['0004_event_dedup_table']);
    expect(db.sqlite.prepare('select hash, seq from event_dedup order by seq').raw().all()).toEqual([
      [dedupHash(w1, 'id:one'), 1],
      [dedupHash(w2, 'id:one'), 2],
    ]);
    expect(db.sqlite.prepare('select seq from event_dedup_mark').pluck().get()).toBe(3);
    const again = appender(db.sqlite)([
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
    expect(indexes).not.toContain('events_dedup_hash');
  });

  it('0004 gives a row that 0003 probed past a taken hash its own hash back', async () => {
    const db = await files.open('0003_events_dedup_hash');
    const tenantId = randomUUID();
    const w1 = randomUUID();
    const w2 = randomUUID();
    const taken = dedupHash(w1, 'id:a');
    // As 0003 stored a collision: the second key found its hash taken and held the next slot.
    const insert = db.sqlite.prepare(
      `insert into events (id, tenant_id, webhook_id, provider, type, provider_event_type, occurred_at, received_at, test, payload, dedup_key, dedup_hash)
       values (?, ?, ?, 'BOOQABLE', 'invoice.created', 'invoice.created', null, '2026-01-01T00:00:00.000Z', 0, '{}', ?, ?)`,
    );
    insert.run(randomUUID(), tenantId, w1, 'id:a', taken);
    insert.run(randomUUID(), tenantId, w2, 'id:b', taken + 1);
    await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite');
    expect(db.sqlite.prepare('select dedup_hash from events order by seq').pluck().all()).toEqual([taken, dedupHash(w2, 'id:b')]);
    const again = appender(db.sqlite)([
      newEvent(tenantId, { webhookId: w2, dedupKey: 'id:b' }),
      newEvent(tenantId, { webhookId: w1, dedupKey: 'id:a' }),
    ]);
    expect(again).toEqual([null, null]);
  });
});
