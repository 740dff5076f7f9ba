import type SqliteDatabase from 'better-sqlite3';
import { HEALTH_COLUMNS, type HealthRow, upsertAssignments } from '../health.js';

/** A webhook_health row as sent to the writer thread: its values in HEALTH_COLUMNS order (a flat array clones cheaply). */
export type HealthWireRow = Array<string | number | null>;

export const toHealthWireRows = (rows: readonly HealthRow[]): HealthWireRow[] => rows.map((r) => HEALTH_COLUMNS.map((c) => r[c]));

/**
 * Webhook health's writes on SQLite (../health.ts HealthWrites) with prepared statements: the upsert of the Kysely
 * path, built from the same assignments (counts added, newest timestamps kept, the message with the newer failure
 * time), run once per row inside one transaction, and the deletion of the hours past the window.
 *
 * On a file the event writer thread runs them (writer-worker.ts), between two appends: it is the file's only
 * writer, so a flush never waits for the write lock, nor holds up a commit, and the HTTP thread neither waits nor
 * executes anything. An in-memory database runs them on its own connection (writer-thread.ts createSqliteWriter).
 */
export function createHealthWriter(sqlite: SqliteDatabase.Database) {
  // Prepared on the first write: the writer thread also runs on schemas older than webhook_health (migration 0009),
  // and a statement that failed to prepare (the table missing for a moment) is prepared again by the next write.
  let prepared: ReturnType<typeof prepare> | null = null;
  const prepare = () => {
    const upsert = sqlite.prepare(
      `insert into webhook_health (${HEALTH_COLUMNS.join(', ')}) values (${HEALTH_COLUMNS.map(() => '?').join(', ')})
         on conflict (hour_start, webhook_id) do update set ${upsertAssignments('sqlite')
           .map(([column, value]) => `${column} = ${value}`)
           .join(', ')}`,
    );
    const upsertAll = sqlite.transaction((rows: readonly HealthWireRow[]) => {
      for (const row of rows) upsert.run(row);
    });
    const prune = sqlite.prepare('delete from webhook_health where hour_start < ?');
    // The connection's own setting (db.ts: FULL), restored after each write.
    const synchronous = Number(sqlite.pragma('synchronous', { simple: true }));
    return { upsertAll, prune, synchronous };
  };

  /**
   * Runs a write without an fsync of its own: health counts are an operator's view that a crash may lose a second
   * of anyway (health.ts), and the next append's commit syncs the log with them. On the writer thread an fsync per
   * flush would be one more the group commit waits behind.
   */
  function unsynced<T>(write: (p: ReturnType<typeof prepare>) => T): T {
    prepared ??= prepare();
    const p = prepared;
    sqlite.pragma('synchronous = NORMAL');
    try {
      return write(p);
    } finally {
      sqlite.pragma(`synchronous = ${p.synchronous}`);
    }
  }

  return {
    /** Adds the rows to their hours in one IMMEDIATE transaction (all or none of them); returns how many. */
    upsert(rows: readonly HealthWireRow[]): number {
      if (rows.length === 0) return 0;
      unsynced((p) => p.upsertAll.immediate(rows));
      return rows.length;
    },
    /** Deletes the hours that start before `before` (ISO); returns how many rows went. */
    prune(before: string): number {
      return unsynced((p) => p.prune.run(before).changes);
    },
  };
}
