import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db.js';
import { createSqliteAppender } from './appender.js';
import { createHealthWriter } from './health-writer.js';
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
const health = createHealthWriter(db.sqlite);

/**
 * One message's writes. Retention batches (retention.ts) and webhook health flushes (health.ts) run here too,
 * between appends: this thread is the file's only writer, so neither waits for its write lock.
 */
function run(message: Exclude<WriterMessage, 'close'>) {
  if ('rows' in message) return append(message.rows);
  if ('prune' in message) return append.prune(...message.prune);
  if ('health' in message) return health.upsert(message.health);
  return health.prune(message.healthPrune);
}

parentPort?.on('message', async (message: WriterMessage) => {
  if (message === 'close') {
    await db.destroy();
    replies.close();
    parentPort?.close();
    return;
  }
  try {
    replies.postMessage({ id: message.id, ok: true, result: run(message) });
  } catch (error) {
    replies.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
