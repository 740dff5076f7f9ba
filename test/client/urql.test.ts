import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient } from 'graphql-ws';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type OnEventsSubscription, OnEventsDocument, WebhooksDocument } from '../../src/client/index.js';
import { leftover } from '../utils/leftovers.js';
import { type ClientFixture, soon, startClientFixture } from './fixture.js';

describe('urql against hookgraph', () => {
  let f: ClientFixture;
  beforeAll(async () => {
    f = await startClientFixture();
  });
  // Tests wait for the tenant's subscriber count: start each once the previous test's subscriptions are gone.
  beforeEach(async () => {
    await expect.poll(f.listeners, soon).toBe(0);
  });

  /** urql as the README sets it up: fetchExchange for queries and mutations, graphql-ws for subscriptions. */
  function urql(): Client {
    const ws = leftover(
      createClient({
        url: `${f.t.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${f.tenant.key}` },
      }),
    );
    return new Client({
      url: `${f.t.url}/graphql`,
      fetchOptions: { headers: { authorization: `Bearer ${f.tenant.key}` } },
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
  }

  it('receives live events over the graphql-ws subscriptionExchange, typed by the exported documents', async () => {
    const client = urql();
    const received: OnEventsSubscription['events'][] = [];
    const errors: unknown[] = [];
    const subscription = client.subscription(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } }).subscribe((result) => {
      if (result.error) errors.push(result.error);
      if (result.data) received.push(result.data.events);
    });
    leftover(() => subscription.unsubscribe());
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    await f.trigger();
    await expect.poll(() => received.length, soon).toBe(2);
    expect(errors).toEqual([]);
    for (const event of received) expect(event).toMatchObject({ type: 'contact.created', test: false, provider: { key: 'SUPEROFFICE' } });
    expect(new Set(received.map((e) => e.cursor)).size).toBe(2);
    subscription.unsubscribe();
    await expect.poll(f.listeners, soon).toBe(0);
  });

  it('runs queries over fetchExchange', async () => {
    const { data, error } = await urql().query(WebhooksDocument, { provider: 'SUPEROFFICE' }).toPromise();
    expect(error).toBeUndefined();
    expect(data?.webhooks.edges.map((e) => e.node.id)).toContain(f.webhookId);
  });
});
