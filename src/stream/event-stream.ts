import type { StoredEvent } from '../domain/event.js';
import type { BusMessage, EventBus } from '../pubsub.js';
import { type EventFilter, type EventStore, matchesFilter } from '../store/events.js';
import { createAsyncQueue } from './async-queue.js';

const PAGE = 500;

/**
 * A tenant's events as one ordered stream: stored events after `afterSeq` (replay), then live ones,
 * with no gap and no duplicate at the switch-over.
 *
 * 1. Listen to the bus first and buffer.
 * 2. Read the tenant's head seq H, then replay (afterSeq, H] from the log.
 * 3. Drain live messages: skip seq ≤ position; when a message's prevSeq is past our position, an
 *    earlier message is late or lost (another replica published it), so read the gap from the log.
 * Because seq order is commit order per tenant (see EventStore.append), the log is complete up to
 * any seq we have seen, and position only ever moves forward.
 */
export function openEventStream({
  bus,
  events,
  tenantId,
  filter,
  afterSeq,
}: {
  bus: EventBus;
  events: EventStore;
  tenantId: string;
  filter: EventFilter | null;
  afterSeq: number | null;
}): AsyncIterableIterator<StoredEvent> {
  const queue = createAsyncQueue<BusMessage>();
  const unlisten = bus.listen(tenantId, (m) => queue.push(m));

  async function* readLog(from: number, toInclusive: number | null, logFilter: EventFilter | null): AsyncGenerator<StoredEvent> {
    let cursor = from;
    for (;;) {
      const page = await events.list(tenantId, {
        filter: logFilter,
        afterSeq: cursor,
        beforeSeq: toInclusive === null ? null : toInclusive + 1,
        limit: PAGE,
        order: 'asc',
      });
      for (const e of page) yield e;
      if (page.length < PAGE) return;
      cursor = (page[page.length - 1] as StoredEvent).seq;
    }
  }

  async function* run(): AsyncGenerator<StoredEvent> {
    const head = (await events.head(tenantId)) ?? 0;
    let position = Math.max(head, afterSeq ?? 0);
    if (afterSeq !== null && afterSeq < head) yield* readLog(afterSeq, head, filter);
    for (;;) {
      const r = await queue.next();
      if (r.done) return;
      const { event, prevSeq } = r.value;
      if (event.seq <= position) continue;
      if (prevSeq !== null && prevSeq > position) {
        for await (const missed of readLog(position, event.seq - 1, null)) {
          position = missed.seq;
          if (matchesFilter(missed, filter)) yield missed;
        }
      }
      position = event.seq;
      if (matchesFilter(event, filter)) yield event;
    }
  }

  const inner = run();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    unlisten();
    queue.close();
  };
  return {
    next: async () => {
      try {
        const r = await inner.next();
        if (r.done) finish();
        return r;
      } catch (error) {
        finish();
        throw error;
      }
    },
    return: async () => {
      finish();
      await inner.return(undefined);
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      finish();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
