import { describe, expect, it } from 'vitest';
import type { Limits } from '../../src/config.js';
import { CreateWebhookDocument, OnEventsDocument, type OnEventsSubscription } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';
import { openRaw, parseResponse, type RawClient } from './raw-client.js';

function app(limits: Partial<Limits>): Promise<TestApp> {
  return startTestApp({ config: { limits } });
}

function raw(t: TestApp): Promise<RawClient> {
  return openRaw(t.url);
}

/** Writes one byte every `everyMs` until the connection closes: a sender trickling its request. */
function trickle(client: RawClient, byte: string, everyMs = 100): void {
  const timer = setInterval(() => (client.isClosed ? clearInterval(timer) : client.write(byte)), everyMs);
  leftover(() => clearInterval(timer));
}

/** Rejects when `promise` takes longer than `ms`: what the test waits for must happen, and soon. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]);
}

/** A Booqable v4 webhook (unsigned deliveries) and its delivery path. */
async function booqableWebhook(t: TestApp, tenant: TestTenant): Promise<{ id: string; path: string; url: string }> {
  await t.connectSandbox(tenant, 'BOOQABLE');
  const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
    input: { provider: 'BOOQABLE', events: ['order.reserved'], payloadVersion: '4' },
  });
  if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
  return { id: createWebhook.data.id, path: new URL(createWebhook.data.deliveryUrl).pathname, url: createWebhook.data.deliveryUrl };
}

const delivery = JSON.stringify({
  id: '7c6e2a10-3b4d-4f5e-8a9b-1c2d3e4f5a60',
  created_at: '2026-02-01T10:00:00Z',
  event: 'order.reserved',
  resource_type: 'orders',
  data: { id: 'o-1' },
});

describe('a delivery whose body trickles in', () => {
  it('gets 408 once bodyTimeoutMs has passed, its connection closed and nothing stored', async () => {
    const t = await app({ bodyTimeoutMs: 500 });
    const tenant = await t.tenant();
    const hook = await booqableWebhook(t, tenant);
    const before = await t.app.services.store.events.count(tenant.id);
    const client = await raw(t);
    const started = performance.now();
    client.write(
      `POST ${hook.path} HTTP/1.1\r\nHost: ${new URL(t.url).host}\r\nContent-Type: application/json\r\nContent-Length: ${delivery.length}\r\n\r\n${delivery.slice(0, 1)}`,
    );
    trickle(client, ' ');
    const text = await within(client.closed, 3_000, 'closing the trickling connection');
    const res = parseResponse(text);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toEqual({ error: 'the body did not arrive within 500 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    expect(await t.app.services.store.events.count(tenant.id)).toBe(before);
    // The same delivery sent at once is accepted: the limit is on time, not on the sender.
    const ok = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: delivery });
    expect(ok.status).toBe(200);
  });
});

describe('server timeouts', () => {
  it('closes a connection whose headers trickle past headersTimeoutMs, and one that sends nothing', async () => {
    const t = await app({ headersTimeoutMs: 300, requestTimeoutMs: 5_000 });
    const slow = await raw(t);
    const silent = await raw(t);
    slow.write(`GET /health HTTP/1.1\r\nHost: ${new URL(t.url).host}\r\nX-Slow: `);
    trickle(slow, 'a');
    const text = await within(slow.closed, 3_000, 'closing the slow-headers connection');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    await within(silent.closed, 3_000, 'closing the silent connection');
  });

  it('closes a request on any route whose body trickles past requestTimeoutMs', async () => {
    const t = await app({ headersTimeoutMs: 300, requestTimeoutMs: 800 });
    const client = await raw(t);
    const started = performance.now();
    client.write(
      `POST /graphql HTTP/1.1\r\nHost: ${new URL(t.url).host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    trickle(client, ' ');
    const text = await within(client.closed, 4_000, 'closing the slow request');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(performance.now() - started).toBeGreaterThanOrEqual(800);
  });

  it('never cuts a graphql-ws subscription or an SSE stream, which outlive requestTimeoutMs', async () => {
    const t = await app({ headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const tenant = await t.tenant();
    const hook = await booqableWebhook(t, tenant);
    type Received = OnEventsSubscription['events'];
    const ws = wsClient(t.url, tenant.key);
    const overWs = subscribeWs<{ events: Received }>(ws, OnEventsDocument, { filter: { webhookIds: [hook.id] } });
    const overSse = subscribeSse<{ events: Received }>(t.url, tenant.key, OnEventsDocument, {
      filter: { webhookIds: [hook.id], providers: ['BOOQABLE'] },
    });
    expect(await overSse.ready).toBe(200);
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBeGreaterThanOrEqual(2);
    // A request opened after both subscriptions, trickling: once the server has cut it, more than
    // requestTimeoutMs has passed for the subscriptions too.
    const probe = await raw(t);
    const probeStarted = performance.now();
    probe.write(`POST /graphql HTTP/1.1\r\nHost: ${new URL(t.url).host}\r\nContent-Length: 100\r\n\r\n{`);
    trickle(probe, ' ');
    await within(probe.closed, 4_000, 'cutting the probe request');
    expect(performance.now() - probeStarted).toBeGreaterThanOrEqual(400);

    const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: delivery });
    expect(res.status).toBe(200);
    const [fromWs] = await overWs.waitFor(1);
    const [fromSse] = await overSse.waitFor(1);
    expect(fromWs?.events.type).toBe('order.reserved');
    expect(fromSse?.events.type).toBe('order.reserved');
    expect([...overWs.errors, ...overSse.errors]).toEqual([]);
  });
});

describe('the connection cap', () => {
  it('refuses the connection past maxConnections while the open ones keep working', async () => {
    const t = await app({ maxConnections: 3 });
    const host = new URL(t.url).host;
    const health = `GET /health HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
    const open = [await raw(t), await raw(t), await raw(t)];
    for (const c of open) c.write(health);
    for (const c of open) await c.until(/^HTTP\/1\.1 200 [\s\S]*"status":"ok"/);

    const extra = await raw(t);
    extra.write(health);
    expect(await within(extra.closed, 3_000, 'refusing the fourth connection')).toBe('');

    for (const c of open) c.write(health);
    for (const c of open) await c.until(/"status":"ok"[\s\S]*"status":"ok"/);
    // A slot frees when a connection closes.
    open[0]?.destroy();
    await open[0]?.closed;
    await expect.poll(async () => (await fetch(`${t.url}/health`).catch(() => null))?.status ?? 0).toBe(200);
  });
});
