import type { ExecutionResult } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../schema/context.js';
import { errorCode } from './operation-facts.js';

/**
 * HTTP 403 for an operation refused as a whole for want of a scope: nothing but FORBIDDEN errors, and no data
 * besides the nulls of the refused root fields (a non-null one's refusal leaves `data: null`). A partly refused
 * operation keeps 200, its data and its FORBIDDEN field errors. HTTP and SSE only: graphql-ws has no status.
 */
export function useForbiddenStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      const errors = result.errors ?? [];
      if (errors.length === 0 || !errors.every((e) => errorCode(e, '') === 'FORBIDDEN')) return;
      const data = result.data as Record<string, unknown> | null | undefined;
      if (data != null) {
        const refused = new Set(errors.filter((e) => e.path?.length === 1).map((e) => String(e.path?.[0])));
        if (!Object.entries(data).every(([field, value]) => value === null && refused.has(field))) return;
      }
      setResult({ ...result, extensions: { ...result.extensions, http: { status: 403 } } });
    },
  };
}

/**
 * A subscription ends with its viewer's access (manage/access.ts `watch`): when the key is revoked, on any replica,
 * or the key or token expires, the stream sends one last result with an UNAUTHENTICATED error and completes. Over
 * SSE that ends the stream; over graphql-ws the socket itself is closed with 4403 first (graphql/ws.ts).
 *
 * After the shared subscriptions: it wraps each subscriber's own view, so one viewer's end leaves the others alone.
 */
export function useAccessEnd(): Plugin {
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as Partial<Context> & { socket?: unknown };
      const { viewer, services } = context;
      // graphql-ws: the socket itself is closed with 4403 (graphql/ws.ts), which ends its subscriptions; a last result
      // here could complete a subscription first, and a client would not know to reconnect with a fresh token.
      if (!viewer || !services || context.socket) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          setResult(endWithAccess(result, (end) => services.access.watch(viewer, end)));
        },
      };
    },
  };
}

/**
 * The source until the viewer's access ends, then one last result with the reason. A plain iterator (no Repeater:
 * this wraps every subscriber's view, and a Repeater costs microseconds per event per stream); `return` reaches the
 * source at once.
 */
function endWithAccess(
  source: AsyncIterable<ExecutionResult>,
  watch: (end: (reason: 'revoked' | 'expired') => void) => () => void,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  let endResult: ExecutionResult | null = null;
  let signal!: () => void;
  const ended = new Promise<null>((resolve) => {
    signal = () => resolve(null);
  });
  const unwatch = watch((reason) => {
    const message = reason === 'revoked' ? 'access revoked: the key was revoked' : 'access expired: sign in again';
    endResult = { errors: [createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', reason } })] };
    signal();
    void iterator.return?.();
  });
  const finish = async () => {
    done = true;
    unwatch();
    await iterator.return?.();
  };
  return {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      if (done) return { value: undefined, done: true };
      const next = endResult === null ? await Promise.race([iterator.next(), ended]) : null;
      if (endResult !== null) {
        const last: ExecutionResult = endResult;
        await finish();
        return { value: last, done: false };
      }
      if (next === null || next.done) {
        await finish();
        return { value: undefined, done: true };
      }
      return next;
    },
    async return() {
      await finish();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
