import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import DataLoader from 'dataloader';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { WebSocketServer } from 'ws';
import { authenticate, extractApiKey } from './auth.js';
import { type Config, explainListenError } from './config.js';
import { type ProviderKey, providerKeys, providerSlug } from './domain/provider-key.js';
import type { RemoteWebhook } from './domain/webhook.js';
import { normalizeRequestTarget, refuseRequestTarget } from './http/request-target.js';
import { capConnections, serverOptions } from './http/server-limits.js';
import { createEventWriter } from './ingest/event-writer.js';
import { createOffThreadDecoder } from './ingest/off-thread.js';
import { createIngestHandler } from './ingest/route.js';
import { DELIVERY_PREFIX, formatDeliveryUrl, parseDeliveryPath } from './domain/delivery-url.js';
import { createConnectionManager } from './manage/connections.js';
import { createSandboxEvents } from './manage/sandbox-events.js';
import { createWebhookManager } from './manage/webhooks.js';
import { createMetrics, statusClass } from './metrics.js';
import { createMetricsRoute, createMetricsServer, type MetricsServer } from './http/metrics-route.js';
import { createHostGuard } from './providers/host-guard.js';
import { createHttpClient, type HttpClient } from './providers/http.js';
import { createEventBus } from './pubsub.js';
import { createSharedFrames } from './stream/shared-frames.js';
import { pace } from './stream/turns.js';
import { useSharedSubscriptions } from './stream/use-shared-subscriptions.js';
import { createSocketLimit, useOperationLimits, useSubscriptionLimits } from './graphql/limits.js';
import { createSandbox, SANDBOX_PREFIX } from './sandbox/index.js';
import { maskError, useSafeErrors } from './graphql/use-safe-errors.js';
import { createRefusalBudget, useRefusalBudget } from './graphql/use-refusal-budget.js';
import { useSerializableResults } from './graphql/use-serializable-results.js';
import { createGraphiQL } from './graphql/graphiql.js';
import { useMetrics } from './graphql/use-metrics.js';
import { useOperationLog } from './graphql/use-operation-log.js';
import { createYogaLogger } from './graphql/yoga-logger.js';
import type { Context, Loaders, Services } from './schema/context.js';
import { createCursorCodec } from './schema/ids.js';
import { schema } from './schema/index.js';
import { resolveSecretKey } from './secret-key.js';
import type { Connection } from './domain/connection.js';
import { createPruner, type Pruner } from './store/retention.js';
import { createStore } from './store/store.js';
import type { Tenant } from './domain/tenant.js';

export interface AppOptions {
  /** Vendor transport for every connector (an undici MockAgent in tests). */
  dispatcher?: Dispatcher;
  /** @default a pino logger at config.logLevel */
  logger?: Logger;
}

export interface BootstrapInfo {
  tenant: Tenant;
  /** A fresh API key when the default tenant was created by this start, else null. */
  apiKey: string | null;
  connected: ProviderKey[];
}

