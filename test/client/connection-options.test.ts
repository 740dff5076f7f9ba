import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  createHookgraphClient,
  type HookgraphClientOptions,
  OnEventsDocument,
  type OnEventsSubscription,
  PONG_TIMEOUT_CLOSE_CODE,
} from '../../src/client/index.js';
import { leftover } from '../utils/leftovers.js';
import { type ClientFixture, soon, startClientFixture } from './fixture.js';

const codeOf = (event: unknown) => (event as { code: number }).code;

/**
 * A graphql-transport-ws endpoint on loopback that acknowledges the connection and then stalls: `silent` reads
 * everything and answers nothing (no pong), `dead` stops reading its socket, like a network gone without a close.
 */
async function stallingGateway(mode: 'silent' | 'dead') {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
  });
  await once(server, 'listening');
  leftover(async () => {
    for (const socket of server.clients) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
  const state = { connections: 0, pings: 0 };
  server.on('connection', (socket) => {
    state.connections++;
    socket.on('message', (data) => {
      const type = (JSON.parse(String(data)) as { type?: unknown }).type;
      if (type === 'ping') state.pings++;
      if (type !== 'connection_init') return;
      socket.send(JSON.stringify({ type: 'connection_ack' }));
      if (mode === 'dead') (socket as unknown as { _socket: Socket })._socket.pause();
    });
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

describe('hookgraph/client connection options (lazy, on, keepAlive, pongTimeoutMs)', () => {
  let f: ClientFixture;
  beforeAll(async () => {
    f = await startClientFixture();
  });
  beforeEach(async () => {
    await expect.poll(f.listeners, soon).toBe(0);
  });

  const client = (options: Omit<HookgraphClientOptions, 'webSocketImpl'>) =>
    leftover(createHookgraphClient({ webSocketImpl: WebSocket, ...options }));

  it('lazy: false connects with no subscription; `on` hears every event after `ws.on`', async () => {
    const heard: string[] = [];
    const hg = client({
      url: f.t.url,
      token: f.tenant.key,
      lazy: false,
      ws: { on: { connecting: (isRetry) => heard.push(`ws.connecting ${isRetry}`), connected: () => heard.push('ws.connected') } },
      on: {
        connecting: (isRetry) => heard.push(`on.connecting ${isRetry}`),
        opened: () => heard.push('on.opened'),
        connected: (socket) => heard.push(`on.connected ${(socket as WebSocket).readyState === WebSocket.OPEN}`),
      },
    });
    await expect.poll(() => heard, soon).toContain('on.connected true');
    expect(heard).toEqual(['ws.connecting false', 'on.connecting false', 'on.opened', 'ws.connected', 'on.connected true']);
    // The socket is up before anything subscribes: a subscription now needs no new connection.
    const events = hg.subscribe(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } });
    const first = events.next();
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    expect((await first).value?.data?.events.type).toBe('contact.created');
    await events.return?.();
    expect(heard.filter((h) => h.startsWith('on.connected'))).toHaveLength(1);
  });

  it('lazy: false reports a refused fixed token once (closed 4403, onNonLazyError) and does not retry it', async () => {
    const closes: number[] = [];
    const connecting: boolean[] = [];
    const nonLazy: unknown[] = [];
    client({
      url: f.t.url,
      token: 'hg_not_a_key',
      lazy: false,
      ws: { onNonLazyError: (error) => nonLazy.push(error) },
      on: { connecting: (isRetry) => connecting.push(isRetry), closed: (event) => closes.push(codeOf(event)) },
    });
    await expect.poll(() => nonLazy.length, soon).toBe(1);
    expect(codeOf(nonLazy[0])).toBe(4403);
    expect(closes).toEqual([4403]);
    expect(connecting).toEqual([false]);
  });

  it('keepAlive pings the gateway and its pongs clear pongTimeoutMs: the socket stays open', async () => {
    const pongs: boolean[] = [];
    const closes: number[] = [];
    client({
      url: f.t.url,
      token: f.tenant.key,
      lazy: false,
      keepAlive: 20,
      pongTimeoutMs: 100,
      on: { pong: (received) => pongs.push(received), closed: (event) => closes.push(codeOf(event)) },
    });
    // Twenty ping/pong rounds span well over pongTimeoutMs: a pong that did not clear the deadline would close.
    await expect.poll(() => pongs.length, soon).toBeGreaterThanOrEqual(20);
    expect(pongs.every((received) => received)).toBe(true);
    expect(closes).toEqual([]);
  });

  it('pongTimeoutMs closes a socket whose ping goes unanswered with 4408, then reconnects', async () => {
    const gateway = await stallingGateway('silent');
    const closes: Array<{ code: number; reason: string }> = [];
    const connecting: boolean[] = [];
    client({
      url: gateway.url,
      token: 'hg_any',
      lazy: false,
      keepAlive: 50,
      pongTimeoutMs: 100,
      maxRetryDelayMs: 50,
      on: {
        connecting: (isRetry) => connecting.push(isRetry),
        closed: (event) => closes.push({ code: codeOf(event), reason: (event as { reason: string }).reason }),
      },
    });
    await expect.poll(() => gateway.state.connections, soon).toBeGreaterThanOrEqual(2);
    expect(gateway.state.pings).toBeGreaterThanOrEqual(1);
    expect(closes[0]).toEqual({ code: PONG_TIMEOUT_CLOSE_CODE, reason: 'pong timeout' });
    expect(connecting.slice(0, 2)).toEqual([false, true]);
  });

  it('pongTimeoutMs terminates a socket that cannot even close (a dead network): closed 4499, then reconnects', async () => {
    const gateway = await stallingGateway('dead');
    const closes: number[] = [];
    client({
      url: gateway.url,
      token: 'hg_any',
      lazy: false,
      keepAlive: 50,
      pongTimeoutMs: 100,
      maxRetryDelayMs: 50,
      on: { closed: (event) => closes.push(codeOf(event)) },
    });
    // ws's own close handshake timeout is 30 s; the client gives up on it after a second.
    await expect.poll(() => gateway.state.connections, soon).toBeGreaterThanOrEqual(2);
    expect(closes[0]).toBe(4499);
  });

  it('carries urql subscriptions (subscriptionExchange forwarding to `ws`), as the console wires it', async () => {
    const hg = client({ url: f.t.url, token: f.tenant.key, lazy: false, keepAlive: 10_000, pongTimeoutMs: 5_000 });
    const urql = new Client({
      url: `${f.t.url}/graphql`,
      fetchOptions: { headers: { authorization: `Bearer ${f.tenant.key}` } },
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: hg.ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    const received: OnEventsSubscription[] = [];
    const { unsubscribe } = urql.subscription(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } }).subscribe((result) => {
      if (result.data) received.push(result.data);
    });
    leftover(unsubscribe);
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    await expect.poll(() => received.length, soon).toBe(1);
    expect(received[0]?.events).toMatchObject({ type: 'contact.created', provider: { key: 'SUPEROFFICE' } });
  });
});
