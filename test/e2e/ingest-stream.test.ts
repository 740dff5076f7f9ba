import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import {
  CreateWebhookDocument,
  EventsDocument,
  OnEventsDocument,
  type OnEventsSubscription,
  TriggerSandboxEventDocument,
  type WebhookFieldsFragment,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { storeBackends } from '../utils/databases.js';
import { gqlData, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';
import { metricValue } from '../utils/metrics.js';

type Received = OnEventsSubscription['events'];

interface Shape {
  provider: ProviderKey;
  /** Subscribed events and the one triggered. */
  events: string[];
  trigger: string;
  shape?: string;
  payloadVersion?: string;
  /** Expected unified types, in order (a batched delivery yields several). */
  expect: string[];
  resourceType: string;
}

const SHAPES: Shape[] = [
  { provider: 'DESKERA', events: ['CREATE_INVOICE'], trigger: 'CREATE_INVOICE', expect: ['invoice.created'], resourceType: 'invoice' },
  {
    provider: 'BOOQABLE',
    events: ['invoice.finalized'],
    trigger: 'invoice.finalized',
    payloadVersion: '1',
    expect: ['invoice.finalized'],
    resourceType: 'invoice',
  },
  {
    provider: 'BOOQABLE',
    events: ['customer.created'],
    trigger: 'customer.created',
    payloadVersion: '4',
    expect: ['customer.created'],
    resourceType: 'customer',
  },
  {
    provider: 'PAYBOOK',
    events: ['credential_create'],
    trigger: 'credential_create',
    shape: 'v1',
    expect: ['credential.created'],
    resourceType: 'credential',
  },
  {
    provider: 'PAYBOOK',
    events: ['credential_update'],
    trigger: 'credential_update',
    shape: 'v3',
    expect: ['credential.updated'],
    resourceType: 'credential',
  },
  {
    provider: 'PAYBOOK',
    events: ['refresh'],
    trigger: 'refresh',
    shape: 'v3-batch',
    expect: ['credential.refreshed', 'credential.refreshed'],
    resourceType: 'credential',
  },
  { provider: 'ROOTFI', events: ['INVOICES:CREATE'], trigger: 'INVOICES:CREATE', expect: ['invoice.created'], resourceType: 'invoice' },
  { provider: 'ROOTFI', events: ['SYNC_COMPLETED'], trigger: 'SYNC_COMPLETED', expect: ['sync.completed'], resourceType: 'sync' },
  {
    provider: 'ROOTFI',
    events: ['CONNECTION_CHANGED'],
    trigger: 'CONNECTION_CHANGED',
    expect: ['connection.changed'],
    resourceType: 'connection',
  },
  {
    provider: 'SUPEROFFICE',
    events: ['contact.changed'],
    trigger: 'contact.changed',
    expect: ['contact.updated'],
    resourceType: 'contact',
  },
];

describe.each(storeBackends)('ingest and stream on %s', (database) => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ database });
    tenant = await t.tenant();
    for (const p of ['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE'] as const) await t.connectSandbox(tenant, p);
  });

  async function createWebhook(
    who: TestTenant,
    provider: ProviderKey,
    events: string[],
    payloadVersion?: string,
  ): Promise<WebhookFieldsFragment> {
    const { createWebhook: r } = await gqlData(t.url, who.key, CreateWebhookDocument, {
      input: { provider, events, ...(payloadVersion && { payloadVersion }) },
    });
    if (r.__typename !== 'CreateWebhookSuccess') throw new Error(`${r.__typename}: ${'message' in r ? r.message : ''}`);
    return r.data;
  }

  async function trigger(who: TestTenant, provider: ProviderKey, eventType: string, shape?: string) {
    const { triggerSandboxEvent: r } = await gqlData(t.url, who.key, TriggerSandboxEventDocument, {
      provider,
      eventType,
      ...(shape && { shape }),
    });
    if (r.__typename !== 'TriggerSandboxEventSuccess') throw new Error(`${r.__typename}: ${'message' in r ? r.message : ''}`);
    return r.data;
  }

  const eventCount = () => t.app.services.store.events.count(tenant.id);

  describe.each(SHAPES)('$provider $trigger $shape $payloadVersion', (s) => {
    it('travels vendor → hookgraph → graphql-ws and SSE subscribers with its unified type and resource', async () => {
      const w = await createWebhook(tenant, s.provider, s.events, s.payloadVersion);
      const filter = { webhookIds: [w.id] };
      const client = wsClient(t.url, tenant.key);
      const ws = subscribeWs<{ events: Received }>(client, OnEventsDocument, { filter });
      // A different filter with the same meaning, so the two subscribers do not share one execution.
      const sse = subscribeSse<{ events: Received }>(t.url, tenant.key, OnEventsDocument, {
        filter: { ...filter, providers: [s.provider] },
      });
      expect(await sse.ready).toBe(200);
      await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBeGreaterThanOrEqual(2);
      const deliveries = await trigger(tenant, s.provider, s.trigger, s.shape);
      expect(deliveries.map((d) => d.status)).toContain(200);
      for (const c of [ws, sse]) {
        const got = (await c.waitFor(s.expect.length)).map((x) => x.events);
        expect(got.map((e) => e.type)).toEqual(s.expect);
        for (const e of got) {
          expect(e.provider.key).toBe(s.provider);
          expect(e.webhook?.id).toBe(w.id);
          expect(e.resource?.type).toBe(s.resourceType);
          expect(e.test).toBe(false);
          expect(e.payload).toBeTruthy();
        }
      }
    });
  });

  it('stores the SuperOffice test ping that arrives while the create call is in flight', async () => {
    const before = await eventCount();
    const w = await createWebhook(tenant, 'SUPEROFFICE', ['person.created']);
    const { events } = await gqlData(t.url, tenant.key, EventsDocument, { filter: { webhookIds: [w.id] }, first: 10 });
    expect(events.edges.map((e) => e.node.test)).toEqual([true]);
    expect(await eventCount()).toBe(before + 1);
  });

  it('stores and publishes a retried delivery once', async () => {
    const w = await createWebhook(tenant, 'BOOQABLE', ['order.reserved'], '4');
    const client = wsClient(t.url, tenant.key);
    const ws = subscribeWs<{ events: Received }>(client, OnEventsDocument, { filter: { webhookIds: [w.id] } });
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBeGreaterThanOrEqual(1);
    const delivery = (id: string, orderId: string) =>
      JSON.stringify({ id, created_at: '2026-02-01T10:00:00Z', event: 'order.reserved', resource_type: 'orders', data: { id: orderId } });
    const body = delivery('9d8b0a7e-5a7b-4c1e-9f6e-1f2d3c4b5a60', 'o-1');
    const post = (b = body) => fetch(w.deliveryUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
    const commits = () => metricValue(t.url, 'hookgraph_commit_rows_count');
    const metric = (series: string) => metricValue(t.url, series);
    const counted = () =>
      Promise.all([
        metric('hookgraph_deliveries_total{provider="BOOQABLE",status="200"}'),
        metric('hookgraph_deliveries_total{provider="BOOQABLE",status="401"}'),
        metric('hookgraph_events_stored_total{provider="BOOQABLE"}'),
        metric('hookgraph_delivery_seconds_count{provider="BOOQABLE"}'),
      ]);
    const commitsBefore = await commits();
    const countedBefore = await counted();
    const first = await post();
    const second = await post();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ stored: 0, duplicates: 1 });
    const forged = await fetch(w.deliveryUrl.replace(/[^/]+$/, 'x'.repeat(32)), { method: 'POST', body });
    expect(forged.status).toBe(401);
    // Two deliveries one after the other: two group commits, visible to operators on /metrics.
    expect((await commits()) - commitsBefore).toBe(2);
    // Answers by provider and status, the one event stored, and a latency sample per answer.
    const countedAfter = await counted();
    expect(countedAfter.map((n, i) => n - (countedBefore[i] ?? 0))).toEqual([2, 1, 1, 3]);
    await ws.waitFor(1);
    // Published once: a later delivery is published after anything the retry was, so what came before it is all.
    expect((await post(delivery('9d8b0a7e-5a7b-4c1e-9f6e-1f2d3c4b5a61', 'o-2'))).status).toBe(200);
    expect(await ws.before((x) => x.events.resource?.id === 'o-2')).toHaveLength(1);
  });

  it('dedups a SuperOffice retry cycle whose EventId changed', async () => {
    const w = await createWebhook(tenant, 'SUPEROFFICE', ['sale.changed']);
    await trigger(tenant, 'SUPEROFFICE', 'sale.changed', 'retry-cycle');
    const { events } = await gqlData(t.url, tenant.key, EventsDocument, { filter: { webhookIds: [w.id], types: ['sale.*'] }, first: 10 });
    expect(events.edges).toHaveLength(1);
  });

  describe('refuses bad deliveries with a clear 4xx and stores nothing', () => {
    let booqable: WebhookFieldsFragment;
    let superoffice: WebhookFieldsFragment;
    const json = JSON.stringify({
      id: 'a0b1c2d3-0000-4000-8000-000000000001',
      created_at: '2026-02-01T10:00:00Z',
      event: 'customer.created',
      resource_type: 'customers',
      data: { id: 'c1' },
    });
    beforeAll(async () => {
      booqable = await createWebhook(tenant, 'BOOQABLE', ['customer.created'], '4');
      superoffice = await createWebhook(tenant, 'SUPEROFFICE', ['contact.created']);
    });

    const cases: Array<[string, () => Promise<Response>, number]> = [
      [
        'a wrong token',
        () =>
          fetch(booqable.deliveryUrl.replace(/\/[^/]+$/, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: json,
          }),
        401,
      ],
      [
        'an unknown webhook',
        () => fetch(`${t.url}/hooks/00000000-0000-4000-8000-000000000000/AAAAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST', body: json }),
        404,
      ],
      [
        'an oversized body',
        () =>
          fetch(booqable.deliveryUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`,
          }),
        413,
      ],
      [
        'an oversized chunked body that declares no length',
        () => {
          const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
          let sent = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent++ < 20) controller.enqueue(chunk);
              else controller.close();
            },
          });
          return fetch(booqable.deliveryUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            duplex: 'half',
          } as RequestInit);
        },
        413,
      ],
      [
        'a malformed body',
        () => fetch(booqable.deliveryUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": "broken' }),
        400,
      ],
      [
        'an unsupported content type',
        () => fetch(booqable.deliveryUrl, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' }),
        415,
      ],
      ['a GET', () => fetch(booqable.deliveryUrl), 405],
      [
        'a bad SuperOffice signature',
        () => {
          const body = JSON.stringify({
            EventId: 'e1',
            Timestamp: '2026-02-01T10:00:00.0000000Z',
            Event: 'contact.created',
            Entity: 'contact',
            PrimaryKey: 7,
          });
          const forged = createHmac('sha256', 'not-the-secret').update(body).digest('base64');
          return fetch(superoffice.deliveryUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-superoffice-signature': forged },
            body,
          });
        },
        401,
      ],
      [
        'a missing SuperOffice signature',
        () =>
          fetch(superoffice.deliveryUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"Event":"contact.created"}',
          }),
        401,
      ],
    ];
    it.each(cases)('%s', async (_name, send, status) => {
      const before = await eventCount();
      const res = await send();
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toBeTruthy();
      expect(await eventCount()).toBe(before);
    });
  });

  it('resumes with `after` after a disconnect, losing and repeating nothing while events keep arriving', async () => {
    const w = await createWebhook(tenant, 'ROOTFI', ['SYNC_COMPLETED']);
    const filter = { webhookIds: [w.id] };
    const c1 = wsClient(t.url, tenant.key);
    const listening = t.app.services.bus.listeners(tenant.id);
    const first = subscribeWs<{ events: Received }>(c1, OnEventsDocument, { filter });
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(listening + 1);
    let sending = true;
    let sent = 0;
    const producer = (async () => {
      while (sending) {
        await trigger(tenant, 'ROOTFI', 'SYNC_COMPLETED');
        sent++;
      }
    })();
    const part1 = (await first.waitFor(5)).map((x) => x.events);
    first.stop();
    await c1.dispose();
    const last = part1[part1.length - 1];
    // Events arrive while it is away: two more acknowledged, so the second was sent after the disconnect.
    const sentAtDisconnect = sent;
    await expect.poll(() => sent, { timeout: 10_000 }).toBeGreaterThanOrEqual(sentAtDisconnect + 2);
    const c2 = wsClient(t.url, tenant.key);
    const second = subscribeWs<{ events: Received }>(c2, OnEventsDocument, { filter, after: last?.cursor });
    await second.waitFor(10, 10_000);
    sending = false;
    await producer;
    await expect
      .poll(async () => (await gqlData(t.url, tenant.key, EventsDocument, { filter, first: 500 })).events.edges.length)
      .toBe(sent);
    const total = (await gqlData(t.url, tenant.key, EventsDocument, { filter, first: 500 })).events.edges.map((e) => e.node.id);
    await expect
      .poll(() => part1.length + second.items.length, { timeout: 5_000 })
      .toBe(total.length)
      .catch(() => {
        const seen = new Set([...part1.map((e) => e.id), ...second.items.map((x) => x.events.id)]);
        throw new Error(
          `missing ${JSON.stringify(total.map((id, i) => [i, seen.has(id)]).filter((x) => !x[1]))} of ${total.length}; part1=${part1.length}`,
        );
      });
    const seen = [...part1.map((e) => e.id), ...second.items.map((x) => x.events.id)];
    expect(seen).toEqual(total);
  });

  it("never delivers tenant A's events to tenant B's subscriber", async () => {
    const b = await t.tenant();
    await t.connectSandbox(b, 'DESKERA');
    await createWebhook(b, 'DESKERA', ['CREATE_BILL']);
    await createWebhook(tenant, 'DESKERA', ['CREATE_BILL']);
    const cb = wsClient(t.url, b.key);
    const subB = subscribeWs<{ events: Received }>(cb, OnEventsDocument, {});
    await expect.poll(() => t.app.services.bus.listeners(b.id)).toBe(1);
    await trigger(tenant, 'DESKERA', 'CREATE_BILL');
    await trigger(tenant, 'DESKERA', 'CREATE_BILL');
    await trigger(b, 'DESKERA', 'CREATE_BILL');
    const got = await subB.waitFor(1);
    const onlyB = (await gqlData(t.url, b.key, EventsDocument, { first: 50 })).events.edges.map((e) => e.node.id);
    // None of A's: a later event of B's is published after them, so what came before it is all B gets.
    await trigger(b, 'DESKERA', 'CREATE_BILL');
    const [later] = (await gqlData(t.url, b.key, EventsDocument, { last: 1 })).events.edges;
    expect(await subB.before((x) => x.events.id === later?.node.id)).toHaveLength(1);
    expect(got.map((x) => x.events.id)).toEqual(onlyB);
  });

  it('pages the events query forwards and backwards with filters, one store query per page for webhooks', async () => {
    const w = await createWebhook(tenant, 'DESKERA', ['CREATE_INVOICE', 'UPDATE_INVOICE', 'STOCK_IN']);
    for (const e of ['CREATE_INVOICE', 'UPDATE_INVOICE', 'STOCK_IN', 'CREATE_INVOICE', 'UPDATE_INVOICE'])
      await trigger(tenant, 'DESKERA', e);
    const filter = { webhookIds: [w.id], types: ['invoice.*'] };
    const p1 = (await gqlData(t.url, tenant.key, EventsDocument, { filter, first: 2 })).events;
    expect(p1.edges.map((e) => e.node.type)).toEqual(['invoice.created', 'invoice.updated']);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = (await gqlData(t.url, tenant.key, EventsDocument, { filter, first: 2, after: p1.pageInfo.endCursor })).events;
    expect(p2.edges.map((e) => e.node.type)).toEqual(['invoice.created', 'invoice.updated']);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    const back = (await gqlData(t.url, tenant.key, EventsDocument, { filter, last: 3, before: p2.pageInfo.endCursor })).events;
    expect(back.edges.map((e) => e.node.id)).toEqual([...p1.edges, ...p2.edges].slice(0, 3).map((e) => e.node.id));
    expect(back.pageInfo.hasPreviousPage).toBe(false);

    const all = { webhookIds: [w.id] };
    const before = t.app.services.store.queryCount();
    const page = (await gqlData(t.url, tenant.key, EventsDocument, { filter: all, first: 5 })).events;
    const queries = t.app.services.store.queryCount() - before;
    expect(page.edges).toHaveLength(5);
    expect(page.edges.every((e) => e.node.webhook?.id === w.id)).toBe(true);
    // auth (1) + the page (1) + webhooks for the whole page through dataloader (1)
    expect(queries).toBe(3);
  });
});
