import { SlowSubscriberError } from './slow-subscribers.js';

/**
 * A push/pull queue bridging callbacks (the bus) to async iteration. Bounded: a reader that falls
 * `limit` items behind is dropped at once, its buffer freed, and its next pull fails with a
 * SlowSubscriberError; `onOverflow` lets the owner act right away (the reader may never pull again).
 */
export function createAsyncQueue<T>({
  limit = 1_000,
  onOverflow,
}: {
  limit?: number;
  onOverflow?: (error: SlowSubscriberError) => void;
} = {}) {
  let items: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let closed = false;
  let failure: SlowSubscriberError | null = null;
  return {
    push(item: T) {
      if (closed) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w({ value: item, done: false });
        return;
      }
      if (items.length >= limit) {
        // Nobody waits here (a waiter means an empty buffer), so only the next pull can see it.
        failure = new SlowSubscriberError(limit);
        closed = true;
        items = [];
        onOverflow?.(failure);
        return;
      }
      items.push(item);
    },
    close() {
      closed = true;
      waiting?.({ value: undefined, done: true });
      waiting = null;
    },
    next(): Promise<IteratorResult<T>> {
      if (items.length > 0) return Promise.resolve({ value: items.shift() as T, done: false });
      if (failure) return Promise.reject(failure);
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    /** Items buffered now (tests, metrics). */
    size: () => items.length,
  };
}
