import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { createSchema, createYoga } from 'graphql-yoga';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useSerializableResults } from '../../src/graphql/use-serializable-results.js';
import { JSON_READ_MAX_DEPTH, jsonProblem } from '../../src/schema/scalars.js';
import { CreateWebhookDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { storeBackends } from '../utils/databases.js';
import { newEvent } from '../utils/events.js';
import { gql, gqlData } from '../utils/graphql.js';

interface Result {
  data?: { events?: { id: string; cursor: string; payload: unknown } | null } | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

/** The body an attacker posts: 10 KB of brackets that JSON.parse accepts and JSON.stringify cannot write back. */
const DEEP = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;

const SUBSCRIBE = 'subscription ($after: String) { events(after: $after) { id cursor payload } }';

/** Frames of one SSE subscription (yoga's text/event-stream), errors included. */
function subscribeSse(url: string, key: string, variables: Record<string, unknown>) {
  const controller = new AbortController();
  const frames: Result[] = [];
  const ready = (async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: SUBSCRIBE, variables }),
      signal: controller.signal,
    });
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!frame.startsWith('event: next')) continue;
            frames.push(JSON.parse(frame.slice(frame.indexOf('data:') + 5)) as Result);
          }
        }
      } catch {
        // aborted by stop()
      }
    })();
    return res.status;
  })();
  return { frames, ready, stop: () => controller.abort() };
}

/** Results of one graphql-ws subscription, errors included, and how it ended. */
function subscribeWs(url: string, key: string, variables: Record<string, unknown>) {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
  const results: Result[] = [];
  const ended: unknown[] = [];
  const dispose = client.subscribe<Result['data']>(
    { query: SUBSCRIBE, variables },
    { next: (r) => results.push(r as Result), error: (e) => ended.push(e), complete: () => ended.push('complete') },
  );
  return {
    results,
    ended,
    stop: async () => {
      dispose();
      await client.dispose();
    },
  };
}

describe('the JSON depth check', () => {
  it('judges a value 100,000 levels deep without overflowing the stack itself', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(jsonProblem(deep)).toMatch(/deeper than 512/);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
  });

  it('passes every value JSON.stringify writes at the bound, and refuses one level more', () => {
    const nest = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown;
    expect(jsonProblem(nest(JSON_READ_MAX_DEPTH))).toBeNull();
    expect(jsonProblem(nest(JSON_READ_MAX_DEPTH + 1))).not.toBeNull();
    expect(jsonProblem({ a: [1, 'x', null, { b: true }], c: 2 })).toBeNull();
    expect(jsonProblem({ a: [1n] })).toMatch(/BigInt/);
  });
});

