import { randomBytes } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../utils/databases.js';
import { gql, gqlData, subscribeSse, wsClient } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';
import { services } from '../utils/services.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
  ... on CreateApiKeySuccess { data { key apiKey { id } } } ... on Error { message } } }`;
const REVOKE_KEY = 'mutation ($id: ID!) { revokeApiKey(id: $id) { __typename ... on Error { message } } }';
const MINT = `mutation ($input: CreateAccessTokenInput!) { createAccessToken(input: $input) {
  ... on CreateAccessTokenSuccess { data { token expiresAt } } ... on Error { message } } }`;
const SUBSCRIBE = 'subscription { events { id } }';

interface Key {
  key: string;
  id: string;
}

async function createKey(t: TestApp, admin: TestTenant, scopes: string[]): Promise<Key> {
  const data = await gqlData<{ createApiKey: { data: { key: string; apiKey: { id: string } } } }>(t.url, admin.key, CREATE_KEY, {
    input: { name: 'live', scopes },
  });
  return { key: data.createApiKey.data.key, id: data.createApiKey.data.apiKey.id };
}

async function mint(url: string, credential: string, ttlSeconds?: number): Promise<string> {
  const data = await gqlData<{ createAccessToken: { data: { token: string } } }>(url, credential, MINT, {
    input: { scopes: ['SUBSCRIBE'], ...(ttlSeconds !== undefined && { ttlSeconds }) },
  });
  return data.createAccessToken.data.token;
}

/**
 * Resolves once `n` graphql-ws sockets and SSE streams hold a watch on their access (manage/access.ts): a socket holds
 * one from its connection_ack (its subscriptions end with it), an SSE stream one once it has started.
 */
const watching = (t: TestApp, n: number) => expect.poll(() => t.app.services.access.watching()).toBe(n);

/** A graphql-ws socket with one subscription asked for: resolves `closed` with the close event the server sent. */
async function openSocket(url: string, credential: string): Promise<{ client: Client; closed: Promise<{ code: number; reason: string }> }> {
  let onClosed!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    onClosed = resolve;
  });
  let onAcked!: () => void;
  const acked = new Promise<void>((resolve) => {
    onAcked = resolve;
  });
  // Not lazy: the socket stays open whether or not its subscription was accepted, so what closes it is the server.
  const client = wsClient(url, credential, {
    lazy: false,
    // The close is what the test waits for (on.closed), not an error to print.
    onNonLazyError: () => {},
    on: {
      connected: () => onAcked(),
      closed: (event) => onClosed(event as { code: number; reason: string }),
    },
  });
  client.subscribe({ query: SUBSCRIBE }, { next: () => {}, error: () => {}, complete: () => {} });
  await acked;
  return { client, closed };
}

/** Milliseconds from `start` until `closed` resolves, with the close event. */
async function timeClose(closed: Promise<{ code: number; reason: string }>, start: number) {
  const { code, reason } = await closed;
  return { code, reason, ms: Math.round(performance.now() - start) };
}

describe('live enforcement: a revoked or expired credential loses its open sockets and streams', () => {
  it('closes the graphql-ws sockets of a revoked key, and of tokens minted from it, with 4403 within 5 s', async () => {
    const t = await startTestApp();
    const admin = await t.tenant();
    const parent = await createKey(t, admin, ['SUBSCRIBE', 'READ']);
    const token = await mint(t.url, parent.key);
    const byKey = await openSocket(t.url, parent.key);
    const byToken = await openSocket(t.url, token);
    // Another key of the tenant is not touched: its socket outlives the revocation.
    const other = await createKey(t, admin, ['SUBSCRIBE']);
    const bystander = await openSocket(t.url, other.key);
    let bystanderClosed = false;
    void bystander.closed.then(() => {
      bystanderClosed = true;
    });
    await watching(t, 3);

    const start = performance.now();
    expect((await gql(t.url, admin.key, REVOKE_KEY, { id: parent.id })).body.data).toEqual({
      revokeApiKey: { __typename: 'RevokeApiKeySuccess' },
    });
    const [keyClose, tokenClose] = await Promise.all([timeClose(byKey.closed, start), timeClose(byToken.closed, start)]);
    for (const c of [keyClose, tokenClose]) {
      expect(c).toMatchObject({ code: 4403, reason: 'access revoked: the key was revoked' });
      expect(c.ms).toBeLessThan(5_000);
    }
    // Neither the key nor its token opens anything again.
    expect((await gql(t.url, parent.key, '{ viewer { kind } }')).status).toBe(401);
    expect((await gql(t.url, token, '{ viewer { kind } }')).status).toBe(401);
    // The bystander is still subscribed: a query on its socket is answered.
    const answer = await new Promise((resolve, reject) =>
      bystander.client.subscribe({ query: '{ viewer { scopes } }' }, { next: resolve, error: reject, complete: () => {} }),
    );
    expect(answer).toEqual({ data: { viewer: { scopes: ['SUBSCRIBE'] } } });
    expect(bystanderClosed).toBe(false);
  });

  it('ends an SSE stream of a revoked key with an UNAUTHENTICATED result', async () => {
    const t = await startTestApp();
    const admin = await t.tenant();
    const parent = await createKey(t, admin, ['SUBSCRIBE']);
    const token = await mint(t.url, parent.key);
    const stream = subscribeSse(t.url, token, SUBSCRIBE);
    expect(await stream.ready).toBe(200);
    await watching(t, 1);
    await gqlData(t.url, admin.key, REVOKE_KEY, { id: parent.id });
    await expect.poll(() => stream.errors.length, { timeout: 5_000 }).toBe(1);
    const errors = stream.errors[0] as Array<{ extensions?: Record<string, unknown> }>;
    expect(errors[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'revoked' });
    await expect.poll(() => t.app.services.access.watching()).toBe(0);
  });

  it('sees a revocation written straight to the database (the CLI, another version) within 5 s', async () => {
    const t = await startTestApp();
    const admin = await t.tenant();
    const parent = await createKey(t, admin, ['SUBSCRIBE']);
    const socket = await openSocket(t.url, parent.key);
    await watching(t, 1);
    const start = performance.now();
    // What `hookgraph keys revoke` does: a row update, no bus message.
    expect(await t.app.services.store.apiKeys.revoke(Buffer.from(parent.id, 'base64').toString().split(':')[1] as string)).toBe(true);
    const closed = await timeClose(socket.closed, start);
    expect(closed.code).toBe(4403);
    expect(closed.ms).toBeLessThan(5_000);
  });

  it('closes a socket when its token expires, and refuses the token from then on', async () => {
    const t = await startTestApp();
    const admin = await t.tenant();
    const token = await mint(t.url, admin.key, 2);
    const socket = await openSocket(t.url, token);
    await watching(t, 1);
    const closed = await socket.closed;
    expect(closed).toEqual(expect.objectContaining({ code: 4403, reason: 'access expired' }));
    expect((await gql(t.url, token, '{ viewer { kind } }')).status).toBe(401);
  });

  it.skipIf(!(services.postgres && services.redis))(
    'closes a socket on another replica within 5 s when the key is revoked on one (PostgreSQL + Redis)',
    async () => {
      const db = await createTestDatabase('postgres');
      leftover(() => db.drop());
      const shared = {
        databaseUrl: db.url,
        secretKey: randomBytes(32).toString('base64'),
        redisUrl: services.redis as string,
        redisPrefix: `hglive-${randomBytes(4).toString('hex')}`,
      };
      const a = await startTestApp(shared);
      const b = await startTestApp(shared);
      const admin = await a.tenant();
      const parent = await createKey(a, admin, ['SUBSCRIBE']);
      // A token minted on A, verified on B: one signing key for every replica.
      const token = await mint(a.url, parent.key);
      const onB = await openSocket(b.url, token);
      await watching(b, 1);
      const start = performance.now();
      await gqlData(a.url, admin.key, REVOKE_KEY, { id: parent.id });
      const closed = await timeClose(onB.closed, start);
      expect(closed.code).toBe(4403);
      expect(closed.ms).toBeLessThan(5_000);
      expect((await gql(b.url, token, '{ viewer { kind } }')).status).toBe(401);
    },
  );
});
