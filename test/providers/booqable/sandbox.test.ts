import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { parseBody } from '../../../src/ingest/parse-body.js';
import { booqableProvider } from '../../../src/providers/booqable/index.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { createBooqableSandbox } from '../../../src/sandbox/booqable.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Booqable sandbox', () => {
  const sandbox = createBooqableSandbox();
  let vendor: SandboxServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Received[] = [];

  const connect = (account: string, suffix = '') =>
    booqableProvider.createConnector({
      baseUrl: vendor.mountUrl + sandbox.basePath(account) + suffix,
      credentials: booqableProvider.parseCredentials(sandbox.credentialsFor(account)),
      http: createHttpClient('BOOQABLE', { retries: 0 }),
      saveCredentials: async () => {},
    });
  const spec = (path: string, events: string[], payloadVersion: string | null): WebhookSpec => ({
    url: `${receiverUrl}${path}`,
    events,
    name: 'n',
    secret: 's',
    payloadVersion,
  });
  /** A raw call, to see Booqable's status codes and bodies as the vendor sends them. */
  async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: { token?: string; body?: unknown } = {}) {
    const res = await request(vendor.mountUrl + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(opts.token !== undefined && { authorization: `Bearer ${opts.token}` }),
      },
      ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  }
  const token = (account: string) => sandbox.credentialsFor(account)['apiKey'] ?? '';

  beforeAll(async () => {
    vendor = await startSandboxServer(sandbox);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await vendor.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(() => {
    sandbox.reset();
    received.length = 0;
  });

  it("delivers each subscribed hook of the account in its version's format, and no other hook", async () => {
    await connect('a').createWebhook(spec('/a-v1', ['customer.created'], '1'));
    await connect('a').createWebhook(spec('/a-v4', ['customer.created', 'order.updated'], '4'));
    await connect('a').createWebhook(spec('/a-other', ['invoice.created'], '4'));
    await connect('b').createWebhook(spec('/b-v4', ['customer.created'], '4'));

    const deliveries = await sandbox.trigger('customer.created', { account: 'a' });
    expect(deliveries.map((d) => [d.url.replace(receiverUrl, ''), d.status]).sort()).toEqual([
      ['/a-v1', 200],
      ['/a-v4', 200],
    ]);
    expect(received.map((r) => r.path).sort()).toEqual(['/a-v1', '/a-v4']);

    const v1 = received.find((r) => r.path === '/a-v1');
    expect(v1?.contentType).toBe('application/x-www-form-urlencoded');
    expect(v1?.body).toMatch(/(^|&)data%5Bid%5D=/);
    const form = qs.parse(v1?.body ?? '') as Record<string, unknown>;
    expect(form).toMatchObject({ event: 'customer.created', object: 'Customer', data: { name: 'Jane Doe', archived: 'false' } });
    expect(form['id']).toMatch(UUID);
    expect(form['created_at']).toMatch(STAMP);

    const v4 = received.find((r) => r.path === '/a-v4');
    expect(v4?.contentType).toBe('application/json');
    const json = JSON.parse(v4?.body ?? '{}') as Record<string, unknown>;
    expect(json).toMatchObject({ event: 'customer.created', resource_type: 'customers', data: { name: 'Jane Doe', archived: false } });
    expect(json).not.toHaveProperty('object');
    expect(json['id']).not.toBe(form['id']);

    for (const r of [v1, v4]) {
      const rawBody = Buffer.from(r?.body ?? '');
      const [event] = booqableProvider.normalize({
        headers: { 'content-type': r?.contentType },
        rawBody,
        body: parseBody(r?.contentType, rawBody),
        webhook: { id: 'w', events: ['customer.created'], externalIds: [] },
      });
      expect(event).toMatchObject({ type: 'customer.created', resource: { type: 'customer', id: expect.stringMatching(UUID) } });
      expect(event?.occurredAt).toBeInstanceOf(Date);
    }
  });

  it('delivers order.saved_as_draft to a hook subscribed to its old name, and v1 to boomerang endpoints', async () => {
    await connect('a').createWebhook(spec('/concept', ['order.saved_as_concept'], '4'));
    await connect('a', '/api/boomerang').createWebhook(spec('/legacy', ['order.saved_as_draft'], null));
    const deliveries = await sandbox.trigger('order.saved_as_draft', { account: 'a' });
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    const concept = received.find((r) => r.path === '/concept');
    expect(JSON.parse(concept?.body ?? '{}')).toMatchObject({
      event: 'order.saved_as_draft',
      resource_type: 'orders',
      data: { status: 'draft' },
    });
    const legacy = received.find((r) => r.path === '/legacy');
    expect(legacy?.contentType).toBe('application/x-www-form-urlencoded');
    expect(qs.parse(legacy?.body ?? '')).toMatchObject({ event: 'order.saved_as_draft', object: 'Order', data: { status: 'concept' } });
  });

  it('refuses to trigger a name outside the catalogue, and reports an unreachable receiver as null', async () => {
    await expect(sandbox.trigger('widget.exploded', { account: 'a' })).rejects.toThrow(/no event/);
    await connect('a').createWebhook({ ...spec('/x', ['payment.completed'], '4'), url: 'http://127.0.0.1:1/down' });
    expect(await sandbox.trigger('payment.completed', { account: 'a' })).toEqual([{ url: 'http://127.0.0.1:1/down', status: null }]);
  });

  it('answers 401 in JSON:API shape without a token, with a wrong one, and with another company token', async () => {
    for (const t of [undefined, 'nope', token('b')]) {
      const res = await call('GET', '/a/api/4/webhook_endpoints', t === undefined ? {} : { token: t });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ status: '401', title: 'Unauthorized', detail: expect.any(String) }] });
    }
  });

  it('creates with 201 and Booqable ids and timestamps, and lists items flattened, per company', async () => {
    const attributes = { url: 'https://hooks.example/1', events: ['customer.created'] };
    const created = await call('POST', '/a/api/4/webhook_endpoints', {
      token: token('a'),
      body: { data: { type: 'webhook_endpoints', attributes } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      data: {
        id: expect.stringMatching(UUID),
        type: 'webhook_endpoints',
        attributes: { ...attributes, version: 1, created_at: expect.stringMatching(STAMP), updated_at: expect.stringMatching(STAMP) },
      },
      meta: {},
    });
    const listed = await call('GET', '/a/api/4/webhook_endpoints', { token: token('a') });
    expect(listed.body['data']).toEqual([
      { id: expect.stringMatching(UUID), ...attributes, version: 1, created_at: expect.any(String), updated_at: expect.any(String) },
    ]);
    const legacy = await call('GET', '/a/api/boomerang/webhook_endpoints', { token: token('a') });
    expect((legacy.body['data'] as Array<Record<string, unknown>>)[0]).not.toHaveProperty('version');
    expect((await call('GET', '/b/api/4/webhook_endpoints', { token: token('b') })).body['data']).toEqual([]);
  });

  it('answers 422 for a missing url or an unknown event, and 404 for an unknown id', async () => {
    const post = (attributes: Record<string, unknown>) =>
      call('POST', '/a/api/4/webhook_endpoints', { token: token('a'), body: { data: { type: 'webhook_endpoints', attributes } } });
    const noUrl = await post({ events: ['customer.created'] });
    expect(noUrl.status).toBe(422);
    expect(noUrl.body).toEqual({
      errors: [{ status: '422', title: 'Unprocessable Entity', detail: "url can't be blank", source: { pointer: '/data/attributes/url' } }],
    });
    const unknown = await post({ url: 'https://hooks.example/1', events: ['customer.exploded'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ errors: [{ status: '422', source: { pointer: '/data/attributes/events' } }] });
    expect((await post({ url: 'https://hooks.example/1', events: ['customer.created'], version: 2 })).status).toBe(422);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const method of ['PUT', 'DELETE'] as const) {
      const res = await call(method, `/a/api/4/webhook_endpoints/${id}`, {
        token: token('a'),
        ...(method === 'PUT' && { body: { data: { type: 'webhook_endpoints', id, attributes: { url: 'https://x.example' } } } }),
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ errors: [{ status: '404', title: 'Not Found' }] });
    }
  });

  it('answers a DELETE with the record and events emptied', async () => {
    const [hook] = await connect('a').createWebhook(spec('/gone', ['quote.signed'], '4'));
    const res = await call('DELETE', `/a/api/4/webhook_endpoints/${hook?.externalId}`, { token: token('a') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: { id: hook?.externalId, type: 'webhook_endpoints', attributes: { events: [], version: 4 } } });
    expect(await connect('a').listWebhooks()).toEqual([]);
  });
});
