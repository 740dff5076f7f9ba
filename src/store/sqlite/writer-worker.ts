import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db.js';
import { createSqliteAppender } from './appender.js';
import type { WriterMessage } from './writer-thread.js';

/**
 * The SQLite event writer thread: appends on its own connection, so that statement execution and
 * the commit's fsync never block the thread that serves HTTP. Rows arrive and results leave as
 * flat arrays (see wire-row.ts).
 */
const { databaseUrl, replies } = workerData as { databaseUrl: string; replies: MessagePort };
const db = openDb(databaseUrl);
if (!db.sqlite) throw new Error('the event writer thread is for SQLite only');
const append = createSqliteAppender(db.sqlite);

parentPort?.on('message', async (message: WriterMessage) => {
  if (message === 'close') {
    await db.destroy();
    replies.close();
    parentPort?.close();
    return;
  }
  try {
    // A retention batch (retention.ts) runs here too, between appends: this thread is the file's only writer.
    const result = 'prune' in message ? append.prune(...message.prune) : append(message.rows);
    replies.postMessage({ id: message.id, ok: true, result });
  } catch (error) {
    replies.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
