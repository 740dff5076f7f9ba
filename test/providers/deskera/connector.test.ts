import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UnsupportedError } from '../../../src/domain/errors.js';
import { webhookIdOfDeliveryUrl } from '../../../src/domain/delivery-url.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { createDeskeraClient, type DeskeraCredentials } from '../../../src/providers/deskera/client.js';
import { deskeraProvider } from '../../../src/providers/deskera/index.js';
import { findWebhook, requireMethod } from '../../../src/providers/connector.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { createDeskeraSandbox } from '../../../src/sandbox/deskera.js';
import { itSurvivesVendorFaults } from '../../utils/fault-suite.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

describe('Deskera connector against the sandbox', () => {
  const sandbox = createDeskeraSandbox();
  let server: SandboxServer;
  let saved: DeskeraCredentials[] = [];
  const account = 'acme';
  const spec: WebhookSpec = {
    url: 'https://hooks.example/hooks/1/tok',
    events: ['CREATE_INVOICE', 'UPDATE_INVOICE'],
    name: 'n',
    secret: 's',
    payloadVersion: null,
  };

  const connector = (credentials = deskeraProvider.parseCredentials(sandbox.credentialsFor(account)), timeoutMs = 2_000) =>
    deskeraProvider.createConnector({
      baseUrl: server.mountUrl,
      credentials,
      http: createHttpClient('DESKERA', { retries: 2, baseDelayMs: 1, timeoutMs }),
      saveCredentials: async (c) => void saved.push(c),
    });

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    sandbox.reset();
    saved = [];
  });

  it('validates the token with GET /v1/iam/token/app/validate and x-access-token', async () => {
    await connector().verifyCredentials();
    const [r] = sandbox.requests;
    expect(r).toMatchObject({ method: 'GET', path: '/v1/iam/token/app/validate' });
    expect(r?.headers['x-access-token']).toBe(sandbox.credentialsFor(account)['accessToken']);
  });

  it('registers one hook per event, each at the delivery URL tagged with its event code, and lists them', async () => {
    const created = await connector().createWebhook(spec);
    expect(created.map((h) => h.events)).toEqual([['CREATE_INVOICE'], ['UPDATE_INVOICE']]);
    expect(created.map((h) => h.url)).toEqual([`${spec.url}/CREATE_INVOICE`, `${spec.url}/UPDATE_INVOICE`]);
    expect(created.every((h) => h.status === 'ACTIVE')).toBe(true);
    const posts = sandbox.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual(['/v1/webhooks/register', '/v1/webhooks/register']);
    expect(posts[0]?.body).toEqual({
      ...sandbox.credentialsFor(account),
      eventType: 'CREATE_INVOICE',
      webhookUrl: `${spec.url}/CREATE_INVOICE`,
    });
    expect(posts[0]?.headers['content-type']).toBe('application/json');
    const listed = await connector().listWebhooks();
    expect(listed.map((h) => h.externalId).sort()).toEqual(created.map((h) => h.externalId).sort());
    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/webhooks' });
  });

  it("lists each hook with the vendor's URL as is, from which the webhook id is read back", async () => {
    const url = 'https://gw.example/hooks/0b9c1d5e-8f5a-4c6e-9d7a-3f2e1b0c4d5a/abcdefghijklmnop0123';
    await connector().createWebhook({ ...spec, url });
    const listed = await connector().listWebhooks();
    expect(listed.map((h) => h.url).sort()).toEqual([`${url}/CREATE_INVOICE`, `${url}/UPDATE_INVOICE`]);
    expect(listed.map((h) => webhookIdOfDeliveryUrl(h.url))).toEqual([
      '0b9c1d5e-8f5a-4c6e-9d7a-3f2e1b0c4d5a',
      '0b9c1d5e-8f5a-4c6e-9d7a-3f2e1b0c4d5a',
    ]);
  });

  it('replaces on update a hook still at the untagged URL with a tagged one', async () => {
    const client = createDeskeraClient({
      baseUrl: server.mountUrl,
      credentials: deskeraProvider.parseCredentials(sandbox.credentialsFor(account)),
      http: createHttpClient('DESKERA', { retries: 0 }),
      saveCredentials: async () => {},
    });
    const legacy = await client.register('CREATE_INVOICE', spec.url);
    const updated = await connector().updateWebhook([String(legacy.hookId)], { ...spec, events: ['CREATE_INVOICE'] });
    expect(updated.map((h) => [h.events[0], h.url])).toEqual([['CREATE_INVOICE', `${spec.url}/CREATE_INVOICE`]]);
    expect(updated[0]?.externalId).not.toBe(String(legacy.hookId));
    expect((await connector().listWebhooks()).map((h) => h.externalId)).toEqual([updated[0]?.externalId]);
  });

  it('updates by keeping matching hooks, registering missing events and deregistering the rest', async () => {
    const created = await connector().createWebhook(spec);
    const updated = await connector().updateWebhook(
      created.map((h) => h.externalId),
      { ...spec, events: ['CREATE_INVOICE', 'STOCK_IN'] },
    );
    expect(updated.map((h) => h.events[0]).sort()).toEqual(['CREATE_INVOICE', 'STOCK_IN']);
    expect(updated.find((h) => h.events[0] === 'CREATE_INVOICE')?.externalId).toBe(created[0]?.externalId);
    const deletes = sandbox.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([`/v1/webhooks/delete/${created[1]?.externalId}`]);
  });

  it('deregisters with DELETE /v1/webhooks/delete/{id}, ignoring hooks already gone', async () => {
    const created = await connector().createWebhook(spec);
    await connector().deleteWebhook([...created.map((h) => h.externalId), '999999']);
    expect(await connector().listWebhooks()).toEqual([]);
    expect(await findWebhook(connector(), created[0]?.externalId ?? '')).toBeNull();
  });

  it('rolls back hooks already registered when a later registration fails', async () => {
    const failing = connector();
    const promise = failing.createWebhook({ ...spec, events: ['CREATE_BILL', 'NOT_AN_EVENT'] });
    await expect(promise).rejects.toBeInstanceOf(ProviderError);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('refreshes an expired token once with Basic client credentials, saves it and repeats the call', async () => {
    const creds = deskeraProvider.parseCredentials(sandbox.credentialsFor(account));
    sandbox.expireAccessToken(account);
    await connector(creds).listWebhooks();
    const paths = sandbox.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['GET /v1/webhooks', 'POST /v2/oauth/token', 'GET /v1/webhooks']);
    const refresh = sandbox.requests[1];
    expect(refresh?.query).toEqual({ grant_type: 'refresh_token', refresh_token: creds.refreshToken });
    expect(refresh?.headers['authorization']).toBe(`Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.accessToken).toBe(sandbox.credentialsFor(account)['accessToken']);
    expect(sandbox.requests[2]?.headers['x-access-token']).toBe(saved[0]?.accessToken);
  });

  it('gives up with a 401 ProviderError when the refresh is refused, without echoing credentials', async () => {
    const creds = {
      ...deskeraProvider.parseCredentials(sandbox.credentialsFor(account)),
      accessToken: 'stale-token-123',
      refreshToken: 'revoked-refresh-456',
    };
    const err = (await connector(creds)
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(401);
    expect(err.message).not.toMatch(/stale-token-123|revoked-refresh-456/);
  });

  itSurvivesVendorFaults(
    sandbox,
    (timeoutMs) => connector(undefined, timeoutMs),
    (c) => c.createWebhook({ ...spec, events: ['CREATE_BILL'] }),
  );

  it('has no test endpoint or state to change', async () => {
    expect(() => requireMethod(deskeraProvider, connector(), 'sendTestEvent')).toThrow(UnsupportedError);
    expect(() => requireMethod(deskeraProvider, connector(), 'setEnabled')).toThrow(UnsupportedError);
  });
});
