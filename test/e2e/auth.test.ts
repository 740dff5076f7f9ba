import { beforeAll, describe, expect, it } from 'vitest';
import { ProvidersDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql, subscribeWs, wsClient } from '../utils/graphql.js';

describe('API keys guard every operation', () => {
  let t: TestApp;
  let acme: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.tenant('acme');
  });

  it('refuses an operation without a key: HTTP 401 and UNAUTHENTICATED', async () => {
    const res = await gql(t.url, null, ProvidersDocument);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(res.body.data ?? null).toBeNull();
  });

  it('refuses a wrong key the same way', async () => {
    const res = await gql(t.url, `${acme.key.slice(0, -4)}AAAA`, ProvidersDocument);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('accepts a valid key, and rejects it after revocation', async () => {
    const t2 = await t.tenant();
    expect((await gql(t.url, t2.key, ProvidersDocument)).status).toBe(200);
    const id = t2.key.split('_')[1] as string;
    expect(await t.app.services.store.apiKeys.revoke(id)).toBe(true);
    const res = await gql(t.url, t2.key, ProvidersDocument);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    // Another tenant's key is unaffected.
    expect((await gql(t.url, acme.key, ProvidersDocument)).status).toBe(200);
  });

  it('closes a graphql-ws connection without a valid key (4403)', async () => {
    let client: ReturnType<typeof wsClient> | undefined;
    const closed = new Promise<number>((resolve) => {
      client = wsClient(t.url, 'hg_wrong_key', {
        lazy: false,
        onNonLazyError: () => {},
        on: { closed: (e) => resolve((e as { code: number }).code) },
      });
    });
    expect(await closed).toBe(4403);
    await client?.dispose();
  });

  it('serves a subscription over graphql-ws with connectionParams.authorization', async () => {
    const client = wsClient(t.url, acme.key);
    const sub = subscribeWs(client, 'subscription { events { id } }');
    await expect.poll(() => t.app.services.bus.listeners(acme.id)).toBe(1);
    sub.stop();
    await client.dispose();
    await expect.poll(() => t.app.services.bus.listeners(acme.id)).toBe(0);
  });

  it('serves GraphiQL without internet access (bundled, no CDN)', async () => {
    const res = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https:\/\/(unpkg\.com|cdn\.jsdelivr\.net)/);
  });

  it('answers /health and /ready with the store and pub/sub it uses', async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: 'sqlite',
      pubsub: 'memory',
      checks: { database: 'ok', pubsub: 'ok' },
    });
  });
});
