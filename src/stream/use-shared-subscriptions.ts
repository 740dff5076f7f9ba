import { type DocumentNode, type ExecutionResult, getOperationAST, Kind, print } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type BoundedSource, boundedSource, reportSlowSubscriber } from './slow-subscribers.js';

type Result = ExecutionResult;

interface Hub {
  /** One subscriber's view, or null once the hub has closed; `subscriber` (its context) is reported if it falls behind. */
  attach(subscriber: object): BoundedSource<Result> | null;
}

const printed = new WeakMap<DocumentNode, string>();

/**
 * Subscribers of one tenant holding the same access (scopes and event filter: what decides the results, see
 * domain/access.ts) with the same document and variables share one source stream and one
 * execution per event: graphql-ws and SSE would otherwise run the selection set once per subscriber
 * per event. Subscriptions that replay (`after`) are never shared, since each replays its own past.
 *
 * Each subscriber has its own buffer of `bufferEvents` results: one that falls further behind is
 * detached and reported slow (slow-subscribers.ts) while the others go on; the hub never waits.
 * A subscriber receives what the source produces from its first pull on; when the source fails,
 * every subscriber gets its error (after what it has buffered), as an unshared subscription would.
 * Limits that count subscribers (graphql/limits.ts) wrap each attached view, so a shared execution
 * still counts once per subscriber.
 */
export function useSharedSubscriptions({ bufferEvents = 1_000 }: { bufferEvents?: number } = {}): Plugin<{
  tenant?: { id: string };
  viewer?: { scopes: readonly string[]; filter: unknown };
}> {
  const hubs = new Map<string, Promise<Hub | Result>>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const { tenant, viewer } = args.contextValue;
      const audience = tenant && viewer ? `${tenant.id}\n${viewer.scopes.join(',')}\n${JSON.stringify(viewer.filter)}` : undefined;
      const key = shareKey(args.document, args.variableValues ?? null, args.operationName ?? null, audience);
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
  audience: string | undefined,
): string | null {
  if (!audience) return null;
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
  return `${audience}\n${operationName ?? ''}\n${text}\n${JSON.stringify(variables ?? {})}`;
}

function createHub(source: AsyncIterableIterator<Result>, bufferEvents: number, onClose: () => void): Hub {
  const consumers = new Set<{ push: (result: Result) => void; stop: (error?: unknown) => void }>();
  let pumping = false;
  let closed = false;
  /** What a view that starts after the close gets: undefined (the source ended) or an error. */
  let closedWith: unknown;

  async function pump() {
    pumping = true;
    let failure: unknown;
    try {
      for (;;) {
        const r = await source.next();
        if (r.done) break;
        for (const c of consumers) c.push(r.value);
      }
    } catch (error) {
      failure = error;
    }
    close(failure);
  }

  function close(error?: unknown) {
    if (closed) return;
    closed = true;
    closedWith = error;
    onClose();
    for (const c of consumers) c.stop(error);
    consumers.clear();
    void source.return?.();
  }

  // A view joins on its first pull, which graphql-ws and SSE make in the turn they get it: so a hub left
  // with nobody closes a turn later, unless a view joined meanwhile (one dropped before pulling never does).
  const closeIfEmpty = () =>
    setImmediate(() => {
      if (consumers.size === 0) close(new Error('the shared subscription closed before this subscriber started; subscribe again'));
    });

  return {
    attach(subscriber) {
      if (closed) return null;
      closeIfEmpty();
      return boundedSource<Result>(
        bufferEvents,
        (push, stop) => {
          if (closed) {
            stop(closedWith);
            return () => {};
          }
          const consumer = { push, stop };
          consumers.add(consumer);
          if (!pumping) void pump();
          return () => {
            if (consumers.delete(consumer) && consumers.size === 0) closeIfEmpty();
          };
        },
        (error) => reportSlowSubscriber(subscriber, error),
      );
    },
  };
}
