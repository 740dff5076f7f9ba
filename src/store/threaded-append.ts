import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AppendedEvent, NewEvent } from './events.js';
import { fromWireResults, toWireRow, type WireResult } from './sqlite-append.js';

type Reply = { id: number; ok: true; result: WireResult[] } | { id: number; ok: false; error: string };

/**
 * Runs SQLite event appends on a worker thread (see event-writer-worker.ts). The worker is the only
 * writer of the events table, so seq order stays commit order; reads stay on the main connection.
 */
export function createThreadedAppend(databaseUrl: string) {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(r: WireResult[]): void; reject(e: Error): void }>();

  function start(): Worker {
    const ts = import.meta.url.endsWith('.ts');
    const entry = new URL(`./event-writer-worker.${ts ? 'ts' : 'js'}`, import.meta.url).href;
    // A TypeScript checkout loads the worker through tsx's API, like bin/hookgraph.js does for the CLI.
    const tsxApi = ts
      ? pathToFileURL(
          createRequire(import.meta.url)
            .resolve('tsx/esm/api')
            .replace(/\.cjs$/, '.mjs'),
        ).href
      : null;
    const load = `import(${JSON.stringify(entry)})`;
    const bootstrap = tsxApi ? `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return ${load}; });` : `${load};`;
    const w = new Worker(bootstrap, { eval: true, workerData: { databaseUrl } });
    w.on('message', (reply: Reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`event append failed: ${reply.error}`));
    });
    const fail = (error: Error) => {
      worker = null;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`event writer thread exited (${code})`)));
    w.unref();
    return w;
  }

  return {
    /** Starts the thread ahead of the first delivery. */
    warm(): void {
      worker ??= start();
    },
    append(events: readonly NewEvent[]): Promise<(AppendedEvent | null)[]> {
      if (events.length === 0) return Promise.resolve([]);
      worker ??= start();
      const id = nextId++;
      const w = worker;
      const sent = new Promise<WireResult[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, rows: events.map(toWireRow) });
      }).finally(() => {
        if (pending.size === 0) w.unref();
      });
      // Stored events are rebuilt from what was sent (with the caller's parsed payloads) plus id and seq.
      return sent.then((results) => fromWireResults(events, results));
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
