import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import type { Connector } from '../../src/providers/types.js';
import { CreateWebhookDocument, SyncWebhooksDocument, TriggerSandboxEventDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql, gqlData } from '../utils/graphql.js';

const EVENTS = 'query ($types: [String!]) { events(first: 100, filter: { types: $types }) { edges { node { type webhookId payload } } } }';

/** The raw id inside a global id: what the store and the delivery URLs hold. */
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1] as string;

describe('reconciliation never destroys on thin evidence, and repairs on request', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant('reconcile');
    for (const p of ['BOOQABLE', 'SUPEROFFICE', 'ROOTFI'] as const) await t.connectSandbox(tenant, p);
  });

  const vendor = (p: ProviderKey) => {
    const v = t.app.services.sandbox?.vendors[p];
    if (!v) throw new Error('sandbox off');
    return v;
  };
  const connector = (p: ProviderKey): Promise<Connector> => t.app.services.connections.connector(tenant.id, p);
  async function create(provider: ProviderKey, events: string[], payloadVersion?: string) {
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider, events, ...(payloadVersion && { payloadVersion }) },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(createWebhook));
    return createWebhook.data;
  }
  async function sync(provider: ProviderKey, options: { dryRun?: boolean; repair?: boolean } = {}) {
    const { syncWebhooks } = await gqlData(t.url, tenant.key, SyncWebhooksDocument, { provider, ...options });
    if (syncWebhooks.__typename !== 'SyncWebhooksSuccess') throw new Error(JSON.stringify(syncWebhooks));
    return syncWebhooks.data[0] as NonNullable<(typeof syncWebhooks.data)[0]>;
  }
  async function deliver(provider: ProviderKey, eventType: string) {
    const { triggerSandboxEvent } = await gqlData(t.url, tenant.key, TriggerSandboxEventDocument, { provider, eventType });
    if (triggerSandboxEvent.__typename !== 'TriggerSandboxEventSuccess') throw new Error(JSON.stringify(triggerSandboxEvent));
    return triggerSandboxEvent.data;
  }
  const findings = async (kind: string) => {
    const res = await gql<{ events: { edges: Array<{ node: { type: string; webhookId: string; payload: { reasons: string[] } } }> } }>(
      t.url,
      tenant.key,
      EVENTS,
      { types: [`hookgraph.webhook.${kind}`] },
    );
    return res.body.data?.events.edges.map((e) => e.node) ?? [];
  };
  const stored = async (id: string) => t.app.services.store.webhooks.get(tenant.id, rawId(id));

  it('keeps a webhook that one short list answer leaves out (Booqable: one empty page): missing, still delivering, back on the next pass', async () => {
    const w = await create('BOOQABLE', ['invoice.created']);
    vendor('BOOQABLE').injectFault({ method: 'GET', rawBody: JSON.stringify({ data: [], meta: { total: { count: 0 } } }) });
    const short = await sync('BOOQABLE');
    expect(short.missing.map((m) => m.id)).toContain(w.id);
    expect(short.deleted.map((d) => d.id)).not.toContain(w.id);
    expect((await findings('missing')).map((f) => f.webhookId)).toContain(w.id);
    // Still live: a real delivery is accepted.
    expect((await deliver('BOOQABLE', 'invoice.created')).find((d) => d.webhookId === w.id)?.status).toBe(200);
    const next = await sync('BOOQABLE');
    expect(next.missing.map((m) => m.id)).not.toContain(w.id);
    expect((await stored(w.id))?.missingCount).toBe(0);
  });

  it('asks for each hook by id where the vendor can (SuperOffice): a short list then changes nothing', async () => {
    const w = await create('SUPEROFFICE', ['contact.created']);
    vendor('SUPEROFFICE').injectFault({ method: 'GET', rawBody: '[]' });
    const report = await sync('SUPEROFFICE');
    expect([...report.missing, ...report.deleted].map((m) => m.id)).not.toContain(w.id);
    expect((await stored(w.id))?.deletedAt).toBeNull();
  });

  it('deletes at once what the vendor confirms gone, and re-adopts a registration that points at a deleted row', async () => {
    const gone = await create('SUPEROFFICE', ['contact.changed']);
    await (await connector('SUPEROFFICE')).deleteWebhook(gone.externalIds);
    const report = await sync('SUPEROFFICE');
    expect(report.deleted.map((d) => d.id)).toContain(gone.id);
    expect((await deliver('SUPEROFFICE', 'contact.changed')).some((d) => d.webhookId === gone.id)).toBe(false);
    // A row marked deleted while its registration lives on at the vendor (a lost answer, an operator): adopted, live again.
    const kept = await create('ROOTFI', ['INVOICES:UPDATE']);
    await t.app.services.store.webhooks.update(tenant.id, rawId(kept.id), { deleted: true, status: 'DELETED' });
    expect((await deliver('ROOTFI', 'INVOICES:UPDATE')).find((d) => d.webhookId === kept.id)?.status).toBe(404);
    const back = await sync('ROOTFI');
    expect(back.adopted.map((a) => a.id)).toContain(kept.id);
    expect((await stored(kept.id))?.deletedAt).toBeNull();
    expect((await deliver('ROOTFI', 'INVOICES:UPDATE')).find((d) => d.webhookId === kept.id)?.status).toBe(200);
    expect((await findings('adopted')).map((f) => f.webhookId)).toContain(kept.id);
  });

  it('lists every drift reason, in a dry run changes nothing, and repair puts the vendor back', async () => {
    const w = await create('SUPEROFFICE', ['contact.created', 'sale.sold']);
    const so = await connector('SUPEROFFICE');
    const [externalId] = w.externalIds as [string];
    await so.updateWebhook([externalId], {
      url: w.deliveryUrl,
      events: ['contact.created'],
      name: 'renamed at the vendor',
      secret: 'x',
      payloadVersion: null,
    });
    const account = await t.sandboxAccount(tenant, 'SUPEROFFICE');
    await (vendor('SUPEROFFICE') as unknown as { removeSecret(a: string, id: string): Promise<boolean> }).removeSecret(account, externalId);
    const eventsBefore = (await findings('drifted')).length;

    const dry = await sync('SUPEROFFICE', { dryRun: true });
    expect(dry.dryRun).toBe(true);
    const reasons = dry.drifted.find((d) => d.webhook.id === w.id)?.reasons ?? [];
    expect(reasons).toEqual(
      expect.arrayContaining([
        'the vendor subscribes to different events',
        'the vendor has another name',
        'the vendor no longer holds the signing secret (deliveries fail with 401)',
      ]),
    );
    expect((await findings('drifted')).length).toBe(eventsBefore);
    expect((await so.getWebhook?.(externalId))?.events).toEqual(['contact.created']);

    const repaired = await sync('SUPEROFFICE', { repair: true });
    expect(repaired.repaired.map((r) => r.id)).toContain(w.id);
    expect(repaired.failed).toEqual([]);
    const again = await sync('SUPEROFFICE', { dryRun: true });
    expect(again.drifted.find((d) => d.webhook.id === w.id)).toBeUndefined();
    expect((await deliver('SUPEROFFICE', 'sale.sold')).find((d) => d.webhookId === w.id)?.status).toBe(200);
    expect((await findings('drifted')).map((f) => f.webhookId)).toContain(w.id);
    expect((await findings('repaired')).map((f) => f.webhookId)).toContain(w.id);
  });

  it('sees a Booqable endpoint re-pointed to another URL and a changed payload version as drift', async () => {
    const w = await create('BOOQABLE', ['customer.created'], '4');
    const bq = await connector('BOOQABLE');
    const url = w.deliveryUrl.replace(/[A-Za-z0-9_-]{8}$/, 'ZZZZZZZZ');
    await bq.updateWebhook(w.externalIds, { url, events: ['customer.created'], name: w.name, secret: 'x', payloadVersion: '1' });
    const reasons = (await sync('BOOQABLE', { dryRun: true })).drifted.find((d) => d.webhook.id === w.id)?.reasons ?? [];
    expect(reasons).toContain('the vendor delivers to another URL');
    expect(reasons).toContain('the vendor sends another payload version than 4');
    const repaired = await sync('BOOQABLE', { repair: true });
    expect(repaired.repaired.map((r) => r.id)).toContain(w.id);
    expect((await deliver('BOOQABLE', 'customer.created')).find((d) => d.webhookId === w.id)?.status).toBe(200);
  });

  it('re-registers a vanished webhook on repair instead of deleting it', async () => {
    const w = await create('ROOTFI', ['SYNC_COMPLETED']);
    await (await connector('ROOTFI')).deleteWebhook(w.externalIds);
    const report = await sync('ROOTFI', { repair: true });
    expect(report.repaired.map((r) => r.id)).toContain(w.id);
    expect(report.deleted.map((d) => d.id)).not.toContain(w.id);
    expect((await deliver('ROOTFI', 'SYNC_COMPLETED')).find((d) => d.webhookId === w.id)?.status).toBe(200);
  });

  it('keeps a create whose answer was lost: adopted from the vendor list at once, or PENDING until reconciliation', async () => {
    // Applied, then answered 500: the vendor's list shows it, so the create succeeds.
    vendor('ROOTFI').injectFault({ method: 'POST', status: 500, afterApply: true });
    const applied = await create('ROOTFI', ['INVOICES:CREATE']);
    expect(applied.status).toBe('ACTIVE');
    expect(applied.externalIds.length).toBeGreaterThan(0);
    // Refused before applying: an error, and no row.
    vendor('ROOTFI').injectFault({ method: 'POST', status: 500 });
    const refused = await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider: 'ROOTFI', events: ['INVOICES:UPDATE'] } });
    expect(refused.createWebhook.__typename).toBe('ProviderError');
    // Applied, no answer, and the list unreadable too: PENDING, deliveries accepted, finished by reconciliation.
    vendor('ROOTFI').injectFault({ method: 'POST', afterApply: true, drop: true });
    // The confirming list: its first try and two retries (providers/http.ts) all fail.
    vendor('ROOTFI').injectFault({ method: 'GET', status: 500, count: 3 });
    const pending = await create('ROOTFI', ['INVOICES:DELETE']);
    expect(pending.status).toBe('PENDING');
    expect((await deliver('ROOTFI', 'INVOICES:DELETE')).find((d) => d.webhookId === pending.id)?.status).toBe(200);
    const report = await sync('ROOTFI');
    expect(report.adopted.map((a) => a.id)).toContain(pending.id);
    expect((await stored(pending.id))?.pending).toBeNull();
  });

  it("answers a delete whose answer was lost by the vendor's list: done when nothing of it is left, owed when something is", async () => {
    const DELETE = 'mutation ($id: ID!) { deleteWebhook(id: $id) { __typename } }';
    const applied = await create('ROOTFI', ['INVOICES:CREATE']);
    vendor('ROOTFI').injectFault({ method: 'DELETE', afterApply: true, rawBody: '<html>garbage' });
    expect((await gql<{ deleteWebhook: { __typename: string } }>(t.url, tenant.key, DELETE, { id: applied.id })).body.data).toEqual({
      deleteWebhook: { __typename: 'DeleteWebhookSuccess' },
    });
    expect((await stored(applied.id))?.pending).toBeNull();
    // Refused before it was applied (every retry): an error, and the webhook owes the vendor its delete.
    const refused = await create('ROOTFI', ['INVOICES:UPDATE']);
    vendor('ROOTFI').injectFault({ method: 'DELETE', status: 500, count: 3 });
    expect((await gql<{ deleteWebhook: { __typename: string } }>(t.url, tenant.key, DELETE, { id: refused.id })).body.data).toEqual({
      deleteWebhook: { __typename: 'ProviderError' },
    });
    expect((await stored(refused.id))?.pending).toBe('delete');
    await sync('ROOTFI');
    expect((await stored(refused.id))?.pending).toBeNull();
    const remote = await (await connector('ROOTFI')).listWebhooks();
    expect(remote.filter((r) => refused.externalIds.includes(r.externalId))).toEqual([]);
  });

  // Last: the vendor fails every SuperOffice hook of the account.
  it("takes SuperOffice's own state events as the webhook's status and a vendor failure in its health", async () => {
    const w = await create('SUPEROFFICE', ['contact.created']);
    // The vendor turns its hooks TooManyErrors itself, and sends each its own state event (the sandbox's `state` shape).
    const account = await t.sandboxAccount(tenant, 'SUPEROFFICE');
    const sent = await vendor('SUPEROFFICE').trigger('webhook.errors', { account, shape: 'state' });
    expect(sent.length).toBeGreaterThan(0);
    expect((await findings('failing')).map((f) => f.webhookId)).toContain(w.id);
    await expect.poll(async () => (await stored(w.id))?.status).toBe('FAILING');
    const health = await gql<{ webhook: { health: { vendorFailures: number; lastVendorError: string } } }>(
      t.url,
      tenant.key,
      'query ($id: ID!) { webhook(id: $id) { health { vendorFailures lastVendorError } } }',
      { id: w.id },
    );
    expect(health.body.data?.webhook.health).toEqual({
      vendorFailures: 1,
      lastVendorError: 'the vendor reports the webhook failing (too many delivery errors)',
    });
  });

  it('reconciles the newest webhook of a tenant with more than 10,000 rows (deleted ones included): its drift, not an unmanaged hook', async () => {
    const other = await t.tenant('reconcile-many');
    await t.connectSandbox(other, 'ROOTFI');
    // 10,050 deleted webhooks first (the store's rows only: nothing at the vendor), then one real one, the newest.
    const rows = t.app.services.store.webhooks;
    const started = performance.now();
    for (let i = 0; i < 10_050; i++) {
      const id = crypto.randomUUID();
      await rows.insert(
        { id, tenantId: other.id, provider: 'ROOTFI', name: `old ${i}`, events: ['SYNC_COMPLETED'], payloadVersion: null },
        'DELETED',
      );
      await rows.update(other.id, id, { deleted: true });
      // An in-memory store answers without a turn of the event loop: let the gateway's sockets and timers run.
      if (i % 200 === 0) await new Promise((turn) => setImmediate(turn));
    }
    console.log(`[reconcile.test] 10,050 deleted rows in ${Math.round(performance.now() - started)} ms`);
    const { createWebhook } = await gqlData(t.url, other.key, CreateWebhookDocument, {
      input: { provider: 'ROOTFI', events: ['CONNECTION_CHANGED'] },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
    const w = createWebhook.data;
    // Re-pointed at the vendor: drift on this webhook, not an unmanaged hook nobody owns.
    const rf = await t.app.services.connections.connector(other.id, 'ROOTFI');
    const url = w.deliveryUrl.replace(/[A-Za-z0-9_-]{8}$/, 'ZZZZZZZZ');
    await rf.updateWebhook(w.externalIds, { url, events: ['CONNECTION_CHANGED'], name: w.name, secret: 'x', payloadVersion: null });
    const { syncWebhooks } = await gqlData(t.url, other.key, SyncWebhooksDocument, { provider: 'ROOTFI', dryRun: true });
    if (syncWebhooks.__typename !== 'SyncWebhooksSuccess') throw new Error(syncWebhooks.__typename);
    const report = syncWebhooks.data[0];
    expect(report?.drifted.map((d) => d.webhook.id)).toEqual([w.id]);
    expect(report?.unmanaged).toEqual([]);
    expect(report?.deleted).toEqual([]);
  }, 120_000);
});
