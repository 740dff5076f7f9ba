import { createHookgraphClient, type HookgraphClient } from 'hookgraph/client';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import type { Credential } from './session';
import { createSocketStatus, type SocketStatusStore } from './socket-status';

export interface ConsoleClient {
  client: Client;
  socket: SocketStatusStore;
  dispose(): void;
}

/** The gateway answers on the console's own origin: /graphql for HTTP, the same path upgraded for graphql-ws. */
const httpUrl = () => new URL('/graphql', window.location.href).href;

/** Close codes after which the console's fixed credential is not retried (revoked or expired, unknown). */
const REFUSED = new Set([4401, 4403]);

/**
 * One urql client per credential: HTTP for queries and mutations, and for subscriptions the graphql-ws connection of
 * hookgraph/client's `createHookgraphClient` (its backoff, its 4403 handling: a fixed credential refused is not
 * retried). The socket opens eagerly so that the banner reports a lost network on every page; it retries forever
 * with a backoff capped at 10 s, pings every 10 s and reconnects when a ping goes unanswered for 5 s.
 */
export function createConsoleClient(credential: Credential): ConsoleClient {
  const socket = createSocketStatus();
  let active: WebSocket | null = null;
  let disposed = false;

  const hookgraph: HookgraphClient = createHookgraphClient({
    url: httpUrl(),
    token: credential.value,
    lazy: false,
    keepAlive: 10_000,
    pongTimeoutMs: 5_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    maxRetryDelayMs: 10_000,
    // A refused credential ends the eager connection; the banner says so (on.closed), nothing to log.
    ws: { onNonLazyError: () => {} },
    on: {
      connected: (s) => {
        active = s as WebSocket;
        socket.connected();
      },
      closed: (event) => {
        active = null;
        if (disposed) return;
        if (isCloseEvent(event) && REFUSED.has(event.code)) socket.refused(event.reason || 'the gateway refused this credential');
        // A dropped network closes without a reason (1006): the banner then says just that the connection was lost.
        else socket.lost(isCloseEvent(event) ? event.reason : '');
      },
    },
  });

  // The browser knows about a lost network before any timeout does.
  const offline = () => active?.close(4499, 'the browser went offline');
  window.addEventListener('offline', offline);

  const client = new Client({
    url: httpUrl(),
    fetchOptions: () => ({ headers: { authorization: `Bearer ${credential.value}` } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = hookgraph.ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    socket,
    dispose() {
      disposed = true;
      window.removeEventListener('offline', offline);
      void hookgraph.dispose();
    },
  };
}

function isCloseEvent(value: unknown): value is CloseEvent {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}
