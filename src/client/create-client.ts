import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type FormattedExecutionResult, type GraphQLFormattedError, getOperationAST, print } from 'graphql';
import { type Client, type ClientOptions, createClient } from 'graphql-ws';
import { graphqlEndpoint } from './endpoint.js';
import { HookgraphError } from './errors.js';
import { createRequest, type Request, type VariablesOf } from './request.js';
import { type TokenSource, tokenOf } from './token.js';

/** The close code of a graphql-ws socket whose credential is refused, revoked or expired (graphql-ws's Forbidden). */
const FORBIDDEN = 4403;
/** Restarts of one subscription for an ended token without a result in between before its error is let through. */
const MAX_RESTARTS = 3;

const isAccessEnded = (error: GraphQLFormattedError) => error.extensions?.['code'] === 'UNAUTHENTICATED';

/** Options of {@link createHookgraphClient}. */
export interface HookgraphClientOptions {
  /** The gateway's base URL (`https://hooks.example.com`) or its `/graphql` endpoint; ws(s):// is derived from it. */
  url: string;
  /**
   * An API key or access token, or a function answering one: called on every (re)connect and request, so a
   * short-lived token is refreshed (wrap a minting function in `refreshingToken` to cache it until near its expiry).
   */
  token: TokenSource;
  /** The WebSocket class: browsers and Node ≥ 22 have one; on Node 20 pass `ws`'s default export. */
  webSocketImpl?: unknown;
  /** The fetch `request` calls. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Reconnect attempts after a lost connection before subscriptions fail; reset by every successful connect. @default 10 */
  retryAttempts?: number;
  /** The longest wait between two reconnect attempts (the backoff doubles from 0.5 s up to this). @default 30_000 */
  maxRetryDelayMs?: number;
  /** A `request` still unanswered after this long is aborted. @default 30_000 */
  timeoutMs?: number;
  /**
   * False opens the socket at once and keeps it open (reconnecting after a loss) with no subscription, so a page can
   * show the connection's state; true opens it with the first subscription and closes it after the last.
   * Overrides `ws.lazy`. @default true
   */
  lazy?: boolean;
  /**
   * graphql-ws's event listeners: `connecting(isRetry)`, `opened`, `connected(socket, payload, wasRetry)`,
   * `ping`/`pong(received)`, `message`, `closed(event)` (a close event with `code` and `reason`), `error`. Called
   * after `ws.on`'s listeners for the same event.
   */
  on?: HookgraphClientListeners;
  /** Sends a ping after this many milliseconds without one (graphql-ws's `keepAlive`); 0: never. Overrides `ws.keepAlive`. @default 0 */
  keepAlive?: number;
  /**
   * With `keepAlive`: a ping the server has not answered this long closes the socket with 4408 ("pong timeout"),
   * so a connection lost without a close (a dead network) reconnects rather than waits for TCP to notice. A socket
   * that does not finish closing within a second more is terminated (closed event 4499). 0: never. @default 0
   */
  pongTimeoutMs?: number;
  /** Any other graphql-ws client option (lazyCloseTimeout, onNonLazyError, …). */
  ws?: Omit<Partial<ClientOptions>, 'url' | 'connectionParams' | 'webSocketImpl' | 'retryAttempts' | 'retryWait' | 'shouldRetry'>;
}

/** graphql-ws's event listeners (its `ClientOptions['on']`). */
export type HookgraphClientListeners = NonNullable<ClientOptions['on']>;

/** The close code {@link HookgraphClientOptions.pongTimeoutMs} closes a socket with. */
export const PONG_TIMEOUT_CLOSE_CODE = 4408;

export interface HookgraphClient {
  /** One query or mutation over HTTP: its data, or a thrown HookgraphError. */
  request: Request;
  /**
   * A subscription over the shared graphql-ws connection, as an async iterator of results (`{ data, errors }`);
   * `break` or `return()` ends it. When the operation declares `$after` and each result's root field carries a
   * `cursor` (like `events`), a reconnect resumes after the last delivered cursor: no gap, no duplicate.
   * Throws a HookgraphError when the server refuses the operation or the connection is given up.
   */
  subscribe<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...variables: VariablesOf<TVariables>
  ): AsyncIterableIterator<FormattedExecutionResult<TData>>;
  /** The graphql-ws client underneath (its `on('connected' | 'closed', …)` events, `terminate()`). */
  readonly ws: Client;
  /** Ends every subscription and closes the socket. */
  dispose(): Promise<void>;
}

