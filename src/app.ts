import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import DataLoader from 'dataloader';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { WebSocketServer } from 'ws';
import { authenticate, extractApiKey } from './auth.js';
import type { Config } from './config.js';
import { type ProviderKey, providerKeys, providerSlug } from './domain/provider-key.js';
import type { RemoteWebhook } from './domain/webhook.js';
import { normalizeRequestTarget, refuseRequestTarget } from './http/request-target.js';
import { capConnections, serverOptions } from './http/server-limits.js';
import { createEventWriter } from './ingest/event-writer.js';
import { createIngestHandler, INGEST_PATH } from './ingest/route.js';
import { createConnectionManager } from './manage/connections.js';
import { createSandboxEvents } from './manage/sandbox-events.js';
import { createWebhookManager } from './manage/webhooks.js';
import { createMetrics } from './metrics.js';
import { createHostGuard } from './providers/host-guard.js';
import { createHttpClient, type HttpClient } from './providers/http.js';
import { createEventBus } from './pubsub.js';
import { createSharedFrames } from './stream/shared-frames.js';
import { useSharedSubscriptions } from './stream/use-shared-subscriptions.js';
import { socketLimitError, useOperationLimits, useSubscriptionLimits } from './graphql/limits.js';
import { createSandbox, SANDBOX_PREFIX } from './sandbox/index.js';
import { maskError, useSafeErrors } from './graphql/use-safe-errors.js';
import { useSerializableResults } from './graphql/use-serializable-results.js';
import { createYogaLogger } from './graphql/yoga-logger.js';
import type { Context, Loaders, Services } from './schema/context.js';
import { createCursorCodec } from './schema/ids.js';
import { schema } from './schema/index.js';
import { resolveSecretKey } from './secret-key.js';
import type { Connection } from './store/connections.js';
import { createStore } from './store/store.js';
import type { Tenant } from './store/tenants.js';

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
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the gateway: one HTTP port for GraphQL (HTTP, SSE, graphql-ws), deliveries, sandbox, health. */
export async function buildApp(config: Readonly<Config>, { dispatcher, logger }: AppOptions = {}): Promise<App> {
  const log =
    logger ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.credentials', '*.apiKey', '*.accessToken'] });
  const { key } = resolveSecretKey(config.secretKey, config.dataDir);
  const store = await createStore({ databaseUrl: config.databaseUrl, secretKey: key });
  const bus = createEventBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix });
  const metrics = createMetrics();
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
  const deliveryUrl = (id: string, token: string) => `${publicOrigin()}/hooks/${id}/${token}`;
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

  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Bundled GraphiQL: works with no internet (yoga's default loads it from a CDN).
    graphiql: { title: 'hookgraph', defaultQuery: '{ providers { key name } }' },
    renderGraphiQL,
    logging: createYogaLogger(log),
    // Never yoga's development mode: it would put the original message and stack in responses.
    maskedErrors: { maskError, isDev: false },
    plugins: [
      useSafeErrors(),
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

  const ingest = createIngestHandler({
    store,
    writer: createEventWriter(store, { metrics }),
    bus,
    log,
    metrics,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.limits,
  });

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
    const hook = INGEST_PATH.exec(pathname);
    if (hook) {
      void ingest(req, res, hook[1] as string, hook[2] as string);
      return;
    }
    if (pathname.startsWith('/hooks/')) {
      req.resume();
      sendJson(res, 404, { error: 'unknown webhook' });
      return;
    }
    if (sandbox && pathname.startsWith(SANDBOX_PREFIX) && sandbox.handle(req, res, pathname)) return;
    if (pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/ready') return void ready(res);
    if (pathname === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
      return;
    }
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

  // No GraphQL message is larger than the largest body the gateway reads (ws would take 100 MiB).
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: config.maxBodyBytes });
  // Registered before graphql-ws's own listener: each socket's send splices shared payloads in.
  const frames = createSharedFrames();
  wss.on('connection', (socket) => {
    const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
    socket.send = ((data: unknown, ...rest: unknown[]) => send(typeof data === 'string' ? frames.expand(data) : data, ...rest)) as never;
  });
  useServer(
    {
      // Subscribers sharing an execution also share its serialized payload (see shared-frames.ts).
      onNext: (_ctx, _id, _payload, _args, result) => frames.placeholder(result) as never,
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
      // Refuse the socket early (close 4403) rather than at the first operation.
      onConnect: async (ctx) => {
        const key = extractApiKey(ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization']);
        return key !== null && (await store.apiKeys.authenticate(key)) !== null;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Before any work: a flood of subscribe messages on one socket is refused for the cost of a count.
        const tooMany = socketLimitError(ctx.subscriptions, config.limits);
        if (tooMany) return [tooMany];
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
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      app.url = origin;
      if (config.bootstrap) bootstrapInfo = await bootstrap();
      log.info({ url: origin, database: store.describe, pubsub: bus.kind, sandbox: Boolean(sandbox) }, 'hookgraph listening');
    },
    async stop() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2_000).unref();
      });
      await bus.close();
      await store.close();
    },
  };

  /** First start: a default tenant with a printed key, connected to every sandbox vendor (as `connectSandbox` does). */
  async function bootstrap(): Promise<BootstrapInfo> {
    const { tenant, created } = await store.tenants.getOrCreate('default');
    const apiKey = created ? (await store.apiKeys.create(tenant.id, 'bootstrap')).key : null;
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
