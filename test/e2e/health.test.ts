import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeId } from '../../src/schema/ids.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { storeBackends } from '../utils/databases.js';
import { gql, gqlData } from '../utils/graphql.js';

const CREATE = `mutation ($i: CreateWebhookInput!) {
  createWebhook(input: $i) { __typename ... on CreateWebhookSuccess { data { id deliveryUrl } } ... on Error { message } }
}`;
const HEALTH_FIELDS = `window lastDeliveryAt lastEventAt deliveries accepted duplicates refused refusedByReason { reason count }
  vendorFailures lastVendorError lastVendorErrorAt`;
const WEBHOOK_HEALTH = `query ($id: ID!) { webhook(id: $id) { id health { ${HEALTH_FIELDS} } } }`;

interface Health {
  window: string;
  lastDeliveryAt: string | null;
  lastEventAt: string | null;
  deliveries: number;
  accepted: number;
  duplicates: number;
  refused: number;
  refusedByReason: { reason: string; count: number }[];
  vendorFailures: number;
  lastVendorError: string | null;
  lastVendorErrorAt: string | null;
}

const booqable = (id = randomUUID()) =>
  JSON.stringify({ id, created_at: '2026-02-01T10:00:00Z', event: 'order.updated', resource_type: 'orders', data: { id: `o-${id}` } });

