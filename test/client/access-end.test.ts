import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLBoolean, GraphQLError, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
// Renamed: Biome takes a `use…` call outside a component for a React hook.
import { useServer as serveGraphqlWs } from 'graphql-ws/use/ws';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createHookgraphClient, type TokenRequest } from '../../src/client/index.js';
import { leftover } from '../utils/leftovers.js';
import { soon } from './fixture.js';

/*
 * hookgraph ends a subscription whose token expired in two ways that can race: the socket closes with 4403, and the
 * stream sends a last UNAUTHENTICATED result and completes. When the result wins, no close reaches the subscription.
 * The gateway cannot be made to lose that race on purpose, so this peer does it every time: a graphql-ws server on
 * loopback whose `ticks` stream, for a token it was told has ended, sends one tick, then that last result, and
 * completes without closing the socket.
 */

interface Tick {
  cursor: string;
  token: string;
}
type TickEvent = { tick: Tick } | { ended: true };

/**
 * An async iterator of `items`; after them it completes when the last one is an access end, else stays pending until
 * returned (how a live stream waits for its next event).
 */
function stream(items: TickEvent[]): AsyncIterableIterator<TickEvent> {
  const completes = items.some((item) => 'ended' in item);
  let stop: (value: IteratorResult<TickEvent>) => void = () => {};
  const stopped = new Promise<IteratorResult<TickEvent>>((resolve) => {
    stop = resolve;
  });
  const iterator: AsyncIterableIterator<TickEvent> = {
    next: () => {
      const item = items.shift();
      if (item) return Promise.resolve({ done: false, value: item });
      return completes ? Promise.resolve({ done: true, value: undefined }) : stopped;
    },
    return: () => {
      stop({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

const TickType = new GraphQLObjectType<Tick>({
  name: 'Tick',
  fields: { cursor: { type: new GraphQLNonNull(GraphQLString) }, token: { type: new GraphQLNonNull(GraphQLString) } },
});

/** Starts the peer; `events(token, tick)` is what a subscription with that token gets. */
async function startPeer(events: (token: string, tick: TickEvent) => TickEvent[]) {
  const subscriptions: Array<{ token: string; after: string | null }> = [];
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticks: {
          type: new GraphQLNonNull(TickType),
          args: { after: { type: GraphQLString } },
          subscribe: (_root, { after }: { after: string | null }, { token }: { token: string }) => {
            subscriptions.push({ token, after: after ?? null });
            const tick = { tick: { cursor: String(Number(after ?? 0) + 1), token } };
            return stream(events(token, tick));
          },
          resolve: (event: TickEvent) => {
            if ('ended' in event)
              throw new GraphQLError('access expired: sign in again', { extensions: { code: 'UNAUTHENTICATED', reason: 'expired' } });
            return event.tick;
          },
        },
      },
    }),
  });
  const http = leftover(createServer());
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  leftover(() => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
  serveGraphqlWs(
    {
      schema,
      context: (ctx) => ({ token: String(ctx.connectionParams?.['authorization'] ?? '').replace(/^Bearer /, '') }),
    },
    wss,
  );
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, subscriptions };
}

const TicksDocument = parse('subscription Ticks($after: String) { ticks(after: $after) { cursor token } }') as TypedDocumentNode<
  { ticks: Tick },
  { after?: string | null }
>;

describe('hookgraph/client when a stream ends with UNAUTHENTICATED before the socket closes', () => {
  /** A client whose token function answers token-1, token-2, … and records what it was asked. */
  function client(url: string, token?: string) {
    const asked: TokenRequest[] = [];
    const hg = leftover(
      createHookgraphClient({
        url,
        webSocketImpl: WebSocket,
        token:
          token ??
          ((request) => {
            asked.push(request);
            return `token-${asked.length}`;
          }),
      }),
    );
    const ticks = hg.subscribe(TicksDocument);
    leftover(() => ticks.return?.());
    return { asked, ticks };
  }

  it('starts over on a fresh socket with a fresh token after the last cursor, and keeps the ended result to itself', async () => {
    // token-1 gets a tick, then its access ends; any later token gets the next tick and stays.
    const peer = await startPeer((token, tick) => (token === 'token-1' ? [tick, { ended: true }] : [tick]));
    const { asked, ticks } = client(peer.url);
    expect((await ticks.next()).value).toEqual({ data: { ticks: { cursor: '1', token: 'token-1' } } });
    expect((await ticks.next()).value).toEqual({ data: { ticks: { cursor: '2', token: 'token-2' } } });
    expect(asked).toEqual([{ refresh: false }, { refresh: true }]);
    expect(peer.subscriptions).toEqual([
      { token: 'token-1', after: null },
      { token: 'token-2', after: '1' },
    ]);
  });

  it('lets the ended result through after three fresh tokens in a row end without a result', async () => {
    const peer = await startPeer(() => [{ ended: true }]);
    const { asked, ticks } = client(peer.url);
    const last = await ticks.next();
    expect(last.value?.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'expired' });
    expect(asked.map((r) => r.refresh)).toEqual([false, true, true, true]);
    await expect.poll(() => ticks.next(), soon).toEqual({ done: true, value: undefined });
  });

  it('lets the ended result through at once for a fixed token: there is no other to try', async () => {
    const peer = await startPeer((_token, tick) => [tick, { ended: true }]);
    const { ticks } = client(peer.url, 'fixed');
    expect((await ticks.next()).value).toEqual({ data: { ticks: { cursor: '1', token: 'fixed' } } });
    expect((await ticks.next()).value?.errors?.[0]?.message).toBe('access expired: sign in again');
    expect(await ticks.next()).toEqual({ done: true, value: undefined });
    expect(peer.subscriptions).toHaveLength(1);
  });
});
