import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createHookgraphClient,
  HookgraphError,
  OnEventsDocument,
  type OnEventsSubscription,
  refreshingToken,
  tokenFromApiKey,
  ViewerDocument,
} from '../../src/client/index.js';
import { leftover } from '../utils/leftovers.js';
import { type ClientFixture, soon, startClientFixture } from './fixture.js';

/** The access API (issue 15: createAccessToken, viewer, 4403 on expiry) is in the printed schema. */
const accessApi = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8').includes('createAccessToken');
/** Seconds a test token lives: short, so the test sees it expire; the server ends its socket within 5 s after. */
const TTL_SECONDS = 2;

describe.skipIf(!accessApi)('hookgraph/client with short-lived access tokens', () => {
  let f: ClientFixture;
  beforeAll(async () => {
    f = await startClientFixture();
  });
  // Tests wait for the tenant's subscriber count: start each once the previous test's subscriptions are gone.
  beforeEach(async () => {
    await expect.poll(f.listeners, soon).toBe(0);
  });

  it('tokenFromApiKey mints a token holding the scopes asked for, usable as the bearer of requests', async () => {
    const minted = await tokenFromApiKey(f.t.url, f.tenant.key, {
      scopes: ['SUBSCRIBE'],
      filter: { providers: ['SUPEROFFICE'] },
      ttlSeconds: 600,
    });
    const lifetime = Date.parse(minted.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(590_000);
    expect(lifetime).toBeLessThanOrEqual(600_000);
    const hg = leftover(createHookgraphClient({ url: f.t.url, token: minted.token, webSocketImpl: WebSocket }));
    const { viewer } = await hg.request(ViewerDocument);
    expect(viewer).toMatchObject({
      kind: 'ACCESS_TOKEN',
      scopes: ['SUBSCRIBE'],
      filter: { providers: ['SUPEROFFICE'] },
      expiresAt: minted.expiresAt,
    });
  });

  it('tokenFromApiKey throws a HookgraphError when the server refuses the request', async () => {
    const refused = await tokenFromApiKey(f.t.url, f.tenant.key, { scopes: ['READ'], ttlSeconds: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HookgraphError);
    expect((refused as Error).message).toMatch(/ttlSeconds/);
  });

  it('keeps a subscription alive past its token’s expiry: the client mints a new token and resumes after the last cursor', async () => {
    const mints: Array<{ requestedAt: number; token: string; expiresAt: string }> = [];
    const token = refreshingToken(async () => {
      const requestedAt = Date.now();
      const next = await tokenFromApiKey(f.t.url, f.tenant.key, { scopes: ['SUBSCRIBE'], ttlSeconds: TTL_SECONDS });
      mints.push({ requestedAt, ...next });
      return next;
    });
    const hg = leftover(createHookgraphClient({ url: f.t.url, token, webSocketImpl: WebSocket }));
    const events = hg.subscribe(OnEventsDocument, { filter: { webhookIds: [f.webhookId] } });
    const received: OnEventsSubscription['events'][] = [];
    const errors: unknown[] = [];
    void (async () => {
      try {
        for await (const result of events) {
          if (result.errors) errors.push(result.errors);
          if (result.data) received.push(result.data.events);
        }
      } catch (error) {
        errors.push(error);
      }
    })();
    leftover(() => events.return?.());

    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    await expect.poll(() => received.length, soon).toBe(1);

    // The first token expires and the gateway ends its socket (4403, or a last UNAUTHENTICATED result just before
    // it: the client takes both alike); the client connects again with a second token.
    await expect.poll(() => mints.length, { timeout: (TTL_SECONDS + 10) * 1_000 }).toBeGreaterThanOrEqual(2);
    const [first, second] = mints;
    // JWT expiry is whole seconds: the gateway may end the token up to a second before the expiresAt it answered.
    expect(second?.requestedAt).toBeGreaterThanOrEqual(Date.parse(first?.expiresAt ?? '') - 1_000);
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    await expect.poll(() => received.length, soon).toBe(2);

    expect(errors).toEqual([]);
    expect(new Set(mints.map((m) => m.token)).size).toBe(mints.length);
    expect(new Set(received.map((e) => e.cursor)).size).toBe(2);
  }, 30_000);
});
