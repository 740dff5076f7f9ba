import { type DocumentNode, type ExecutionResult, getOperationAST, Kind, print } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createAsyncQueue } from './async-queue.js';

type Result = ExecutionResult;

interface Hub {
  attach(): AsyncIterableIterator<Result>;
}

const printed = new WeakMap<DocumentNode, string>();

/**
 * Subscribers of one tenant with the same document and variables share one source stream and one
 * execution per event: graphql-ws and SSE would otherwise run the selection set once per subscriber
 * per event. Subscriptions that replay (`after`) are never shared, since each replays its own past.
 */
export function useSharedSubscriptions(): Plugin<{ tenant?: { id: string } }> {
  const hubs = new Map<string, Promise<Hub | Result>>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const key = shareKey(args.document, args.variableValues ?? null, args.operationName ?? null, args.contextValue.tenant?.id);
      if (key === null) return;
      setSubscribeFn(async (subscribeArgs) => {
        let hub = hubs.get(key);
        if (!hub) {
          hub = (async () => {
            const source = await subscribeFn(subscribeArgs);
            if (!(Symbol.asyncIterator in (source as object))) {
              hubs.delete(key);
              return source as Result;
            }
            return createHub(source as AsyncIterableIterator<Result>, () => hubs.delete(key));
          })();
          hubs.set(key, hub);
        }
        const h = await hub;
        return 'attach' in h ? h.attach() : h;
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

function createHub(source: AsyncIterableIterator<Result>, onEmpty: () => void): Hub {
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
    attach() {
      const queue = createAsyncQueue<Result>();
      consumers.add(queue);
      if (!pumping) void pump();
      const detach = () => {
        consumers.delete(queue);
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
