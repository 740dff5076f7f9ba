/** A push/pull queue bridging callbacks to async iteration, bounded so a stalled reader cannot grow memory forever. */
export function createAsyncQueue<T>(limit = 10_000) {
  const items: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | null = null;
  let failWaiting: ((e: Error) => void) | null = null;
  let closed = false;
  let failure: Error | null = null;
  return {
    push(item: T) {
      if (closed) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        failWaiting = null;
        w({ value: item, done: false });
        return;
      }
      if (items.length >= limit) {
        failure = new Error(`subscriber fell more than ${limit} events behind; resubscribe with "after" to resume`);
        closed = true;
        failWaiting?.(failure);
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
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
  };
}
