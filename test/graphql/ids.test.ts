import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { isInterfaceType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../src/schema/ids.js';
import { schema } from '../../src/schema/index.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql, wsClient } from '../utils/graphql.js';

const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) {
  __typename ... on CreateWebhookSuccess { data { id } } ... on Error { message } } }`;
const TRIGGER = `mutation { triggerSandboxEvent(provider: SUPEROFFICE, eventType: "contact.created") {
  __typename ... on TriggerSandboxEventSuccess { data { webhookId status } } ... on Error { message } } }`;
const WEBHOOK = 'query ($id: ID!) { webhook(id: $id) { id name } }';
const EVENT = 'query ($id: ID!) { event(id: $id) { id } }';
const NODE = 'query ($id: ID!) { node(id: $id) { id } }';
const NODES = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';
const EVENTS =
  'query ($filter: EventFilter, $after: String, $before: String, $last: Int) { events(filter: $filter, after: $after, before: $before, last: $last) { edges { node { id webhook { id } } } } }';
const SUBSCRIBE = 'subscription ($filter: EventFilter, $after: String) { events(filter: $filter, after: $after) { id } }';

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }>;

/** A type's global id with any raw id, as a client could forge one. */
const forge = (typename: string, id = '1') => encodeGlobalID(typename, id);
/** The raw id inside a global id: what hookgraph's tables and delivery URLs hold. */
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1] as string;

describe('global ids and cursors from clients', () => {
  let t: TestApp;
  let acme: TestTenant;
  let webhookId: string;
  let eventId: string;
  let rawWebhookId: string;

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.tenant('acme');
    await t.connectSandbox(acme, 'SUPEROFFICE');
    const created = await gql<{ createWebhook: { __typename: string; data?: { id: string } } }>(t.url, acme.key, CREATE, {
      input: { provider: 'SUPEROFFICE', events: ['contact.created'], name: 'ids' },
    });
    webhookId = created.body.data?.createWebhook.data?.id as string;
    expect(webhookId).toBeTruthy();
    rawWebhookId = rawId(webhookId);
    const events = await gql<{ events: { edges: Array<{ node: { id: string } }> } }>(t.url, acme.key, EVENTS, {});
    eventId = events.body.data?.events.edges[0]?.node.id as string;
    expect(eventId).toBeTruthy();
  });

  /** The one error of a query refused as a client's mistake: HTTP 200, no data, BAD_USER_INPUT naming `field`. */
  const expectBadInput = (res: { status: number; body: { data?: unknown; errors?: Errors } }, field: string) => {
    expect(res.status).toBe(200);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
  };

  it("gives SandboxDelivery.webhookId as the Webhook's global id, which webhook(id:) and filter.webhookIds take", async () => {
    const res = await gql<{ triggerSandboxEvent: { data: Array<{ webhookId: string; status: number }> } }>(t.url, acme.key, TRIGGER);
    expect(res.body.data?.triggerSandboxEvent.data).toEqual([{ webhookId, status: 200 }]);
    const [delivery] = res.body.data?.triggerSandboxEvent.data ?? [];

    const webhook = await gql<{ webhook: { id: string } | null }>(t.url, acme.key, WEBHOOK, { id: delivery?.webhookId });
    expect(webhook.body).toEqual({ data: { webhook: { id: webhookId, name: 'ids' } } });
    const events = await gql<{ events: { edges: Array<{ node: { webhook: { id: string } } }> } }>(t.url, acme.key, EVENTS, {
      filter: { webhookIds: [delivery?.webhookId] },
    });
    expect(events.body.errors).toBeUndefined();
    expect(events.body.data?.events.edges.length).toBeGreaterThan(0);
    for (const e of events.body.data?.events.edges ?? []) expect(e.node.webhook.id).toBe(webhookId);
  });

  it('answers BAD_USER_INPUT, never a 500, for a raw, foreign-typed or garbage id in webhook(id:) and event(id:)', async () => {
    for (const [query, own, other] of [
      [WEBHOOK, webhookId, eventId],
      [EVENT, eventId, webhookId],
    ] as const) {
      for (const id of [rawId(own), other, 'garbage', '', '!!!', forge('Query'), 'x'.repeat(10_000)])
        expectBadInput(await gql(t.url, acme.key, query, { id }), 'id');
    }
    // A well-formed id that names nothing of this tenant stays null, as Relay has it.
    expect((await gql(t.url, acme.key, WEBHOOK, { id: forge('Webhook', randomUUID()) })).body).toEqual({ data: { webhook: null } });
    expect((await gql(t.url, acme.key, EVENT, { id: forge('Event', randomUUID()) })).body).toEqual({ data: { event: null } });
  });

  it('answers BAD_USER_INPUT, never a masked error, for node(id:) and nodes(ids:) with anything but a Node id', async () => {
    for (const id of [rawWebhookId, 'garbage', '', forge('Query'), forge('DateTime', 'x'), forge('ProviderError'), forge('Nope')]) {
      expectBadInput(await gql(t.url, acme.key, NODE, { id }), 'id');
      expectBadInput(await gql(t.url, acme.key, NODES, { ids: [webhookId, id] }), 'id');
    }
    expect((await gql(t.url, acme.key, NODE, { id: webhookId })).body).toEqual({ data: { node: { id: webhookId } } });
    expect((await gql(t.url, acme.key, NODE, { id: forge('Webhook', randomUUID()) })).body).toEqual({ data: { node: null } });
  });

  it('refuses the whole operation when a node id is malformed, so a bad id cannot carry uncosted fields past the cost limit', async () => {
    const page = 'events(first: 100) { edges { node { payload } } }';
    const costly = [1, 2, 3, 4, 5, 6].map((i) => `p${i}: ${page}`).join(' ');
    const refused = await gql(t.url, acme.key, `query { n: node(id: "garbage") { id } ${costly} }`);
    expectBadInput(refused, 'id');
    expect(refused.body.data).toBeUndefined();
    // The same operation with a good id is refused for its cost: the id decides nothing but its own field.
    const priced = await gql(t.url, acme.key, `query { n: node(id: "${webhookId}") { id } ${costly} }`);
    expect(priced.body.errors?.[0]?.extensions?.['code']).toBe('COST_LIMIT');
  });

  it('answers a ValidationError naming the argument for a malformed id in updateWebhook, deleteWebhook and sendTestEvent', async () => {
    const mutations = [
      [
        'mutation ($id: ID!) { updateWebhook(input: { id: $id, name: "x" }) { __typename ... on ValidationError { field } } }',
        'updateWebhook',
        'input.id',
      ],
      ['mutation ($id: ID!) { deleteWebhook(id: $id) { __typename ... on ValidationError { field } } }', 'deleteWebhook', 'id'],
      [
        'mutation ($id: ID!) { sendTestEvent(webhookId: $id) { __typename ... on ValidationError { field } } }',
        'sendTestEvent',
        'webhookId',
      ],
    ] as const;
    for (const [mutation, name, field] of mutations) {
      for (const id of [rawWebhookId, eventId, 'garbage']) {
        const res = await gql(t.url, acme.key, mutation, { id });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: { [name]: { __typename: 'ValidationError', field } } });
      }
    }
    // The webhook is still there: nothing was done with a refused id.
    expect((await gql(t.url, acme.key, WEBHOOK, { id: webhookId })).body.data).toEqual({ webhook: { id: webhookId, name: 'ids' } });
  });

  it('answers BAD_USER_INPUT for a malformed filter.webhookIds, in events(filter:) and in Subscription.events over graphql-ws and SSE', async () => {
    for (const id of [rawWebhookId, eventId, 'garbage']) {
      const filter = { webhookIds: [webhookId, id] };
      expectBadInput(await gql(t.url, acme.key, EVENTS, { filter }), 'filter.webhookIds');

      const client = wsClient(t.url, acme.key);
      const ws = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: SUBSCRIBE, variables: { filter } }, { next: resolve, error: resolve, complete: () => {} });
      });
      await client.dispose();
      expect(ws).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'filter.webhookIds' } }] });

      const sse = await subscribeSseOnce({ filter });
      expect(sse.status).toBe(200);
      expect(sse.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field: 'filter.webhookIds' } }]);
    }
  });

  it('answers BAD_USER_INPUT with HTTP 200, never a 500, for a malformed cursor in events(after/before) and Subscription.events(after:)', async () => {
    // Not '': Pothos gives it as the endCursor of an empty page, so it means "no cursor".
    for (const cursor of ['garbage', 'A'.repeat(22), 'x'.repeat(10_000), eventId]) {
      expectBadInput(await gql(t.url, acme.key, EVENTS, { after: cursor }), 'after');
      expectBadInput(await gql(t.url, acme.key, EVENTS, { before: cursor, last: 5 }), 'before');

      const client = wsClient(t.url, acme.key);
      const ws = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: SUBSCRIBE, variables: { after: cursor } }, { next: resolve, error: resolve, complete: () => {} });
      });
      await client.dispose();
      expect(ws).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }] });

      const sse = await subscribeSseOnce({ after: cursor });
      expect(sse.status).toBe(200);
      expect(sse.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }]);
    }
  });

  it("refuses graphql-sse's single connection mode with a 405 that names the transports served", async () => {
    // The graphql-sse client's first request in single connection mode: a PUT reserving a stream.
    const res = await fetch(`${t.url}/graphql`, { method: 'PUT', headers: { authorization: `Bearer ${acme.key}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    const body = (await res.json()) as { errors: Errors };
    expect(body.errors[0]?.message).toMatch(/single connection mode .* not served/);
    for (const served of ['GET and POST', 'distinct connections mode', 'text/event-stream', 'graphql-ws'])
      expect(body.errors[0]?.message).toContain(served);
  });

  it('refuses an event filter past 100 entries a list or a type past 200 characters, as a client mistake', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `t${i}.created`);
    expectBadInput(await gql(t.url, acme.key, EVENTS, { filter: { types: tooMany } }), 'filter.types');
    expectBadInput(await gql(t.url, acme.key, EVENTS, { filter: { webhookIds: Array(101).fill(webhookId) } }), 'filter.webhookIds');
    expectBadInput(await gql(t.url, acme.key, EVENTS, { filter: { types: [`${'a'.repeat(201)}.created`] } }), 'filter.types');
    expect((await gql(t.url, acme.key, EVENTS, { filter: { types: tooMany.slice(0, 100) } })).body.errors).toBeUndefined();
  });

  it('lists in NODE_TYPES exactly the types that implement Node', () => {
    const node = schema.getType('Node');
    if (!isInterfaceType(node)) throw new Error('no Node interface');
    const implementations = schema.getImplementations(node).objects.map((o) => o.name);
    expect([...NODE_TYPES].sort()).toEqual(implementations.sort());
  });

  /** One distinct-connections SSE subscription that the server answers with errors: its status and those errors. */
  async function subscribeSseOnce(variables: Record<string, unknown>): Promise<{ status: number; errors: unknown }> {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${acme.key}` },
      body: JSON.stringify({ query: SUBSCRIBE, variables }),
    });
    // The stream completes after the one result that carries the errors.
    const text = await res.text();
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim())
      .find((d) => d.startsWith('{'));
    return { status: res.status, errors: data === undefined ? null : (JSON.parse(data) as { errors?: unknown }).errors };
  }
});
