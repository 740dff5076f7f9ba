import type { Worker } from 'node:worker_threads';
import { DeliveryError } from '../domain/errors.js';
import { startModuleWorker } from '../worker-module.js';
import { type DecodedEvent, type DeliveryInput, decodeDelivery, NormalizerError } from './decode-delivery.js';

type Answer =
  | { id: number; events: DecodedEvent[] }
  | { id: number; refusal: { status: number; message: string; detail: string | null } }
  | { id: number; failure: string };

/**
 * Decodes large deliveries on a worker thread. Parsing a 1 MiB body holds the event loop 5–10 ms, and
 * every other tenant's acknowledgment waits behind it; on the worker, a body that is refused (the usual
 * fate of a hostile one) costs the event loop nothing, and one that is accepted costs the copy of its
 * events back. One worker: large deliveries queue behind each other, not behind everyone's. If the
 * worker cannot run, the delivery is decoded on the event loop as before, so nothing is refused for it.
 */
export function createOffThreadDecoder() {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(events: DecodedEvent[]): void; reject(error: Error): void }>();

  function start(): Worker {
    const w = startModuleWorker('./decode-worker', import.meta.url);
    w.on('message', (answer: Answer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if ('events' in answer) p.resolve(answer.events);
      else if ('refusal' in answer) p.reject(refusalOf(answer.refusal));
      else p.reject(new Error(answer.failure));
    });
    const fail = (error: Error) => {
      worker = null;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`delivery decoder thread exited (${code})`)));
    w.unref();
    return w;
  }

  return {
    decode(input: DeliveryInput): Promise<DecodedEvent[]> {
      const id = nextId++;
      return new Promise<DecodedEvent[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          worker ??= start();
          worker.postMessage({ id, input });
        } catch (error) {
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }).catch((error: unknown) => {
        if (error instanceof DeliveryError) throw error;
        // The worker failed (not the body): decode here rather than refuse a good delivery.
        return decodeDelivery(input);
      });
    },
    async close(): Promise<void> {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
export type OffThreadDecoder = ReturnType<typeof createOffThreadDecoder>;

function refusalOf({ status, message, detail }: { status: number; message: string; detail: string | null }): DeliveryError {
  if (detail === null) return new DeliveryError(status, message);
  const error = new NormalizerError(new Error(detail));
  return error;
}
