import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import {
  ConnectProviderDocument,
  ConnectSandboxDocument,
  CreateWebhookDocument,
  EventsDocument,
  TriggerSandboxEventDocument,
  WebhookDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';

const PROVIDERS: ProviderKey[] = ['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE'];
const EVENT: Record<ProviderKey, string> = {
  DESKERA: 'CREATE_INVOICE',
  BOOQABLE: 'invoice.created',
  PAYBOOK: 'credential_create',
  ROOTFI: 'INVOICES:CREATE',
  SUPEROFFICE: 'contact.created',
};
const forged = () => randomBytes(32).toString('base64url');

/** Each vendor's own auth header for a set of credentials (the connector's, as the tenant holds them). */
function authHeaders(provider: ProviderKey, c: Record<string, string>): Record<string, string> {
  switch (provider) {
    case 'DESKERA':
      return { 'x-access-token': c['accessToken'] ?? '' };
    case 'BOOQABLE':
      return { authorization: `Bearer ${c['apiKey']}` };
    case 'PAYBOOK':
      return { authorization: `api_key api_key=${c['apiKey']}` };
    case 'ROOTFI':
      return { api_key: c['apiKey'] ?? '' };
    case 'SUPEROFFICE':
      return { authorization: `Bearer ${c['accessToken']}` };
  }
}

/** The credentials the old sandbox derived from a tenant id: what an attacker who saw A's id would try. */
function derivedFrom(provider: ProviderKey, id: string): Record<string, string> {
  switch (provider) {
    case 'DESKERA':
      return {
        clientId: `sbx-dk-client-${id}`,
        clientSecret: `sbx-dk-secret-${id}`,
        accessToken: `sbx-dk-${id}-0`,
        refreshToken: `sbx-dk-refresh-${id}`,
      };
    case 'BOOQABLE':
      return { apiKey: `sbx-bq-${id}` };
    case 'PAYBOOK':
      return { apiKey: `sbx-pb-${id}` };
    case 'ROOTFI':
      return { apiKey: `sbx-${id}` };
    case 'SUPEROFFICE':
      return { accessToken: `sbx-so-${id}` };
  }
}

/** The shape of a credential with the account part kept and the secret part forged. */
function forgedSecret(c: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, /\.[A-Za-z0-9_-]{43}$/.test(v) ? v.replace(/[^.]+$/, forged()) : v]));
}

/** Each vendor's 401 body, in its own shape. */
const UNAUTHORIZED: Record<ProviderKey, unknown> = {
  DESKERA: { errorMessage: 'Unauthorized', errorCode: 401 },
  BOOQABLE: { errors: [{ status: '401', title: 'Unauthorized', detail: expect.any(String) }] },
  PAYBOOK: expect.objectContaining({ code: 401, status: false, response: null }),
  ROOTFI: { error: { message: expect.any(String), code: 'UNAUTHORIZED', field: 'api_key' } },
  SUPEROFFICE: { Error: 'Unauthorized', ErrorType: 'UnauthorizedAccessException' },
};

