import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Metrics } from '../metrics.js';
import type { Services } from '../schema/context.js';
import { createSharedFrames } from '../stream/shared-frames.js';
import { pace } from '../stream/turns.js';
import { extractApiKey } from './auth.js';
import { createSocketLimit } from './limits.js';
import { isAllowedOrigin, isOwnOrigin } from './origins.js';
import { isGraphQLError } from './use-safe-errors.js';
import type { RefusalBudget } from './use-refusal-budget.js';
import type { GraphQLServer } from './yoga.js';

export interface GraphQLWsOptions {
  server: Server;
  yoga: GraphQLServer;
  services: Pick<Services, 'access' | 'config'>;
  metrics: Metrics;
  refusals: RefusalBudget;
}

/** graphql-ws close code for a socket whose key was revoked or whose key or token expired (graphql-ws's own Forbidden). */
export const ACCESS_ENDED_CLOSE_CODE = 4403;

/** yoga's enveloped execute/subscribe, carried to graphql-ws's execute/subscribe through rootValue. */
interface Enveloped {
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
}

/**
 * graphql-ws on the GraphQL endpoint, executed by yoga's envelop (the same plugins as HTTP). Every cast between
 * graphql-ws's types and yoga's lives in this file, with the shared-frame splice (stream/shared-frames.ts).
 */
export function attachGraphQLWs({ server, yoga, services: { access, config }, metrics, refusals }: GraphQLWsOptions) {
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    // No GraphQL message is larger than the largest body the gateway reads (ws would take 100 MiB).
    maxPayload: config.maxBodyBytes,
    // CORS does not cover WebSockets: a page on a refused origin is turned away at the upgrade (403), before
    // graphql-ws sees the socket. No Origin header: not a browser, like a request without Origin over HTTP.
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }, done) =>
      done(
        origin === undefined || isAllowedOrigin(origin, config.corsOrigins) || isOwnOrigin(origin, req.headers.host, config.publicUrl),
        403,
        'origin not allowed (HOOKGRAPH_CORS_ORIGINS)',
      ),
  });
  metrics.countConnections('graphql-ws', () => wss.clients.size);
  // Registered before graphql-ws's own listener: each socket's send splices shared payloads in.
  const frames = createSharedFrames();
  wss.on('connection', (socket) => {
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => send(typeof data === 'string' ? frames.expand(data) : data, ...rest)) as never;
  });
  const socketLimit = createSocketLimit(config.limits);
  const socketClients = new WeakMap<object, string>();
  useServer(
    {
      // Subscribers sharing an execution also share its serialized payload (see shared-frames.ts).
      onNext: (_ctx, _id, _payload, _args, result) => frames.placeholder(result) as never,
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      // Refuse the socket early (close 4403) rather than at the first operation.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization'];
        const client = refusals.clientOf(authorization, ctx.extra.request.socket.remoteAddress);
        socketClients.set(ctx.extra.socket, client);
        // A client that keeps being refused (see use-refusal-budget.ts) does not get a socket to flood.
        if (refusals.retryAfter(client) > 0) {
          refusals.refused(client);
          await refusals.tarpit();
          ctx.extra.socket.close(4429, 'too many refused operations: wait, then stay within the limits');
          return false;
        }
        const credential = extractApiKey(authorization);
        const viewer = credential === null ? null : await access.authenticate(credential);
        if (!viewer) {
          refusals.refused(client);
          return false;
        }
        // Revoked (on any replica) or expired: the socket closes, every subscription on it with it.
        const socket = ctx.extra.socket;
        const unwatch = access.watch(viewer, (reason) =>
          socket.close(ACCESS_ENDED_CLOSE_CODE, reason === 'revoked' ? 'access revoked: the key was revoked' : 'access expired'),
        );
        socket.once('close', unwatch);
        if (socket.readyState !== socket.OPEN) unwatch();
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Before any work: a flood of subscribe messages on one socket is refused for the cost of a count.
        const tooMany = socketLimit(ctx.subscriptions, ctx.extra.socket);
        if (tooMany) {
          refusals.refused(socketClients.get(ctx.extra.socket) ?? '');
          return [tooMany];
        }
        // A burst of subscribe messages arrives in one read of the socket; each one's parse, validation and
        // start then takes its own turn (stream/turns.ts), so acknowledgments are not queued behind the burst.
        await pace();
        const { schema, execute, subscribe, contextFactory, validate, parse } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          connectionParams: ctx.connectionParams ?? {},
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as never];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const rootValue: Enveloped = { execute, subscribe };
        let contextValue: Awaited<ReturnType<typeof contextFactory>>;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          // The credential stopped working since the socket opened (revoked, expired): this operation is refused
          // as UNAUTHENTICATED, and the access watch closes the socket (4403). Anything else is a fault of ours.
          if (isGraphQLError(error)) return [error as never];
          throw error;
        }
        return {
          schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue,
          rootValue,
        };
      },
    },
    wss,
  );
  return {
    /** Closes every socket (1001) and the server. */
    close: async (): Promise<void> => {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
