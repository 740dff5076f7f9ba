import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import { MAX_LIVE_WEBHOOKS_PER_TENANT } from '../../src/manage/webhooks.js';
import {
  ConnectProviderDocument,
  CreateWebhookDocument,
  DeleteWebhookDocument,
  DisconnectProviderDocument,
  EventsDocument,
  NodeByIdDocument,
  SendTestEventDocument,
  SyncWebhooksDocument,
  UpdateWebhookDocument,
  WebhookDocument,
  WebhooksDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql, gqlData } from '../utils/graphql.js';

/** Two catalogue events per provider, and a third to update to. */
const EVENTS: Record<ProviderKey, [string, string, string]> = {
  DESKERA: ['CREATE_INVOICE', 'UPDATE_INVOICE', 'CREATE_CONTACT'],
  BOOQABLE: ['invoice.created', 'invoice.finalized', 'customer.created'],
  PAYBOOK: ['credential_create', 'credential_update', 'refresh'],
  ROOTFI: ['INVOICES:CREATE', 'INVOICES:UPDATE', 'SYNC_COMPLETED'],
  SUPEROFFICE: ['contact.created', 'contact.changed', 'sale.sold'],
};
const PROVIDERS = Object.keys(EVENTS) as ProviderKey[];

describe('webhook management through GraphQL against the sandbox vendors', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const responses: string[] = [];
  const record = <T>(r: T) => {
    responses.push(JSON.stringify(r));
    return r;
  };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant('webhooks');
    for (const p of PROVIDERS) await t.connectSandbox(tenant, p);
  });

  const vendorRequests = (p: ProviderKey) => t.app.services.sandbox?.vendors[p].requests ?? [];

  describe.each(PROVIDERS)('%s', (provider) => {
    let id = '';
    const [e1, e2, e3] = EVENTS[provider];

    it('creates a webhook at the vendor with its own token-bearing deliveryUrl', async () => {
      const { createWebhook } = record(
        await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider, events: [e1, e2], name: `${provider} hook` } }),
      );
      expect(createWebhook.__typename).toBe('CreateWebhookSuccess');
      if (createWebhook.__typename !== 'CreateWebhookSuccess') return;
      const w = createWebhook.data;
      id = w.id;
      expect(w.events).toEqual([e1, e2]);
      expect(w.deliveryUrl).toMatch(new RegExp(`^${t.url}/hooks/[0-9a-f-]{36}/[A-Za-z0-9_-]{24,}$`));
      expect(w.externalIds.length).toBe(provider === 'DESKERA' ? 2 : w.externalIds.length);
      expect(w.externalIds.length).toBeGreaterThan(0);
      expect(w.status).toBe('ACTIVE');
      expect(w.unifiedTypes.length).toBeGreaterThan(0);
      const remote = await (await t.app.services.connections.connector(tenant.id, provider)).listWebhooks();
      // Deskera's hooks each carry a tag after the deliveryUrl (the event code: its bodies may not name their event).
      for (const x of w.externalIds)
        expect(remote.find((r) => r.externalId === x)?.url).toMatch(new RegExp(`^${w.deliveryUrl}(/[A-Z_]+)?$`));
    });

    it('lists it and resolves it by id and as a node', async () => {
      const { webhooks } = await gqlData(t.url, tenant.key, WebhooksDocument, { provider, first: 10 });
      expect(webhooks.edges.map((e) => e.node.id)).toContain(id);
      const { webhook } = await gqlData(t.url, tenant.key, WebhookDocument, { id });
      expect(webhook?.provider.key).toBe(provider);
      const { node } = await gqlData(t.url, tenant.key, NodeByIdDocument, { id });
      expect(node?.__typename).toBe('Webhook');
    });

    it('updates its events at the vendor (in place, or delete and recreate where the vendor cannot)', async () => {
      const { updateWebhook } = record(
        await gqlData(t.url, tenant.key, UpdateWebhookDocument, { input: { id, events: [e1, e3], name: 'renamed' } }),
      );
      expect(updateWebhook.__typename).toBe('UpdateWebhookSuccess');
      if (updateWebhook.__typename !== 'UpdateWebhookSuccess') return;
      expect(updateWebhook.data.events).toEqual([e1, e3]);
      expect(updateWebhook.data.name).toBe('renamed');
      const remote = await (await t.app.services.connections.connector(tenant.id, provider)).listWebhooks();
      const mine = remote.filter((r) => updateWebhook.data.externalIds.includes(r.externalId));
      expect(new Set(mine.flatMap((r) => r.events))).toEqual(new Set([e1, e3]));
    });

    it('deletes it at the vendor and marks it DELETED', async () => {
      const before = (await gqlData(t.url, tenant.key, WebhookDocument, { id })).webhook?.externalIds ?? [];
      const { deleteWebhook } = record(await gqlData(t.url, tenant.key, DeleteWebhookDocument, { id }));
      expect(deleteWebhook.__typename).toBe('DeleteWebhookSuccess');
      if (deleteWebhook.__typename === 'DeleteWebhookSuccess') expect(deleteWebhook.data.status).toBe('DELETED');
      const remote = await (await t.app.services.connections.connector(tenant.id, provider)).listWebhooks();
      for (const x of before) expect(remote.some((r) => r.externalId === x && r.status !== 'DELETED')).toBe(false);
      const { webhooks } = await gqlData(t.url, tenant.key, WebhooksDocument, { provider, first: 10 });
      expect(webhooks.edges.map((e) => e.node.id)).not.toContain(id);
    });
  });

  it('refuses an event name outside the catalogue with a ValidationError', async () => {
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'BOOQABLE', events: ['invoice.exploded'] },
    });
    expect(createWebhook).toMatchObject({ __typename: 'ValidationError', field: 'events' });
    expect(createWebhook.__typename === 'ValidationError' && createWebhook.message).toContain('invoice.exploded');
  });

  it('answers NotConnectedError for a provider the tenant has not connected', async () => {
    const other = await t.tenant();
    const { createWebhook } = await gqlData(t.url, other.key, CreateWebhookDocument, {
      input: { provider: 'PAYBOOK', events: ['refresh'] },
    });
    expect(createWebhook.__typename).toBe('NotConnectedError');
  });

  it('answers NotFoundError for an unknown or foreign webhook, and hides foreign webhooks from queries', async () => {
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'BOOQABLE', events: ['customer.created'] },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
    const stranger = await t.tenant();
    expect((await gqlData(t.url, stranger.key, DeleteWebhookDocument, { id: createWebhook.data.id })).deleteWebhook.__typename).toBe(
      'NotFoundError',
    );
    expect((await gqlData(t.url, stranger.key, WebhookDocument, { id: createWebhook.data.id })).webhook).toBeNull();
    expect((await gqlData(t.url, stranger.key, NodeByIdDocument, { id: createWebhook.data.id })).node).toBeNull();
    expect((await gqlData(t.url, stranger.key, WebhooksDocument, {})).webhooks.edges).toHaveLength(0);
  });

  it('maps a vendor failure to ProviderError without the vendor body, and stores nothing', async () => {
    const vendor = t.app.services.sandbox?.vendors.PAYBOOK;
    vendor?.injectFault({ status: 500, method: 'POST' });
    const before = (await gqlData(t.url, tenant.key, WebhooksDocument, { provider: 'PAYBOOK' })).webhooks.edges.length;
    const { createWebhook } = record(
      await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider: 'PAYBOOK', events: ['refresh'] } }),
    );
    expect(createWebhook).toMatchObject({ __typename: 'ProviderError', status: 500, retryable: true });
    expect(JSON.stringify(createWebhook)).not.toContain('sandbox fault');
    expect((await gqlData(t.url, tenant.key, WebhooksDocument, { provider: 'PAYBOOK' })).webhooks.edges.length).toBe(before);
  });

  it('validates credentials with a real vendor call before storing them', async () => {
    const other = await t.tenant();
    const mount = t.app.services.sandbox?.mountUrl('ROOTFI') ?? '';
    const { connectProvider } = await gqlData(t.url, other.key, ConnectProviderDocument, {
      input: { provider: 'ROOTFI', baseUrl: mount, credentials: { rootfi: { apiKey: 'definitely-wrong' } } },
    });
    expect(connectProvider).toMatchObject({ __typename: 'ProviderError', status: 401 });
    expect(await t.app.services.store.connections.get(other.id, 'ROOTFI')).toBeNull();
  });

  it('connects SuperOffice with a system-user ticket and application token (the @oneOf ticket form)', async () => {
    const other = await t.tenant();
    const sandbox = t.app.services.sandbox;
    if (!sandbox) throw new Error('sandbox off');
    const opened = await sandbox.vendors.SUPEROFFICE.openAccount({ form: 'ticket' });
    const baseUrl = sandbox.mountUrl('SUPEROFFICE') + opened.basePath;
    const ticket = opened.credentials as { ticket: string; appToken: string };
    const { connectProvider } = await gqlData(t.url, other.key, ConnectProviderDocument, {
      input: { provider: 'SUPEROFFICE', baseUrl, credentials: { superoffice: { ticket } } },
    });
    expect(connectProvider.__typename).toBe('ConnectProviderSuccess');
    expect((await t.app.services.store.connections.get(other.id, 'SUPEROFFICE'))?.credentials).toEqual(ticket);
    expect(sandbox.vendors.SUPEROFFICE.requests.at(-1)?.headers['so-apptoken']).toBe(ticket.appToken);
  });

  it('refuses a baseUrl outside the allowlist, a missing per-account baseUrl, and mismatched credentials', async () => {
    const other = await t.tenant();
    const internal = await gqlData(t.url, other.key, ConnectProviderDocument, {
      input: { provider: 'PAYBOOK', baseUrl: 'https://169.254.169.254', credentials: { paybook: { apiKey: 'k' } } },
    });
    expect(internal.connectProvider).toMatchObject({ __typename: 'ValidationError', field: 'baseUrl' });
    const missing = await gqlData(t.url, other.key, ConnectProviderDocument, {
      input: { provider: 'BOOQABLE', credentials: { booqable: { apiKey: 'k' } } },
    });
    expect(missing.connectProvider).toMatchObject({ __typename: 'ValidationError', field: 'baseUrl' });
    const mismatch = await gqlData(t.url, other.key, ConnectProviderDocument, {
      input: { provider: 'PAYBOOK', credentials: { rootfi: { apiKey: 'k' } } },
    });
    expect(mismatch.connectProvider).toMatchObject({ __typename: 'ValidationError', field: 'credentials' });
    const oneOf = await gql(t.url, other.key, ConnectProviderDocument, {
      input: { provider: 'PAYBOOK', credentials: { paybook: { apiKey: 'k' }, rootfi: { apiKey: 'k' } } as never },
    });
    expect(oneOf.body.errors?.[0]?.message).toMatch(/exactly one key/i);
  });

  it('lists each vendor at most once per request when resolving Webhook.status', async () => {
    for (const p of PROVIDERS) {
      await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider: p, events: [EVENTS[p][0]] } });
      await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider: p, events: [EVENTS[p][1]] } });
    }
    const before = Object.fromEntries(PROVIDERS.map((p) => [p, vendorRequests(p).length]));
    const { webhooks } = await gqlData(t.url, tenant.key, WebhooksDocument, { first: 50 });
    expect(webhooks.edges.length).toBeGreaterThanOrEqual(10);
    for (const p of PROVIDERS) {
      // One list: one GET of each collection (Paybook lists V1 hooks and V3 subscriptions), none twice.
      const gets = vendorRequests(p)
        .slice(before[p] ?? 0)
        .filter((r) => r.method === 'GET')
        .map((r) => r.path);
      expect(gets.length, p).toBeGreaterThan(0);
      expect(gets, p).toEqual([...new Set(gets)]);
      expect(gets.length, p).toBe(p === 'PAYBOOK' ? 2 : 1);
    }
  });

  it('reconciles with the vendor: marks vanished hooks DELETED, reports foreign hooks, adopts lost ones', async () => {
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'ROOTFI', events: ['CONNECTION_CHANGED'] },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
    const vanished = createWebhook.data;
    const connector = await t.app.services.connections.connector(tenant.id, 'ROOTFI');
    await connector.deleteWebhook(vanished.externalIds);
    // A hook made at the vendor outside hookgraph (the sandbox accepts only this gateway's /hooks URLs).
    const foreign = await connector.createWebhook({
      url: `${t.url}/hooks/00000000-0000-4000-8000-000000000000/${'f'.repeat(24)}`,
      events: ['SYNC_COMPLETED'],
      name: 'foreign',
      secret: 's',
      payloadVersion: null,
    });

    const second = await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider: 'ROOTFI', events: ['SYNC_COMPLETED'] } });
    if (second.createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error('create failed');
    const lost = second.createWebhook.data;
    const rawId = Buffer.from(lost.id, 'base64').toString().split(':')[1] as string;
    await t.app.services.store.webhooks.update(tenant.id, rawId, { externalIds: [] });

    const sync = async () => {
      const { syncWebhooks } = await gqlData(t.url, tenant.key, SyncWebhooksDocument, { provider: 'ROOTFI' });
      if (syncWebhooks.__typename !== 'SyncWebhooksSuccess') throw new Error(syncWebhooks.__typename);
      return syncWebhooks.data[0];
    };
    // One absence is not evidence (RootFi has no get-one to confirm it): missing, still live, twice; deleted the third time.
    const report = await sync();
    expect(report?.missing.map((w) => w.id)).toContain(vanished.id);
    expect(report?.deleted.map((w) => w.id)).not.toContain(vanished.id);
    expect((await sync())?.missing.map((w) => w.id)).toContain(vanished.id);
    expect((await sync())?.deleted.map((w) => w.id)).toContain(vanished.id);
    expect(report?.unmanaged.map((u) => u.externalId)).toEqual(expect.arrayContaining(foreign.map((f) => f.externalId)));
    const adopted = report?.adopted.find((w) => w.id === lost.id);
    expect(adopted?.externalIds).toEqual(lost.externalIds);
  });

  it('disconnects a provider', async () => {
    const other = await t.tenant();
    await t.connectSandbox(other, 'DESKERA');
    expect((await gqlData(t.url, other.key, DisconnectProviderDocument, { provider: 'DESKERA' })).disconnectProvider.__typename).toBe(
      'DisconnectProviderSuccess',
    );
    expect((await gqlData(t.url, other.key, DisconnectProviderDocument, { provider: 'DESKERA' })).disconnectProvider.__typename).toBe(
      'NotConnectedError',
    );
  });

  it('never shows a credential in any response or log line', async () => {
    const stored = await Promise.all(PROVIDERS.map((p) => t.storedCredentials(tenant, p)));
    const secrets = stored.flatMap((c) => Object.values(c)).filter((s) => s.length >= 8);
    expect(secrets.length).toBeGreaterThan(4);
    const haystack = responses.join('\n') + t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(0);
    for (const s of secrets) expect(haystack, 'credential leaked').not.toContain(s);
  });

  it(`refuses a tenant's webhook past ${MAX_LIVE_WEBHOOKS_PER_TENANT} live ones, and takes one again once one is deleted`, async () => {
    const full = await t.tenant('webhooks-full');
    await t.connectSandbox(full, 'BOOQABLE');
    const rows = t.app.services.store.webhooks;
    // The rows alone (nothing at the vendor): what counts is the tenant's live webhooks, deleted ones not.
    const ids: string[] = [];
    for (let i = 0; i < MAX_LIVE_WEBHOOKS_PER_TENANT; i++) {
      const id = randomUUID();
      ids.push(id);
      await rows.insert(
        { id, tenantId: full.id, provider: 'BOOQABLE', name: `row ${i}`, events: ['invoice.created'], payloadVersion: null },
        'ACTIVE',
      );
      if (i % 200 === 0) await new Promise((turn) => setImmediate(turn));
    }
    const before = vendorRequests('BOOQABLE').length;
    const input = { provider: 'BOOQABLE' as const, events: ['invoice.created'] };
    const { createWebhook } = await gqlData(t.url, full.key, CreateWebhookDocument, { input });
    expect(createWebhook).toMatchObject({
      __typename: 'ValidationError',
      message: `a tenant holds at most ${MAX_LIVE_WEBHOOKS_PER_TENANT} live webhooks: delete one first`,
    });
    expect(vendorRequests('BOOQABLE').length).toBe(before);
    // Another tenant is not held back by this one.
    expect((await gqlData(t.url, tenant.key, CreateWebhookDocument, { input })).createWebhook.__typename).toBe('CreateWebhookSuccess');
    await rows.update(full.id, ids[0] as string, { deleted: true, status: 'DELETED' });
    expect((await gqlData(t.url, full.key, CreateWebhookDocument, { input })).createWebhook.__typename).toBe('CreateWebhookSuccess');
  });
});

