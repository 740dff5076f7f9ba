import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UnsupportedError, ValidationError } from '../../../src/domain/errors.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { BOOQABLE_MAX_PAGES, createBooqableClient, resolveBooqableApi } from '../../../src/providers/booqable/client.js';
import { booqableProvider } from '../../../src/providers/booqable/index.js';
import { findWebhook, requireMethod } from '../../../src/providers/connector.js';
import { createHttpClient } from '../../../src/providers/http.js';
import type { Connector } from '../../../src/providers/types.js';
import { createBooqableSandbox } from '../../../src/sandbox/booqable.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const spec: WebhookSpec = {
  url: 'https://hooks.example/hooks/w1/tok',
  events: ['customer.created', 'invoice.finalized'],
  name: 'billing',
  secret: 'unused-by-booqable',
  payloadVersion: null,
};

describe('Booqable paging without the sandbox', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((srv) => new Promise((r) => srv.close(r)))));

  /** A Booqable-like list that answers `pageOf(number)` for every page, counting requests. */
  async function vendor(pageOf: (number: number) => unknown): Promise<{ baseUrl: string; requests: () => number }> {
    let requests = 0;
    const srv = createServer((req, res) => {
      requests++;
      const number = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page[number]'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pageOf(number)));
    });
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    return { baseUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, requests: () => requests };
  }
  const item = (i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, url: `https://h.example/${i}`, events: [] });
  const client = (baseUrl: string) =>
    createBooqableClient({
      baseUrl,
      credentials: { apiKey: 'k' },
      http: createHttpClient('BOOQABLE', { retries: 0 }),
      saveCredentials: async () => {},
    });

  it("without a total, pages until a page is shorter than Booqable's own page size", async () => {
    // 30 a page of 75 endpoints: 30, 30, 15.
    const v = await vendor((n) => ({
      data: Array.from({ length: Math.max(0, Math.min(30, 75 - (n - 1) * 30)) }, (_, i) => item((n - 1) * 30 + i)),
    }));
    expect(await client(v.baseUrl).listAll()).toHaveLength(75);
    expect(v.requests()).toBe(3);
  });

  it('reads meta.stats.total.count as the total too', async () => {
    const v = await vendor((n) => ({ data: n <= 2 ? [item(n)] : [], meta: { stats: { total: { count: 2 } } } }));
    expect(await client(v.baseUrl).listAll()).toHaveLength(2);
    expect(v.requests()).toBe(2);
  });

  it(`refuses a list whose total never fills after ${BOOQABLE_MAX_PAGES} pages, rather than answer part of it`, async () => {
    const v = await vendor(() => ({ data: [item(1)], meta: { total: { count: 1_000_000 } } }));
    const err = await client(v.baseUrl)
      .listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(v.requests()).toBe(BOOQABLE_MAX_PAGES);
  });
});

