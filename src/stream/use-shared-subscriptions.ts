import { type DocumentNode, type ExecutionResult, getOperationAST, Kind, print } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createAsyncQueue } from './async-queue.js';
import { reportSlowSubscriber } from './slow-subscribers.js';

type Result = ExecutionResult;

interface Hub {
  /** One subscriber's view; `subscriber` (its context) is reported if it falls behind. */
  attach(subscriber: object): AsyncIterableIterator<Result> | null;
}

const printed = new WeakMap<DocumentNode, string>();

/**
 * Subscribers of one tenant with the same document and variables share one source stream and one
 * execution per event: graphql-ws and SSE would otherwise run the selection set once per subscriber
 * per event. Subscriptions that replay (`after`) are never shared, since each replays its own past.
 *
 * Each subscriber has its own buffer of `bufferEvents` results: one that falls further behind is
 * detached and reported slow (slow-subscribers.ts) while the others go on; the hub never waits.
 * Limits that count subscribers (graphql/limits.ts) wrap each attached view, so a shared execution
 * still counts once per subscriber.
 */
export function useSharedSubscriptions({ bufferEvents = 1_000 }: { bufferEvents?: number } = {}): Plugin<{
  tenant?: { id: string };
}> {
  const hubs = new Map<string, Promise<Hub | Result>>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const key = shareKey(args.document, args.variableValues ?? null, args.operationName ?? null, args.contextValue.tenant?.id);
      if (key === null) return;
      setSubscribeFn(async (subscribeArgs) => {
        let hub = hubs.get(key);
        if (!hub) {
          const forget = () => {
            if (hubs.get(key) === created) hubs.delete(key);
          };
          const created = (async () => {
            try {
              const source = await subscribeFn(subscribeArgs);
              if (Symbol.asyncIterator in (source as object))
                return createHub(source as AsyncIterableIterator<Result>, bufferEvents, forget);
              forget();
              return source as Result;
            } catch (error) {
              // A failed start (a store error) must not stay cached for the next subscribers.
              forget();
              throw error;
            }
          })();
          hub = created;
          hubs.set(key, hub);
        }
        const h = await hub;
        if (!('attach' in h)) return h;
        // A hub whose last subscriber left while this one waited is closed: run unshared instead.
        return h.attach(subscribeArgs.contextValue as object) ?? subscribeFn(subscribeArgs);
      });
    },
  };
}

function shareKey(
  document: DocumentNode,
  variables: Record<string, unknown> | null,
  operationName: string | null,
  tenantId: string | undefined,
): string | null {
  if (!tenantId) return null;
  const op = getOperationAST(document, operationName);
  if (op?.operation !== 'subscription') return null;
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) return null;
    for (const arg of sel.arguments ?? []) {
      if (arg.name.value !== 'after') continue;
      if (arg.value.kind === Kind.VARIABLE ? variables?.[arg.value.name.value] != null : arg.value.kind !== Kind.NULL) return null;
    }
  }
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return `${tenantId}\n${operationName ?? ''}\n${text}\n${JSON.stringify(variables ?? {})}`;
}

function createHub(source: AsyncIterableIterator<Result>, bufferEvents: number, onEmpty: () => void): Hub {
  const consumers = new Set<ReturnType<typeof createAsyncQueue<Result>>>();
  let pumping = false;
  let closed = false;

  async function pump() {
    pumping = true;
    try {
      for (;;) {
        const r = await source.next();
        if (r.done) break;
        for (const c of consumers) c.push(r.value);
      }
    } catch {
      // The source failed: end every consumer; each client sees completion and can resubscribe with `after`.
    }
    close();
  }

  function close() {
    if (closed) return;
    closed = true;
    onEmpty();
    for (const c of consumers) c.close();
    consumers.clear();
    void source.return?.();
  }

  return {
    attach(subscriber) {
      if (closed) return null;
      const queue = createAsyncQueue<Result>({
        limit: bufferEvents,
        onOverflow: (error) => {
          // Out of the pump's loop over consumers; the queue already dropped its buffer.
          queueMicrotask(detach);
          reportSlowSubscriber(subscriber, error);
        },
      });
      consumers.add(queue);
      if (!pumping) void pump();
      const detach = () => {
        if (!consumers.delete(queue)) return;
        queue.close();
        if (consumers.size === 0) close();
      };
      return {
        next: () => queue.next(),
        return: async () => {
          detach();
          return { value: undefined, done: true };
        },
        throw: async (error: unknown) => {
          detach();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
}
