import type { ExecutionResult, OperationTypeNode } from 'graphql';
import { createCounter, createHistogram, type FillLabelsFnParams, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Gauge, Registry } from 'prom-client';
import { errorCode, observeStream, operationOf, transportOf } from './operation-facts.js';

export interface MetricsPluginOptions {
  /** The app's registry (metrics.ts), served at /metrics. */
  registry: Registry;
  /** hookgraph_subscriptions_active (metrics.ts), by transport. */
  subscriptions: Gauge<'transport'>;
  /**
   * Distinct operation names kept as label values, first come first kept; the rest count as `other`.
   * @default 200
   */
  maxOperationNames?: number;
}

interface Operation {
  name: string | null;
  type: OperationTypeNode | 'unknown';
  /** Some result (or a refusal) carried errors. */
  failed: boolean;
}

type Names = 'operationName' | 'operationType';

/** A name is one token however long (a 1 MiB name passes the token limit): longer ones count as `other`. */
const MAX_NAME_LENGTH = 100;
/** Error codes are written by the gateway, never by a client; this only keeps a bug from exploding a label. */
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;
/**
 * The code of a graphql-js error that has none, by phase (yoga's names; validation failures come without
 * their errors); at execution such an error is the caller's input (a variable, an operation name).
 */
const FALLBACK_CODES = new Map([
  ['parse', 'GRAPHQL_PARSE_FAILED'],
  ['validate', 'GRAPHQL_VALIDATION_FAILED'],
  ['execute', 'BAD_USER_INPUT'],
  ['subscribe', 'BAD_USER_INPUT'],
]);

/**
 * GraphQL operation metrics through yoga's Prometheus plugin (@graphql-yoga/plugin-prometheus, itself
 * @envelop/prometheus), on every transport (HTTP, SSE, graphql-ws: all run through the envelop hooks):
 *
 * - `graphql_envelop_request{operationName,operationType,outcome}`: operations executed, `outcome` `ok`
 *   or `error` (any error in the result, or in any event of a subscription);
 * - `graphql_envelop_request_duration{…,outcome}`: queries and mutations from parse to result;
 * - `graphql_envelop_phase_{parse,validate,context,execute,subscribe}`: time per phase (parse by type only);
 * - `graphql_envelop_error_result{operationName,operationType,phase,code}`: errors, refusals at parse,
 *   validation and authentication included;
 * - `hookgraph_subscriptions_active{transport}`: subscriptions open now (a gauge of metrics.ts).
 *
 * Bounded labels: the plugin would label with the `operationName` a client sends, and its own HTTP
 * histogram with the full URL, query string included. Here an operation name becomes a label value only
 * once its document passed validation, at most `maxOperationNames` of them, each at most 100 characters
 * (else `other`); unnamed operations are `anonymous`. The URL histogram, the error `path` (list indices)
 * and the summary (a duplicate of the duration histogram that cannot be aggregated) are off. /metrics is
 * served by the app (http/metrics-route.ts), not by the plugin.
 *
 * Listed before the operation limits: a refusal before execution stops the plugins after it.
 */