const isCloseEvent = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number' && 'reason' in value;

/**
 * A hookgraph client for browsers and Node: typed `request` over fetch and typed `subscribe` over one graphql-ws
 * connection (lazy unless `lazy: false`) that reconnects with backoff, and with `keepAlive` + `pongTimeoutMs` also when
 * a ping goes unanswered. After the server closes the socket with 4403 (a revoked or expired token)
 * it reconnects at once with a fresh token when `token` is a function, and gives up when it is a fixed string; 4400
 * and 4401 are never retried.
 */
export function createHookgraphClient({
  url,
  token,
  webSocketImpl,
  fetch: fetchImpl,
  retryAttempts = 10,
  maxRetryDelayMs = 30_000,
  timeoutMs = 30_000,
  lazy,
  on: listeners,
  keepAlive,
  pongTimeoutMs = 0,
  ws: wsOptions = {},
}: HookgraphClientOptions): HookgraphClient {
  const endpoint = graphqlEndpoint(url);
  const refreshable = typeof token === 'function';
  /** The server refused or ended the current token: the next connect asks for a fresh one, without waiting. */
  let needsFreshToken = false;
  const { on = {}, ...rest } = wsOptions;
  const user = listeners ? [on, listeners] : [on];
  /** Calls the user's listeners (`ws.on`, then `on`) for one event. */
  const fan =
    <K extends keyof HookgraphClientListeners>(event: K) =>
    (...args: Parameters<NonNullable<HookgraphClientListeners[K]>>) => {
      for (const l of user) (l[event] as ((...a: typeof args) => void) | undefined)?.(...args);
    };
  /** The open socket (graphql-ws hands it to `connected`) and its pending pong deadline. */
  let socket: { readyState: number; close(code: number, reason: string): void } | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let terminateTimer: ReturnType<typeof setTimeout> | undefined;
  const clearPongTimers = () => {
    clearTimeout(pongTimer);
    clearTimeout(terminateTimer);
  };
  const ws: Client = createClient({
    lazy: true,
    ...rest,
    ...(lazy !== undefined && { lazy }),
    ...(keepAlive !== undefined && { keepAlive }),
    url: endpoint.ws,
    ...(webSocketImpl !== undefined && { webSocketImpl }),
    connectionParams: async () => ({ authorization: `Bearer ${await tokenOf(token, { refresh: needsFreshToken })}` }),
    retryAttempts,
    // graphql-ws itself never retries 4400/4401 (and its other fatal codes). A refused fixed token stays refused.
    shouldRetry: (errOrClose) => !(isCloseEvent(errOrClose) && errOrClose.code === FORBIDDEN && !refreshable),
    retryWait: async (retries) => {
      // The cause of a 4403 is known and a fresh token fixes it: the first reconnect goes at once. Otherwise
      // exponential backoff with jitter, so replicas restarting are not hit by every client in the same instant.
      const fresh = needsFreshToken && refreshable && retries === 0;
      const delay = fresh ? 0 : Math.min(maxRetryDelayMs, 500 * 2 ** retries) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
    on: {
      connecting: fan('connecting'),
      opened: fan('opened'),
      message: fan('message'),
      error: fan('error'),
      connected: (...args) => {
        needsFreshToken = false;
        socket = args[0] as typeof socket;
        fan('connected')(...args);
      },
      ping: (received, payload) => {
        if (!received && pongTimeoutMs > 0 && socket !== null) {
          const pinged = socket;
          clearPongTimers();
          pongTimer = setTimeout(() => {
            if (pinged.readyState !== 1 /* OPEN */) return;
            pinged.close(PONG_TIMEOUT_CLOSE_CODE, 'pong timeout');
            // A dead network may never finish the close handshake: graphql-ws then ends the socket itself.
            terminateTimer = setTimeout(() => {
              if (socket === pinged) ws.terminate();
            }, 1_000);
          }, pongTimeoutMs);
        }
        fan('ping')(received, payload);
      },
      pong: (received, payload) => {
        if (received) clearPongTimers();
        fan('pong')(received, payload);
      },
      closed: (event) => {
        socket = null;
        clearPongTimers();
        if (isCloseEvent(event) && event.code === FORBIDDEN) needsFreshToken = true;
        fan('closed')(event);
      },
    },
  });

  function subscribe<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...[variables]: VariablesOf<TVariables>
  ): AsyncIterableIterator<FormattedExecutionResult<TData>> {
    const operation = getOperationAST(document);
    const resumable = operation?.variableDefinitions?.some((definition) => definition.variable.name.value === 'after') === true;
    // graphql-ws sends this same payload object again when it resubscribes after a reconnect (it serializes it at
    // each send), so moving `after` here is what the resubscription asks for.
    const payload = { query: print(document), variables: { ...(variables as Record<string, unknown> | undefined) } };
    let results = ws.iterate<TData, Record<string, unknown>>(payload);
    let restarts = 0;
    let returned = false;
    /**
     * The token's access ended (an UNAUTHENTICATED result or error, which is how hookgraph ends a stream when the
     * token expires or its key is revoked; over graphql-ws it may arrive just before the 4403 close): with a token
     * function, start over on a new socket with a fresh token, resuming after the last cursor. A few times in a row
     * at most, so a token function that keeps answering dead tokens ends in the error.
     */
    const restartAfter = async (errors: readonly GraphQLFormattedError[] | undefined): Promise<boolean> => {
      if (!refreshable || returned || restarts >= MAX_RESTARTS || !errors?.some(isAccessEnded)) return false;
      restarts++;
      needsFreshToken = true;
      await results.return?.();
      // The socket carries the ended token: its other subscriptions reconnect (at once) with this one.
      ws.terminate();
      results = ws.iterate<TData, Record<string, unknown>>(payload);
      return true;
    };
    // An iterator object rather than an async generator: a generator's return() waits for the pending next(), which
    // may wait forever for a quiet subscription; graphql-ws's return() ends the subscription at once.
    const iterator: AsyncIterableIterator<FormattedExecutionResult<TData>> = {
      async next() {
        for (;;) {
          let step: IteratorResult<FormattedExecutionResult<TData>>;
          try {
            step = await results.next();
          } catch (error) {
            if (Array.isArray(error) && (await restartAfter(error))) continue;
            throw toHookgraphError(error);
          }
          if (step.done) return step;
          if (await restartAfter(step.value.errors)) continue;
          if (step.value.data) {
            restarts = 0;
            if (resumable) {
              const root = Object.values(step.value.data as Record<string, unknown>);
              const only = root.length === 1 ? root[0] : undefined;
              const cursor = typeof only === 'object' && only !== null ? (only as { cursor?: unknown }).cursor : undefined;
              if (typeof cursor === 'string') payload.variables['after'] = cursor;
            }
          }
          return step;
        }
      },
      async return() {
        returned = true;
        await results.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  return {
    request: createRequest({ url, token, ...(fetchImpl && { fetch: fetchImpl }), timeoutMs }),
    subscribe,
    ws,
    dispose: async () => {
      clearPongTimers();
      await ws.dispose();
    },
  };
}

/** graphql-ws ends a subscription with GraphQL errors (an array), a close event, or an Error. */
function toHookgraphError(error: unknown): HookgraphError {
  if (error instanceof HookgraphError) return error;
  if (Array.isArray(error)) {
    const errors = error as GraphQLFormattedError[];
    return new HookgraphError(`hookgraph: ${errors.map((e) => e.message).join('; ')}`, { errors });
  }
  if (isCloseEvent(error))
    return new HookgraphError(`hookgraph: connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`, {
      closeCode: error.code,
    });
  return new HookgraphError(`hookgraph: ${error instanceof Error ? error.message : 'connection failed'}`, { cause: error });
}
