import { beforeAll, describe, expect, it } from 'vitest';
import type { AppendedEvent } from '../../src/domain/event.js';
import { CreateWebhookDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { newEvent } from '../utils/events.js';
import { gql, gqlData, subscribeWs, wsClient } from '../utils/graphql.js';

type Line = Record<string, unknown>;

describe('logs', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });
  const lines = (msg: string): Line[] => t.logs.map((l) => JSON.parse(l) as Line).filter((l) => l['msg'] === msg);
  const operation = (name: string) => lines('graphql operation').filter((l) => l['operation'] === name);

  it('writes one JSON line per GraphQL operation: name, type, tenant, transport, duration, error codes; never the document, variables or key', async () => {
    const secret = 'marker-4f1c-in-a-variable';
    const literal = 'marker-9d2e-in-the-document';
    const res = await gql(t.url, tenant.key, `query Lookup($id: ID!) { event(id: $id) { id } node(id: "${literal}") { id } }`, {
      id: secret,
    });
    expect(res.status).toBe(200);

    const [line, ...more] = operation('Lookup');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 30, type: 'query', tenant: tenant.id, transport: 'http', errorCodes: expect.any(Array) });
    expect(line?.['ms']).toEqual(expect.any(Number));
    for (const leak of [secret, literal, tenant.key]) expect(t.logs.join('\n')).not.toContain(leak);
  });

  it('logs refused operations at the phase that refused them: syntax, validation, authentication, cost', async () => {
    await gql(t.url, tenant.key, 'query Broken { providers { key } ');
    await gql(t.url, tenant.key, 'query Typo { provders { key } }');
    await gql(t.url, null, 'query NoKey { providers { key } }');
    const page = 'events(first: 100) { edges { node { payload } } }';
    const costly = await gql(t.url, tenant.key, `query Costly { ${[1, 2, 3, 4, 5, 6].map((i) => `p${i}: ${page}`).join(' ')} }`);
    expect(costly.body.errors?.[0]?.extensions?.['code']).toBe('COST_LIMIT');

    const codes = lines('graphql operation').map((l) => l['errorCodes']);
    expect(codes).toContainEqual(['GRAPHQL_PARSE_FAILED']);
    expect(operation('Typo')).toMatchObject([{ type: 'query', tenant: null, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] }]);
    expect(operation('NoKey')).toMatchObject([{ tenant: null, errorCodes: ['UNAUTHENTICATED'] }]);
    expect(operation('Costly')).toMatchObject([{ tenant: tenant.id, errorCodes: ['COST_LIMIT'] }]);
  });

  it('logs a subscription once, when it ends, with its lifetime and the events it sent', async () => {
    const client = wsClient(t.url, tenant.key);
    const sub = subscribeWs(client, 'subscription Tail { events { id } }');
    await expect.poll(() => t.app.services.bus.listeners(tenant.id)).toBe(1);
    const [appended] = await t.app.services.store.events.append([newEvent(tenant.id)]);
    t.app.services.bus.publish(appended as AppendedEvent);
    await sub.waitFor(1);
    expect(operation('Tail')).toEqual([]);
    sub.stop();
    await expect
      .poll(() => operation('Tail'))
      .toMatchObject([{ type: 'subscription', tenant: tenant.id, transport: 'graphql-ws', events: 1, errorCodes: [] }]);
  });

  it('writes one line per refused delivery with a bounded reason, and never the URL token', async () => {
    await t.connectSandbox(tenant, 'BOOQABLE');
    const { createWebhook: r } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'BOOQABLE', events: ['order.reserved'], payloadVersion: '4' },
    });
    if (r.__typename !== 'CreateWebhookSuccess') throw new Error(r.__typename);
    const forged = 'f'.repeat(40);
    const url = r.data.deliveryUrl.replace(/[^/]+$/, forged);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await fetch(r.data.deliveryUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status).toBe(
      400,
    );

    const [, webhookId, token] = /\/hooks\/([^/]+)\/([^/]+)$/.exec(r.data.deliveryUrl) ?? [];
    const refused = lines('delivery refused').filter((l) => l['webhookId'] === webhookId);
    expect(refused).toMatchObject([
      { level: 30, provider: 'BOOQABLE', status: 401, reason: 'bad_token' },
      { level: 30, provider: 'BOOQABLE', status: 400, reason: 'bad_json' },
    ]);
    for (const leak of [forged, token as string]) expect(t.logs.join('\n')).not.toContain(leak);
  });
});
