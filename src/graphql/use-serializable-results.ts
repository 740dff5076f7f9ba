import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

/** What a client gets instead of a result that cannot be serialized. */
const UNSERIALIZABLE = JSON.stringify({
  errors: [{ message: 'Unexpected error.', extensions: { code: 'RESULT_UNSERIALIZABLE' } }],
});

/**
 * Every result yoga sends over HTTP serializes, or is replaced by an error result.
 *
 * yoga serializes each result with `result.stringify ?? JSON.stringify` after execution, where no field
 * error can be given any more. On the SSE path that call sits inside a stream's pull callback: a throw
 * there (a RangeError from a value nested thousands deep) escaped as an uncaught exception and ended
 * the process. Field values are checked where they are produced (the JSON scalar, Event.payload); this
 * is the backstop for anything else, so one result can fail, never the process or the other operations.
 */
export function useSerializableResults({ log }: { log: Logger }): Plugin {
  const stringify = (result: ExecutionResult): string => {
    try {
      return JSON.stringify(result);
    } catch (error) {
      log.error({ err: error }, 'a GraphQL result could not be serialized; sent an error instead');
      return UNSERIALIZABLE;
    }
  };
  // A copy, not a mutation: a shared subscription hands one result object to many subscribers.
  const safe = (result: ExecutionResult): ExecutionResult => ({ ...result, stringify }) as ExecutionResult;
  return {
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, safe));
      else setResult(Array.isArray(result) ? result.map(safe) : safe(result));
    },
  };
}
