import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/providers/http.js';
import { rootfiProvider } from '../../../src/providers/rootfi/index.js';
import type { Connector } from '../../../src/providers/types.js';
import { BATCH_RECORDS, createRootfiSandbox } from '../../../src/sandbox/rootfi.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

describe('RootFi sandbox', () => {
  const sandbox = createRootfiSandbox();
  let server: SandboxServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  beforeEach(() => {
    sandbox.reset();
    received.length = 0;
  });

  const connector = (account: string): Connector =>
    rootfiProvider.createConnector({
      baseUrl: server.mountUrl + sandbox.basePath(account),
      credentials: rootfiProvider.parseCredentials(sandbox.credentialsFor(account)),
      http: createHttpClient('ROOTFI', { retries: 0 }),
      saveCredentials: async () => {},
    });
  const register = (account: string, path: string, events: string[], secret = `secret-${path}`) =>
    connector(account).createWebhook({ url: `${receiverUrl}${path}`, events, name: path, secret, payloadVersion: null });

  const api = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    apiKey: string | null = sandbox.credentialsFor('acme')['apiKey'] ?? null,
  ) => {
    const res = await request(`${server.mountUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(apiKey ? { api_key: apiKey } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };

  it('delivers a data model change only to hooks of that account covering the data model and operation', async () => {
    await register('acme', '/a-invoices', ['INVOICES:CREATE', 'INVOICES:UPDATE']);
    await register('acme', '/a-bills', ['BILLS:CREATE']);
    await register('acme', '/a-sync', ['SYNC_COMPLETED']);
    await register('globex', '/g-invoices', ['INVOICES:CREATE']);

    const deliveries = await sandbox.trigger('INVOICES:CREATE', { account: 'acme' });
    expect(deliveries).toEqual([{ url: `${receiverUrl}/a-invoices`, status: 200 }]);
    expect(received).toHaveLength(1);
    const [got] = received;
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-hookgraph-secret']).toBe('secret-/a-invoices');
    expect(rootfiProvider.verifyDelivery!(got!.headers, got!.raw, 'secret-/a-invoices')).toBe(true);
    const body = JSON.parse(got!.raw.toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({
      webhook_type: 'DATA_MODEL_CHANGES',
      data_model: 'INVOICES',
      type: 'CREATE',
      no_of_records: 1,
      integration_type: 'XERO',
    });
    expect(body['rootfi_id']).toMatch(/^[A-Za-z0-9]{15}$/);
    expect(typeof body['company_id']).toBe('number');
    const [event] = rootfiProvider.normalize({
      headers: got!.headers,
      rawBody: got!.raw,
      body,
      webhook: { id: 'w', events: [], externalIds: [] },
    });
    expect(event).toMatchObject({ type: 'invoice.created', providerEventType: 'INVOICES:CREATE', vendorEventId: body['rootfi_id'] });
    expect(event?.resource?.id).toMatch(/^\d+$/);

    expect(await sandbox.trigger('INVOICES:DELETE', { account: 'acme' })).toEqual([]);
    expect(await sandbox.trigger('INVOICES:CREATE', { account: 'nobody' })).toEqual([]);
  });

  it('delivers SYNC_COMPLETED and CONNECTION_CHANGED in their documented shapes', async () => {
    await register('acme', '/sync', ['SYNC_COMPLETED']);
    await register('acme', '/conn', ['CONNECTION_CHANGED']);
    await sandbox.trigger('SYNC_COMPLETED', { account: 'acme' });
    await sandbox.trigger('CONNECTION_CHANGED', { account: 'acme' });
    expect(received.map((r) => r.path)).toEqual(['/sync', '/conn']);
    const sync = JSON.parse(received[0]!.raw.toString('utf8')) as Record<string, unknown>;
    expect(sync).toMatchObject({ webhook_type: 'SYNC_COMPLETED', data: { status: 'SUCCESS', type: 'PULL' } });
    const conn = JSON.parse(received[1]!.raw.toString('utf8')) as Record<string, unknown>;
    expect(conn).toMatchObject({ webhook_type: 'CONNECTION_CHANGED', connection_status: 'HEALTHY', integration_type: 'XERO' });
    expect(conn).not.toHaveProperty('rootfi_id');
    const norm = (raw: Buffer) =>
      rootfiProvider.normalize({
        headers: {},
        rawBody: raw,
        body: JSON.parse(raw.toString('utf8')),
        webhook: { id: 'w', events: [], externalIds: [] },
      })[0];
    expect(norm(received[0]!.raw)).toMatchObject({
      type: 'sync.completed',
      resource: { type: 'sync', id: (sync['data'] as { id: string }).id },
    });
    expect(norm(received[1]!.raw)).toMatchObject({
      type: 'connection.changed',
      resource: { type: 'connection', id: String(conn['company_id']) },
    });
  });

  it('can deliver the legacy single-record shape', async () => {
    await register('acme', '/legacy', ['ACCOUNTS:UPDATE']);
    await sandbox.trigger('ACCOUNTS:UPDATE', { account: 'acme', shape: 'legacy' });
    const body = JSON.parse(received[0]!.raw.toString('utf8')) as Record<string, unknown>;
    expect(body).not.toHaveProperty('webhook_type');
    expect(Array.isArray(body['data'])).toBe(false);
    expect(body).toMatchObject({ data_model: 'ACCOUNTS', type: 'UPDATE' });
  });

  it("delivers a batch of several records in one DATA_MODEL_CHANGES body on shape 'batch', read as one event per record", async () => {
    await register('acme', '/batch', ['CONTACTS:UPDATE']);
    await sandbox.trigger('CONTACTS:UPDATE', { account: 'acme', shape: 'batch' });
    const body = JSON.parse(received[0]!.raw.toString('utf8')) as { no_of_records: number; data: Array<{ platform_id: string }> };
    expect(body.no_of_records).toBe(BATCH_RECORDS);
    expect(body.data).toHaveLength(BATCH_RECORDS);
    const events = rootfiProvider.normalize({
      headers: {},
      rawBody: received[0]!.raw,
      body,
      webhook: { id: 'w', events: [], externalIds: [] },
    });
    expect(events.map((e) => e.resource?.id)).toEqual(body.data.map((r) => r.platform_id));
    expect(new Set(events.map((e) => e.dedupKey)).size).toBe(BATCH_RECORDS);
  });

  it("reports a failed sync on shape 'failed', read as sync.failed", async () => {
    await register('acme', '/sync', ['SYNC_COMPLETED']);
    await sandbox.trigger('SYNC_COMPLETED', { account: 'acme', shape: 'failed' });
    const body = JSON.parse(received[0]!.raw.toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({ webhook_type: 'SYNC_COMPLETED', data: { status: 'FAILED', failed_jobs_count: 2 } });
    const [event] = rootfiProvider.normalize({
      headers: {},
      rawBody: received[0]!.raw,
      body,
      webhook: { id: 'w', events: [], externalIds: [] },
    });
    expect(event).toMatchObject({ type: 'sync.failed', providerEventType: 'SYNC_COMPLETED' });
  });

  it('refuses to trigger a name outside the catalogue', async () => {
    await expect(sandbox.trigger('INVOICES:ARCHIVE', { account: 'acme' })).rejects.toThrow(/unknown event type/);
  });

  it('answers 401 in RootFi error shape without a valid api_key', async () => {
    const acme = sandbox.credentialsFor('acme')['apiKey'] ?? '';
    // The old derived key, a forged secret on acme's account id, and another account's key for nobody.
    for (const key of [
      null,
      'live-key',
      'sbx-',
      'sbx-acme',
      `${acme.slice(0, -1)}${acme.endsWith('A') ? 'B' : 'A'}`,
      `sbx-rf-nobody.${'A'.repeat(43)}`,
    ]) {
      const res = await api('GET', '/v3/core/webhooks', undefined, key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { message: expect.any(String), code: 'UNAUTHORIZED', field: 'api_key' } });
    }
  });

  it('validates the create body: wrapped, enums checked, all fields required', async () => {
    const good = {
      operations: ['CREATE'],
      name: 'n',
      type: 'DATA_MODEL_CHANGES',
      data_models: ['ACCOUNTS'],
      url: 'https://x.example/h',
      headers: {},
    };
    const unwrapped = await api('POST', '/v3/core/webhooks', good);
    expect(unwrapped).toEqual({ status: 400, body: { error: { message: expect.any(String), code: 'INVALID_FIELD', field: 'webhook' } } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'SYNC_STARTED' }, 'webhook.type'],
      [{ operations: ['ARCHIVE'] }, 'webhook.operations'],
      [{ operations: [] }, 'webhook.operations'],
      [{ data_models: ['WIDGETS'] }, 'webhook.data_models'],
      [{ url: 'not a url' }, 'webhook.url'],
      [{ name: undefined }, 'webhook.name'],
      [{ headers: { a: 1 } }, 'webhook.headers'],
    ];
    for (const [patch, field] of cases) {
      const res = await api('POST', '/v3/core/webhooks', { webhook: { ...good, ...patch } });
      expect(res.status).toBe(400);
      expect((res.body['error'] as { field: string; code: string }).field).toBe(field);
    }
    const created = await api('POST', '/v3/core/webhooks', { webhook: good });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body)).toEqual(['id', 'headers', 'operations', 'data_models', 'name', 'created_at', 'type', 'url']);
    expect(created.body['id']).toMatch(/^[A-Za-z0-9]{20}$/);
  });

  it('takes the update body unwrapped, answers {data}, and 404s an unknown id', async () => {
    const good = {
      operations: ['CREATE'],
      name: 'n',
      type: 'CONNECTION_CHANGED',
      data_models: ['ACCOUNTS'],
      url: 'https://x.example/h',
      headers: { a: 'b' },
    };
    const id = (await api('POST', '/v3/core/webhooks', { webhook: good })).body['id'] as string;
    const wrapped = await api('PUT', `/v3/core/webhooks/${id}`, { webhook: good });
    expect(wrapped.status).toBe(400);
    const updated = await api('PUT', `/v3/core/webhooks/${id}`, { ...good, name: 'renamed' });
    expect(updated).toMatchObject({ status: 200, body: { data: { id, name: 'renamed', type: 'CONNECTION_CHANGED' } } });
    expect((await api('PUT', '/v3/core/webhooks/Missing0000000000000', good)).status).toBe(404);
    expect(await api('DELETE', `/v3/core/webhooks/${id}`)).toEqual({ status: 200, body: { status: 'success' } });
    expect(await api('DELETE', `/v3/core/webhooks/${id}`)).toEqual({
      status: 404,
      body: { error: { message: expect.any(String), code: 'NOT_FOUND', field: 'webhook_id' } },
    });
    expect((await api('GET', `/v3/core/webhooks/${id}`)).status).toBe(404);
  });
});
