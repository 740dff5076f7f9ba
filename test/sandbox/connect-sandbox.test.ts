import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectSandboxDocument, CreateWebhookDocument, TriggerSandboxEventDocument, WebhookDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp } from '../utils/app.js';
import { createTestDatabase } from '../utils/databases.js';
import { gqlData } from '../utils/graphql.js';

describe('connectSandbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });

  it('connects one vendor, then the other four, keeping the first connection and its hooks', async () => {
    const tenant = await t.tenant();
    const one = await gqlData(t.url, tenant.key, ConnectSandboxDocument, { provider: 'PAYBOOK' });
    if (one.connectSandbox.__typename !== 'ConnectSandboxSuccess') throw new Error(one.connectSandbox.__typename);
    expect(one.connectSandbox.data.map((c) => c.provider)).toEqual(['PAYBOOK']);
    const account = await t.sandboxAccount(tenant, 'PAYBOOK');
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'PAYBOOK', events: ['refresh'] },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);

    const all = await gqlData(t.url, tenant.key, ConnectSandboxDocument, {});
    if (all.connectSandbox.__typename !== 'ConnectSandboxSuccess') throw new Error(all.connectSandbox.__typename);
    expect(all.connectSandbox.data.map((c) => c.provider)).toEqual(['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE']);
    expect(await t.sandboxAccount(tenant, 'PAYBOOK')).toBe(account);
    expect((await gqlData(t.url, tenant.key, WebhookDocument, { id: createWebhook.data.id })).webhook?.status).toBe('ACTIVE');
  });

  it('never replaces a connection to a real vendor account, and never fires events at one', async () => {
    const tenant = await t.tenant();
    // As if connectProvider had stored a real Paybook key.
    await t.app.services.store.connections.upsert(tenant.id, 'PAYBOOK', 'https://sync.paybook.com', { apiKey: 'live-key-of-acme' });
    const named = await gqlData(t.url, tenant.key, ConnectSandboxDocument, { provider: 'PAYBOOK' });
    expect(named.connectSandbox).toMatchObject({ __typename: 'ValidationError', field: 'provider' });
    const all = await gqlData(t.url, tenant.key, ConnectSandboxDocument, {});
    if (all.connectSandbox.__typename !== 'ConnectSandboxSuccess') throw new Error(all.connectSandbox.__typename);
    expect(all.connectSandbox.data.map((c) => c.provider)).not.toContain('PAYBOOK');
    expect((await t.app.services.store.connections.get(tenant.id, 'PAYBOOK'))?.credentials).toEqual({ apiKey: 'live-key-of-acme' });
    const { triggerSandboxEvent } = await gqlData(t.url, tenant.key, TriggerSandboxEventDocument, {
      provider: 'PAYBOOK',
      eventType: 'refresh',
    });
    expect(triggerSandboxEvent.__typename).toBe('UnsupportedError');
  });
});

describe('the sandbox when it is off', () => {
  it('answers connectSandbox with UnsupportedError and serves no sandbox vendor', async () => {
    const t = await startTestApp({ config: { sandbox: false } });
    try {
      const tenant = await t.tenant();
      const { connectSandbox } = await gqlData(t.url, tenant.key, ConnectSandboxDocument, {});
      expect(connectSandbox.__typename).toBe('UnsupportedError');
      const res = await request(`${t.url}/sandbox/paybook/v1/webhooks`);
      expect(res.statusCode).toBe(404);
      await res.body.dump();
    } finally {
      await t.stop();
    }
  });
});

describe('the bootstrap', () => {
  it('connects the default tenant through the same path, once', async () => {
    const db = await createTestDatabase('sqlite');
    const secretKey = randomBytes(32).toString('base64');
    try {
      const first = await startTestApp({ databaseUrl: db.url, secretKey, config: { bootstrap: true } });
      try {
        expect(first.app.bootstrap?.connected).toEqual(['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE']);
        const tenant = first.app.bootstrap?.tenant;
        if (!tenant) throw new Error('no bootstrap tenant');
        for (const p of ['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE'] as const) {
          expect(await first.app.services.sandbox?.accountOf(tenant.id, p)).toMatch(/^[0-9a-f]{32}$/);
        }
      } finally {
        await first.stop();
      }
      const second = await startTestApp({ databaseUrl: db.url, secretKey, config: { bootstrap: true } });
      try {
        expect(second.app.bootstrap?.connected).toEqual([]);
        expect(second.app.bootstrap?.apiKey).toBeNull();
      } finally {
        await second.stop();
      }
    } finally {
      await db.drop();
    }
  }, 30_000);
});
