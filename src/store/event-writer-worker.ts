import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openDb } from './db.js';
import { createSqliteAppend, type WireRow } from './sqlite-append.js';

/**
 * The SQLite event writer thread: appends on its own connection, so that statement execution and
 * the commit's fsync never block the thread that serves HTTP. Rows arrive and results leave as
 * flat arrays (see WireRow).
 */
const { databaseUrl, replies } = workerData as { databaseUrl: string; replies: MessagePort };
const db = openDb(databaseUrl);
if (!db.sqlite) throw new Error('the event writer thread is for SQLite only');
const append = createSqliteAppend(db.sqlite);

parentPort?.on('message', async (message: { id: number; rows: WireRow[] } | 'close') => {
  if (message === 'close') {
    await db.destroy();
    replies.close();
    parentPort?.close();
    return;
  }
  try {
    replies.postMessage({ id: message.id, ok: true, result: append(message.rows) });
  } catch (error) {
    replies.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
