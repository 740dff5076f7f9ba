import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UnsupportedError, ValidationError } from '../../../src/domain/errors.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { createBooqableClient } from '../../../src/providers/booqable/client.js';
import { booqableProvider } from '../../../src/providers/booqable/index.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { createBooqableSandbox } from '../../../src/sandbox/booqable.js';
import { itSurvivesVendorFaults } from '../../utils/fault-suite.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

describe('Booqable connector against the sandbox', () => {
  const sandbox = createBooqableSandbox();
  let server: SandboxServer;
  const spec: WebhookSpec = {
    url: 'https://hooks.example/hooks/1/tok',
    events: ['customer.created', 'invoice.finalized'],
    name: 'n',
    secret: 's',
    payloadVersion: null,
  };
  const ctx = (suffix = '', apiKey = sandbox.credentialsFor('acme')['apiKey'] as string, timeoutMs = 2_000) => ({
    baseUrl: server.mountUrl + suffix,
    credentials: { apiKey },
    http: createHttpClient('BOOQABLE', { retries: 2, baseDelayMs: 1, timeoutMs }),
    saveCredentials: async () => {},
  });
  const connector = (...a: Parameters<typeof ctx>) => booqableProvider.createConnector(ctx(...a));

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.reset());

  it('creates an endpoint on /api/4 as a JSON:API resource with version 4 by default, answered 201', async () => {
    const [hook] = await connector().createWebhook(spec);
    const post = sandbox.requests.at(-1);
    expect(post).toMatchObject({ method: 'POST', path: '/api/4/webhook_endpoints' });
    expect(post?.headers['authorization']).toBe('Bearer sbx-bq-acme');
    expect(post?.body).toEqual({ data: { type: 'webhook_endpoints', attributes: { url: spec.url, events: spec.events, version: 4 } } });
    expect(hook).toMatchObject({ url: spec.url, events: spec.events, status: 'ACTIVE' });
    expect(hook?.externalId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends version 1 when asked, and no version on /api/boomerang', async () => {
    await connector().createWebhook({ ...spec, payloadVersion: '1' });
    expect((sandbox.requests.at(-1)!.body as { data: { attributes: { version: number } } }).data.attributes.version).toBe(1);
    await connector('/api/boomerang').createWebhook(spec);
    expect(sandbox.requests.at(-1)).toMatchObject({
      path: '/api/boomerang/webhook_endpoints',
      body: { data: { attributes: { url: spec.url, events: spec.events } } },
    });
    expect((sandbox.requests.at(-1)!.body as { data: { attributes: Record<string, unknown> } }).data.attributes).not.toHaveProperty(
      'version',
    );
    await expect(connector('/api/boomerang').createWebhook({ ...spec, payloadVersion: '4' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('lists with page, size, filter and sort in JSON:API query syntax, paging through everything', async () => {
    const client = createBooqableClient(ctx());
    for (let i = 0; i < 3; i++) await client.create(`https://hooks.example/${i}`, ['customer.created'], '4');
    const page = await client.list({
      page: { number: 2, size: 2 },
      sort: '-created_at',
      filter: { url: { prefix: 'https://hooks.example/' } },
      fields: ['url', 'events'],
    });
    expect(sandbox.requests.at(-1)?.query).toEqual({
      'page[number]': '2',
      'page[size]': '2',
      sort: '-created_at',
      'filter[url][prefix]': 'https://hooks.example/',
      'fields[webhook_endpoints]': 'url,events',
    });
    expect(page).toHaveLength(1);
    expect(await connector().listWebhooks()).toHaveLength(3);
  });

  it('updates in place with PUT and a JSON:API body carrying the id', async () => {
    const [hook] = await connector().createWebhook(spec);
    const [updated] = await connector().updateWebhook([hook?.externalId ?? ''], { ...spec, events: ['order.reserved'] });
    expect(sandbox.requests.at(-1)).toMatchObject({
      method: 'PUT',
      path: `/api/4/webhook_endpoints/${hook?.externalId}`,
      body: {
        data: { type: 'webhook_endpoints', id: hook?.externalId, attributes: { url: spec.url, events: ['order.reserved'], version: 4 } },
      },
    });
    expect(updated?.externalId).toBe(hook?.externalId);
    expect(updated?.events).toEqual(['order.reserved']);
  });

  it('gets one by filtering the list on id, and deletes (tolerating a 404)', async () => {
    const [hook] = await connector().createWebhook(spec);
    expect((await connector().getWebhook(hook?.externalId ?? ''))?.events).toEqual(spec.events);
    expect(sandbox.requests.at(-1)?.query).toEqual({ 'filter[id][eq]': hook?.externalId });
    await connector().deleteWebhook([hook?.externalId ?? '', '00000000-0000-4000-8000-000000000000']);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/api/4/webhook_endpoints/${hook?.externalId}`,
      '/api/4/webhook_endpoints/00000000-0000-4000-8000-000000000000',
    ]);
    expect(await connector().getWebhook(hook?.externalId ?? '')).toBeNull();
  });

  it('surfaces 401 and 422 as ProviderErrors without the token or the vendor detail', async () => {
    const err = (await connector('', 'bad-token-xyz')
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toMatchObject({ status: 401 });
    expect(err.message).not.toContain('bad-token-xyz');
    const invalid = (await connector()
      .createWebhook({ ...spec, events: ['not.an.event'] })
      .catch((e: unknown) => e)) as ProviderError;
    expect(invalid).toBeInstanceOf(ProviderError);
    expect(invalid.status).toBe(422);
    expect(invalid.message).not.toContain('known event names');
  });

  itSurvivesVendorFaults(
    sandbox,
    (timeoutMs) => connector('', undefined, timeoutMs),
    (c) => c.createWebhook(spec),
  );

  it('has no test endpoint or state', async () => {
    await expect(connector().sendTestEvent([], spec)).rejects.toBeInstanceOf(UnsupportedError);
    await expect(connector().setEnabled([], true)).rejects.toBeInstanceOf(UnsupportedError);
  });
});
