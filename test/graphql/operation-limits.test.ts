import { getIntrospectionQuery, print } from 'graphql';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  EventDocument,
  EventsDocument,
  NodeByIdDocument,
  ProviderDocument,
  ProvidersDocument,
  SyncWebhooksDocument,
  WebhookDocument,
  WebhooksDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { newEvent } from '../utils/events.js';
import { gql, type GraphQLResponse, subscribeSse } from '../utils/graphql.js';

/** The refusal a limit gives: HTTP 400, errors with `code`, and no `data` at all. */
function expectRefused(res: GraphQLResponse<unknown>, code: string) {
  expect(res.status).toBe(400);
  expect(res.body).not.toHaveProperty('data');
  expect(res.body.errors?.map((e) => e.extensions?.['code'])).toContain(code);
}

/** Errors from a limit: each names its config.limits field. */
function limitErrors(res: GraphQLResponse<unknown>) {
  return (res.body.errors ?? []).filter((e) => e.extensions?.['limit'] !== undefined);
}

describe('GraphQL operation limits, with their defaults', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    await t.connectSandbox(tenant, 'SUPEROFFICE');
  });

  it("let the README's operations, the tests' documents and GraphiQL's introspection through", async () => {
    await t.app.services.store.events.append(Array.from({ length: 20 }, () => newEvent(tenant.id, { payload: { n: 1 } })));
    const readme = `mutation {
      createWebhook(input: { provider: SUPEROFFICE, events: ["contact.created", "contact.changed"] }) {
        __typename
        ... on CreateWebhookSuccess { data { id deliveryUrl status externalIds } }
        ... on Error { message }
      }
    }`;
    const fakeId = 'V2ViaG9vazowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA=';
    const operations: Array<[string, unknown, Record<string, unknown>?]> = [
      ['README createWebhook', readme],
      [
        'introspection',
        getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, schemaDescription: true }),
      ],
      ['GraphiQL default', '{ providers { key name } }'],
      ['Providers', ProvidersDocument],
      ['Provider', ProviderDocument, { key: 'DESKERA' }],
      ['NodeById', NodeByIdDocument, { id: fakeId }],
      // The largest pages the connections give, with every field the documents select.
      ['Events', EventsDocument, { first: 500 }],
      ['Events backwards', EventsDocument, { last: 500 }],
      ['Event', EventDocument, { id: fakeId }],
      ['Webhooks', WebhooksDocument, { first: 100 }],
      ['Webhook', WebhookDocument, { id: fakeId }],
      ['CreateWebhook', CreateWebhookDocument, { input: { provider: 'SUPEROFFICE', events: ['person.created'] } }],
      ['DeleteWebhook', DeleteWebhookDocument, { id: fakeId }],
      ['SyncWebhooks', SyncWebhooksDocument, { provider: 'SUPEROFFICE' }],
    ];
    for (const [name, doc, variables] of operations) {
      const res = await gql(t.url, tenant.key, typeof doc === 'string' ? doc : print(doc as never), variables);
      expect(limitErrors(res), name).toEqual([]);
      expect(res.status, name).toBe(200);
    }
    const readmeSubscription = `subscription {
      events(filter: { types: ["contact.*"] }) { cursor type providerEventType resource { type id } payload }
    }`;
    const sse = subscribeSse(t.url, tenant.key, readmeSubscription);
    expect(await sse.ready).toBe(200);
    sse.stop();
  });

  it('refuses 3,000 aliases of the provider catalogues at once, before execution, while /health keeps answering', async () => {
    const bomb = `{ ${Array.from({ length: 3_000 }, (_, i) => `a${i}: providers { eventTypes { name unifiedType description } }`).join(' ')} }`;
    const started = performance.now();
    const bombs = Array.from({ length: 10 }, () => gql(t.url, tenant.key, bomb));
    const health = await request(`${t.url}/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    for (const res of await Promise.all(bombs)) {
      expectRefused(res, 'BAD_USER_INPUT');
      expect(res.body.errors?.[0]?.message).toMatch(/Token limit of 2000 exceeded.*HOOKGRAPH_GRAPHQL_MAX_TOKENS/);
    }
    // Ten 180 KB documents, each refused at its 2,001st token: nothing close to executing them.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses more aliases than the limit even when the document is short', async () => {
    const res = await gql(t.url, tenant.key, `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: providers { key }`).join(' ')} }`);
    expectRefused(res, 'BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toBe('Operation refused: Aliases limit of 30 exceeded, found 31 (HOOKGRAPH_GRAPHQL_MAX_ALIASES)');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'graphqlMaxAliases' });
  });

  it('refuses six pages of 100 payloads by cost, before reading any', async () => {
    const doc = `{ ${Array.from({ length: 6 }, (_, i) => `p${i}: events(first: 100) { edges { node { payload } } }`).join(' ')} }`;
    const res = await gql(t.url, tenant.key, doc);
    expectRefused(res, 'COST_LIMIT');
    expect(res.body.errors?.[0]?.message).toMatch(/its cost is 5406, the limit is 5000 \(HOOKGRAPH_GRAPHQL_MAX_COST\)/);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ cost: 5406, maxCost: 5000 });
  });

  it('counts list sizes from variables, for every request anew', async () => {
    const doc =
      'query($n: Int) { a: events(first: $n) { edges { node { payload } } } b: events(first: $n) { edges { node { payload } } } }';
    expect((await gql(t.url, tenant.key, doc, { n: 10 })).status).toBe(200);
    expectRefused(await gql(t.url, tenant.key, doc, { n: 400 }), 'COST_LIMIT');
    expect((await gql(t.url, tenant.key, doc, { n: 10 })).status).toBe(200);
  });

  it('refuses a selection 500 levels deep', async () => {
    const deep = `{ providers { connection { ${'x { '.repeat(497)}y${' }'.repeat(497)} } } }`;
    const res = await gql(t.url, tenant.key, deep);
    expect(res.status).toBe(400);
    expect(res.body).not.toHaveProperty('data');
    const depth = res.body.errors?.find((e) => e.extensions?.['limit'] === 'graphqlMaxDepth');
    expect(depth?.message).toBe('Operation refused: Query depth limit of 12 exceeded, found 500 (HOOKGRAPH_GRAPHQL_MAX_DEPTH)');
  });

  it('stops reading a 200 KB document of tokens at the token limit', async () => {
    const doc = `{ providers { ${'key '.repeat(50_000)}} }`;
    expect(doc.length).toBeGreaterThan(200_000);
    const started = performance.now();
    const res = await gql(t.url, tenant.key, doc);
    expectRefused(res, 'BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'graphqlMaxTokens' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('graphql-ws messages', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });

  it('closes a socket that sends a message larger than the largest body the gateway reads, and serves the next', async () => {
    const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tenant.key}`, pad: 'p'.repeat(2 * 1024 * 1024) } }),
    );
    expect(await closed).toBe(1009);
    const res = await gql(t.url, tenant.key, '{ providers { key } }');
    expect(res.status).toBe(200);
  });
});

describe('the response-size ceiling', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });

  it('stops reading stored payloads past 16 MiB in one operation, with an error per payload left out', async () => {
    const blob = 'x'.repeat(500_000);
    for (let i = 0; i < 40; i++) await t.app.services.store.events.append([newEvent(tenant.id, { payload: { i, blob } })]);
    const res = await request(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${tenant.key}` },
      body: JSON.stringify({ query: '{ events(first: 40) { edges { node { id payload } } } }' }),
    });
    const text = await res.body.text();
    // 33 payloads of 500,017 bytes fit in 16 MiB; the other 7 are not added to the answer.
    expect(text.length).toBeLessThan(17 * 1024 * 1024);
    const body = JSON.parse(text) as {
      data: { events: { edges: Array<{ node: { payload: unknown } }> } };
      errors: Array<{ message: string; extensions: Record<string, unknown>; path: unknown[] }>;
    };
    expect(body.data.events.edges.filter((e) => e.node.payload !== null)).toHaveLength(33);
    expect(body.errors).toHaveLength(7);
    for (const e of body.errors) {
      expect(e.extensions).toEqual({ code: 'RESPONSE_TOO_LARGE', limit: 'graphqlMaxResponseBytes', maxBytes: 16 * 1024 * 1024 });
      expect(e.message).toMatch(/^response too large: this operation read more than 16777216 bytes of stored payloads/);
    }
  });
});
