import type { Metrics } from '../metrics.js';
import type { AppendedEvent, NewEvent } from '../domain/event.js';
import type { Store } from '../store/store.js';

interface Pending {
  events: NewEvent[];
  resolve(r: (AppendedEvent | null)[]): void;
  reject(e: unknown): void;
}

/**
 * Group commit: one transaction in flight at a time; deliveries that arrive meanwhile wait and go
 * together in the next one, so one commit (one fsync) acknowledges many deliveries and the batch
 * grows with the load. Each caller resolves only after its commit. If a shared transaction fails,
 * each delivery is retried alone so one bad row cannot fail the others.
 */
export function createEventWriter(store: Store, { maxBatch = 512, metrics }: { maxBatch?: number; metrics?: Metrics } = {}) {
  const queue: Pending[] = [];
  let flushing = false;

  async function commit(batch: Pending[]): Promise<void> {
    try {
      const rows = batch.flatMap((p) => p.events);
      const started = performance.now();
      const all = await store.events.append(rows);
      metrics?.commitRows.observe(rows.length);
      metrics?.commitSeconds.observe((performance.now() - started) / 1000);
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
      // Each through a promise, so an append that throws at once fails its delivery alone.
      await Promise.all(
        batch.map((p) =>
          Promise.resolve(p.events)
            .then((events) => store.events.append(events))
            .then(p.resolve, p.reject),
        ),
      );
    }
  }

  async function drain(): Promise<void> {
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch: Pending[] = [];
        let rows = 0;
        while (queue.length > 0 && rows < maxBatch) {
          const p = queue.shift() as Pending;
          batch.push(p);
          rows += p.events.length;
        }
        await commit(batch);
      }
    } finally {
      // Whatever happened, the next write starts a drain again instead of waiting forever.
      flushing = false;
    }
  }

  return {
    write(events: NewEvent[]): Promise<(AppendedEvent | null)[]> {
      // A commit answered meanwhile is settled first, so its callers and the next batch go on now.
      store.pollAppends();
      return new Promise((resolve, reject) => {
        queue.push({ events, resolve, reject });
        // Wait one turn so deliveries parsed in the same tick join the first batch too.
        if (!flushing) {
          flushing = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
export type EventWriter = ReturnType<typeof createEventWriter>;
