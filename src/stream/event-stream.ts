import { Repeater } from 'graphql-yoga';
import { type EventFilter, matchesFilter } from '../domain/event-filter.js';
import type { StoredEvent } from '../domain/event.js';
import type { EventStore, Horizon } from '../store/events.js';
import type { EventBus } from './bus.js';
import { reportSlowSubscriber } from './slow-subscribers.js';
import { pace, takeTurn } from './turns.js';

/**
 * Rows per read of the log. On SQLite a read is synchronous on the event loop: 500 rows with their
 * payloads held it 5–10 ms, which every delivery behind it waited for; 100 keeps each read near 1 ms.
 */
const PAGE = 100;

/**
 * A cursor below the tenant's retention horizon: events after it were pruned (src/store/retention.ts), so a
 * replay from it would be silently short. The reader gets this instead, with the horizon to resume from.
 */
export class CursorExpiredError extends Error {
  constructor(
    /** The seq the reader asked to read after. */
    readonly afterSeq: number,
    readonly horizon: Horizon,
  ) {
    super(`events after seq ${afterSeq} were pruned (the log is complete after seq ${horizon.seq})`);
    this.name = 'CursorExpiredError';
  }
}

/**
 * Refuses a cursor (a seq to read after, or before) below the tenant's horizon. A cursor exactly at the
 * horizon is complete: every event after it is still stored.
 */
export async function assertCursorKept(events: Pick<EventStore, 'horizon'>, tenantId: string, seq: number): Promise<void> {
  const horizon = await events.horizon(tenantId);
  if (seq < horizon.seq) throw new CursorExpiredError(seq, horizon);
}

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
 *
 * The log is read in pages, with a turn of the event loop before each page and whenever the stream
 * has run for a few milliseconds (turns.ts), so a long replay, or many at once, never holds up
 * deliveries' acknowledgments. Live messages wait in a buffer of
 * `bufferEvents`; past that the stream drops them, fails with a SlowSubscriberError and reports it
 * for `subscriber` (see slow-subscribers.ts), which resumes from its last cursor. A cursor below the
 * tenant's retention horizon, or one the pruner overtakes during a replay, fails the stream with a
 * CursorExpiredError, never a silent skip. Like any Repeater, it starts on its first pull.
 */
export function openEventStream({
  bus,
  events,
  tenantId,
  filter,
  afterSeq,
  bufferEvents = 1_000,
  subscriber,
}: {
  bus: EventBus;
  events: EventStore;
  tenantId: string;
  filter: EventFilter | null;
  afterSeq: number | null;
  /** Live events held for a reader that is behind before it is dropped (config.limits.subscriberBufferEvents). */
  bufferEvents?: number;
  /** Whose stream this is (the operation's context), to report it when it falls behind. */
  subscriber?: object;
}): Repeater<StoredEvent> {
  let stopped = false;

  async function* readLog(from: number, toInclusive: number | null, logFilter: EventFilter | null): AsyncGenerator<StoredEvent> {
    let cursor = from;
    for (;;) {
      // Reads are synchronous on SQLite: a turn before each page lets acknowledgments and other
      // subscribers run between the pages of many replays.
      await takeTurn();
      // The reader may have left while this stream waited for its turn.
      if (stopped) return;
      const page = await events.list(tenantId, {
        filter: logFilter,
        afterSeq: cursor,
        beforeSeq: toInclusive === null ? null : toInclusive + 1,
        limit: PAGE,
        order: 'asc',
      });
      // Retention may have pruned past `cursor` before this read: checked after it, so a page read while
      // the pruner moved on is never taken for the whole story (a prune and its horizon commit together).
      await assertCursorKept(events, tenantId, cursor);
      for (const e of page) {
        yield e;
        await pace();
      }
      if (page.length < PAGE) return;
      cursor = (page[page.length - 1] as StoredEvent).seq;
    }
  }

  return new Repeater<StoredEvent>(async (push, stop) => {
    const live = bus.subscribe(tenantId, { bufferEvents, onOverflow: (error) => reportSlowSubscriber(subscriber, error) });
    // A subscription listens from its first pull: this one makes the bus listen before the head is read (step 1).
    let pulled = live.next();
    void stop.then(() => {
      stopped = true;
      // Stops listening, and ends a wait for the next live message.
      void live.return();
    });
    try {
      const head = (await events.head(tenantId)) ?? 0;
      let position = Math.max(head, afterSeq ?? 0);
      if (afterSeq !== null && afterSeq < head) {
        for await (const e of readLog(afterSeq, head, filter)) {
          await push(e);
          if (stopped) return;
        }
      }
      // Nothing to replay: the log may also be empty because everything after the cursor was pruned.
      else if (afterSeq !== null) await assertCursorKept(events, tenantId, afterSeq);
      for (;;) {
        const r = await pulled;
        if (r.done || stopped) return;
        const { event, prevSeq } = r.value;
        if (event.seq > position) {
          if (prevSeq !== null && prevSeq > position) {
            for await (const missed of readLog(position, event.seq - 1, null)) {
              position = missed.seq;
              if (matchesFilter(missed, filter)) await push(missed);
              if (stopped) return;
            }
          }
          position = event.seq;
          if (matchesFilter(event, filter)) {
            await push(event);
            // Only within a burst (a batch delivery): one live event at a time never waits.
            if (live.behind()) await pace();
          }
        }
        pulled = live.next();
      }
    } finally {
      // However the algorithm ends: the reader left, or an error that fails its next pull.
      stop();
    }
  });
}
