import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { type ExecutionResult, GraphQLError, type GraphQLSchema, type DocumentNode, validate, type ValidationContext } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { WebSocket } from 'ws';
import { type Limits, limitVariable } from '../config.js';
import { ValidationError } from '../domain/errors.js';
import { PAYLOAD_COST } from '../schema/cost.js';
import { SlowSubscriberError, watchSlowSubscriber } from '../stream/slow-subscribers.js';

/*
 * Every bound on GraphQL operations, as yoga plugins (HTTP, SSE and graphql-ws all run through them).
 * A refused operation gets errors and no `data`; each error has `extensions.code` and
 * `extensions.limit` (the config.limits field):
 *
 * | refusal                           | checked                          | code               | HTTP |
 * | tokens, aliases, depth            | parse / validation (Armor)       | BAD_USER_INPUT     | 400  |
 * | cost (src/schema/cost.ts)         | before execution (Pothos)        | COST_LIMIT         | 400  |
 * | operations on one graphql-ws socket | graphql-ws onSubscribe (app.ts) | SUBSCRIPTION_LIMIT | -    |
 * | subscriptions of one tenant       | when a subscription starts       | SUBSCRIPTION_LIMIT | 429  |
 *
 * Not refusals: stored payload bytes past graphqlMaxResponseBytes are field errors (RESPONSE_TOO_LARGE,
 * cost.ts), and a subscriber too slow is closed (graphql-ws close 4290; SSE: a last SLOW_SUBSCRIBER error).
 */

/** graphql-ws close code for a subscriber that fell too far behind; outside graphql-ws's own 44xx/45xx codes. */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 4290;
export const SLOW_SUBSCRIBER_CLOSE_REASON = 'subscriber too slow: resume with after';

type LimitName = 'graphqlMaxTokens' | 'graphqlMaxAliases' | 'graphqlMaxDepth';

/** A refusal: `limit` names the config.limits field, which also marks the error for useRefusalStatus. */
function refusal(message: string, code: string, limit: keyof Limits, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, ...extensions } });
}

/** armor's "Syntax Error: Aliases limit of 30 exceeded, found 3000." as a refusal naming its variable. */
function armorRefusal(limit: LimitName, error: GraphQLError): GraphQLError {
  const reason = error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
  return refusal(`Operation refused: ${reason} (${limitVariable(limit)})`, 'BAD_USER_INPUT', limit);
}

/**
 * Tokens (while parsing, so a 200 KB document stops at the limit), aliases and depth (validation),
 * through GraphQL Armor's rules, and the cost before execution, through @pothos/plugin-complexity.
 * Introspection (GraphiQL's query) is not depth-limited and costs 1 per root field.
 */
export function useOperationLimits(limits: Readonly<Limits>): Plugin[] {
  const tokenRefusals = new WeakSet<object>();
  const reportTo = (limit: LimitName) => (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(armorRefusal(limit, error));
  return [
    maxTokensPlugin({ n: limits.graphqlMaxTokens, onReject: [(_context, error) => void tokenRefusals.add(error)] }),
    {
      // The token rule throws out of the parser (it must, to stop reading): give that error its code and status.
      onParse:
        () =>
        ({ result, replaceParseResult }) => {
          if (result instanceof GraphQLError && tokenRefusals.has(result)) replaceParseResult(armorRefusal('graphqlMaxTokens', result));
        },
    },
    maxAliasesPlugin({ n: limits.graphqlMaxAliases, propagateOnRejection: false, onReject: [reportTo('graphqlMaxAliases')] }),
    maxDepthPlugin({
      n: limits.graphqlMaxDepth,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [reportTo('graphqlMaxDepth')],
    }),
    useCostLimit(limits.graphqlMaxCost),
    useRefusalStatus(),
  ];
}

/**
 * The HTTP status of a refused operation: 429 for a tenant over its subscriptions, else 400, and
 * for `accept: application/json` too, where yoga answers validation and parse errors with 200 (the
 * GraphQL-over-HTTP rule for that media type). Set on the result, not on each error: yoga rewrites
 * the errors' own `http.spec`, and graphql-ws would send an error's `http` to the client.
 */
function useRefusalStatus(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || isAsyncIterable(result) || 'data' in result) return;
      const limits = (result.errors ?? []).map((e) => e.extensions?.['limit']).filter((l) => l !== undefined);
      if (limits.length === 0) return;
      const status = limits.includes('maxSubscriptionsPerTenant') ? 429 : 400;
      setResult({ ...result, extensions: { ...result.extensions, http: { status } } });
    },
  };
}

