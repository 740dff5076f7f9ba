import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Registry } from 'prom-client';
import { ConfigError, type Limits } from '../config.js';
import { safeEqual } from '../crypto.js';
import { serverOptions } from './server-limits.js';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  registry: Registry;
  /** config.metricsToken: when set, a scrape needs `Authorization: Bearer <token>`. */
  token: string | null;
}

/**
 * GET /metrics: the registry in Prometheus' text format. With a token, a scrape without
 * `Authorization: Bearer <token>` (compared in constant time, lengths first) is answered 401.
 */
export function createMetricsRoute({ registry, token }: MetricsRouteOptions) {
  return function serveMetrics(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(res, 405, 'metrics are read with GET\n', { allow: 'GET, HEAD' });
      return;
    }
    if (token !== null && !safeEqual(bearerOf(req.headers.authorization), token)) {
      answer(res, 401, 'a bearer token is required (HOOKGRAPH_METRICS_TOKEN)\n', { 'www-authenticate': 'Bearer realm="metrics"' });
      return;
    }
    registry.metrics().then(
      (text) => answer(res, 200, req.method === 'HEAD' ? '' : text, { 'content-type': registry.contentType, 'cache-control': 'no-store' }),
      () => answer(res, 500, 'metrics could not be collected\n'),
    );
  };
}

/** The token of `Bearer <token>`, or '' (which no configured token equals: config.ts turns '' into null). */
function bearerOf(header: string | undefined): string {
  const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return m?.[1] ?? '';
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export interface MetricsServerOptions {
  host: string;
  /** config.metricsPort; 0 picks a free one (tests). */
  port: number;
  serve: (req: IncomingMessage, res: ServerResponse) => void;
  limits: Pick<Limits, 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections'>;
}

export interface MetricsServer {
  /** http://host:port once started. */
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * /metrics on a port of its own (HOOKGRAPH_METRICS_PORT), bound to config.host: a scraper reaches it on
 * a private network while the public port serves only GraphQL and deliveries. Anything else is 404.
 */
export function createMetricsServer({ host, port, serve, limits }: MetricsServerOptions): MetricsServer {
  const sockets = new Set<Socket>();
  const server = createServer(serverOptions(limits), (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === METRICS_PATH) {
      serve(req, res);
      return;
    }
    req.resume();
    answer(res, 404, 'not found\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const metricsServer: MetricsServer = {
    url: '',
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'EADDRINUSE'
              ? new ConfigError([`HOOKGRAPH_METRICS_PORT ${port} is in use on ${host} (EADDRINUSE); set it to a free port`])
              : error,
          ),
        );
        server.listen(port, host, () => resolve());
      });
      const bound = (server.address() as AddressInfo).port;
      const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      metricsServer.url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound}`;
    },
    async stop() {
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scrape is short: whatever is still open (an idle keep-alive) is not waited for.
        for (const s of sockets) s.destroy();
      });
    },
  };
  return metricsServer;
}
