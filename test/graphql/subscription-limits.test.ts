import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Client } from 'graphql-ws';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppendedEvent } from '../../src/domain/event.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { newEvent } from '../utils/events.js';
import { gqlData, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';
import { metricValue } from '../utils/metrics.js';

const EVENTS = `subscription($filter: EventFilter, $after: String) {
  events(filter: $filter, after: $after) { id cursor type }
}`;
type Received = { events: { id: string; cursor: string; type: string } };

/** The GraphQL errors a collector got (graphql-ws `error` messages arrive as arrays, `next` errors too). */
const codes = (errors: unknown[]) =>
  errors.flatMap((e) => (Array.isArray(e) ? e : [e])).map((e) => (e as { extensions?: { code?: string } }).extensions?.code);

async function publish(t: TestApp, tenant: TestTenant, type = 'invoice.created'): Promise<AppendedEvent> {
  const [appended] = await t.app.services.store.events.append([newEvent(tenant.id, { type })]);
  t.app.services.bus.publish(appended as AppendedEvent);
  return appended as AppendedEvent;
}

describe('subscriptions per graphql-ws socket (default 50)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });

  it('refuses the 51st subscription on one socket with an error for it alone, while the other 50 carry on', async () => {
    const client = wsClient(t.url, tenant.key);
    // Fifty different variables with the same meaning: fifty streams, none shared.
    const subs = Array.from({ length: 50 }, (_, i) =>
      subscribeWs<Received>(client, EVENTS, { filter: { types: ['invoice.*', `x${i}.*`] } }),
    );
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(50);
    const refused = subscribeWs<Received>(client, EVENTS, { filter: { types: ['invoice.*'] } });
    await expect.poll(() => refused.errors.length).toBe(1);
    expect(codes(refused.errors)).toEqual(['SUBSCRIPTION_LIMIT']);
    expect(JSON.stringify(refused.errors)).toContain('this socket already has 50 operations (HOOKGRAPH_MAX_SUBSCRIPTIONS_PER_SOCKET)');
    const e = await publish(t, tenant);
    for (const s of subs) expect((await s.waitFor(1))[0]?.events.id).toBeTruthy();
    expect(subs.every((s) => s.errors.length === 0)).toBe(true);
    expect(e.event.seq).toBeGreaterThan(0);

    // A completed subscription gives its place back.
    subs[0]?.stop();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(49);
    const again = subscribeWs<Received>(client, EVENTS, { filter: { types: ['invoice.*'] } });
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(50);
    expect(again.errors).toEqual([]);
    await client.dispose();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
  });
});

describe('the cost of a subscription', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });

  // Thirty catalogues per event: 1 + 30 × 188 = 5,641.
  const costly = `subscription { events { ${Array.from({ length: 30 }, (_, i) => `p${i}: provider { eventTypes { name } }`).join(' ')} } }`;

  it('is checked before it starts, over graphql-ws and SSE', async () => {
    const client = wsClient(t.url, tenant.key);
    const ws = subscribeWs<Received>(client, costly);
    await expect.poll(() => codes(ws.errors)).toEqual(['COST_LIMIT']);
    const sse = subscribeSse<Received>(t.url, tenant.key, costly);
    expect(await sse.ready).toBe(400);
    await expect.poll(() => codes(sse.errors)).toEqual(['COST_LIMIT']);
    sse.stop();
    expect(t.app.services.bus.listeners(tenant.id)).toBe(0);
  });
});

