import { encodeGlobalID } from '@pothos/plugin-relay';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql } from '../utils/graphql.js';

const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { __typename
  ... on CreateWebhookSuccess { data { id deliveryUrl externalIds status payloadVersion options { environment } } }
  ... on ValidationError { field message } ... on Error { message } } }`;
const TRIGGER = `mutation ($eventType: String!) { triggerSandboxEvent(provider: PAYBOOK, eventType: $eventType) { __typename
  ... on TriggerSandboxEventSuccess { data { status webhookId } } ... on Error { message } } }`;
const EVENTS = `query ($webhookId: ID!) { events(first: 20, filter: { webhookIds: [$webhookId] }) { edges { node { type providerEventType } } } }`;
const SYNC = `mutation ($dryRun: Boolean, $repair: Boolean) { syncWebhooks(provider: PAYBOOK, dryRun: $dryRun, repair: $repair) { __typename
  ... on SyncWebhooksSuccess { data { drifted { reasons webhook { id } } repaired: adopted { id } deleted { id } } } ... on Error { message } } }`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id, graceSeconds: 60) { __typename
  ... on RotateWebhookSecretSuccess { data { deliveryUrl externalIds } } ... on Error { message } } }`;
const DELETE = `mutation ($id: ID!) { deleteWebhook(id: $id) { __typename ... on Error { message } } }`;

interface Created {
  id: string;
  deliveryUrl: string;
  externalIds: string[];
  status: string;
  payloadVersion: string | null;
  options: { environment: string | null } | null;
}

