import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createHookgraphClient,
  EventsPageDocument,
  type HookgraphClientOptions,
  HookgraphError,
  OnEventsDocument,
  type OnEventsSubscription,
  type TokenRequest,
  WebhooksDocument,
} from '../../src/client/index.js';
import { leftover } from '../utils/leftovers.js';
import { type ClientFixture, soon, startClientFixture } from './fixture.js';

type Event = OnEventsSubscription['events'];

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('hookgraph/client createHookgraphClient', () => {
  let f: ClientFixture;
  beforeAll(async () => {
    f = await startClientFixture();
  });
  // Tests wait for the tenant's subscriber count: start each once the previous test's subscriptions are gone.
  beforeEach(async () => {
    await expect.poll(f.listeners, soon).toBe(0);
  });

  /** Node 20 has no global WebSocket: tests pass ws's, as a Node 20 user would. */
  const client = (options: Omit<HookgraphClientOptions, 'url' | 'webSocketImpl'>) =>
    leftover(createHookgraphClient({ url: f.t.url, webSocketImpl: WebSocket, ...options }));

  /** Reads `iterator` in the background into `items`; `ended` is set once it ends (with its error, if any). */
  function drain<T>(iterator: AsyncIterableIterator<{ data?: T | null; errors?: unknown }>) {
    const state: { items: T[]; ended: null | { error: unknown } } = { items: [], ended: null };
    void (async () => {
      try {
        for await (const result of iterator) {
          if (result.errors) throw new Error(`errors: ${JSON.stringify(result.errors)}`);
          if (result.data) state.items.push(result.data);
        }
        state.ended = { error: null };
      } catch (error) {
        state.ended = { error };
      }
    })();
    leftover(() => iterator.return?.());
    return state;
  }

  it('subscribes over graphql-ws to live events, typed, and ends the subscription on return()', async () => {
    const hg = client({ token: f.tenant.key });
    const events = hg.subscribe(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } });
    const first = events.next();
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    const { value } = await first;
    expect(value?.errors).toBeUndefined();
    const event: Event | undefined = value?.data?.events;
    expect(event).toMatchObject({ type: 'contact.created', test: false, provider: { key: 'SUPEROFFICE' } });
    await events.return?.();
    await expect.poll(f.listeners, soon).toBe(0);
  });

  it('runs typed queries over fetch with Authorization: Bearer', async () => {
    const hg = client({ token: f.tenant.key });
    const { webhooks } = await hg.request(WebhooksDocument, { provider: 'SUPEROFFICE' });
    expect(webhooks.edges.map((e) => e.node.id)).toContain(f.webhookId);
    // No variables needed when the operation has no required one.
    const { events } = await hg.request(EventsPageDocument);
    expect(events.edges.length).toBeGreaterThan(0);
  });

  it('throws a HookgraphError carrying status and GraphQL errors when the server refuses the key', async () => {
    const hg = client({ token: 'hg_not_a_key' });
    const refused = await hg.request(WebhooksDocument).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HookgraphError);
    expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('asks a token function for a fresh token (refresh: true) after a 401, and repeats the request once', async () => {
    const asked: TokenRequest[] = [];
    const hg = client({
      token: (request) => {
        asked.push(request);
        return request.refresh ? f.tenant.key : 'hg_expired_token';
      },
    });
    const { webhooks } = await hg.request(WebhooksDocument);
    expect(webhooks.edges.length).toBeGreaterThan(0);
    expect(asked).toEqual([{ refresh: false }, { refresh: true }]);
  });

  it('resumes after the last delivered cursor when the connection drops: the event sent meanwhile arrives once, nothing twice', async () => {
    const reconnect = gate();
    const asked: TokenRequest[] = [];
    const hg = client({
      // The first connect gets the key at once; the reconnect waits for the test, so the event is sent while no
      // socket is subscribed.
      token: async (request) => {
        asked.push(request);
        if (asked.length > 1) await reconnect.opened;
        return f.tenant.key;
      },
    });
    const stream = drain(hg.subscribe(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } }));
    const { items } = stream;
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    await expect.poll(() => items.length, soon).toBe(1);

    hg.ws.terminate();
    await expect.poll(() => asked.length, soon).toBe(2);
    await expect.poll(f.listeners, soon).toBe(0);
    await f.trigger();
    reconnect.open();

    await expect.poll(() => items.length, soon).toBe(2);
    await f.trigger();
    await expect.poll(() => items.length, soon).toBe(3);
    const cursors = items.map((i) => i.events.cursor);
    expect(new Set(cursors).size).toBe(3);
    expect(items.every((i) => i.events.type === 'contact.created')).toBe(true);
    expect(asked.map((r) => r.refresh)).toEqual([false, false]);
    expect(stream.ended).toBeNull();
  });

  it('retries with backoff when the token function fails (its mint endpoint down), then subscribes', async () => {
    let calls = 0;
    const hg = client({
      token: () => {
        if (++calls === 1) throw new Error('mint endpoint down');
        return f.tenant.key;
      },
    });
    const { items } = drain(hg.subscribe(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } }));
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    expect(calls).toBe(2);
    await f.trigger();
    await expect.poll(() => items.length, soon).toBe(1);
  });

  it('gives up at once when the server closes the socket with 4403 for a fixed token', async () => {
    const closes: number[] = [];
    const hg = client({ token: 'hg_not_a_key', ws: { on: { closed: (e) => closes.push((e as { code: number }).code) } } });
    const failed = await hg
      .subscribe(OnEventsDocument)
      .next()
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(HookgraphError);
    expect(failed).toMatchObject({ closeCode: 4403 });
    expect(closes).toEqual([4403]);
  });

  it('reconnects at once with a fresh token (refresh: true) after the server closes the socket with 4403', async () => {
    const asked: TokenRequest[] = [];
    const connected: number[] = [];
    const hg = client({
      token: (request) => {
        asked.push(request);
        return request.refresh ? f.tenant.key : 'hg_revoked_token';
      },
      ws: { on: { connected: () => connected.push(Date.now()) } },
    });
    const { items } = drain(hg.subscribe(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } }));
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    expect(asked).toEqual([{ refresh: false }, { refresh: true }]);
    expect(connected).toHaveLength(1);
    await f.trigger();
    await expect.poll(() => items.length, soon).toBe(1);
  });
});