describe('subscriptions per tenant, over graphql-ws and SSE together', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  const clients: Client[] = [];
  const client = () => {
    const c = wsClient(t.url, tenant.key);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    t = await startTestApp({ config: { limits: { maxSubscriptionsPerTenant: 3 } } });
    tenant = await t.tenant();
    other = await t.tenant();
  });

  it('refuses the subscription past the limit on either transport, and lets each freed place be taken again', async () => {
    const ws1 = subscribeWs<Received>(client(), EVENTS, { filter: { types: ['a.*'] } });
    const ws2 = subscribeWs<Received>(client(), EVENTS, { filter: { types: ['b.*'] } });
    const sse = subscribeSse<Received>(t.url, tenant.key, EVENTS, { filter: { types: ['c.*'] } });
    expect(await sse.ready).toBe(200);
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(3);

    const sseRefused = subscribeSse<Received>(t.url, tenant.key, EVENTS, { filter: { types: ['d.*'] } });
    expect(await sseRefused.ready).toBe(429);
    await expect.poll(() => codes(sseRefused.errors)).toEqual(['SUBSCRIPTION_LIMIT']);
    expect(JSON.stringify(sseRefused.errors)).toContain(
      'this tenant already has 3 subscriptions open (HOOKGRAPH_MAX_SUBSCRIPTIONS_PER_TENANT)',
    );
    sseRefused.stop();
    const wsRefused = subscribeWs<Received>(client(), EVENTS, { filter: { types: ['e.*'] } });
    await expect.poll(() => codes(wsRefused.errors)).toEqual(['SUBSCRIPTION_LIMIT']);

    // Another tenant has its own places.
    const otherClient = wsClient(t.url, other.key);
    const theirs = subscribeWs<Received>(otherClient, EVENTS, {});
    await expect.poll(() => t.app.services.bus.listeners(other.id)).toBe(1);
    expect(theirs.errors).toEqual([]);
    await otherClient.dispose();

    // The three keep receiving.
    await publish(t, tenant, 'a.created');
    await publish(t, tenant, 'b.created');
    await publish(t, tenant, 'c.created');
    await Promise.all([ws1.waitFor(1), ws2.waitFor(1), sse.waitFor(1)]);

    // A client that goes away (SSE abort), completes (graphql-ws complete) or drops its socket frees its place.
    sse.stop();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(2);
    const ws3 = subscribeWs<Received>(client(), EVENTS, { filter: { types: ['f.*'] } });
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(3);
    expect(ws3.errors).toEqual([]);
    ws1.stop();
    await clients[1]?.dispose();
    ws3.stop();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
    const again = [0, 1, 2].map((i) => subscribeWs<Received>(client(), EVENTS, { filter: { types: [`g${i}.*`] } }));
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(3);
    expect(again.flatMap((s) => s.errors)).toEqual([]);
    for (const s of again) s.stop();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
  });

  it('gives the place back when a subscription fails to start', async () => {
    const c = client();
    const bad = Array.from({ length: 5 }, () => subscribeWs<Received>(c, EVENTS, { after: 'not-a-cursor' }));
    await expect.poll(() => bad.every((s) => s.errors.length === 1)).toBe(true);
    const good = [0, 1, 2].map((i) => subscribeWs<Received>(c, EVENTS, { filter: { types: [`h${i}.*`] } }));
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(3);
    expect(good.flatMap((s) => s.errors)).toEqual([]);
    for (const s of good) s.stop();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
  });

  it('counts subscribers that share one execution once each', async () => {
    const same = { filter: { types: ['invoice.*'] } };
    const shared = [client(), client(), client()].map((c) => subscribeWs<Received>(c, EVENTS, same));
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(1);
    // One stream behind them, but three subscribers, each counted once it runs: the fourth is refused.
    await expect.poll(() => metricValue(t.url, 'hookgraph_subscriptions_active{transport="graphql-ws"}')).toBe(3);
    const fourth = subscribeWs<Received>(client(), EVENTS, same);
    await expect.poll(() => codes(fourth.errors)).toEqual(['SUBSCRIPTION_LIMIT']);
    await publish(t, tenant);
    for (const s of shared) await s.waitFor(1);
    for (const s of shared) s.stop();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
  });
});

