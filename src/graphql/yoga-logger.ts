import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';
import { HookgraphError } from '../domain/errors.js';
import { isGraphQLError, rootCause, scrubbed } from './use-safe-errors.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * yoga's `logging` option over pino. yoga logs static strings, and each error it masks as the error
 * object itself: logged here as pino's `err` (message, stack, type) of the innermost cause, the
 * resolver's own error, with the GraphQL path beside it. Never the request: no body, no variables, no
 * headers. Expected failures (input errors, HookgraphError) log at debug, with their message scrubbed
 * of input values like the response's.
 */
export function createYogaLogger(log: Logger): YogaLogger {
  const at =
    (level: Level) =>
    (...args: unknown[]) => {
      for (const arg of args) {
        if (arg instanceof Error) logError(log, level, arg);
        else if (typeof arg === 'string') log[level](arg);
        // Anything else could be a request, a context or variables: its shape only.
        else log[level]({ kind: arg === null ? 'null' : typeof arg }, 'yoga logged a value');
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function logError(log: Logger, level: Level, error: Error): void {
  const cause = rootCause(error);
  const path = isGraphQLError(error) ? error.path : undefined;
  if (cause instanceof HookgraphError) {
    log.debug({ path, code: cause.name }, cause.message);
    return;
  }
  if (isGraphQLError(cause)) {
    // graphql-js's own errors (syntax, validation, coercion) are the caller's mistakes, not ours.
    log.debug({ path: cause.path ?? path, code: cause.extensions?.['code'] }, scrubbed(cause).message);
    return;
  }
  const err = cause instanceof Error ? cause : new Error(`non-Error thrown: ${typeof cause}`);
  log[level]({ err, path }, err.message);
}
