import { type Client as WsClient, createClient as createWsClient } from 'graphql-ws';
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
const wsUrl = () => httpUrl().replace(/^http/, 'ws');

/** Close codes after which retrying with the same credential is pointless (revoked, expired, unknown). */
const REFUSED = new Set([4401, 4403]);
/** A ping unanswered this long means the network is gone even if the browser has not noticed yet. */
const PONG_TIMEOUT_MS = 5_000;

/**
 * One urql client per credential: HTTP for queries and mutations, graphql-ws for subscriptions. The socket opens
 * eagerly so that the banner reports a lost network on every page, and it retries forever with a capped backoff.
 */
export function createConsoleClient(credential: Credential): ConsoleClient {
  const authorization = `Bearer ${credential.value}`;
  const socket = createSocketStatus();
  let active: WebSocket | null = null;
  let pongTimer: number | undefined;
  let disposed = false;

  const ws: WsClient = createWsClient({
    url: wsUrl,
    connectionParams: { authorization },
    lazy: false,
    onNonLazyError: () => {},
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 10_000) + Math.random() * 500)),
    shouldRetry: (closeOrError) => !(isCloseEvent(closeOrError) && REFUSED.has(closeOrError.code)),
    keepAlive: 10_000,
    on: {
      connected: (s) => {
        active = s as WebSocket;
        socket.connected();
      },
      closed: (event) => {
        active = null;
        window.clearTimeout(pongTimer);
        if (disposed) return;
        if (isCloseEvent(event) && REFUSED.has(event.code)) socket.refused(event.reason || 'the gateway refused this credential');
        else socket.lost(isCloseEvent(event) && event.reason ? event.reason : 'the connection to the gateway was lost');
      },
      ping: (received) => {
        if (received) return;
        pongTimer = window.setTimeout(() => {
          if (active?.readyState === WebSocket.OPEN) active.close(4408, 'ping timeout');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) window.clearTimeout(pongTimer);
      },
    },
  });

  // The browser knows about a lost network before any timeout does.
  const offline = () => active?.close(4499, 'the browser went offline');
  window.addEventListener('offline', offline);

  const client = new Client({
    url: httpUrl(),
    fetchOptions: () => ({ headers: { authorization } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
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
      void ws.dispose();
    },
  };
}

function isCloseEvent(value: unknown): value is CloseEvent {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}
