import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppendedEvent } from '../../src/domain/event.js';
import { CreateWebhookDocument, type WebhookFieldsFragment } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { newEvent } from '../utils/events.js';
import { gql, gqlData, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';
import { type Scrape, scrape } from './scrape.js';

const WATCH = 'subscription Watch { events { id } }';

async function createWebhook(t: TestApp, tenant: TestTenant): Promise<WebhookFieldsFragment> {
  const { createWebhook: r } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
    input: { provider: 'BOOQABLE', events: ['order.reserved'], payloadVersion: '4' },
  });
  if (r.__typename !== 'CreateWebhookSuccess') throw new Error(r.__typename);
  return r.data;
}

const orderReserved = (id = randomUUID()) =>
  JSON.stringify({ id, created_at: '2026-02-01T10:00:00Z', event: 'order.reserved', resource_type: 'orders', data: { id: 'o-1' } });

describe('GraphQL operations on /metrics', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });
  const metrics = () => scrape(`${t.url}/metrics`);

  it('counts each operation by name, type and outcome, with its duration, over HTTP and graphql-ws alike', async () => {
    const before = await metrics();
    expect((await gql(t.url, tenant.key, 'query Providers { providers { key } }')).status).toBe(200);
    const bad = await gql(t.url, tenant.key, 'query Page($n: Int!) { events(first: $n) { edges { cursor } } }', { n: 'ten' });
    expect(bad.body.errors).toHaveLength(1);
    const client = wsClient(t.url, tenant.key);
    await subscribeWs(client, 'query Providers { providers { key } }').waitFor(1);

    const after = await metrics();
    const delta = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    const ok = { operationName: 'Providers', operationType: 'query', outcome: 'ok' };
    expect(delta('graphql_envelop_request', ok)).toBe(2);
    expect(delta('graphql_envelop_request_duration_count', ok)).toBe(2);
    expect(delta('graphql_envelop_request', { operationName: 'Page', operationType: 'query', outcome: 'error' })).toBe(1);
    expect(delta('graphql_envelop_error_result', { operationName: 'Page', phase: 'execute', code: 'BAD_USER_INPUT' })).toBe(1);
  });

  it('counts refusals by phase and code: a syntax error, an unknown field, a missing key', async () => {
    const before = await metrics();
    await gql(t.url, tenant.key, '{ providers { key } ');
    await gql(t.url, tenant.key, 'query Typo { provders { key } }');
    await gql(t.url, null, 'query NoKey { providers { key } }');
    const after = await metrics();
    const delta = (labels: Record<string, string>) =>
      after.value('graphql_envelop_error_result', labels) - before.value('graphql_envelop_error_result', labels);
    expect(delta({ phase: 'parse', code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(delta({ phase: 'validate', code: 'GRAPHQL_VALIDATION_FAILED', operationName: 'other' })).toBe(1);
    expect(delta({ phase: 'context', code: 'UNAUTHENTICATED', operationName: 'NoKey' })).toBe(1);
  });

  it('never makes a label of a name whose document failed validation or that is too long, and folds names past 200 into "other"', async () => {
    const evil = `Evil${randomUUID().replaceAll('-', '')}`;
    await gql(t.url, tenant.key, `query ${evil} { nope }`);
    // One token however long: a name past 100 characters is "other" too.
    const long = `Long${'g'.repeat(150)}`;
    expect((await gql(t.url, tenant.key, `query ${long} { providers { key } }`)).status).toBe(200);
    // A client inventing a new name per request: the label set stays bounded.
    for (let i = 0; i < 205; i++) expect((await gql(t.url, tenant.key, `query N${i} { providers { key } }`)).status).toBe(200);
    const after = await metrics();
    expect(after.text).not.toContain(evil);
    expect(after.text).not.toContain(long);
    // Every validated operation has a validation sample: its label values are all the names ever admitted.
    const names = [...after.labelValues('graphql_envelop_phase_validate_count', 'operationName')].filter(
      (n) => n !== 'other' && n !== 'anonymous',
    );
    expect(names).toHaveLength(200);
    expect(after.value('graphql_envelop_request', { operationName: 'other' })).toBeGreaterThanOrEqual(5);
  });

  it('shows open subscriptions and sockets per transport while they run, and none once they end', async () => {
    const client = wsClient(t.url, tenant.key);
    const ws = subscribeWs(client, WATCH);
    const sse = subscribeSse(t.url, tenant.key, WATCH);
    expect(await sse.ready).toBe(200);
    const active = (m: Scrape, transport: string) => m.value('hookgraph_subscriptions_active', { transport });
    await expect.poll(async () => active(await metrics(), 'graphql-ws')).toBe(1);
    await expect.poll(async () => active(await metrics(), 'sse')).toBe(1);
    const open = await metrics();
    expect(open.value('hookgraph_open_connections', { transport: 'graphql-ws' })).toBeGreaterThanOrEqual(1);
    expect(open.value('hookgraph_open_connections', { transport: 'http' })).toBeGreaterThanOrEqual(2);

    // One event through both: the subscriptions are live, not just counted.
    const [appended] = await t.app.services.store.events.append([newEvent(tenant.id, { type: 'invoice.created' })]);
    t.app.services.bus.publish(appended as AppendedEvent);
    await ws.waitFor(1);
    await sse.waitFor(1);
    ws.stop();
    sse.stop();
    await expect.poll(async () => active(await metrics(), 'graphql-ws')).toBe(0);
    await expect.poll(async () => active(await metrics(), 'sse')).toBe(0);
  });
});

describe('deliveries on /metrics', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let webhook: WebhookFieldsFragment;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    await t.connectSandbox(tenant, 'BOOQABLE');
    webhook = await createWebhook(t, tenant);
  });
  const metrics = () => scrape(`${t.url}/metrics`);
  const post = (url: string, body: string, contentType = 'application/json') =>
    fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('counts every refusal by provider, status and reason, unknown webhooks (404) included', async () => {
    const before = await metrics();
    const unknownId = webhook.deliveryUrl.replace(/\/hooks\/[^/]+/, `/hooks/${randomUUID()}`);
    expect((await post(unknownId, orderReserved())).status).toBe(404);
    expect((await post(webhook.deliveryUrl.replace(/\/hooks\/.*/, '/hooks/not-a-webhook'), orderReserved())).status).toBe(404);
    expect((await post(webhook.deliveryUrl.replace(/[^/]+$/, 'x'.repeat(32)), orderReserved())).status).toBe(401);
    expect((await post(webhook.deliveryUrl, '{"id": ')).status).toBe(400);
    expect((await post(webhook.deliveryUrl, `${'['.repeat(100)}${']'.repeat(100)}`)).status).toBe(400);
    expect((await post(webhook.deliveryUrl, 'id=1', 'text/plain')).status).toBe(415);
    expect((await fetch(webhook.deliveryUrl)).status).toBe(405);

    const after = await metrics();
    const delta = (provider: string, status: string, reason: string) =>
      after.value('hookgraph_delivery_refusals_total', { provider, status, reason }) -
      before.value('hookgraph_delivery_refusals_total', { provider, status, reason });
    expect(delta('unknown', '404', 'unknown_webhook')).toBe(2);
    expect(delta('BOOQABLE', '401', 'bad_token')).toBe(1);
    expect(delta('BOOQABLE', '400', 'bad_json')).toBe(1);
    expect(delta('BOOQABLE', '400', 'too_deep')).toBe(1);
    expect(delta('BOOQABLE', '415', 'unsupported_type')).toBe(1);
    // The method is checked before the webhook is looked up.
    expect(delta('unknown', '405', 'method')).toBe(1);
    const answered = (provider: string, status: string) =>
      after.value('hookgraph_deliveries_total', { provider, status }) - before.value('hookgraph_deliveries_total', { provider, status });
    expect(answered('unknown', '404')).toBe(2);
    expect(answered('BOOQABLE', '400')).toBe(2);
  });

  it('counts a delivery sent twice as one stored event and one duplicate', async () => {
    const before = await metrics();
    const body = orderReserved();
    expect((await post(webhook.deliveryUrl, body)).status).toBe(200);
    expect((await post(webhook.deliveryUrl, body)).status).toBe(200);
    const after = await metrics();
    const delta = (name: string) => after.value(name, { provider: 'BOOQABLE' }) - before.value(name, { provider: 'BOOQABLE' });
    expect(delta('hookgraph_events_stored_total')).toBe(1);
    expect(delta('hookgraph_duplicate_events_total')).toBe(1);
  });

  it('times vendor calls by provider and status class', async () => {
    const before = await metrics();
    await createWebhook(t, tenant);
    const after = await metrics();
    const labels = { provider: 'BOOQABLE', status_class: '2xx' };
    expect(after.value('hookgraph_vendor_call_seconds_count', labels)).toBeGreaterThan(
      before.value('hookgraph_vendor_call_seconds_count', labels),
    );
  });

  it('reports the running version and Node.js as build info', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await metrics()).value('hookgraph_build_info', { version, node: process.versions.node })).toBe(1);
  });

  it('never labels a series with a webhook id, a tenant id or a token', async () => {
    const { text } = await metrics();
    const [, id, token] = /\/hooks\/([^/]+)\/([^/]+)$/.exec(webhook.deliveryUrl) ?? [];
    for (const secret of [webhook.id, id, token, tenant.id, tenant.key]) expect(text).not.toContain(secret);
  });
});