/**
 * The operation's cost (src/schema/cost.ts) with its variables, checked once before execution:
 * not a validation rule, because yoga caches validation per document and `first: $n` varies.
 */
function useCostLimit(maxCost: number): Plugin {
  const check = (args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variableValues?: Record<string, unknown> | null | undefined;
    operationName?: string | null | undefined;
    contextValue?: unknown;
  }): GraphQLError[] => {
    const refusals: GraphQLError[] = [];
    const rule = createComplexityRule({
      context: (args.contextValue ?? {}) as object,
      variableValues: args.variableValues ?? {},
      operationName: args.operationName ?? null,
      validate: ({ complexity }) => {
        if (complexity > maxCost)
          refusals.push(
            refusal(
              `Operation refused: its cost is ${complexity}, the limit is ${maxCost} (${limitVariable('graphqlMaxCost')}). Lists count their size (first/last), Event.payload counts ${PAYLOAD_COST}: ask for smaller pages or fewer fields`,
              'COST_LIMIT',
              'graphqlMaxCost',
              { cost: complexity, maxCost },
            ),
          );
      },
    });
    // Variable errors the rule may report are left to execution, which reports them the usual way. An argument
    // the rule cannot read (a malformed global id throws from the relay plugin's argument mapping) refuses the
    // whole operation: executing it uncosted would let one bad id carry any cost past the limit.
    try {
      validate(args.schema, args.document, [rule]);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return [new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', field: error.field } })];
    }
    return refusals;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusals = check(args);
      if (refusals.length > 0) setResultAndStopExecution({ errors: refusals });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusals = check(args);
      if (refusals.length > 0) setResultAndStopExecution({ errors: refusals });
    },
  };
}

/** graphql-ws close code for a socket that keeps asking for operations past its limit; resumable like 4290. */
export const SUBSCRIBE_FLOOD_CLOSE_CODE = 4291;
export const SUBSCRIBE_FLOOD_CLOSE_REASON = 'too many refused subscriptions: reconnect and stay within the limit';

/**
 * The operations one graphql-ws socket has in flight, subscriptions included: checked in graphql-ws's
 * onSubscribe (app.ts) with its own record of them, before the message is even parsed, so a flood of
 * subscribe messages costs little. graphql-ws forgets an operation on every path (complete, error,
 * close), so nothing needs releasing here. A client that ignores as many refusals as the limit itself is
 * not a client that made a mistake: its socket is closed (SUBSCRIBE_FLOOD_CLOSE_CODE), so the rest of a
 * 2,000-message burst costs nothing more.
 */
export function createSocketLimit({ maxSubscriptionsPerSocket }: Readonly<Limits>) {
  const refused = new WeakMap<object, number>();
  return (operationsInFlight: Record<string, unknown>, socket: WebSocket): GraphQLError | null => {
    if (socket.readyState !== WebSocket.OPEN) return closedError;
    if (Object.keys(operationsInFlight).length <= maxSubscriptionsPerSocket) return null;
    const count = (refused.get(socket) ?? 0) + 1;
    refused.set(socket, count);
    if (count >= maxSubscriptionsPerSocket) socket.close(SUBSCRIBE_FLOOD_CLOSE_CODE, SUBSCRIBE_FLOOD_CLOSE_REASON);
    return new GraphQLError(
      `Subscription refused: this socket already has ${maxSubscriptionsPerSocket} operations (${limitVariable('maxSubscriptionsPerSocket')}); complete some, or open another connection`,
      { extensions: { code: 'SUBSCRIPTION_LIMIT', limit: 'maxSubscriptionsPerSocket' } },
    );
  };
}
const closedError = new GraphQLError('the socket is closing', { extensions: { code: 'SUBSCRIPTION_LIMIT' } });

