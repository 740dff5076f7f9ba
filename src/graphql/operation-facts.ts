import { type DocumentNode, type ExecutionResult, getOperationAST, type OperationTypeNode } from 'graphql';
import { maskError } from './use-safe-errors.js';

/** How an operation reached the gateway: a bounded label and log field. */
export type Transport = 'http' | 'sse' | 'graphql-ws';

/** graphql-ws contexts carry the socket (app.ts's onSubscribe); yoga's carry the Fetch request. */
export function transportOf(context: object): Transport {
  if ((context as { socket?: unknown }).socket) return 'graphql-ws';
  const request = (context as { request?: Request }).request;
  return request?.headers.get('accept')?.includes('text/event-stream') ? 'sse' : 'http';
}

/** The operation the request runs (its `operationName` among the document's), or null when none matches. */
export function operationOf(document: DocumentNode, context: object): { name: string | null; type: OperationTypeNode } | null {
  const requested = (context as { params?: { operationName?: unknown } }).params?.operationName;
  const op = getOperationAST(document, typeof requested === 'string' && requested !== '' ? requested : undefined);
  return op ? { name: op.name?.value ?? null, type: op.operation } : null;
}

/**
 * The `extensions.code` a client receives for an error (yoga masks after our hooks ran, so ask the same
 * maskError): HookgraphErrors their code, refusals theirs, anything unexpected INTERNAL_SERVER_ERROR,
 * and graphql-js's own errors (syntax, validation, coercion), which carry none, `fallback`.
 */
export function errorCode(error: unknown, fallback: string): string {
  const code = (maskError(error, 'Unexpected error.') as { extensions?: Record<string, unknown> }).extensions?.['code'];
  return typeof code === 'string' ? code : fallback;
}

/** The codes of a result's errors (graphql-js execution errors without a code are the caller's input). */
export function resultCodes(result: ExecutionResult): string[] {
  return (result.errors ?? []).map((e) => errorCode(e, 'BAD_USER_INPUT'));
}

/**
 * `source` with hooks: `onNext` per result, `onEnd` exactly once however the stream ends (it completes,
 * the client completes it or goes away and the transport calls `return`, or it throws: `onEnd(error)`).
 */
export function observeStream<T>(
  source: AsyncIterable<T>,
  { onNext, onEnd }: { onNext?: (value: T) => void; onEnd: (error?: unknown) => void },
): AsyncIterableIterator<T> {
  const it = source[Symbol.asyncIterator]();
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  return {
    async next() {
      let r: IteratorResult<T>;
      try {
        r = await it.next();
      } catch (error) {
        end(error);
        throw error;
      }
      if (r.done) end();
      else onNext?.(r.value);
      return r;
    },
    async return(value?: unknown) {
      end();
      return it.return ? it.return(value) : { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      end();
      if (it.throw) return it.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
