import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from './db.js';
import { createEventStore, type NewEvent } from './events.js';

/**
 * The SQLite event writer thread: the same EventStore.append, on its own connection, so that
 * statement execution and the commit's fsync never block the thread that serves HTTP.
 */
const db = openDb((workerData as { databaseUrl: string }).databaseUrl);
const events = createEventStore(db);

parentPort?.on('message', async (message: { id: number; events: NewEvent[] } | 'close') => {
  if (message === 'close') {
    await db.destroy();
    parentPort?.close();
    return;
  }
  try {
    parentPort?.postMessage({ id: message.id, ok: true, result: await events.append(message.events) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