describe('the sandbox as an attacker sees it', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  /** A second loopback service the sandbox must never reach. */
  let bait: Server;
  let baitUrl = '';
  const baitHits: string[] = [];
  const hooksOfA = new Map<ProviderKey, { id: string; externalIds: string[] }>();

  const baseUrlOf = async (tenant: TestTenant, p: ProviderKey) => (await t.app.services.store.connections.get(tenant.id, p))?.baseUrl ?? '';
  /** A raw call to a sandbox vendor, below its baseUrl. */
  async function call(
    baseUrl: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) {
    const res = await request(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? (JSON.parse(text) as unknown) : null };
  }
  const listPath: Record<ProviderKey, string> = {
    DESKERA: '/v1/webhooks',
    BOOQABLE: '/api/4/webhook_endpoints',
    PAYBOOK: '/v1/webhooks',
    ROOTFI: '/v3/core/webhooks',
    SUPEROFFICE: '/api/v1/Webhook',
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await t.tenant('tenant-a');
    b = await t.tenant('tenant-b');
    for (const p of PROVIDERS) await t.connectSandbox(a, p);
    for (const p of PROVIDERS) {
      const { createWebhook } = await gqlData(t.url, a.key, CreateWebhookDocument, { input: { provider: p, events: [EVENT[p]] } });
      if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(`${p}: ${createWebhook.__typename}`);
      hooksOfA.set(p, { id: createWebhook.data.id, externalIds: createWebhook.data.externalIds });
    }
    bait = createServer((req, res) => {
      baitHits.push(`${req.method} ${req.url}`);
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    leftover(bait);
    baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
  });

  it('gives each connection random credentials and an account id that say nothing about the tenant', async () => {
    for (const p of PROVIDERS) {
      const credentials = await t.storedCredentials(a, p);
      const account = await t.sandboxAccount(a, p);
      expect(account).not.toContain(a.id);
      for (const value of Object.values(credentials)) expect(value).not.toContain(a.id);
      const baseUrl = await baseUrlOf(a, p);
      expect(baseUrl).not.toContain(a.id);
      expect(baseUrl).not.toContain(a.name);
    }
  });

  it("refuses tenant B at tenant A's account: with A's tenant id, A's baseUrl, no, wrong or forged credentials", async () => {
    for (const p of PROVIDERS) {
      const baseUrl = await baseUrlOf(a, p);
      const slug = p.toLowerCase();
      const real = await t.storedCredentials(a, p);
      const attempts = [derivedFrom(p, a.id), forgedSecret(real), Object.fromEntries(Object.keys(real).map((k) => [k, forged()]))];
      for (const credentials of attempts) {
        const { connectProvider } = await gqlData(t.url, b.key, ConnectProviderDocument, {
          input: { provider: p, baseUrl, credentials: { [slug]: credentials } as never },
        });
        expect(connectProvider, `${p} ${JSON.stringify(credentials)}`).toMatchObject({ __typename: 'ProviderError', status: 401 });
        // The vendor itself answers 401 in its own shape, without credentials too.
        for (const headers of [authHeaders(p, credentials), {}]) {
          const res = await call(baseUrl, 'GET', listPath[p], headers);
          expect(res.status, p).toBe(401);
          expect(res.body, p).toEqual(UNAUTHORIZED[p]);
        }
      }
      expect(await t.app.services.store.connections.get(b.id, p)).toBeNull();
    }
  });

  it("lets no account read or change another's hooks, even with its own valid credentials", async () => {
    for (const p of PROVIDERS) await t.connectSandbox(b, p);
    for (const p of PROVIDERS) {
      const mine = await t.storedCredentials(b, p);
      const theirs = hooksOfA.get(p);
      if (!theirs) throw new Error(p);
      // Booqable and SuperOffice put the account in the path: B's token on A's path is refused outright.
      if (p === 'BOOQABLE' || p === 'SUPEROFFICE') {
        const res = await call(await baseUrlOf(a, p), 'GET', listPath[p], authHeaders(p, mine));
        expect(res.status, p).toBe(401);
      }
      const ownBase = await baseUrlOf(b, p);
      const listed = await call(ownBase, 'GET', listPath[p], authHeaders(p, mine));
      expect(listed.status, p).toBe(200);
      for (const id of theirs.externalIds) expect(JSON.stringify(listed.body), p).not.toContain(id);
      const connector = await t.app.services.connections.connector(b.id, p);
      await connector.deleteWebhook(theirs.externalIds).catch(() => {});
      const { webhook } = await gqlData(t.url, a.key, WebhookDocument, { id: theirs.id });
      expect(webhook?.status, p).toBe('ACTIVE');
    }
  });

  it("refuses to register, at every vendor, any URL that is not this gateway's delivery URL, and never contacts it", async () => {
    const gatewayPort = new URL(t.url).port;
    const otherGateway = `${baitUrl}/hooks/00000000-0000-4000-8000-000000000000/${'t'.repeat(24)}`;
    const targets = [
      'http://169.254.169.254/latest/meta-data/',
      `${baitUrl}/x`,
      otherGateway,
      `http://localhost:${gatewayPort}/hooks/00000000-0000-4000-8000-000000000000/${'t'.repeat(24)}`,
      `${t.url}/graphql`,
    ];
    for (const p of PROVIDERS) {
      const base = await baseUrlOf(a, p);
      const c = await t.storedCredentials(a, p);
      const h = authHeaders(p, c);
      const theirs = hooksOfA.get(p)?.externalIds[0] ?? '';
      for (const url of targets) {
        const attempts: Array<Promise<{ status: number; body: unknown }>> = [];
        switch (p) {
          case 'DESKERA':
            attempts.push(call(base, 'POST', '/v1/webhooks/register', h, { ...c, eventType: EVENT[p], webhookUrl: url }));
            break;
          case 'BOOQABLE': {
            const doc = { data: { type: 'webhook_endpoints', attributes: { url, events: [EVENT[p]] } } };
            attempts.push(call(base, 'POST', '/api/4/webhook_endpoints', h, doc));
            attempts.push(call(base, 'PUT', `/api/4/webhook_endpoints/${theirs}`, h, { data: { ...doc.data, id: theirs } }));
            break;
          }
          case 'PAYBOOK':
            attempts.push(call(base, 'POST', '/v1/webhooks', h, { url, events: [EVENT[p]] }));
            break;
          case 'ROOTFI': {
            const fields = { name: 'n', type: 'DATA_MODEL_CHANGES', operations: ['CREATE'], data_models: ['INVOICES'], url, headers: {} };
            attempts.push(call(base, 'POST', '/v3/core/webhooks', h, { webhook: fields }));
            attempts.push(call(base, 'PUT', `/v3/core/webhooks/${theirs}`, h, fields));
            break;
          }
          case 'SUPEROFFICE': {
            const body = { Name: 'n', Events: [EVENT[p]], TargetUrl: url, Secret: 's' };
            attempts.push(call(base, 'POST', '/api/v1/Webhook', h, body));
            attempts.push(call(base, 'POST', '/api/v1/Webhook/Test', h, body));
            attempts.push(call(base, 'PUT', `/api/v1/Webhook/${theirs}`, h, body));
            break;
          }
        }
        for (const res of await Promise.all(attempts)) {
          // Each vendor's validation status: 422 for Booqable's JSON:API, 400 for the others.
          expect(res.status, `${p} ${url}`).toBe(p === 'BOOQABLE' ? 422 : 400);
          expect(JSON.stringify(res.body), `${p} ${url}`).toMatch(/delivery URL of this gateway/);
        }
      }
    }
    // A hook with a foreign URL written straight into the stored state (as if by an older version) is skipped too.
    const account = await t.sandboxAccount(a, 'PAYBOOK');
    const row = await t.app.services.store.sandbox.get('PAYBOOK', account);
    if (!row) throw new Error('no paybook account row');
    const state = JSON.parse(row.state) as { hooks: Array<Record<string, unknown>> };
    state.hooks.push({ ...state.hooks[0], id_webhook: 'f'.repeat(24), url: `${baitUrl}/planted` });
    expect(await t.app.services.store.sandbox.update({ ...row, state: JSON.stringify(state), version: row.version + 1 }, row.version)).toBe(
      true,
    );

    for (const p of PROVIDERS) {
      const { triggerSandboxEvent } = await gqlData(t.url, a.key, TriggerSandboxEventDocument, { provider: p, eventType: EVENT[p] });
      if (triggerSandboxEvent.__typename !== 'TriggerSandboxEventSuccess') throw new Error(`${p}: ${triggerSandboxEvent.__typename}`);
      // Only A's own webhook is delivered to, and it answers 200.
      expect(triggerSandboxEvent.data, p).toEqual([{ webhookId: hooksOfA.get(p)?.id, status: 200 }]);
    }
    expect(baitHits).toEqual([]);
  });

  it('connects a second tenant with connectSandbox, and each tenant receives only its own events', async () => {
    const c = await t.tenant('tenant-c');
    const { connectSandbox } = await gqlData(t.url, c.key, ConnectSandboxDocument, {});
    if (connectSandbox.__typename !== 'ConnectSandboxSuccess') throw new Error(connectSandbox.__typename);
    expect(connectSandbox.data.map((x) => x.provider).sort()).toEqual([...PROVIDERS].sort());
    const hooksOfC = new Map<ProviderKey, string>();
    for (const p of PROVIDERS) {
      expect(await t.sandboxAccount(c, p)).not.toBe(await t.sandboxAccount(a, p));
      const { createWebhook } = await gqlData(t.url, c.key, CreateWebhookDocument, { input: { provider: p, events: [EVENT[p]] } });
      if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(`${p}: ${createWebhook.__typename}`);
      hooksOfC.set(p, createWebhook.data.id);
    }
    const eventsOf = async (tenant: TestTenant) =>
      (await gqlData(t.url, tenant.key, EventsDocument, { first: 20 })).events.edges
        // SuperOffice's create pings the URL with a test event first; only triggered events count here.
        .filter((e) => !e.node.test)
        .map((e) => e.node.webhook?.id ?? null);
    const beforeA = await eventsOf(a);

    for (const p of PROVIDERS) {
      const { triggerSandboxEvent } = await gqlData(t.url, c.key, TriggerSandboxEventDocument, { provider: p, eventType: EVENT[p] });
      if (triggerSandboxEvent.__typename !== 'TriggerSandboxEventSuccess') throw new Error(`${p}: ${triggerSandboxEvent.__typename}`);
      expect(triggerSandboxEvent.data, p).toEqual([{ webhookId: hooksOfC.get(p), status: 200 }]);
    }
    const ofC = await eventsOf(c);
    expect(new Set(ofC)).toEqual(new Set(hooksOfC.values()));
    expect(ofC).toHaveLength(PROVIDERS.length);
    // A's log did not move, and none of C's webhooks appear in it.
    expect(await eventsOf(a)).toEqual(beforeA);
  });
});