describe('Paybook V3 subscriptions (payloadVersion "3") end to end against the sandbox', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let v3: Created;
  let v1: Created;
  const vendor = () => {
    const v = t.app.services.sandbox?.vendors.PAYBOOK;
    if (!v) throw new Error('the test app serves the sandbox vendors');
    return v;
  };

  async function create(input: Record<string, unknown>) {
    const res = await gql<{ createWebhook: { __typename: string; data?: Created; field?: string; message?: string } }>(
      t.url,
      tenant.key,
      CREATE,
      { input: { provider: 'PAYBOOK', ...input } },
    );
    return res.body.data?.createWebhook;
  }

  /** POSTs `body` to a delivery URL, with `headers`; the status. */
  async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    await res.body.dump();
    return res.statusCode;
  }

  const v3Envelope = (eid: string) => ({
    rid: 'r',
    events: [
      { header: { event: { name: 'credentials.created', at: '2026-11-30 10:00:00.000000+0000', eid } }, payload: { id_credential: 'c1' } },
    ],
  });

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant('paybook-v3');
    await t.connectSandbox(tenant, 'PAYBOOK');
    const created = await create({
      events: ['credentials.created'],
      name: 'v3 hook',
      payloadVersion: '3',
      options: { environment: 'SANDBOX' },
    });
    expect(created?.__typename).toBe('CreateWebhookSuccess');
    v3 = created?.data as Created;
    const plain = await create({ events: ['credential_create'], name: 'v1 hook' });
    v1 = plain?.data as Created;
  });

  it('creates a V3 subscription at the vendor, ACTIVE, with its environment', () => {
    expect(v3).toMatchObject({ status: 'ACTIVE', payloadVersion: '3', options: { environment: 'SANDBOX' } });
    expect(v3.externalIds).toEqual([expect.stringMatching(/^v3:[0-9a-f]{24}$/)]);
    const post = vendor().requests.find((r) => r.method === 'POST' && r.path === '/v1/webhooks/subscriptions');
    expect(post?.body).toMatchObject({ url: v3.deliveryUrl, id_environment: '574894bf7848066d138b4570', description: 'v3 hook' });
  });

  it('refuses V1 names for a V3 webhook and V3 names for a V1 one, naming the field', async () => {
    expect(await create({ events: ['credential_create'], payloadVersion: '3' })).toMatchObject({
      __typename: 'ValidationError',
      field: 'events',
    });
    expect(await create({ events: ['credentials.created'] })).toMatchObject({ __typename: 'ValidationError', field: 'events' });
    expect(await create({ events: ['credentials.created'], payloadVersion: '3', options: { environment: 'x'.repeat(33) } })).toMatchObject({
      __typename: 'ValidationError',
      field: 'options.environment',
    });
    expect(await create({ events: ['credentials.created'], payloadVersion: '3', options: { environment: 'staging' } })).toMatchObject({
      __typename: 'ValidationError',
      field: 'environment',
    });
  });

  it('stores a sandbox event delivered to the subscription as a V3 envelope, and the V1 hook gets its own', async () => {
    const res = await gql<{ triggerSandboxEvent: { data: Array<{ status: number; webhookId: string }> } }>(t.url, tenant.key, TRIGGER, {
      eventType: 'credentials.created',
    });
    const deliveries = res.body.data?.triggerSandboxEvent.data ?? [];
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    expect(new Set(deliveries.map((d) => d.webhookId))).toEqual(new Set([v1.id, v3.id]));
    const events = await gql<{ events: { edges: Array<{ node: { type: string; providerEventType: string } }> } }>(
      t.url,
      tenant.key,
      EVENTS,
      {
        webhookId: v3.id,
      },
    );
    expect(events.body.data?.events.edges.map((e) => e.node)).toEqual([
      { type: 'credential.created', providerEventType: 'credentials.created' },
    ]);
  });

  it('authenticates V3 deliveries by the URL token alone; V1 deliveries still need the secret header', async () => {
    expect(await post(v3.deliveryUrl, v3Envelope('e-1'))).toBe(200);
    const wrongToken = v3.deliveryUrl.replace(/[A-Za-z0-9_-]{4}$/, 'AAAA');
    expect(await post(wrongToken, v3Envelope('e-2'))).toBe(401);
    expect(await post(v1.deliveryUrl, { event: 'credential_create', id_credential: 'c2' })).toBe(401);
  });

  it('reconciles a subscription re-pointed at the vendor: drift reported, repaired by a PUT', async () => {
    const id = v3.externalIds[0]?.slice(3) ?? '';
    const connector = await t.app.services.connections.connector(tenant.id, 'PAYBOOK');
    await connector.updateWebhook([`v3:${id}`], {
      url: `${v3.deliveryUrl}x`,
      events: ['credentials.created'],
      name: 'v3 hook',
      secret: 's',
      payloadVersion: '3',
      options: { environment: 'SANDBOX' },
    });
    const dry = await gql<{ syncWebhooks: { data: Array<{ drifted: Array<{ reasons: string[]; webhook: { id: string } }> }> } }>(
      t.url,
      tenant.key,
      SYNC,
      { dryRun: true },
    );
    const drift = dry.body.data?.syncWebhooks.data[0]?.drifted.find((d) => d.webhook.id === v3.id);
    expect(drift?.reasons.join(' ')).toMatch(/url/i);
    await gql(t.url, tenant.key, SYNC, { repair: true });
    const remote = (await connector.listWebhooks()).find((h) => h.externalId === `v3:${id}`);
    expect(remote?.url).toBe(v3.deliveryUrl);
    expect(vendor().requests.filter((r) => r.method === 'PUT' && r.path === `/v1/webhooks/subscriptions/${id}`)).toHaveLength(2);
  });

  it('rotates: the subscription gets the new URL in place, the old one is accepted in the grace', async () => {
    const res = await gql<{ rotateWebhookSecret: { __typename: string; data: { deliveryUrl: string; externalIds: string[] } } }>(
      t.url,
      tenant.key,
      ROTATE,
      { id: v3.id },
    );
    const rotated = res.body.data?.rotateWebhookSecret;
    expect(rotated?.__typename).toBe('RotateWebhookSecretSuccess');
    expect(rotated?.data.externalIds).toEqual(v3.externalIds);
    const connector = await t.app.services.connections.connector(tenant.id, 'PAYBOOK');
    expect((await connector.listWebhooks()).find((h) => h.externalId === v3.externalIds[0])?.url).toBe(rotated?.data.deliveryUrl);
    expect(await post(rotated?.data.deliveryUrl ?? '', v3Envelope('e-3'))).toBe(200);
    expect(await post(v3.deliveryUrl, v3Envelope('e-4'))).toBe(200);
  });

  it.each([
    ['applied, answer lost', { afterApply: true, drop: true }],
    ['applied, answered 500', { status: 500, afterApply: true }],
    ['applied, answered garbage', { afterApply: true, rawBody: '<html>garbage' }],
  ] as const)('a create %s ends, after one reconciliation, as one live webhook and one subscription', async (_name, fault) => {
    const before = (await (await t.app.services.connections.connector(tenant.id, 'PAYBOOK')).listWebhooks()).length;
    vendor().injectFault({ method: 'POST', ...fault });
    const created = await create({ events: ['documents.completed'], payloadVersion: '3' });
    expect(['CreateWebhookSuccess', 'ProviderError']).toContain(created?.__typename);
    await gql(t.url, tenant.key, SYNC, {});
    const connector = await t.app.services.connections.connector(tenant.id, 'PAYBOOK');
    const remote = await connector.listWebhooks();
    expect(remote).toHaveLength(before + 1);
    const sub = remote.find((h) => h.events.includes('documents.completed'));
    const stored = await t.app.services.store.webhooks.list(tenant.id, { provider: 'PAYBOOK', limit: 100 });
    const owner = stored.find((w) => w.externalIds.includes(sub?.externalId ?? '-'));
    expect(owner?.status).toBe('ACTIVE');
    expect(sub?.url).toContain(owner?.id);
    // No other live row claims it, nor is left PENDING without a registration.
    expect(stored.filter((w) => w.status === 'PENDING')).toEqual([]);
    const removed = await gql<{ deleteWebhook: { __typename: string } }>(t.url, tenant.key, DELETE, {
      id: encodeGlobalID('Webhook', owner?.id ?? ''),
    });
    expect(removed.body.data?.deleteWebhook.__typename).toBe('DeleteWebhookSuccess');
  });

  it('deletes the subscription at the vendor', async () => {
    const res = await gql<{ deleteWebhook: { __typename: string } }>(t.url, tenant.key, DELETE, { id: v3.id });
    expect(res.body.data?.deleteWebhook.__typename).toBe('DeleteWebhookSuccess');
    const connector = await t.app.services.connections.connector(tenant.id, 'PAYBOOK');
    expect((await connector.listWebhooks()).map((h) => h.externalId)).toEqual(v1.externalIds);
  });
});