describe.each(storeBackends)('a payload nested 5,000 deep, stored before ingest refused such bodies, on %s', (database) => {
  let t: TestApp;
  let deliveryUrl = '';
  let owner: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ database });
    owner = await t.tenant();
    await t.connectSandbox(owner, 'BOOQABLE');
    const { createWebhook: r } = await gqlData(t.url, owner.key, CreateWebhookDocument, {
      input: { provider: 'BOOQABLE', events: ['customer.created'], payloadVersion: '4' },
    });
    if (r.__typename !== 'CreateWebhookSuccess') throw new Error(r.__typename);
    deliveryUrl = r.data.deliveryUrl;
  });

  /** Stores `ok, deep, ok` for the tenant straight through the store, the deep one as its raw JSON text. */
  async function storePoison(tenantId: string) {
    const rows = await t.app.services.store.events.append([
      newEvent(tenantId, { payload: { n: 1 } }),
      newEvent(tenantId, { payload: null, payloadJson: DEEP }),
      newEvent(tenantId, { payload: { n: 3 } }),
    ]);
    const [before, deep, after] = rows.map((r) => {
      if (!r) throw new Error('not stored');
      return r.event;
    });
    const tenant = { id: tenantId };
    const cursor = (seq: number) => t.app.services.cursors.encode(tenant, seq);
    return { before: cursor(before!.seq), deep: cursor(deep!.seq), after: cursor(after!.seq) };
  }

  /** A real delivery through the owner's Booqable webhook: acknowledged only once stored. */
  async function deliver(): Promise<number> {
    const res = await fetch(deliveryUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: randomUUID(),
        created_at: '2026-02-01T10:00:00Z',
        event: 'customer.created',
        resource_type: 'customers',
        data: { id: 'c-after-the-poison' },
      }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  function expectNamesTheEvent(result: Result | undefined, cursor: string) {
    const error = result?.errors?.[0];
    expect(error?.extensions?.['code']).toBe('PAYLOAD_UNREADABLE');
    expect(error?.extensions?.['cursor']).toBe(cursor);
    expect(error?.extensions?.['eventId']).toEqual(expect.any(String));
    expect(error?.message).toContain(error?.extensions?.['eventId']);
  }

  it('gives an SSE subscriber resuming from before it an error for that event, and the process carries on', async () => {
    const cursors = await storePoison(owner.id);
    const sse = subscribeSse(t.url, owner.key, { after: cursors.before });
    expect(await sse.ready).toBe(200);
    await expect.poll(() => sse.frames.length).toBe(2);
    const [deep, after] = sse.frames;
    expectNamesTheEvent(deep, cursors.deep);
    expect(deep?.data?.events).toMatchObject({ cursor: cursors.deep, payload: null });
    expect(after).toEqual({ data: { events: expect.objectContaining({ cursor: cursors.after, payload: { n: 3 } }) } });

    // Still alive, still streaming: a later delivery is acknowledged and reaches the same subscriber.
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect(await deliver()).toBe(200);
    await expect.poll(() => sse.frames.length).toBe(3);
    expect(sse.frames[2]?.data?.events?.payload).toMatchObject({ data: { id: 'c-after-the-poison' } });
    sse.stop();
  });

  it('lets a graphql-ws subscription resume past it: the event arrives with its error, the stream goes on', async () => {
    const tenant = await t.tenant();
    const cursors = await storePoison(tenant.id);
    const ws = subscribeWs(t.url, tenant.key, { after: cursors.before });
    await expect.poll(() => ws.results.length).toBe(2);
    expectNamesTheEvent(ws.results[0], cursors.deep);
    expect(ws.results[1]?.data?.events).toMatchObject({ cursor: cursors.after, payload: { n: 3 } });
    expect(ws.ended).toEqual([]);
    await ws.stop();

    // Resuming after the cursor the error names skips it for good.
    const resumed = subscribeWs(t.url, tenant.key, { after: cursors.deep });
    await expect.poll(() => resumed.results.length).toBe(1);
    expect(resumed.results[0]).toEqual({ data: { events: expect.objectContaining({ cursor: cursors.after }) } });
    await resumed.stop();
  });

  it('answers the events query over that page with an error for that event and the data of the others', async () => {
    const tenant = await t.tenant();
    const cursors = await storePoison(tenant.id);
    const res = await gql<{ events: { edges: Array<{ cursor: string; node: { payload: unknown } }> } }>(
      t.url,
      tenant.key,
      '{ events(first: 10) { edges { cursor node { id payload } } } }',
    );
    expect(res.status).toBe(200);
    expect(res.body.data?.events.edges).toEqual([
      { cursor: cursors.before, node: { id: expect.any(String), payload: { n: 1 } } },
      { cursor: cursors.deep, node: { id: expect.any(String), payload: null } },
      { cursor: cursors.after, node: { id: expect.any(String), payload: { n: 3 } } },
    ]);
    expect(res.body.errors).toHaveLength(1);
    expectNamesTheEvent(res.body as Result, cursors.deep);
    expect(res.body.errors?.[0]).toMatchObject({ path: ['events', 'edges', 1, 'node', 'payload'] });

    // The event on its own, by id, the same way.
    const id = res.body.errors?.[0]?.extensions?.['eventId'] as string;
    const one = await gql(t.url, tenant.key, 'query ($id: ID!) { event(id: $id) { cursor payload } }', { id });
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual({ event: { cursor: cursors.deep, payload: null } });
    expect(one.body.errors?.[0]?.extensions?.['code']).toBe('PAYLOAD_UNREADABLE');
  });
});

describe('a result yoga cannot serialize (the backstop behind the field checks)', () => {
  // A schema whose scalar hands anything through, as a library type might: no field check stands in the way.
  const deep = () => JSON.parse(DEEP) as unknown;
  const logs: string[] = [];
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'scalar Raw type Query { raw: Raw } type Subscription { raw: Raw }',
      resolvers: {
        Query: { raw: deep },
        Subscription: {
          raw: {
            subscribe: async function* () {
              yield { raw: deep() };
              yield { raw: 'fine' };
            },
          },
        },
      },
    }),
    logging: false,
    plugins: [useSerializableResults({ log: pino({}, { write: (line: string) => void logs.push(line) }) })],
  });
  const post = (query: string, accept: string) =>
    yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query }),
    });

  it('answers a query with an error result instead of a 500', async () => {
    const res = await post('{ raw }', 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'RESULT_UNSERIALIZABLE' } }] });
    expect(logs.join('')).toContain('Maximum call stack size exceeded');
  });

  it('sends an SSE subscriber an error frame for that result and the next result after it', async () => {
    const text = await (await post('subscription { raw }', 'text/event-stream')).text();
    const data = text
      .split('\n\n')
      .filter((f) => f.startsWith('event: next'))
      .map((f) => JSON.parse(f.slice(f.indexOf('data:') + 5)) as unknown);
    expect(data).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: 'RESULT_UNSERIALIZABLE' } })] },
      { data: { raw: 'fine' } },
    ]);
    expect(text).toContain('event: complete');
  });
});
