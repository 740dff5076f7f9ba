import type SqliteDatabase from 'better-sqlite3';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { AppendedEvent, NewEvent } from '../../domain/event.js';
import { startModuleWorker } from '../../worker-module.js';
import type { EventWrites, PruneBatch } from '../events.js';
import type { HealthWrites } from '../health.js';
import { createSqliteAppender } from './appender.js';
import { createHealthWriter, type HealthWireRow, toHealthWireRows } from './health-writer.js';
import { fromWireResults, type PruneResult, toWireRow, type WireResult, type WireRow } from './wire-row.js';

/** What the thread answers: an append's results, a prune batch's, or the rows a health write touched. */
type Result = WireResult[] | PruneResult | number;
type Reply = { id: number; ok: true; result: Result } | { id: number; ok: false; error: string };

/**
 * What the writer thread is sent: rows to append, a prune batch (appender.ts `prune`), webhook health rows to add
 * to their hours or the hours before an ISO time to delete (health-writer.ts), or 'close'.
 */
export type WriterMessage =
  | { id: number; rows: WireRow[] }
  | { id: number; prune: Parameters<PruneFn> }
  | { id: number; health: HealthWireRow[] }
  | { id: number; healthPrune: string }
  | 'close';
type PruneFn = (tenantId: string, before: string, limit: number) => PruneResult;

/** SQLite's event writes, and webhook health's writes on the same connection and thread. */
export type SqliteWrites = EventWrites & { health: HealthWrites };

const toPruneBatch = ([rows, throughSeq, more, ms]: PruneResult): PruneBatch => ({ rows, throughSeq, more, ms });

/**
 * SQLite's event writes, through the appender (appender.ts). A file gets a writer thread (below). An
 * in-memory database exists only inside the connection that opened it: a connection on another thread
 * would open another, empty one. So there the appender runs on the store's own connection, in this thread.
 */
export function createSqliteWriter(databaseUrl: string, sqlite: SqliteDatabase.Database): SqliteWrites {
  if (!databaseUrl.endsWith(':memory:')) return createWriterThread(databaseUrl);
  // Made on the first append: an appender prepares statements against the migrated schema.
  let appender: ReturnType<typeof createSqliteAppender> | null = null;
  const health = createHealthWriter(sqlite);
  return {
    async append(events) {
      appender ??= createSqliteAppender(sqlite);
      return fromWireResults(events, appender(events.map(toWireRow)));
    },
    async pruneBatch(tenantId, before, limit) {
      appender ??= createSqliteAppender(sqlite);
      return toPruneBatch(appender.prune(tenantId, before.toISOString(), limit));
    },
    health: {
      async upsert(rows) {
        health.upsert(toHealthWireRows(rows));
      },
      async prune(before) {
        health.prune(before);
      },
    },
    async close() {},
  };
}

/**
 * Runs SQLite event appends on a worker thread (see writer-worker.ts). The worker is the only writer of
 * the file, so seq order stays commit order; reads stay on the main connection.
 *
 * Answers come back on their own port. Besides its listener, which runs when the HTTP thread gets to
 * it, `poll()` takes answers that are already there at once: the group commit calls it per delivery,
 * so under load a commit is acknowledged (and the next one started) without waiting for the HTTP
 * thread to finish the turn of its event loop.
 */
export function createWriterThread(databaseUrl: string) {
  let worker: Worker | null = null;
  let replies: MessagePort | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(r: Result): void; reject(e: Error): void }>();

  function start(): Worker {
    const { port1, port2 } = new MessageChannel();
    const w = startModuleWorker('./writer-worker', import.meta.url, {
      workerData: { databaseUrl, replies: port2 },
      transferList: [port2],
    });
    port1.on('message', settle);
    port1.unref();
    replies = port1;
    const fail = (error: Error) => {
      // Answers the thread sent before it stopped still count.
      settleWaiting(port1);
      worker = null;
      replies = null;
      port1.close();
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`event writer thread exited (${code})`)));
    w.unref();
    return w;
  }

  function settle(reply: Reply): void {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new Error(`event writer failed: ${reply.error}`));
  }

  /** Settles, now, every answer already waiting on the port. */
  function settleWaiting(port: MessagePort): void {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) settle(m.message as Reply);
  }

  /** Sends one message to the thread and resolves with its answer. */
  function send(build: (id: number) => Exclude<WriterMessage, 'close'>): Promise<Result> {
    worker ??= start();
    const id = nextId++;
    const w = worker;
    const port = replies;
    return new Promise<Result>((resolve, reject) => {
      const message = build(id);
      pending.set(id, { resolve, reject });
      w.ref();
      port?.ref();
      try {
        w.postMessage(message);
      } catch (error) {
        pending.delete(id);
        reject(error);
      }
    }).finally(() => {
      if (pending.size > 0) return;
      w.unref();
      port?.unref();
    });
  }

  // Started ahead of the first delivery.
  worker = start();
  return {
    /** Settles the appends whose answers have arrived, now. */
    poll(): void {
      if (!replies || pending.size === 0) return;
      settleWaiting(replies);
    },
    append(events: readonly NewEvent[]): Promise<(AppendedEvent | null)[]> {
      if (events.length === 0) return Promise.resolve([]);
      // Serialized before anything is registered: a row that cannot be sent (a payload that does not
      // serialize, a value structured clone refuses: DataCloneError) fails this append alone and
      // leaves no pending entry behind, and no reference that keeps the process alive.
      const sent = send((id) => ({ id, rows: events.map(toWireRow) })) as Promise<WireResult[]>;
      // Stored events are rebuilt from what was sent (with the caller's parsed payloads) plus id and seq.
      return sent.then((results) => fromWireResults(events, results));
    },
    /**
     * One retention batch (see appender.ts `prune`), run by the writer thread between two appends: it is
     * the only writer of the file, so the batch never waits for the write lock, nor makes a commit wait.
     */
    async pruneBatch(tenantId: string, before: Date, limit: number): Promise<PruneBatch> {
      return toPruneBatch((await send((id) => ({ id, prune: [tenantId, before.toISOString(), limit] }))) as PruneResult);
    },
    /**
     * Webhook health's writes (health-writer.ts), run by the writer thread between two appends like the retention
     * batches: a flush neither waits for the write lock on the HTTP thread nor executes there (and never makes a
     * commit wait for the lock either). What the HTTP thread pays is building the rows and posting them.
     */
    health: {
      async upsert(rows) {
        await send((id) => ({ id, health: toHealthWireRows(rows) }));
      },
      async prune(before) {
        await send((id) => ({ id, healthPrune: before }));
      },
    } satisfies HealthWrites,
    /** Messages (appends, prune batches, health writes) sent and not answered yet. */
    pendingCount(): number {
      return pending.size;
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (!w) return;
      // Queued behind any append still in flight, so those commit first. Kept referenced so the
      // process waits for the thread to finish.
      w.ref();
      const exited = new Promise((resolve) => w.once('exit', resolve));
      w.postMessage('close');
      await exited;
    },
  };
}
