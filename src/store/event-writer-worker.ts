import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from './db.js';
import { createSqliteAppend, type WireRow } from './sqlite-append.js';

/**
 * The SQLite event writer thread (role `append`): appends on its own connection, so that statement
 * execution and the commit's fsync never block the thread that serves HTTP. Rows arrive and results
 * leave as flat arrays (see WireRow).
 *
 * The same file runs the checkpoint thread (role `checkpoint`): every `intervalMs` it copies the
 * committed WAL back into the database with a PASSIVE checkpoint, beside the writer rather than in
 * its commits. SQLite's own auto-checkpoint runs inside the commit that crosses the threshold, and
 * that delivery waits for it; this thread takes the work off the acknowledgement path. The writer
 * keeps its auto-checkpoint as a backstop should this thread fall behind.
 */
const { databaseUrl, role, intervalMs } = workerData as { databaseUrl: string; role: 'append' | 'checkpoint'; intervalMs?: number };
const db = openDb(databaseUrl);
const sqlite = db.sqlite;
if (!sqlite) throw new Error('the event writer threads are for SQLite only');

if (role === 'checkpoint') {
  let failures = 0;
  const timer = setInterval(() => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
      failures = 0;
    } catch (error) {
      // Not fatal (the writer's backstop still bounds the log); said once per run of failures.
      if (failures++ === 0) parentPort?.postMessage({ checkpointError: error instanceof Error ? error.message : String(error) });
    }
  }, intervalMs ?? 200);
  parentPort?.on('message', async (message: unknown) => {
    if (message !== 'close') return;
    clearInterval(timer);
    await db.destroy();
    parentPort?.close();
  });
} else {
  const append = createSqliteAppend(sqlite);
  parentPort?.on('message', async (message: { id: number; rows: WireRow[] } | 'close') => {
    if (message === 'close') {
      await db.destroy();
      parentPort?.close();
      return;
    }
    try {
      parentPort?.postMessage({ id: message.id, ok: true, result: append(message.rows) });
    } catch (error) {
      parentPort?.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