export function useMetrics({ registry, subscriptions, maxOperationNames = 200 }: MetricsPluginOptions): Plugin[] {
  const admitted = new Set<string>();
  const operations = new WeakMap<object, Operation>();

  const nameOf = (op: Operation | undefined): string => {
    if (!op) return 'other';
    if (op.name === null) return 'anonymous';
    return admitted.has(op.name) ? op.name : 'other';
  };
  const labels = (_params: FillLabelsFnParams, context: object): Record<Names, string> => {
    const op = operations.get(context);
    return { operationName: nameOf(op), operationType: op?.type ?? 'unknown' };
  };
  const withOutcome = (params: FillLabelsFnParams, context: object) => ({
    ...labels(params, context),
    outcome: operations.get(context)?.failed ? 'error' : 'ok',
  });
  const phase = <P extends string>(name: string, help: string, phases: [P, ...P[]]) =>
    createHistogram({ registry, histogram: { name, help, labelNames: ['operationName', 'operationType'] }, fillLabelsFn: labels, phases });
  const markResult = (op: Operation, result: ExecutionResult) => {
    if (result.errors?.length) op.failed = true;
  };

  const track: Plugin = {
    onParse({ context }) {
      return ({ result }) => {
        if (result instanceof Error || result === null) return;
        const found = operationOf(result, context);
        operations.set(context, { name: found?.name ?? null, type: found?.type ?? 'unknown', failed: false });
      };
    },
    onValidate({ context }) {
      return ({ valid }) => {
        const op = operations.get(context);
        if (!op) return;
        if (!valid) op.failed = true;
        else if (op.name !== null && op.name.length <= MAX_NAME_LENGTH && !admitted.has(op.name) && admitted.size < maxOperationNames) {
          admitted.add(op.name);
        }
      };
    },
    onExecute({ args }) {
      const op = operations.get(args.contextValue as object);
      if (!op) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!isAsyncIterable(result)) return markResult(op, result);
          setResult(observeStream(result, { onNext: (r) => markResult(op, r), onEnd: () => {} }));
        },
      };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as object;
      const op = operations.get(context);
      if (!op) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return markResult(op, result);
          const transport = transportOf(context);
          subscriptions.inc({ transport });
          const onEnd = (error: unknown) => {
            if (error !== undefined) op.failed = true;
            subscriptions.dec({ transport });
          };
          setResult(observeStream(result, { onNext: (r) => markResult(op, r), onEnd }));
        },
      };
    },
  };

  const prometheus = usePrometheus({
    registry,
    endpoint: false,
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_request',
          help: 'GraphQL operations executed (subscriptions counted when they end)',
          labelNames: ['operationName', 'operationType', 'outcome'],
        },
        fillLabelsFn: withOutcome,
        phases: ['execute', 'subscribe'],
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_envelop_request_duration',
          help: 'Queries and mutations, from parse to result, in seconds',
          labelNames: ['operationName', 'operationType', 'outcome'],
        },
        fillLabelsFn: withOutcome,
        // A subscription's "duration" would be its lifetime: its setup time is graphql_envelop_phase_subscribe.
        phases: ['execute'],
      }),
      graphql_envelop_phase_parse: createHistogram({
        registry,
        // Before validation the name is not yet known to be valid: by type only.
        histogram: { name: 'graphql_envelop_phase_parse', help: 'Time to parse a GraphQL document', labelNames: ['operationType'] },
        fillLabelsFn: (params, context) => ({ operationType: labels(params, context).operationType }),
        phases: ['parse'],
      }),
      graphql_envelop_phase_validate: phase('graphql_envelop_phase_validate', 'Time to validate a GraphQL document', ['validate']),
      graphql_envelop_phase_context: phase('graphql_envelop_phase_context', 'Time to build the context (authentication)', ['context']),
      graphql_envelop_phase_execute: phase('graphql_envelop_phase_execute', 'Time to execute a query or mutation', ['execute']),
      graphql_envelop_phase_subscribe: phase('graphql_envelop_phase_subscribe', 'Time to start a subscription', ['subscribe']),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'GraphQL errors, by the phase that raised them and their extensions.code',
          labelNames: ['operationName', 'operationType', 'phase', 'code'],
        },
        fillLabelsFn: (params, context: object) => {
          const phase = params.errorPhase ?? 'execute';
          const code = params.error
            ? errorCode(params.error, FALLBACK_CODES.get(phase) ?? 'GRAPHQL_ERROR')
            : (FALLBACK_CODES.get(phase) ?? 'NONE');
          return { ...labels(params, context), phase, code: CODE.test(code) ? code : 'OTHER' };
        },
        phases: ['parse', 'validate', 'context', 'execute', 'subscribe'],
      }),
      graphql_envelop_request_time_summary: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: false,
    },
  });

  return [track, prometheus];
}
