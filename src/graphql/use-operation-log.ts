import type { ExecutionResult, OperationTypeNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { errorCode, observeStream, operationOf, resultCodes, type Transport, transportOf } from './operation-facts.js';

interface Operation {
  started: number;
  transport: Transport;
  name: string | null;
  type: OperationTypeNode | null;
  codes: Set<string>;
  /** Results a subscription sent. */
  events: number;
  logged: boolean;
}

/** Longest operation name logged; a name is a client's choice, and one token may be as long as the body. */
const MAX_NAME = 128;
/** Distinct error codes listed per line (a subscription may meet many). */
const MAX_CODES = 10;

/**
 * One JSON line per GraphQL operation, at info, over HTTP, SSE and graphql-ws alike, when it ends:
 * `{ operation, type, tenant, transport, ms, errorCodes }` (`events` too for a subscription, whose
 * `ms` is its lifetime). Refused operations get their line too, at the phase that refused them (parse,
 * validation, authentication, cost). Never the document, the variables, the result or the API key: the
 * tenant is its id, once authentication ran (refusals before it have `tenant: null`).
 *
 * Listed before the operation limits: a refusal before execution stops the plugins after it.
 */
export function useOperationLog(log: Logger): Plugin {
  const operations = new WeakMap<object, Operation>();

  const finish = (context: object, op: Operation) => {
    if (op.logged) return;
    op.logged = true;
    const tenant = (context as { tenant?: { id?: unknown } }).tenant?.id;
    log.info(
      {
        operation: op.name === null ? null : op.name.slice(0, MAX_NAME),
        type: op.type,
        tenant: typeof tenant === 'string' ? tenant : null,
        transport: op.transport,
        ms: Math.round((performance.now() - op.started) * 10) / 10,
        errorCodes: [...op.codes].slice(0, MAX_CODES),
        ...(op.type === 'subscription' && { events: op.events }),
      },
      'graphql operation',
    );
  };
  /** A stream's end; one that threw has the thrown error's code. */
  const end = (context: object, op: Operation, error: unknown) => {
    if (error !== undefined) op.codes.add(errorCode(error, 'INTERNAL_SERVER_ERROR'));
    finish(context, op);
  };
  const addCodes = (op: Operation, result: ExecutionResult) => {
    for (const code of resultCodes(result)) op.codes.add(code);
  };

  return {
    onPluginInit({ registerContextErrorHandler }) {
      // Authentication runs in the context factory: a missing or wrong key ends the operation there.
      registerContextErrorHandler(({ context, error }) => {
        const op = operations.get(context);
        if (!op) return;
        op.codes.add(errorCode(error, 'INTERNAL_SERVER_ERROR'));
        finish(context, op);
      });
    },
    onParse({ context }) {
      const op: Operation = {
        started: performance.now(),
        transport: transportOf(context),
        name: null,
        type: null,
        codes: new Set(),
        events: 0,
        logged: false,
      };
      operations.set(context, op);
      return ({ result }) => {
        if (result instanceof Error || result === null) {
          op.codes.add(errorCode(result, 'GRAPHQL_PARSE_FAILED'));
          finish(context, op);
          return;
        }
        const found = operationOf(result, context);
        op.name = found?.name ?? null;
        op.type = found?.type ?? null;
      };
    },
    onValidate({ context }) {
      return ({ valid, result }) => {
        const op = operations.get(context);
        if (valid || !op) return;
        for (const error of result) op.codes.add(errorCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        finish(context, op);
      };
    },
    onExecute({ args }) {
      const context = args.contextValue as object;
      const op = operations.get(context);
      if (!op) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!isAsyncIterable(result)) {
            addCodes(op, result);
            finish(context, op);
            return;
          }
          setResult(observeStream(result, { onNext: (r) => addCodes(op, r), onEnd: (error) => end(context, op, error) }));
        },
      };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as object;
      const op = operations.get(context);
      if (!op) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) {
            addCodes(op, result);
            finish(context, op);
            return;
          }
          const onNext = (r: ExecutionResult) => {
            op.events++;
            addCodes(op, r);
          };
          setResult(observeStream(result, { onNext, onEnd: (error) => end(context, op, error) }));
        },
      };
    },
  };
}