describe('a flood of replaying subscriptions on one socket', () => {
  let t: TestApp;
  let attacker: TestTenant;
  let victim: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    attacker = await t.tenant();
    victim = await t.tenant();
    await t.connectSandbox(victim, 'BOOQABLE');
  });

  it("closes a socket that floods subscribe messages, and does not hold up another tenant's delivery while 50 replays run", async () => {
    // 1,200 stored events: each accepted replay reads three pages.
    const payload = { text: 'x'.repeat(1_000) };
    for (let i = 0; i < 12; i++)
      await t.app.services.store.events.append(Array.from({ length: 100 }, () => newEvent(attacker.id, { payload })));
    const oldest = (
      await gqlData<{ events: { edges: Array<{ cursor: string }> } }>(t.url, attacker.key, '{ events(first: 1) { edges { cursor } } }')
    ).events.edges[0]?.cursor as string;
    const { createWebhook } = await gqlData<{ createWebhook: { data?: { deliveryUrl: string } } }>(
      t.url,
      victim.key,
      `mutation { createWebhook(input: { provider: BOOQABLE, events: ["customer.created"], payloadVersion: "4" }) {
        ... on CreateWebhookSuccess { data { deliveryUrl } } } }`,
    );
    const deliveryUrl = createWebhook.data?.deliveryUrl as string;

    let sent = 0;
    const deliver = async (n: number, label: string) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const res = await fetch(deliveryUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: `e5a3c0de-0000-4000-8000-${String(++sent).padStart(12, '0')}`,
            event: 'customer.created',
            resource_type: 'customers',
            data: { id: `${label}-${i}` },
          }),
        });
        times.push(performance.now() - started);
        expect(res.status).toBe(200);
      }
      return times;
    };
    const quiet = await deliver(5, 'quiet');
    // How long the event loop is held at a time while the flood runs: what a delivery waits for at most.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    // A burst of 2,000 subscribe messages on one socket: 50 accepted, the next 50 refused, then the socket is
    // closed (4291) since a client that ignores that many refusals is flooding; the rest cost nothing.
    let closeCode = 0;
    const flood = wsClient(t.url, attacker.key, {
      on: {
        closed: (e) => {
          closeCode = (e as CloseEvent).code;
        },
      },
    });
    let refused = 0;
    for (let i = 0; i < 2_000; i++)
      flood.subscribe(
        { query: 'subscription($after: String) { events(after: $after) { id payload } }', variables: { after: oldest } },
        { next: () => {}, error: () => void refused++, complete: () => {} },
      );
    await expect.poll(() => closeCode, { timeout: 20_000 }).toBe(4291);
    expect(refused).toBeGreaterThanOrEqual(50);
    await flood.dispose();

    // Fifty replays at once, the most one socket may hold: 50 × 1,199 messages, while the victim delivers.
    // With a key of its own: the flooding key's refusals now turn its sockets away (use-refusal-budget.ts).
    const { key: replayKey } = await t.app.services.store.apiKeys.create(attacker.id, 'replays');
    const replays = wsClient(t.url, replayKey);
    let received = 0;
    const all = Array.from({ length: 50 }, () =>
      replays.subscribe(
        { query: 'subscription($after: String) { events(after: $after) { id payload } }', variables: { after: oldest } },
        { next: () => void received++, error: () => {}, complete: () => {} },
      ),
    );
    // In full swing: thousands of replayed messages out already.
    await expect.poll(() => received, { timeout: 20_000, interval: 5 }).toBeGreaterThan(5_000);
    const acks = await deliver(5, 'flood');
    const receivedAtAck = received;
    console.info(
      `deliveries acknowledged in ${quiet.map((ms) => ms.toFixed(0)).join(', ')} ms before the flood, ${acks.map((ms) => ms.toFixed(0)).join(', ')} ms during it (${receivedAtAck} replayed messages sent by then)`,
    );
    // The replays were still running when the last acknowledgment came back.
    expect(receivedAtAck).toBeLessThan(50 * 1_199);
    await expect.poll(() => received, { timeout: 60_000, interval: 200 }).toBe(50 * 1_199);
    lag.disable();
    console.info(
      `event loop held at most ${(lag.max / 1e6).toFixed(0)} ms (p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms) during the flood`,
    );
    for (const dispose of all) dispose();
    await replays.dispose();
  }, 120_000);
});