export interface App {
  /** http://host:port once started. */
  url: string;
  services: Services;
  bootstrap: BootstrapInfo | null;
  /** Event retention (store/retention.ts): background passes between start and stop; `pruneOnce()` runs one now. */
  retention: Pruner;
  /** http://host:port of /metrics' own server once started (config.metricsPort), else null: /metrics is on `url`. */
  metricsUrl: string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the gateway: one HTTP port for GraphQL (HTTP, SSE, graphql-ws), deliveries, sandbox, health. */
export async function buildApp(config: Readonly<Config>, { dispatcher, logger }: AppOptions = {}): Promise<App> {
  const log =
    logger ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.credentials', '*.apiKey', '*.accessToken'] });
  const { key, origin: keyOrigin } = resolveSecretKey(config.secretKey, config.dataDir);
  const store = await createStore({ databaseUrl: config.databaseUrl, secretKey: key, pgSchema: config.pgSchema, keyOrigin });
  const bus = createEventBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log });
  const metrics = createMetrics();
  const retention = createPruner({ store, retentionMs: config.retentionMs, log, onPass: (r) => metrics.eventsPruned.inc(r.rows) });
  // Sandbox accounts persist in the database; the vendors deliver only to this gateway's own /hooks URLs.
  const sandbox = config.sandbox ? createSandbox({ store: store.sandbox, gatewayOrigins: () => [config.publicUrl, origin] }) : null;
  // Loopback is reachable only at the gateway's own origin, under /sandbox/, and only while the sandbox is mounted.
  const { assertAllowedUrl, lookup } = createHostGuard({
    allowedHosts: config.allowedHosts,
    sandboxOrigin: () => (sandbox && origin !== '' ? origin : null),
    sandboxPathPrefix: SANDBOX_PREFIX,
  });
  let origin = '';

  const httpClients = new Map<ProviderKey, HttpClient>(
    providerKeys.map((p) => [
      p,
      createHttpClient(p, {
        ...(dispatcher && { dispatcher }),
        timeoutMs: config.vendorTimeoutMs,
        assertAllowedUrl,
        lookup,
        maxResponseBytes: config.limits.vendorMaxResponseBytes,
        onAttempt: (a) => {
          metrics.vendorCalls.inc({ provider: a.provider, status: String(a.status ?? 'network') });
          metrics.vendorCallSeconds.observe({ provider: a.provider, status_class: statusClass(a.status) }, a.ms / 1000);
          log.debug(
            { provider: a.provider, method: a.method, path: a.url, status: a.status, attempt: a.attempt, ms: Math.round(a.ms) },
            'vendor call',
          );
        },
      }),
    ]),
  );
  const connections = createConnectionManager({ store, httpFor: (p) => httpClients.get(p) as HttpClient, assertAllowedUrl });
  const sandboxEvents =
    sandbox && createSandboxEvents({ store, vendors: sandbox.vendors, mountUrl: (p) => `${origin}${SANDBOX_PREFIX}${providerSlug(p)}` });
  const deliveryUrl = (id: string, token: string) => formatDeliveryUrl(publicOrigin(), id, token);
  const services: Services = {
    config,
    store,
    bus,
    connections,
    webhooks: createWebhookManager({ store, connections, deliveryUrl, testFallback: sandboxEvents?.test ?? null }),
    deliveryUrl,
    sandbox: sandboxEvents,
    cursors: createCursorCodec(key),
  };
  function publicOrigin(): string {
    return config.publicUrl ?? origin;
  }

  function createLoaders(tenant: Tenant): Loaders {
    return {
      remoteHooks: new DataLoader<ProviderKey, Map<string, RemoteWebhook>>(async (keys) =>
        Promise.all(
          keys.map(async (p) => {
            try {
              const list = await (await connections.connector(tenant.id, p)).listWebhooks();
              return new Map(list.map((r) => [r.externalId, r]));
            } catch (error) {
              return error instanceof Error ? error : new Error(String(error));
            }
          }),
        ),
      ),
      connection: new DataLoader<ProviderKey, Connection | null>(async (keys) => {
        const all = await store.connections.list(tenant.id);
        return keys.map((k) => all.find((c) => c.provider === k) ?? null);
      }),
    };
  }

  const refusals = createRefusalBudget();
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL is served by graphql/graphiql.ts (bundled, compressed, cached), ahead of yoga in the router.
    graphiql: false,
    logging: createYogaLogger(log),
    // Never yoga's development mode: it would put the original message and stack in responses.
    maskedErrors: { maskError, isDev: false },
    plugins: [
      // First: a client that keeps sending refused operations is answered 429 before its request is read.
      useRefusalBudget(refusals),
      useSafeErrors(),
      // Before the operation limits: a refusal before execution stops the plugins after it.
      useOperationLog(log),
      ...useMetrics({ registry: metrics.registry, subscriptions: metrics.subscriptions }),
      useSerializableResults({ log }),
      ...useOperationLimits(config.limits),
      useSharedSubscriptions({ bufferEvents: config.limits.subscriberBufferEvents }),
      // After the shared subscriptions: it counts (and closes when too slow) each subscriber's own view.
      useSubscriptionLimits(config.limits),
    ],
    context: async (initial) => {
      const params = initial['connectionParams'] as Record<string, unknown> | undefined;
      const request = initial['request'] as Request | undefined;
      const authorization = params ? (params['authorization'] ?? params['Authorization']) : request?.headers.get('authorization');
      const tenant = await authenticate(store.apiKeys, authorization);
      return { tenant, services, loaders: createLoaders(tenant) };
    },
  });

  const decoder = createOffThreadDecoder();
  const ingest = createIngestHandler({
    decoder,
    store,
    writer: createEventWriter(store, { metrics }),
    bus,
    log,
    metrics,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.limits,
  });

  const serveMetrics = createMetricsRoute({ registry: metrics.registry, token: config.metricsToken });
  // With a port of its own, /metrics is served there only (the main port answers 404).
  const metricsServer: MetricsServer | null =
    config.metricsPort === null
      ? null
      : createMetricsServer({ host: config.host, port: config.metricsPort, serve: serveMetrics, limits: config.limits });
  const graphiql = createGraphiQL({ title: 'hookgraph', endpoint: yoga.graphqlEndpoint });

  async function ready(res: ServerResponse) {
    const checks: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of [
      ['database', () => store.ping()],
      ['pubsub', () => bus.ping()],
    ] as const) {
      try {
        await check();
        checks[name] = 'ok';
      } catch {
        checks[name] = 'unavailable';
        ok = false;
      }
    }
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', database: store.dialect, pubsub: bus.kind, checks });
  }

  const server = createServer(serverOptions(config.limits), (req: IncomingMessage, res: ServerResponse) => {
    // Absolute-form targets become origin-form for every route; `*` and anything unparsable never reach yoga.
    const pathname = normalizeRequestTarget(req);
    if (pathname === null) return refuseRequestTarget(req, res);
    const hook = parseDeliveryPath(pathname);
    if (hook) {
      void ingest(req, res, hook.webhookId, hook.token);
      return;
    }
    if (pathname.startsWith(DELIVERY_PREFIX)) {
      req.resume();
      metrics.deliveries.inc({ provider: 'unknown', status: '404' });
      metrics.deliveryRefusals.inc({ provider: 'unknown', status: '404', reason: 'unknown_webhook' });
      log.info({ provider: 'unknown', status: 404, reason: 'unknown_webhook' }, 'delivery refused');
      sendJson(res, 404, { error: 'unknown webhook' });
      return;
    }
    if (sandbox && pathname.startsWith(SANDBOX_PREFIX) && sandbox.handle(req, res, pathname)) return;
    if (pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/ready') return void ready(res);
    if (pathname === '/metrics') return metricsServer ? sendJson(res, 404, { error: 'not found' }) : serveMetrics(req, res);
    if (graphiql.handle(req, res, pathname)) return;
    if (pathname === '/') {
      res.writeHead(302, { location: '/graphql' });
      res.end();
      return;
    }
    void yoga.requestListener(req, res);
  });

  capConnections(server, config.limits);

  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  metrics.countConnections('http', () => sockets.size);

  // No GraphQL message is larger than the largest body the gateway reads (ws would take 100 MiB).
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: config.maxBodyBytes });
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
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
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
        const key = extractApiKey(authorization);
        const ok = key !== null && (await store.apiKeys.authenticate(key)) !== null;
        if (!ok) refusals.refused(client);
        return ok;
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
        const {
          schema: s,
          execute,
          subscribe,
          contextFactory,
          validate,
          parse,
        } = yoga.getEnveloped({
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
        const errors = validate(s, document);
        if (errors.length > 0) return errors;
        return {
          schema: s,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );

  let bootstrapInfo: BootstrapInfo | null = null;
  const app: App = {
    url: '',
    services,
    get bootstrap() {
      return bootstrapInfo;
    },
    retention,
    metricsUrl: null,
    async start() {
      await new Promise<void>((resolve, reject) => {
        // ws forwards the HTTP server's errors to the WebSocket server, where graphql-ws prints them with a
        // stack and closes every client: a listen error (EADDRINUSE) is this start's to report, in one line.
        server.removeAllListeners('error');
        server.once('error', (error) => reject(explainListenError(error, config)));
        server.listen(config.port, config.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      app.url = origin;
      if (metricsServer) {
        await metricsServer.start();
        app.metricsUrl = metricsServer.url;
      }
      // Production never prints a key, so its bootstrap creates none (`hookgraph keys create` does).
      if (config.bootstrap) bootstrapInfo = await bootstrap(config.profile === 'development');
      retention.start();
    },
    async stop() {
      await metricsServer?.stop();
      await retention.stop();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2_000).unref();
      });
      await decoder.close();
      await bus.close();
      await store.close();
    },
  };

  /** First start: a default tenant (with a key to print, in development), connected to every sandbox vendor (as `connectSandbox` does). */
  async function bootstrap(createKey: boolean): Promise<BootstrapInfo> {
    const { tenant, created } = await store.tenants.getOrCreate('default');
    const apiKey = created && createKey ? (await store.apiKeys.create(tenant.id, 'bootstrap')).key : null;
    let connected: ProviderKey[] = [];
    if (services.sandbox) {
      try {
        connected = (await services.sandbox.connect(tenant.id)).created;
      } catch (error) {
        log.warn({ err: error }, 'could not connect the default tenant to the sandbox vendors');
      }
    }
    return { tenant, apiKey, connected };
  }

  return app;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
