import type { AppendedEvent, NewEvent } from '../store/events.js';
import type { Store } from '../store/store.js';

interface Pending {
  events: NewEvent[];
  resolve(r: (AppendedEvent | null)[]): void;
  reject(e: unknown): void;
}

/**
 * Group commit: deliveries that arrive within one event-loop turn share one transaction, so one
 * fsync acknowledges many deliveries. Each caller still resolves only after the commit. If a
 * shared transaction fails, each delivery is retried alone so one bad row cannot fail the others.
 */
export function createEventWriter(store: Store, { maxBatch = 256 }: { maxBatch?: number } = {}) {
  let queue: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      const all = await store.events.append(batch.flatMap((p) => p.events));
      let i = 0;
      for (const p of batch) {
        p.resolve(all.slice(i, i + p.events.length));
        i += p.events.length;
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const p of batch) {
        store.events.append(p.events).then(p.resolve, p.reject);
      }
    }
  }

  return {
    write(events: NewEvent[]): Promise<(AppendedEvent | null)[]> {
      return new Promise((resolve, reject) => {
        queue.push({ events, resolve, reject });
        if (queue.length >= maxBatch) {
          void flush();
        } else if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
export type EventWriter = ReturnType<typeof createEventWriter>;
