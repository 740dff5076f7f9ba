import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { Context, Services } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { createLoaders } from '../schema/loaders.js';
import { useSharedSubscriptions } from '../stream/use-shared-subscriptions.js';
import { authenticate, credentialOfRequest } from './auth.js';
import { useOperationLimits, useSubscriptionLimits } from './limits.js';
import { isAllowedOrigin } from './origins.js';
import { useAccessEnd, useForbiddenStatus } from './use-access.js';
import { useMetrics } from './use-metrics.js';
import { useOperationLog } from './use-operation-log.js';
import { type RefusalBudget, useRefusalBudget } from './use-refusal-budget.js';
import { maskError, useSafeErrors } from './use-safe-errors.js';
import { useSerializableResults } from './use-serializable-results.js';
import { createYogaLogger } from './yoga-logger.js';

export interface GraphQLOptions {
  services: Services;
  log: Logger;
  metrics: Metrics;
  /** Shared with the graphql-ws server (graphql/ws.ts): refusals on either transport count together. */
  refusals: RefusalBudget;
}

/** GraphQL over HTTP and SSE: the schema, the per-request context (tenant, services, loaders) and the plugins in order. */
export function createGraphQL({ services, log, metrics, refusals }: GraphQLOptions) {
  const { limits } = services.config;
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL is served by graphql/graphiql.ts (bundled, compressed, cached), ahead of yoga in the router.
    graphiql: false,
    logging: createYogaLogger(log),
    // Never yoga's development mode: it would put the original message and stack in responses.
    maskedErrors: { maskError, isDev: false },
    cors: (request) => {
      const origin = request.headers.get('origin');
      // A refused origin gets no Access-Control-* header at all (yoga's default echoes any Origin).
      if (origin === null || !isAllowedOrigin(origin, services.config.corsOrigins)) return false;
      return {
        origin,
        methods: ['GET', 'POST'],
        // Keys and tokens travel in Authorization, never in cookies: no credentials mode to allow.
        allowedHeaders: ['authorization', 'content-type'],
        credentials: false,
        // One preflight per 10 minutes and origin rather than one before every request (Chrome's default is 5 s).
        maxAge: 600,
      };
    },
    plugins: [
      // First: a client that keeps sending refused operations is answered 429 before its request is read.
      useRefusalBudget(refusals),
      useSafeErrors(),
      // Before the operation limits: a refusal before execution stops the plugins after it.
      useOperationLog(log),
      ...useMetrics({ registry: metrics.registry, subscriptions: metrics.subscriptions }),
      useSerializableResults({ log }),
      ...useOperationLimits(limits),
      useForbiddenStatus(),
      useSharedSubscriptions({ bufferEvents: limits.subscriberBufferEvents }),
      // After the shared subscriptions: it counts (and closes when too slow) each subscriber's own view.
      useSubscriptionLimits(limits),
      // Each subscriber's view ends with its viewer's access (revoked, expired).
      useAccessEnd(),
    ],
    context: async (initial) => {
      // graphql-ws puts the socket's connectionParams in the context (graphql/ws.ts); HTTP and SSE have a request.
      const params = initial['connectionParams'] as Record<string, unknown> | undefined;
      const request = initial['request'] as Request | undefined;
      const credential = params
        ? { value: params['authorization'] ?? params['Authorization'], inUrl: false }
        : request
          ? credentialOfRequest(request)
          : { value: null, inUrl: false };
      const viewer = await authenticate(services.access, credential.value, { inUrl: credential.inUrl });
      return { viewer, tenant: viewer.tenant, services, loaders: createLoaders(viewer.tenant, services) };
    },
  });
}
export type GraphQLServer = ReturnType<typeof createGraphQL>;