const post = (url: string, body: string, contentType = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

describe.each(storeBackends)('Webhook.health on %s', (database) => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ database });
    tenant = await t.tenant();
    other = await t.tenant();
    for (const who of [tenant, other]) await t.connectSandbox(who, 'BOOQABLE');
  });

  async function createWebhook(who: TestTenant): Promise<{ id: string; deliveryUrl: string }> {
    const { createWebhook: r } = await gqlData<{ createWebhook: { __typename: string; data?: { id: string; deliveryUrl: string } } }>(
      t.url,
      who.key,
      CREATE,
      { i: { provider: 'BOOQABLE', events: ['order.updated'], payloadVersion: '4' } },
    );
    if (!r.data) throw new Error(`createWebhook: ${JSON.stringify(r)}`);
    return r.data;
  }

  const healthOf = async (who: TestTenant, id: string) =>
    (await gqlData<{ webhook: { health: Health | null } | null }>(t.url, who.key, WEBHOOK_HEALTH, { id })).webhook?.health;

  it('counts accepted events, duplicates and refusals by reason, on its own within the flush interval', async () => {
    const w = await createWebhook(tenant);
    const body = booqable();
    const forged = w.deliveryUrl.replace(/\/[^/]+$/, `/${'A'.repeat(32)}`);
    const answers = [
      await post(w.deliveryUrl, body),
      await post(w.deliveryUrl, body),
      await post(w.deliveryUrl, booqable()),
      await post(forged, body),
      await post(forged, body),
      await post(w.deliveryUrl, '<order/>', 'application/xml'),
      await post(w.deliveryUrl, '{"id": '),
      await post(w.deliveryUrl, '[1, 2]'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 401, 415, 400, 400]);

    await expect.poll(async () => (await healthOf(tenant, w.id))?.deliveries, { timeout: 5_000 }).toBe(8);
    const h = (await healthOf(tenant, w.id)) as Health;
    expect(h).toMatchObject({ window: '24h', accepted: 2, duplicates: 1, refused: 5, vendorFailures: 0, lastVendorError: null });
    expect(h.refusedByReason).toEqual([
      { reason: 'bad_token', count: 2 },
      { reason: 'normalizer', count: 1 },
      { reason: 'unparsable', count: 1 },
      { reason: 'unsupported_type', count: 1 },
    ]);
    expect(Date.parse(h.lastDeliveryAt as string)).toBeGreaterThanOrEqual(Date.parse(h.lastEventAt as string));
    expect(Date.now() - Date.parse(h.lastEventAt as string)).toBeLessThan(60_000);
  });

  it('counts nothing for a delivery to an unknown webhook id', async () => {
    const unknown = randomUUID();
    const answer = await post(`${t.url}/hooks/${unknown}/${'A'.repeat(32)}`, booqable());
    expect(answer.status).toBe(404);
    await t.app.services.store.health.flush();
    const rows = await t.app.services.store.kysely
      .selectFrom('webhook_health')
      .select('hour_start')
      .where('webhook_id', '=', unknown)
      .execute();
    expect(rows).toEqual([]);
  });

  it("shows a tenant its own webhooks' health only", async () => {
    const w = await createWebhook(tenant);
    expect((await post(w.deliveryUrl, booqable())).status).toBe(200);
    await t.app.services.store.health.flush();
    expect((await healthOf(tenant, w.id))?.accepted).toBe(1);
    // Another tenant cannot reach the webhook, so neither its health...
    const foreign = await gql<{ webhook: unknown }>(t.url, other.key, WEBHOOK_HEALTH, { id: w.id });
    expect(foreign.body.data?.webhook).toBeNull();
    // ...nor its counts, even asking the store with the webhook's id.
    const id = decodeId(w.id, 'Webhook');
    expect((await t.app.services.store.health.read(other.id, [id])).get(id)).toMatchObject({ deliveries: 0, accepted: 0 });
  });

  it('reads the health of a page of webhooks in one batch, and a READ key may', async () => {
    const a = await createWebhook(tenant);
    const b = await createWebhook(tenant);
    for (const url of [a.deliveryUrl, a.deliveryUrl, b.deliveryUrl]) expect((await post(url, booqable())).status).toBe(200);
    await t.app.services.store.health.flush();
    const { key: readKey } = await t.app.services.store.apiKeys.create(tenant.id, 'reader', { scopes: ['READ'] });
    const page = '{ webhooks(first: 100) { edges { node { id health { accepted deliveries } } } } }';
    // Watched, not replaced: every read of the page's health goes through the store's read.
    const read = vi.spyOn(t.app.services.store.health, 'read');
    let webhooks: { edges: { node: { id: string; health: Health } }[] };
    try {
      ({ webhooks } = await gqlData<{ webhooks: typeof webhooks }>(t.url, readKey, page));
      expect(read).toHaveBeenCalledTimes(1);
      expect(read.mock.calls[0]?.[0]).toBe(tenant.id);
      expect(read.mock.calls[0]?.[1]).toHaveLength(webhooks.edges.length);
    } finally {
      read.mockRestore();
    }
    const byId = new Map(webhooks.edges.map((e) => [e.node.id, e.node.health]));
    expect(byId.get(a.id)).toEqual({ accepted: 2, deliveries: 2 });
    expect(byId.get(b.id)).toEqual({ accepted: 1, deliveries: 1 });
  });

  it("shows the last vendor failure the manage code recorded, in hookgraph's words", async () => {
    const w = await createWebhook(tenant);
    // The store takes the raw webhook id (GraphQL's is the global one), as the manage code has it.
    await t.app.services.store.health.recordVendorFailure(tenant.id, decodeId(w.id, 'Webhook'), 'BOOQABLE answered 503 to GET /webhooks');
    expect(await healthOf(tenant, w.id)).toMatchObject({ vendorFailures: 1, lastVendorError: 'BOOQABLE answered 503 to GET /webhooks' });
  });
});

describe('Webhook.health with HOOKGRAPH_HEALTH_WINDOW_HOURS=0', () => {
  it('is null, and deliveries are acknowledged as ever', async () => {
    const t = await startTestApp({ config: { healthWindowHours: 0 } });
    const tenant = await t.tenant();
    await t.connectSandbox(tenant, 'BOOQABLE');
    const { createWebhook: r } = await gqlData<{ createWebhook: { data: { id: string; deliveryUrl: string } } }>(
      t.url,
      tenant.key,
      CREATE,
      {
        i: { provider: 'BOOQABLE', events: ['order.updated'], payloadVersion: '4' },
      },
    );
    expect((await post(r.data.deliveryUrl, booqable())).status).toBe(200);
    await t.app.services.store.health.flush();
    const { webhook } = await gqlData<{ webhook: { health: Health | null } }>(t.url, tenant.key, WEBHOOK_HEALTH, { id: r.data.id });
    expect(webhook.health).toBeNull();
    expect(await t.app.services.store.kysely.selectFrom('webhook_health').select('hour_start').execute()).toEqual([]);
  });
});
