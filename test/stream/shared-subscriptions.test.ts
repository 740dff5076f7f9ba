import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateWebhookDocument, OnEventsDocument, type OnEventsSubscription, TriggerSandboxEventDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';

describe('subscribers with the same document and variables', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    await t.connectSandbox(tenant, 'DESKERA');
    await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider: 'DESKERA', events: ['CREATE_INVOICE'] } });
  });
  afterAll(() => t.stop());

  it('share one source stream, and each still receives every event once', async () => {
    const clients = [wsClient(t.url, tenant.key), wsClient(t.url, tenant.key), wsClient(t.url, tenant.key)];
    const subs = clients.map((c) => subscribeWs<OnEventsSubscription>(c, OnEventsDocument, { filter: { types: ['invoice.*'] } }));
    const sse = subscribeSse<OnEventsSubscription>(t.url, tenant.key, OnEventsDocument, { filter: { types: ['invoice.*'] } });
    const other = wsClient(t.url, tenant.key);
    const different = subscribeWs<OnEventsSubscription>(other, OnEventsDocument, { filter: { types: ['invoice.created'] } });
    expect(await sse.ready).toBe(200);
    // Five subscribers, two distinct (document, variables): two listeners on the bus.
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 3; i++)
      await gqlData(t.url, tenant.key, TriggerSandboxEventDocument, { provider: 'DESKERA', eventType: 'CREATE_INVOICE' });
    const all = [...subs, sse, different];
    const got = await Promise.all(all.map((s) => s.waitFor(3)));
    const ids = got.map((g) => g.map((x) => x.events.id));
    for (const list of ids) expect(list).toEqual(ids[0]);
    expect(new Set(ids[0]).size).toBe(3);

    // The shared stream lives until its last subscriber leaves.
    subs[0]?.stop();
    subs[1]?.stop();
    await gqlData(t.url, tenant.key, TriggerSandboxEventDocument, { provider: 'DESKERA', eventType: 'CREATE_INVOICE' });
    expect((await subs[2]?.waitFor(4))?.length).toBe(4);
    subs[2]?.stop();
    sse.stop();
    different.stop();
    await Promise.all([...clients, other].map((c) => c.dispose()));
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(0);
  });
});