describe('Booqable connector against the sandbox', () => {
  const sandbox = createBooqableSandbox();
  const account = 'acme';
  const apiKey = sandbox.credentialsFor(account)['apiKey'] ?? '';
  let server: SandboxServer;

  const ctx = ({ suffix = '', key = apiKey, timeoutMs = 2_000 }: { suffix?: string; key?: string; timeoutMs?: number } = {}) => ({
    baseUrl: server.mountUrl + sandbox.basePath(account) + suffix,
    credentials: booqableProvider.parseCredentials({ apiKey: key }),
    http: createHttpClient('BOOQABLE', { retries: 2, baseDelayMs: 1, timeoutMs }),
    saveCredentials: async () => {},
  });
  const connector = (opts?: Parameters<typeof ctx>[0]): Connector => booqableProvider.createConnector(ctx(opts));
  const last = () => sandbox.requests.at(-1);
  const collection = `/${account}/api/4/webhook_endpoints`;

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.reset());

  it('verifies credentials with a one-item list and a Bearer token', async () => {
    await connector().verifyCredentials();
    expect(sandbox.requests).toHaveLength(1);
    expect(last()).toMatchObject({ method: 'GET', path: collection, query: { 'page[size]': '1' }, body: null });
    expect(last()?.headers['authorization']).toBe(`Bearer ${apiKey}`);
  });

  it('creates an endpoint on /api/4 as a JSON:API document with version 4 by default', async () => {
    const [hook] = await connector().createWebhook(spec);
    expect(last()).toMatchObject({
      method: 'POST',
      path: collection,
      query: {},
      body: { data: { type: 'webhook_endpoints', attributes: { url: spec.url, events: spec.events, version: 4 } } },
    });
    expect(last()?.headers['content-type']).toBe('application/json');
    expect(last()?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(hook).toEqual({
      externalId: expect.stringMatching(UUID),
      url: spec.url,
      events: spec.events,
      name: null,
      status: 'ACTIVE',
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
      payloadVersion: '4',
    });
  });

  it("reports each endpoint's payload version, so a version changed at Booqable shows", async () => {
    const client = createBooqableClient(ctx());
    const v1 = await client.create({ url: 'https://hooks.example/v1', events: ['customer.created'], version: 1 });
    await connector().createWebhook(spec);
    const listed = await connector().listWebhooks();
    expect(listed.map((h) => [h.url, h.payloadVersion]).sort()).toEqual([
      ['https://hooks.example/hooks/w1/tok', '4'],
      ['https://hooks.example/v1', '1'],
    ]);
    await client.update(v1.id, { url: 'https://hooks.example/v1', events: ['customer.created'], version: 4 });
    expect((await findWebhook(connector(), v1.id))?.payloadVersion).toBe('4');
    // /api/boomerang answers have no version attribute: the version is not known there.
    expect((await connector({ suffix: '/api/boomerang' }).listWebhooks()).map((h) => h.payloadVersion)).toEqual([null, null]);
  });

  it('sends version 1 when the spec asks for form-encoded deliveries', async () => {
    await connector().createWebhook({ ...spec, payloadVersion: '1' });
    expect(last()?.body).toEqual({ data: { type: 'webhook_endpoints', attributes: { url: spec.url, events: spec.events, version: 1 } } });
    await expect(connector().createWebhook({ ...spec, payloadVersion: '2' })).rejects.toBeInstanceOf(ValidationError);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('talks to /api/boomerang only when the baseUrl ends with it, without a version attribute', async () => {
    const [hook] = await connector({ suffix: '/api/boomerang' }).createWebhook(spec);
    expect(last()).toMatchObject({ method: 'POST', path: `/${account}/api/boomerang/webhook_endpoints` });
    expect(last()?.body).toEqual({ data: { type: 'webhook_endpoints', attributes: { url: spec.url, events: spec.events } } });
    expect(hook?.events).toEqual(spec.events);
    await expect(connector({ suffix: '/api/boomerang' }).createWebhook({ ...spec, payloadVersion: '4' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await connector({ suffix: '/api/4/' }).verifyCredentials();
    expect(last()?.path).toBe(collection);
    expect(resolveBooqableApi('https://acme.booqable.com/api/boomerang')).toEqual({
      origin: 'https://acme.booqable.com',
      apiPath: 'boomerang',
      root: 'https://acme.booqable.com/api/boomerang',
    });
    expect(resolveBooqableApi('https://acme.booqable.com/api/4').root).toBe('https://acme.booqable.com/api/4');
    expect(resolveBooqableApi('https://acme.booqable.com/').root).toBe('https://acme.booqable.com/api/4');
  });

  it('lists with page[number], page[size], filter[attr][op], sort and fields in JSON:API query syntax', async () => {
    const client = createBooqableClient(ctx());
    for (const i of [0, 1, 2]) await client.create({ url: `https://hooks.example/${i}`, events: ['customer.created'], version: 4 });
    await client.create({ url: 'https://elsewhere.example/x', events: ['order.updated'], version: 1 });
    const page = await client.list({
      page: { number: 2, size: 2 },
      filter: { url: { prefix: 'https://hooks.example/' }, created_at: { gte: '2000-01-01T00:00:00Z' } },
      sort: '-url',
      fields: ['url', 'events'],
    });
    expect(last()).toMatchObject({
      method: 'GET',
      path: collection,
      query: {
        'page[number]': '2',
        'page[size]': '2',
        'filter[url][prefix]': 'https://hooks.example/',
        'filter[created_at][gte]': '2000-01-01T00:00:00Z',
        sort: '-url',
        'fields[webhook_endpoints]': 'url,events',
      },
    });
    expect(page).toEqual([{ id: expect.stringMatching(UUID), url: 'https://hooks.example/0', events: ['customer.created'] }]);
    const v1 = await client.list({ filter: { version: { eq: '1' } } });
    expect(v1.map((h) => h.url)).toEqual(['https://elsewhere.example/x']);
  });

  it('pages through every endpoint by meta[total], past pages shorter than the page size asked for', async () => {
    const client = createBooqableClient(ctx());
    for (let i = 0; i < 101; i++) await client.create({ url: `https://hooks.example/${i}`, events: ['customer.created'], version: 4 });
    sandbox.requests.length = 0;
    const hooks = await connector().listWebhooks();
    expect(hooks).toHaveLength(101);
    expect(new Set(hooks.map((h) => h.externalId)).size).toBe(101);
    // The sandbox, like Booqable may, answers fewer items than page[size] asks for: 50, 50, then 1.
    const query = (n: number) => ({ 'page[number]': String(n), 'page[size]': '100', sort: 'created_at', 'meta[total][]': 'count' });
    expect(sandbox.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', collection, query(1)],
      ['GET', collection, query(2)],
      ['GET', collection, query(3)],
    ]);
  });

  it('stops at the total, with one request when everything fits one page', async () => {
    await connector().createWebhook(spec);
    sandbox.requests.length = 0;
    expect(await connector().listWebhooks()).toHaveLength(1);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('updates in place with PUT and a JSON:API document carrying the id', async () => {
    const [hook] = await connector().createWebhook(spec);
    const id = hook?.externalId ?? '';
    const [updated] = await connector().updateWebhook([id], { ...spec, events: ['order.reserved'], payloadVersion: '1' });
    expect(last()).toMatchObject({
      method: 'PUT',
      path: `${collection}/${id}`,
      body: { data: { type: 'webhook_endpoints', id, attributes: { url: spec.url, events: ['order.reserved'], version: 1 } } },
    });
    expect(last()?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(updated).toMatchObject({ externalId: id, url: spec.url, events: ['order.reserved'], status: 'ACTIVE' });
  });

  it('gets one endpoint by filtering the list on filter[id][eq], and answers null for an unknown id', async () => {
    const [hook] = await connector().createWebhook(spec);
    const id = hook?.externalId ?? '';
    expect(await findWebhook(connector(), id)).toMatchObject({ externalId: id, events: spec.events, status: 'ACTIVE' });
    expect(last()).toMatchObject({ method: 'GET', path: collection, query: { 'filter[id][eq]': id } });
    expect(await findWebhook(connector(), '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('deletes with DELETE and treats an endpoint Booqable no longer has as deleted', async () => {
    const [hook] = await connector().createWebhook(spec);
    const id = hook?.externalId ?? '';
    const gone = '00000000-0000-4000-8000-000000000000';
    await connector().deleteWebhook([id, gone]);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.headers['authorization']])).toEqual([
      [`${collection}/${id}`, `Bearer ${apiKey}`],
      [`${collection}/${gone}`, `Bearer ${apiKey}`],
    ]);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('has no test delivery and no state to toggle', async () => {
    expect(() => requireMethod(booqableProvider, connector(), 'sendTestEvent')).toThrow(UnsupportedError);
    expect(() => requireMethod(booqableProvider, connector(), 'setEnabled')).toThrow(UnsupportedError);
    expect(sandbox.requests).toHaveLength(0);
    expect(booqableProvider.capabilities).toEqual({
      multipleEventsPerWebhook: true,
      updateInPlace: true,
      getOne: false,
      testEndpoint: false,
      signedDeliveries: false,
      reportsStatus: false,
    });
    expect(booqableProvider.defaultBaseUrl).toBeNull();
    expect(booqableProvider.verifyDelivery).toBeUndefined();
  });

  it('refuses empty or header-breaking api keys', () => {
    expect(() => booqableProvider.parseCredentials({ apiKey: ' ' })).toThrow(ValidationError);
    expect(() => booqableProvider.parseCredentials({ apiKey: 'a\r\nx-evil: 1' })).toThrow(ValidationError);
    expect(() => booqableProvider.parseCredentials({})).toThrow(ValidationError);
    expect(booqableProvider.parseCredentials({ apiKey: ' k ' })).toEqual({ apiKey: 'k' });
  });

  it('surfaces a 422 as a ProviderError without the vendor detail', async () => {
    const err = await connector()
      .createWebhook({ ...spec, events: ['widget.exploded'] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 422, provider: 'BOOQABLE' });
    expect((err as Error).message).not.toContain('widget.exploded');
  });

  it('refuses a 2xx answer it cannot read without echoing it', async () => {
    sandbox.injectFault({ status: 200, rawBody: '{"data":{"secret-detail":1}}', method: 'POST' });
    const err = (await connector()
      .createWebhook(spec)
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/could not read/);
    expect(err.message).not.toContain('secret-detail');
  });

  describe('vendor faults', () => {
    it('waits for Retry-After on a 429 and then succeeds', async () => {
      sandbox.injectFault({ status: 429, retryAfter: '1', method: 'GET' });
      const started = Date.now();
      expect(await connector().listWebhooks()).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(sandbox.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    });

    it('retries a 500 on idempotent calls (list, PUT) and then succeeds', async () => {
      sandbox.injectFault({ status: 500, method: 'GET' });
      expect(await connector().listWebhooks()).toEqual([]);
      expect(sandbox.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
      const [hook] = await connector().createWebhook(spec);
      sandbox.injectFault({ status: 500, method: 'PUT' });
      const [updated] = await connector().updateWebhook([hook?.externalId ?? ''], spec);
      expect(updated?.externalId).toBe(hook?.externalId);
      expect(sandbox.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
    });

    it('does not retry a POST that got a 500, since Booqable may have applied it', async () => {
      sandbox.injectFault({ status: 500, method: 'POST' });
      const err = await connector()
        .createWebhook(spec)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ status: 500, retryable: true });
      expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it('times out a vendor that does not answer', async () => {
      sandbox.injectFault({ delayMs: 400, count: 3 });
      await expect(connector({ timeoutMs: 80 }).listWebhooks()).rejects.toThrow(/did not answer within 80 ms/);
      expect(sandbox.requests).toHaveLength(3);
    });

    it('refuses a body that is not JSON without putting it in the message', async () => {
      sandbox.injectFault({ status: 200, rawBody: '<html>internal-stack-trace</html>', count: 3 });
      const err = (await connector()
        .listWebhooks()
        .catch((e: unknown) => e)) as ProviderError;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.message).toMatch(/not valid JSON/);
      expect(err.message).not.toContain('internal-stack-trace');
    });

    it('answers 401 to a wrong token, or to another company token, as a ProviderError without the token', async () => {
      for (const key of ['wrong-token-1234567', sandbox.credentialsFor('other-company')['apiKey'] ?? '']) {
        const err = (await connector({ key })
          .verifyCredentials()
          .catch((e: unknown) => e)) as ProviderError;
        expect(err).toBeInstanceOf(ProviderError);
        expect(err.status).toBe(401);
        expect(err.message).not.toContain(key);
      }
      expect(sandbox.requests).toHaveLength(2);
    });
  });
});