describe('vendor state and test deliveries through GraphQL', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    await t.connectSandbox(tenant, 'SUPEROFFICE');
    await t.connectSandbox(tenant, 'DESKERA');
  });

  async function create(provider: ProviderKey, events: string[]) {
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider, events } });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
    return createWebhook.data;
  }

  it('pauses a SuperOffice webhook and reads DISABLED back from the vendor', async () => {
    const w = await create('SUPEROFFICE', ['contact.created']);
    const { updateWebhook } = await gqlData(t.url, tenant.key, UpdateWebhookDocument, { input: { id: w.id, enabled: false } });
    expect(updateWebhook.__typename === 'UpdateWebhookSuccess' && updateWebhook.data.status).toBe('DISABLED');
    expect((await gqlData(t.url, tenant.key, WebhookDocument, { id: w.id })).webhook?.status).toBe('DISABLED');
    await gqlData(t.url, tenant.key, UpdateWebhookDocument, { input: { id: w.id, enabled: true } });
    expect((await gqlData(t.url, tenant.key, WebhookDocument, { id: w.id })).webhook?.status).toBe('ACTIVE');
  });

  it('answers UnsupportedError when pausing a webhook whose vendor has no state', async () => {
    const w = await create('DESKERA', ['CREATE_BILL']);
    const { updateWebhook } = await gqlData(t.url, tenant.key, UpdateWebhookDocument, { input: { id: w.id, enabled: false } });
    expect(updateWebhook.__typename).toBe('UnsupportedError');
  });

  it("sends a test through SuperOffice's Test endpoint, and through the sandbox vendor for the others", async () => {
    for (const [provider, events] of [
      ['SUPEROFFICE', ['sale.sold']],
      ['DESKERA', ['STOCK_OUT']],
    ] as const) {
      const w = await create(provider, [...events]);
      const before = (await gqlData(t.url, tenant.key, EventsDocument, { filter: { webhookIds: [w.id] } })).events.edges.length;
      const { sendTestEvent } = await gqlData(t.url, tenant.key, SendTestEventDocument, { webhookId: w.id });
      expect(sendTestEvent.__typename).toBe('SendTestEventSuccess');
      const after = (await gqlData(t.url, tenant.key, EventsDocument, { filter: { webhookIds: [w.id] } })).events.edges;
      expect(after.length, provider).toBe(before + 1);
    }
  });

  it('shows the vendor status as DELETED when the vendor lost the hook', async () => {
    const w = await create('SUPEROFFICE', ['person.created']);
    await (await t.app.services.connections.connector(tenant.id, 'SUPEROFFICE')).deleteWebhook(w.externalIds);
    expect((await gqlData(t.url, tenant.key, WebhookDocument, { id: w.id })).webhook?.status).toBe('DELETED');
  });
});

describe('Deskera token refresh through the gateway', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    await t.connectSandbox(tenant, 'DESKERA');
  });

  it('refreshes an expired access token once, re-seals it, and the request succeeds', async () => {
    const before = (await t.app.services.store.connections.get(tenant.id, 'DESKERA'))?.credentials as { accessToken: string };
    const vendor = t.app.services.sandbox?.vendors.DESKERA as unknown as { expireAccessToken(account: string): Promise<void> };
    await vendor.expireAccessToken(await t.sandboxAccount(tenant, 'DESKERA'));
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'DESKERA', events: ['CREATE_BILL'] },
    });
    expect(createWebhook.__typename).toBe('CreateWebhookSuccess');
    const after = (await t.app.services.store.connections.get(tenant.id, 'DESKERA'))?.credentials as { accessToken: string };
    expect(after.accessToken).not.toBe(before.accessToken);
    const row = await t.app.services.store.kysely
      .selectFrom('connections')
      .select('credentials')
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    expect(row.credentials).not.toContain(after.accessToken);
  });
});
