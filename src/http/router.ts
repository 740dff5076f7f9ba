import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { DELIVERY_PREFIX, parseDeliveryPath } from '../domain/delivery-url.js';
import type { Metrics } from '../metrics.js';
import { SANDBOX_PREFIX, type Sandbox } from '../sandbox/index.js';
import { type ConsoleRoute, createConsole } from './console.js';
import { health } from './health.js';
import { normalizeRequestTarget, refuseRequestTarget } from './request-target.js';
import { sendJson } from './send-json.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Routes {
  /** POST /hooks/<id>/<token>[/<tag>]: a vendor delivery (ingest/route.ts). */
  ingest(req: IncomingMessage, res: ServerResponse, webhookId: string, token: string, tag: string | null): Promise<void>;
  sandbox: Sandbox | null;
  ready(res: ServerResponse): Promise<void>;
  /** null when /metrics has a port of its own (the main port then answers 404). */
  metrics: Handler | null;
  /** GraphiQL's page and assets; false when the path is not theirs. */
  graphiql(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
  /** The web console under /console/ (http/console.ts). @default the package's dist/console/ build */
  console?: ConsoleRoute;
  /** Everything else: GraphQL over HTTP and SSE. */
  graphql: Handler;
  log: Logger;
  counters: Pick<Metrics, 'deliveries' | 'deliveryRefusals'>;
}

/** Path → handler for the one public port: /hooks, /sandbox, /health, /ready, /metrics, /console, GraphiQL, else yoga. */
export function createRouter(routes: Routes): Handler {
  const webConsole = routes.console ?? createConsole();
  return (req, res) => {
    // Absolute-form targets become origin-form for every route; `*` and anything unparsable never reach yoga.
    const pathname = normalizeRequestTarget(req);
    if (pathname === null) return refuseRequestTarget(req, res);
    const hook = parseDeliveryPath(pathname);
    if (hook) return void routes.ingest(req, res, hook.webhookId, hook.token, hook.tag);
    if (pathname.startsWith(DELIVERY_PREFIX)) return unknownWebhook(req, res, routes);
    if (routes.sandbox && pathname.startsWith(SANDBOX_PREFIX) && routes.sandbox.handle(req, res, pathname)) return;
    if (pathname === '/health') return health(res);
    if (pathname === '/ready') return void routes.ready(res);
    if (pathname === '/metrics') return routes.metrics ? routes.metrics(req, res) : sendJson(res, 404, { error: 'not found' });
    if (webConsole.handle(req, res, pathname)) return;
    if (routes.graphiql(req, res, pathname)) return;
    if (pathname === '/') {
      res.writeHead(302, { location: '/graphql' });
      res.end();
      return;
    }
    routes.graphql(req, res);
  };
}

function unknownWebhook(req: IncomingMessage, res: ServerResponse, { counters, log }: Routes): void {
  req.resume();
  counters.deliveries.inc({ provider: 'unknown', status: '404' });
  counters.deliveryRefusals.inc({ provider: 'unknown', status: '404', reason: 'unknown_webhook' });
  log.info({ provider: 'unknown', status: 404, reason: 'unknown_webhook' }, 'delivery refused');
  sendJson(res, 404, { error: 'unknown webhook' });
}
