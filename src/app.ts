import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Logger, pino } from 'pino';
import type { Dispatcher } from 'undici';
import { type BootstrapInfo, bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { createGraphiQL } from './graphql/graphiql.js';
import { createRefusalBudget } from './graphql/use-refusal-budget.js';
import { attachGraphQLWs } from './graphql/ws.js';
import { createGraphQL } from './graphql/yoga.js';
import { createReadiness } from './http/health.js';
import { listen, trackSockets } from './http/lifecycle.js';
import { createMetricsRoute, createMetricsServer } from './http/metrics-route.js';
import { createRouter } from './http/router.js';
import { capConnections, serverOptions } from './http/server-limits.js';
import { createIngestHandler } from './ingest/route.js';
import type { Services } from './schema/context.js';
import { createServices } from './services.js';
import type { Pruner } from './store/retention.js';

export interface AppOptions {
  /** Vendor transport for every connector (an undici MockAgent in tests). */
  dispatcher?: Dispatcher;
  /** @default a pino logger at config.logLevel */
  logger?: Logger;
}

export interface App {
  /** http://host:port: the port is bound by buildApp, so the delivery URLs are right from the start. */
  url: string;
  services: Services;
  /** Set by start() when config.bootstrap is on. */
  bootstrap: BootstrapInfo | null;
  /** Event retention (store/retention.ts): background passes between start and stop; `pruneOnce()` runs one now. */
  retention: Pruner;
  /** http://host:port of /metrics' own server once started (config.metricsPort), else null: /metrics is on `url`. */
  metricsUrl: string | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the gateway on one HTTP port: GraphQL (HTTP, SSE, graphql-ws), deliveries, sandbox, health. */
export async function buildApp(config: Readonly<Config>, { dispatcher, logger }: AppOptions = {}): Promise<App> {
  const log =
    logger ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.credentials', '*.apiKey', '*.accessToken'] });
  // Requests that arrive before the routes exist (between listen and the end of buildApp) are told to retry.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503, { 'retry-after': '1' }).end();
  const server = createServer(serverOptions(config.limits), (req, res) => handle(req, res));
  capConnections(server, config.limits);
  const sockets = trackSockets(server);
  const origin = await listen(server, config);
  const graph = await createServices(config, { origin, log, dispatcher }).catch(async (error: unknown) => {
    await sockets.close();
    throw error;
  });
  const { services, metrics } = graph;
  metrics.countConnections('http', () => sockets.size);
  const refusals = createRefusalBudget();
  const yoga = createGraphQL({ services, log, metrics, refusals });
  const ws = attachGraphQLWs({ server, yoga, services, metrics, refusals });
  const { limits } = config;
  const serveMetrics = createMetricsRoute({ registry: metrics.registry, token: config.metricsToken });
  // With a port of its own, /metrics is served there only (the main port answers 404).
  const metricsServer =
    config.metricsPort === null ? null : createMetricsServer({ host: config.host, port: config.metricsPort, serve: serveMetrics, limits });
  const ingestDeps = { decoder: graph.decoder, store: services.store, bus: services.bus, log, metrics };
  handle = createRouter({
    ingest: createIngestHandler({ ...ingestDeps, maxBodyBytes: config.maxBodyBytes, limits }),
    sandbox: graph.sandbox,
    ready: createReadiness(services),
    metrics: metricsServer ? null : serveMetrics,
    graphiql: createGraphiQL({ title: 'hookgraph', endpoint: yoga.graphqlEndpoint }).handle,
    graphql: (req, res) => void yoga.requestListener(req, res),
    log,
    counters: metrics,
  });

  const app: App = {
    url: origin,
    services,
    bootstrap: null,
    retention: graph.retention,
    metricsUrl: null,
    async start() {
      if (metricsServer) {
        await metricsServer.start();
        app.metricsUrl = metricsServer.url;
      }
      if (config.bootstrap) app.bootstrap = await bootstrap(services, { createKey: config.profile === 'development', log });
      graph.startBackground();
    },
    async stop() {
      await metricsServer?.stop();
      await ws.close();
      await sockets.close();
      await graph.close();
    },
  };
  return app;
}
