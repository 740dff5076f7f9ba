import type { AppendedEvent, NewEvent } from '../domain/event.js';

interface Pending {
  events: readonly NewEvent[];
  resolve(r: (AppendedEvent | null)[]): void;
  reject(e: unknown): void;
}

/** The dialect's append under the group commit (events.ts's EventWrites has this shape). */
export interface Appender {
  /** One transaction: in input order, the stored event or null for a duplicate. */
  append(events: readonly NewEvent[]): Promise<(AppendedEvent | null)[]>;
  /** Settles appends whose commits have been answered already (the SQLite writer thread's port). */
  poll?: (() => void) | undefined;
}

export interface GroupCommitOptions {
  /** Rows gathered into one transaction (a single delivery over it still goes whole). @default 512 */
  maxBatch?: number;
  /** Called after each shared commit with its rows and duration (the /metrics commit histograms). */
  onCommit?: ((rows: number, seconds: number) => void) | undefined;
}

/**
 * Group commit: one transaction in flight at a time; deliveries that arrive meanwhile wait and go
 * together in the next one, so one commit (one fsync) acknowledges many deliveries and the batch
 * grows with the load. Each caller resolves only after its commit. If a shared transaction fails,
 * each delivery is retried alone so one bad row cannot fail the others.
 */
export function createGroupCommit(writes: Appender, { maxBatch = 512, onCommit }: GroupCommitOptions = {}) {
  const queue: Pending[] = [];
  /** The drain under way (waiting for its turn or committing), if any. */
  let draining: Promise<void> | null = null;

  async function commit(batch: Pending[]): Promise<void> {
    try {
      const rows = batch.flatMap((p) => p.events);
      const started = performance.now();
      const all = await writes.append(rows);
      onCommit?.(rows.length, (performance.now() - started) / 1000);
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
            .then((events) => writes.append(events))
            .then(p.resolve, p.reject),
        ),
      );
    }
  }

  async function drain(): Promise<void> {
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
      // Whatever happened, the next append starts a drain again instead of waiting forever.
      draining = null;
    }
  }

  return {
    /**
     * Appends one delivery's events in a shared transaction. Returns, in input order, the stored event
     * or null for a duplicate (see EventWrites.append).
     */
    append(events: readonly NewEvent[]): Promise<(AppendedEvent | null)[]> {
      if (events.length === 0) return Promise.resolve([]);
      // A commit answered meanwhile is settled first, so its callers and the next batch go on now.
      writes.poll?.();
      return new Promise((resolve, reject) => {
        queue.push({ events, resolve, reject });
        // Wait one turn so deliveries parsed in the same tick join the first batch too.
        draining ??= new Promise<void>((turn) => setImmediate(turn)).then(drain);
      });
    },
    /** Resolves once every append queued so far has been answered. */
    async settled(): Promise<void> {
      while (draining) await draining;
    },
  };
}
