import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { NewEvent } from '../../../src/domain/event.js';
import { type Db, openDb } from '../../../src/store/db.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { createSqliteAppender } from '../../../src/store/sqlite/appender.js';
import { fromWireResults, toWireRow } from '../../../src/store/sqlite/wire-row.js';

export type SqliteFile = Db & { sqlite: NonNullable<Db['sqlite']>; url: string };

/** Migrated SQLite files (or ones stopped at `target`) in temp directories, removed by `dispose`. */
export function createSqliteFiles() {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  return {
    async open(target?: string): Promise<SqliteFile> {
      const dir = mkdtempSync(join(tmpdir(), 'hookgraph-append-'));
      dirs.push(dir);
      const url = `file:${join(dir, 'events.sqlite')}`;
      const db = openDb(url);
      dbs.push(db);
      await migrateToLatest(db.kysely as unknown as Kysely<unknown>, 'sqlite', target);
      if (!db.sqlite) throw new Error('not SQLite');
      return Object.assign(db as Db & { sqlite: NonNullable<Db['sqlite']> }, { url });
    },
    async dispose(): Promise<void> {
      for (const db of dbs.splice(0)) await db.destroy();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** The appender over NewEvents, as the writer thread and an in-memory store drive it. */
export function appender(...args: Parameters<typeof createSqliteAppender>) {
  const append = createSqliteAppender(...args);
  return (events: NewEvent[]) => fromWireResults(events, append(events.map(toWireRow)));
}
