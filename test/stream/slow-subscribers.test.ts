import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SLOW_SUBSCRIBER_CLOSE_CODE, SLOW_SUBSCRIBER_CLOSE_REASON } from '../../src/graphql/limits.js';
import type { AppendedEvent } from '../../src/domain/event.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { newEvent } from '../utils/events.js';
import { type Collector, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';

const EVENTS = `subscription($filter: EventFilter) { events(filter: $filter) { id type payload } }`;
type Received = { events: { id: string; type: string; payload: unknown } };
// Large events fill the kernel's socket buffers in a few dozen events rather than thousands.
const PAYLOAD = { blob: 'y'.repeat(400_000) };
const BUFFER = 20;

/** A graphql-transport-ws client by hand, to stop reading its socket (`pause`) like a stalled client. */
async function rawSubscriber(url: string, key: string, variables: Record<string, unknown>) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  let received = 0;
  const acked = new Promise<void>((resolve) =>
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') resolve();
      if (message.type === 'next') received++;
    }),
  );
  await new Promise<void>((resolve) => socket.once('open', () => resolve()));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  await acked;
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: EVENTS, variables } }));
  return { socket, closed, received: () => received };
}

describe('a subscriber that stops reading', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let fastClient: Client;
  const cleanups: Array<() => unknown> = [];
  beforeAll(async () => {
    // Two places per tenant: the stalled subscriber and the one that keeps up. A third (a probe)
    // is refused until the stalled one has been closed and gave its place back.
    t = await startTestApp({ config: { limits: { subscriberBufferEvents: BUFFER, maxSubscriptionsPerTenant: 2 } } });
    tenant = await t.tenant();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
  });
  afterAll(() => t.stop());

  async function publish(): Promise<AppendedEvent> {
    const [appended] = await t.app.services.store.events.append([newEvent(tenant.id, { payload: PAYLOAD })]);
    t.app.services.bus.publish(appended as AppendedEvent);
    return appended as AppendedEvent;
  }

  /** Whether the tenant has a free place again (the probe subscribes over SSE and leaves at once). */
  async function placeFreed(): Promise<boolean> {
    const probe = subscribeSse(t.url, tenant.key, EVENTS, { filter: { types: ['probe.*'] } });
    const status = await probe.ready;
    probe.stop();
    if (status === 200) await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBeLessThan(3);
    return status === 200;
  }

  /**
   * Publishes one event at a time, each received by `fast` before the next, until `closed()` says the
   * stalled subscriber was let go. Returns how many were published.
   */
  async function publishUntil(fast: Collector<Received>, closed: () => Promise<boolean> | boolean): Promise<number> {
    for (let n = 1; n <= 400; n++) {
      await publish();
      await fast.waitFor(n, 10_000);
      if (n > BUFFER && n % 5 === 0 && (await closed())) return n;
    }
    throw new Error('the stalled subscriber was never closed');
  }

  it('over graphql-ws is closed with 4290 while another subscriber receives every event', async () => {
    const slow = await rawSubscriber(t.url, tenant.key, { filter: { types: ['invoice.*'] } });
    cleanups.push(() => slow.socket.terminate());
    fastClient = wsClient(t.url, tenant.key);
    cleanups.push(() => fastClient.dispose());
    const fast = subscribeWs<Received>(fastClient, EVENTS, { filter: { types: ['invoice.created'] } });
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(2);
    slow.socket.pause();

    const published = await publishUntil(fast, () => t.app.services.bus.listeners(tenant.id) === 1);
    // Its place is free at once, though its socket still waits for the client to read the close.
    expect(await placeFreed()).toBe(true);
    slow.socket.resume();
    expect(await slow.closed).toEqual({ code: SLOW_SUBSCRIBER_CLOSE_CODE, reason: SLOW_SUBSCRIBER_CLOSE_REASON });
    expect(slow.received()).toBeLessThan(published);

    await publish();
    const got = await fast.waitFor(published + 1);
    expect(new Set(got.map((g) => g.events.id)).size).toBe(published + 1);
    expect(fast.errors).toEqual([]);
  });

  it('over graphql-ws, sharing one execution with a fast subscriber, is closed and the other goes on', async () => {
    const same = { filter: { types: ['invoice.*'] } };
    const slow = await rawSubscriber(t.url, tenant.key, same);
    cleanups.push(() => slow.socket.terminate());
    fastClient = wsClient(t.url, tenant.key);
    cleanups.push(() => fastClient.dispose());
    const fast = subscribeWs<Received>(fastClient, EVENTS, same);
    // Two subscribers, one stream.
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(1);
    expect(await placeFreed()).toBe(false);
    slow.socket.pause();

    const published = await publishUntil(fast, placeFreed);
    slow.socket.resume();
    expect(await slow.closed).toEqual({ code: SLOW_SUBSCRIBER_CLOSE_CODE, reason: SLOW_SUBSCRIBER_CLOSE_REASON });
    await publish();
    expect(new Set((await fast.waitFor(published + 1)).map((g) => g.events.id)).size).toBe(published + 1);
    expect(fast.errors).toEqual([]);
  });

  it('over SSE gets a last SLOW_SUBSCRIBER error and the end of the stream, while another subscriber receives every event', async () => {
    let response: IncomingMessage | null = null;
    const req = httpRequest(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${tenant.key}` },
    });
    cleanups.push(() => req.destroy());
    const answered = new Promise<IncomingMessage>((resolve) => req.once('response', resolve));
    req.end(JSON.stringify({ query: EVENTS, variables: { filter: { types: ['invoice.*'] } } }));
    response = await answered;
    expect(response.statusCode).toBe(200);
    response.pause();
    fastClient = wsClient(t.url, tenant.key);
    cleanups.push(() => fastClient.dispose());
    const fast = subscribeWs<Received>(fastClient, EVENTS, { filter: { types: ['invoice.created'] } });
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(2);

    const published = await publishUntil(fast, () => t.app.services.bus.listeners(tenant.id) === 1);
    expect(await placeFreed()).toBe(true);
    // Reading again: what was already sent, then one error event, then the end.
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      text += chunk;
    });
    response.resume();
    await new Promise((resolve) => response?.once('end', resolve));
    const frames = text.split('\n\n').filter((f) => f.startsWith('event:'));
    const last = frames.slice(-2);
    expect(last[0]).toMatch(/^event: next\ndata: /);
    const error = JSON.parse((last[0] as string).replace(/^event: next\ndata: /, '')) as {
      errors: Array<{ message: string; extensions: unknown }>;
    };
    expect(error.errors[0]?.extensions).toEqual({ code: 'SLOW_SUBSCRIBER', limit: 'subscriberBufferEvents' });
    expect(error.errors[0]?.message).toBe(
      `subscriber too slow: it fell more than ${BUFFER} events behind; subscribe again with "after" set to the last cursor received`,
    );
    expect(last[1]).toMatch(/^event: complete/);
    expect(frames.length - 2).toBeLessThan(published);

    await publish();
    expect(new Set((await fast.waitFor(published + 1)).map((g) => g.events.id)).size).toBe(published + 1);
  });
});
