import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrations.js';
import { createThreadedAppend } from '../../src/store/threaded-append.js';
import { newEvent } from '../utils/events.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A migrated SQLite file, its writer threads, and the size of the database file proper (not its WAL). */
async function setup(checkpointMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hookgraph-threads-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'events.sqlite');
  const db = openDb(`file:${file}`);
  cleanups.push(() => db.destroy());
  await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite');
  // Start from a database file holding the schema, with an empty log.
  db.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
  const threads = createThreadedAppend(`file:${file}`, { checkpointMs });
  cleanups.push(() => threads.close());
  return { threads, dbFileSize: () => statSync(file).size };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SQLite writer threads', () => {
  it('append on the writer thread, and the checkpoint thread copies the log into the database', async () => {
    const { threads, dbFileSize } = await setup(50);
    const tenantId = randomUUID();
    const before = dbFileSize();
    const appended = await threads.append(Array.from({ length: 300 }, () => newEvent(tenantId)));
    expect(appended.every((a) => a !== null)).toBe(true);
    expect(appended.map((a) => a?.event.seq)).toEqual(appended.map((_, i) => i + 1));

    const deadline = Date.now() + 5_000;
    while (dbFileSize() === before && Date.now() < deadline) await sleep(25);
    expect(dbFileSize()).toBeGreaterThan(before);
  });

  it('leave the database file alone between checkpoints (the commit itself only writes the log)', async () => {
    const { threads, dbFileSize } = await setup(3_600_000);
    const before = dbFileSize();
    await threads.append(Array.from({ length: 300 }, () => newEvent(randomUUID())));
    await sleep(300);
    expect(dbFileSize()).toBe(before);
  });
});
