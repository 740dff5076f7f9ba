import type { Server, ServerOptions } from 'node:http';
import type { Limits } from '../config.js';

type ServerLimits = Pick<Limits, 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections'>;

export interface ServerLimitOptions {
  /**
   * Idle time a keep-alive connection is held between requests (Node's default). A load balancer in front
   * should drop idle connections before this.
   * @default 5_000
   */
  keepAliveTimeoutMs?: number;
}

/**
 * Options for `createServer` bounding how long one client can take to send a request (Node's defaults:
 * 60 s for headers, 300 s for a whole request, checked every 30 s).
 *
 * - `headersTimeout` and `requestTimeout` cover *receiving* a request only: Node tracks a connection from
 *   its accept (or a keep-alive request's first byte) until the request's last byte, so an SSE response
 *   streaming for hours and a graphql-ws socket (taken off the HTTP parser at the upgrade) are not cut by
 *   them. On expiry Node answers 408 and closes the connection.
 * - `connectionsCheckingInterval` is lowered from 30 s so that a 10 s limit means 10 s, not up to 40.
 *
 * 0 disables a timeout, as for Node's own settings.
 */
export function serverOptions(
  { headersTimeoutMs, requestTimeoutMs }: ServerLimits,
  { keepAliveTimeoutMs = 5_000 }: ServerLimitOptions = {},
): ServerOptions {
  // Node throws when headersTimeout exceeds a non-zero requestTimeout.
  const headersTimeout = requestTimeoutMs > 0 && headersTimeoutMs > 0 ? Math.min(headersTimeoutMs, requestTimeoutMs) : headersTimeoutMs;
  const shortest = Math.min(...[headersTimeout, requestTimeoutMs].filter((ms) => ms > 0), 4_000);
  return {
    headersTimeout,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.floor(shortest / 4)),
  };
}

/**
 * Caps open TCP connections on the port: Node closes each connection past the cap as it is accepted,
 * while the open ones carry on. 0 means no cap (Node would refuse every connection).
 */
export function capConnections(server: Server, { maxConnections }: ServerLimits): void {
  if (maxConnections > 0) server.maxConnections = maxConnections;
}
