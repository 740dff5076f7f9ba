/**
 * A subscriber whose live buffer overflowed: it is closed, and resumes with `after` set to the
 * last cursor it received (nothing it had not received yet was lost: the log still has it).
 */
export class SlowSubscriberError extends Error {
  constructor(readonly limit: number) {
    super(`subscriber fell more than ${limit} events behind; subscribe again with "after" set to the last cursor received`);
    this.name = 'SlowSubscriberError';
  }
}

type Watcher = (error: SlowSubscriberError) => void;

// Keyed by the subscription's context object: the transport (graphql-ws socket or SSE response)
// registers how to close it, and the stream that overflows only knows whose context it serves.
const watchers = new WeakMap<object, Watcher>();

/** Registers what to do when `subscriber`'s buffer overflows; returns the unregister. */
export function watchSlowSubscriber(subscriber: object, onSlow: Watcher): () => void {
  watchers.set(subscriber, onSlow);
  return () => {
    if (watchers.get(subscriber) === onSlow) watchers.delete(subscriber);
  };
}

/**
 * Tells the transport of `subscriber` that it fell behind. Called from the bus callback that
 * overflowed, so the work is deferred: the publishing loop never waits for a subscriber.
 */
export function reportSlowSubscriber(subscriber: object | undefined, error: SlowSubscriberError): void {
  const onSlow = subscriber ? watchers.get(subscriber) : undefined;
  if (onSlow) queueMicrotask(() => onSlow(error));
}
