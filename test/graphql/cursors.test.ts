import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../src/schema/ids.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { newEvent } from '../utils/events.js';
import { gql, wsClient } from '../utils/graphql.js';

type Page = { events: { edges: Array<{ cursor: string; node: { id: string; cursor: string } }> } };
const PAGE =
  'query ($after: String, $before: String) { events(first: 50, after: $after, before: $before) { edges { cursor node { id cursor } } } }';

/** The 128 bits of a cursor, for comparing two of them bit by bit. */
const bits = (cursor: string) => [...Buffer.from(cursor, 'base64url')].map((b) => b.toString(2).padStart(8, '0')).join('');
const hamming = (a: string, b: string) => {
  const [x, y] = [bits(a), bits(b)];
  return [...x].filter((bit, i) => bit !== y[i]).length;
};

describe('the cursor codec', () => {
  const key = randomBytes(32);
  const acme = { id: 'tenant-acme' };
  const globex = { id: 'tenant-globex' };

  it('writes the same cursor for the same seq on every replica (they share the secret key)', () => {
    const [a, b] = [createCursorCodec(Buffer.from(key)), createCursorCodec(Buffer.from(key))];
    for (const seq of [0, 1, 2, 1_000, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      expect(a.encode({ ...acme }, seq)).toBe(b.encode({ ...acme }, seq));
      expect(b.decode({ ...acme }, a.encode(acme, seq))).toBe(seq);
    }
    expect(createCursorCodec(randomBytes(32)).encode(acme, 5)).not.toBe(a.encode(acme, 5));
  });

  it("lets nobody count another tenant's events: nearby seqs of two tenants share nothing recognizable", () => {
    const codec = createCursorCodec(key);
    const cursors = [acme, globex].flatMap((tenant) => Array.from({ length: 20 }, (_, i) => codec.encode(tenant, 1_000 + i)));
    expect(new Set(cursors).size).toBe(cursors.length);
    for (const c of cursors) expect(c).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Each pair differs in about half its 128 bits, neighbours and the same seq across tenants alike
    // (a 6-sigma band around 64): no shared prefix, no counter showing through.
    for (let i = 0; i < cursors.length; i++) {
      for (let j = i + 1; j < cursors.length; j++) {
        const d = hamming(cursors[i] as string, cursors[j] as string);
        expect(d).toBeGreaterThan(28);
        expect(d).toBeLessThan(100);
      }
    }
  });

  it("refuses another tenant's cursor, a flipped bit, the old `seq:` form and anything malformed", () => {
    const codec = createCursorCodec(key);
    const cursor = codec.encode(acme, 42);
    expect(codec.decode(globex, cursor)).toBeNull();
    for (let bit = 0; bit < 128; bit++) {
      const bytes = Buffer.from(cursor, 'base64url');
      bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
      expect(codec.decode(acme, bytes.toString('base64url'))).toBeNull();
    }
    // The same 16 bytes spelled with other spare bits in the last character are not the cursor either.
    const last = cursor.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    expect(codec.decode(acme, cursor.slice(0, -1) + sibling)).toBeNull();
    for (const bad of [
      '',
      'x',
      Buffer.from('seq:42').toString('base64url'),
      `${cursor}A`,
      cursor.slice(1),
      '!'.repeat(22),
      'A'.repeat(10_000),
    ])
      expect(codec.decode(acme, bad)).toBeNull();
  });
});

describe('event cursors over GraphQL', () => {
  let t: TestApp;
  let acme: TestTenant;
  let globex: TestTenant;
  const ids = { acme: [] as string[], globex: [] as string[] };

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.tenant('acme');
    globex = await t.tenant('globex');
    // Interleaved, so the global seqs of one tenant's events have gaps only the other tenant's events explain.
    for (let i = 0; i < 6; i++) {
      for (const [name, tenant] of [
        ['acme', acme],
        ['globex', globex],
      ] as const) {
        const [row] = await t.app.services.store.events.append([newEvent(tenant.id, { payload: { i } })]);
        ids[name].push(row?.event.id as string);
      }
    }
  });

  const page = async (tenant: TestTenant, variables: Record<string, unknown> = {}) => gql<Page>(t.url, tenant.key, PAGE, variables);

  it('gives each event one opaque cursor: on its edge and on the node alike', async () => {
    const { body } = await page(acme);
    const edges = body.data?.events.edges ?? [];
    expect(edges.map((e) => e.node.id).length).toBe(6);
    for (const e of edges) {
      expect(e.cursor).toBe(e.node.cursor);
      expect(e.cursor).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('pages and resumes with a valid cursor: no gap, no duplicate', async () => {
    const all = (await page(acme)).body.data?.events.edges ?? [];
    const after = (await page(acme, { after: all[1]?.cursor })).body.data?.events.edges ?? [];
    expect(after.map((e) => e.node.id)).toEqual(all.slice(2).map((e) => e.node.id));
    const before = (await page(acme, { before: all[4]?.cursor })).body.data?.events.edges ?? [];
    expect(before.map((e) => e.node.id)).toEqual(all.slice(0, 4).map((e) => e.node.id));

    const client = wsClient(t.url, acme.key);
    const got: string[] = [];
    const stop = client.subscribe<{ events: { id: string } }>(
      { query: 'subscription ($after: String) { events(after: $after) { id } }', variables: { after: all[2]?.cursor } },
      { next: (r) => got.push(r.data?.events.id as string), error: () => {}, complete: () => {} },
    );
    await expect.poll(() => got.length).toBe(3);
    expect(got).toEqual(all.slice(3).map((e) => e.node.id));
    stop();
    await client.dispose();
  });

  it("answers BAD_USER_INPUT, never a 500, for another tenant's cursor, a flipped byte or a forged `seq:` cursor", async () => {
    const theirs = (await page(globex)).body.data?.events.edges[2]?.cursor as string;
    const mine = (await page(acme)).body.data?.events.edges[2]?.cursor as string;
    const flipped = Buffer.from(mine, 'base64url');
    flipped[7] = (flipped[7] as number) ^ 0x01;
    for (const cursor of [theirs, flipped.toString('base64url'), Buffer.from('seq:1').toString('base64url'), 'garbage']) {
      for (const arg of ['after', 'before']) {
        const res = await page(acme, { [arg]: cursor });
        expect(res.status).toBe(200);
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: arg } });
      }
    }
  });

  it("refuses a subscription resumed from another tenant's cursor with BAD_USER_INPUT, over graphql-ws and SSE", async () => {
    const theirs = (await page(globex)).body.data?.events.edges[0]?.cursor as string;
    const query = 'subscription ($after: String) { events(after: $after) { id } }';
    const client = wsClient(t.url, acme.key);
    const ws = await new Promise<unknown>((resolve) => {
      client.subscribe({ query, variables: { after: theirs } }, { next: resolve, error: resolve, complete: () => {} });
    });
    await client.dispose();
    expect(ws).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });

    const sse = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${acme.key}` },
      body: JSON.stringify({ query, variables: { after: theirs } }),
    });
    const text = await sse.text();
    expect(text).toContain('"code":"BAD_USER_INPUT"');
    expect(text).toContain('event: complete');
  });
});

describe('webhook cursors', () => {
  const key = randomBytes(32);
  const acme = { id: 'tenant-acme' };

  it('seal a keyset position per tenant and list kind: the same position gives the same cursor, any change none', () => {
    const codec = createCursorCodec(key);
    const position = '2026-11-30T10:00:00.000Z|0193f1c2-0000-7000-8000-000000000001';
    const cursor = codec.seal(acme, 'webhook', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(Buffer.from(position).toString('base64url').slice(0, 8));
    expect(createCursorCodec(Buffer.from(key)).seal({ ...acme }, 'webhook', position)).toBe(cursor);
    expect(codec.open({ ...acme }, 'webhook', cursor)).toBe(position);
    expect(codec.open({ id: 'tenant-globex' }, 'webhook', cursor)).toBeNull();
    expect(codec.open(acme, 'event', cursor)).toBeNull();
    for (let byte = 0; byte < Buffer.from(cursor, 'base64url').length; byte++) {
      const bytes = Buffer.from(cursor, 'base64url');
      bytes[byte] = (bytes[byte] as number) ^ 0x01;
      expect(codec.open(acme, 'webhook', bytes.toString('base64url'))).toBeNull();
    }
    for (const junk of ['', 'garbage', 'x'.repeat(10_000), `${cursor}A`, position]) expect(codec.open(acme, 'webhook', junk)).toBeNull();
  });
});

describe('webhook cursors over GraphQL', () => {
  let t: TestApp;
  let acme: TestTenant;
  let globex: TestTenant;
  type Webhooks = { webhooks: { edges: Array<{ cursor: string; node: { id: string } }> } };
  const WEBHOOKS = 'query ($first: Int, $after: String) { webhooks(first: $first, after: $after) { edges { cursor node { id } } } }';
  const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) {
    __typename ... on CreateWebhookSuccess { data { id } } ... on Error { message } } }`;

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.tenant('acme');
    globex = await t.tenant('globex');
    for (const tenant of [acme, globex]) {
      await t.connectSandbox(tenant, 'SUPEROFFICE');
      for (let i = 0; i < 3; i++) {
        const res = await gql<{ createWebhook: { __typename: string } }>(t.url, tenant.key, CREATE, {
          input: { provider: 'SUPEROFFICE', events: ['contact.created'], name: `hook ${i}` },
        });
        expect(res.body.data?.createWebhook.__typename).toBe('CreateWebhookSuccess');
      }
    }
  });

  const list = async (tenant: TestTenant, variables: Record<string, unknown>) => gql<Webhooks>(t.url, tenant.key, WEBHOOKS, variables);

  it('pages with opaque cursors: no gap, no duplicate', async () => {
    const all = (await list(acme, { first: 10 })).body.data?.webhooks.edges ?? [];
    expect(all).toHaveLength(3);
    for (const e of all) expect(e.cursor).not.toContain('|');
    const rest = (await list(acme, { first: 10, after: all[0]?.cursor })).body.data?.webhooks.edges ?? [];
    expect(rest.map((e) => e.node.id)).toEqual(all.slice(1).map((e) => e.node.id));
  });

  it("answers BAD_USER_INPUT, never a 500, for another tenant's cursor, a plain `createdAt|id` one or garbage", async () => {
    const theirs = (await list(globex, { first: 1 })).body.data?.webhooks.edges[0]?.cursor as string;
    for (const cursor of [theirs, `${new Date(0).toISOString()}|x`, 'garbage']) {
      const res = await list(acme, { first: 1, after: cursor });
      expect(res.status).toBe(200);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    }
  });
});