/**
 * Subscriptions per tenant in this process, over graphql-ws and SSE, and what happens to a subscriber
 * that falls behind. Must come after useSharedSubscriptions in the plugin list: it wraps each
 * subscriber's own view, so a shared execution counts once per subscriber.
 *
 * A slot is taken when a subscription starts and given back exactly once, however it ends: it
 * completes, the client completes it or disconnects (graphql-ws and SSE call `return`), it fails, it
 * never started (an error result or a throw), or it was too slow.
 *
 * Too slow (its buffer of config.limits.subscriberBufferEvents overflowed, see stream/): over
 * graphql-ws the socket is closed with SLOW_SUBSCRIBER_CLOSE_CODE; over SSE the stream ends with one
 * error result (extensions.code SLOW_SUBSCRIBER). Either way the client subscribes again with `after`
 * set to the last cursor it received, and loses nothing.
 */
export function useSubscriptionLimits({ maxSubscriptionsPerTenant, subscriberBufferEvents }: Readonly<Limits>): Plugin {
  const open = new Map<string, number>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const context = args.contextValue as { tenant?: { id: string }; socket?: unknown };
      const tenantId = context.tenant?.id;
      if (!tenantId) return;
      setSubscribeFn(async (subscribeArgs) => {
        const count = open.get(tenantId) ?? 0;
        if (count >= maxSubscriptionsPerTenant) {
          return {
            errors: [
              refusal(
                `Subscription refused: this tenant already has ${maxSubscriptionsPerTenant} subscriptions open (${limitVariable('maxSubscriptionsPerTenant')}); close some first`,
                'SUBSCRIPTION_LIMIT',
                'maxSubscriptionsPerTenant',
              ),
            ],
          } satisfies ExecutionResult;
        }
        open.set(tenantId, count + 1);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          const left = (open.get(tenantId) ?? 1) - 1;
          if (left > 0) open.set(tenantId, left);
          else open.delete(tenantId);
        };
        const socket = context.socket instanceof WebSocket ? context.socket : null;
        const guarded = guardSubscriber({ context, socket, release, bufferEvents: subscriberBufferEvents });
        let result: Awaited<ReturnType<typeof subscribeFn>>;
        try {
          result = await subscribeFn(subscribeArgs);
        } catch (error) {
          guarded.end();
          throw error;
        }
        if (!isAsyncIterable(result)) {
          guarded.end();
          return result;
        }
        return guarded.wrap(result as AsyncIterable<ExecutionResult>);
      });
    },
  };
}

function guardSubscriber({
  context,
  socket,
  release,
  bufferEvents,
}: {
  context: object;
  socket: WebSocket | null;
  release: () => void;
  bufferEvents: number;
}) {
  let inner: AsyncIterator<ExecutionResult> | null = null;
  let slow = false;
  let slowReported = false;
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    unwatch();
    release();
    // Stops the stream at once (bus listener, buffer), whether or not anyone pulls again.
    if (inner?.return) void Promise.resolve(inner.return()).catch(() => {});
  };
  const fellBehind = () => {
    if (slow || ended) return;
    slow = true;
    end();
    if (socket && socket.readyState === WebSocket.OPEN) socket.close(SLOW_SUBSCRIBER_CLOSE_CODE, SLOW_SUBSCRIBER_CLOSE_REASON);
  };
  const unwatch = watchSlowSubscriber(context, fellBehind);
  const slowResult = (): IteratorResult<ExecutionResult> => {
    if (socket || slowReported) return { value: undefined, done: true };
    slowReported = true;
    const message = `subscriber too slow: it fell more than ${bufferEvents} events behind; subscribe again with "after" set to the last cursor received`;
    const error = new GraphQLError(message, { extensions: { code: 'SLOW_SUBSCRIBER', limit: 'subscriberBufferEvents' } });
    return { value: { errors: [error] }, done: false };
  };

  return {
    end,
    wrap(source: AsyncIterable<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
      const it = source[Symbol.asyncIterator]();
      inner = it;
      const guardedIterator: AsyncIterableIterator<ExecutionResult> = {
        async next() {
          if (slow) return slowResult();
          if (ended) return { value: undefined, done: true };
          let r: IteratorResult<ExecutionResult>;
          try {
            r = await it.next();
          } catch (error) {
            // The overflow seen from the pulling side, before (or without) the watcher.
            if (error instanceof SlowSubscriberError) {
              fellBehind();
              return slowResult();
            }
            end();
            throw error;
          }
          if (slow) return slowResult();
          if (r.done) end();
          return r;
        },
        async return() {
          end();
          return { value: undefined, done: true };
        },
        async throw(error: unknown) {
          end();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return guardedIterator;
    },
  };
}
