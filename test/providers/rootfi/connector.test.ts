import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UnsupportedError, ValidationError } from '../../../src/domain/errors.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { findWebhook, requireMethod } from '../../../src/providers/connector.js';
import { createHttpClient, type HttpClient } from '../../../src/providers/http.js';
import type { RootfiCredentials } from '../../../src/providers/rootfi/client.js';
import { rootfiProvider } from '../../../src/providers/rootfi/index.js';
import type { Connector } from '../../../src/providers/types.js';
import { createRootfiSandbox } from '../../../src/sandbox/rootfi.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

const ACCOUNT = 'acme';
const API = '/v3/core/webhooks';
const ID = /^[A-Za-z0-9]{20}$/;

describe('RootFi connector against the sandbox', () => {
  const sandbox = createRootfiSandbox();
  let server: SandboxServer;
  let apiKey: string;

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
    apiKey = rootfiProvider.parseCredentials(sandbox.credentialsFor(ACCOUNT)).apiKey;
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.reset());

  const connector = (opts: { http?: HttpClient; credentials?: RootfiCredentials } = {}): Connector =>
    rootfiProvider.createConnector({
      baseUrl: server.mountUrl + sandbox.basePath(ACCOUNT),
      credentials: opts.credentials ?? { apiKey },
      http: opts.http ?? createHttpClient('ROOTFI', { retries: 2, baseDelayMs: 1 }),
      saveCredentials: async () => {},
    });

  const spec = (events: string[], name = 'ledger sync'): WebhookSpec => ({
    url: 'https://gw.example/hooks/7d9f2c1e-0b7a-4c7e-9a51-3f1d2e4b5c6a/tok_abcdefghijklmnop',
    events,
    name,
    secret: 'hook-secret-1',
    payloadVersion: null,
  });
  const headers = { 'X-Hookgraph-Secret': 'hook-secret-1' };
  const recorded = () => sandbox.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body }));

  it('parses credentials and refuses an empty api key', () => {
    expect(rootfiProvider.parseCredentials({ apiKey: ' k1 ' })).toEqual({ apiKey: 'k1' });
    expect(() => rootfiProvider.parseCredentials({ apiKey: '' })).toThrow(ValidationError);
    expect(() => rootfiProvider.parseCredentials({ apiKey: 'a\r\nb' })).toThrow(ValidationError);
    expect(() => rootfiProvider.parseCredentials(null)).toThrow(ValidationError);
  });

  it('verifies credentials with the parameterless list and the api_key header', async () => {
    await connector().verifyCredentials();
    expect(recorded()).toEqual([{ method: 'GET', path: API, query: {}, body: null }]);
    expect(sandbox.requests[0]?.headers['api_key']).toBe(apiKey);
    expect(sandbox.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('creates one hook per operation set plus one per other type, wrapped in {webhook}', async () => {
    const events = ['INVOICES:CREATE', 'INVOICES:UPDATE', 'CONTACTS:CREATE', 'CONTACTS:UPDATE', 'BILLS:DELETE', 'SYNC_COMPLETED'];
    const hooks = await connector().createWebhook(spec(events));
    const base = { name: 'ledger sync', url: spec([]).url, headers };
    expect(recorded()).toEqual([
      {
        method: 'POST',
        path: API,
        query: {},
        body: { webhook: { operations: ['DELETE'], type: 'DATA_MODEL_CHANGES', data_models: ['BILLS'], ...base } },
      },
      {
        method: 'POST',
        path: API,
        query: {},
        body: { webhook: { operations: ['CREATE', 'UPDATE'], type: 'DATA_MODEL_CHANGES', data_models: ['CONTACTS', 'INVOICES'], ...base } },
      },
      {
        method: 'POST',
        path: API,
        query: {},
        body: { webhook: { operations: ['CREATE'], type: 'SYNC_COMPLETED', data_models: ['ACCOUNTS'], ...base } },
      },
    ]);
    for (const r of sandbox.requests) {
      expect(r.headers['api_key']).toBe(apiKey);
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(hooks.map((h) => h.events)).toEqual([
      ['BILLS:DELETE'],
      ['CONTACTS:CREATE', 'CONTACTS:UPDATE', 'INVOICES:CREATE', 'INVOICES:UPDATE'],
      ['SYNC_COMPLETED'],
    ]);
    for (const h of hooks) {
      expect(h).toMatchObject({ url: spec([]).url, name: 'ledger sync', status: 'ACTIVE', updatedAt: null });
      expect(h.externalId).toMatch(ID);
      expect(h.createdAt).toBeInstanceOf(Date);
      expect(JSON.stringify(h)).not.toContain(apiKey);
      expect(JSON.stringify(h)).not.toContain('hook-secret-1');
    }
  });

  it('lists the hooks of the account and finds one by filtering the list', async () => {
    const c = connector();
    const [made] = await c.createWebhook(spec(['CRM_DEALS:DELETE']));
    sandbox.requests.length = 0;
    const listed = await c.listWebhooks();
    expect(listed).toEqual([made]);
    expect(await findWebhook(c, made!.externalId)).toEqual(made);
    expect(await findWebhook(c, 'AAAAAAAAAAAAAAAAAAAA')).toBeNull();
    expect(recorded()).toEqual(Array(3).fill({ method: 'GET', path: API, query: {}, body: null }));
  });

  it('does not see the hooks of another account', async () => {
    await connector().createWebhook(spec(['ITEMS:CREATE']));
    const other = connector({ credentials: rootfiProvider.parseCredentials(sandbox.credentialsFor('someone-else')) });
    expect(await other.listWebhooks()).toEqual([]);
  });

  it('updates in place with an unwrapped PUT, creating and deleting only the difference', async () => {
    const c = connector();
    const [bills, docs, sync] = await c.createWebhook(spec(['BILLS:DELETE', 'INVOICES:CREATE', 'INVOICES:UPDATE', 'SYNC_COMPLETED']));
    sandbox.requests.length = 0;
    const next = spec(['INVOICES:CREATE', 'INVOICES:UPDATE', 'CONNECTION_CHANGED', 'ITEMS:DELETE'], 'renamed');
    const hooks = await c.updateWebhook([bills!.externalId, docs!.externalId, sync!.externalId], next);
    const base = { name: 'renamed', url: next.url, headers };
    expect(recorded()).toEqual([
      { method: 'GET', path: API, query: {}, body: null },
      // INVOICES keeps its hook; ITEMS:DELETE and CONNECTION_CHANGED take over the two others in place.
      {
        method: 'PUT',
        path: `${API}/${docs!.externalId}`,
        query: {},
        body: { operations: ['CREATE', 'UPDATE'], type: 'DATA_MODEL_CHANGES', data_models: ['INVOICES'], ...base },
      },
      {
        method: 'PUT',
        path: `${API}/${bills!.externalId}`,
        query: {},
        body: { operations: ['DELETE'], type: 'DATA_MODEL_CHANGES', data_models: ['ITEMS'], ...base },
      },
      {
        method: 'PUT',
        path: `${API}/${sync!.externalId}`,
        query: {},
        body: { operations: ['CREATE'], type: 'CONNECTION_CHANGED', data_models: ['ACCOUNTS'], ...base },
      },
    ]);
    expect(hooks.map((h) => [h.externalId, h.events, h.name])).toEqual([
      [docs!.externalId, ['INVOICES:CREATE', 'INVOICES:UPDATE'], 'renamed'],
      [bills!.externalId, ['ITEMS:DELETE'], 'renamed'],
      [sync!.externalId, ['CONNECTION_CHANGED'], 'renamed'],
    ]);

    sandbox.requests.length = 0;
    const same = await c.updateWebhook(
      hooks.map((h) => h.externalId),
      spec(['INVOICES:CREATE', 'INVOICES:UPDATE', 'ITEMS:DELETE', 'CRM_TASKS:CREATE']),
    );
    // Three groups, three hooks: CRM_TASKS:CREATE takes over the CONNECTION_CHANGED hook in place.
    expect(recorded().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${API}`,
      `PUT ${API}/${docs!.externalId}`,
      `PUT ${API}/${bills!.externalId}`,
      `PUT ${API}/${sync!.externalId}`,
    ]);
    expect(same.map((h) => h.events)).toEqual([['INVOICES:CREATE', 'INVOICES:UPDATE'], ['ITEMS:DELETE'], ['CRM_TASKS:CREATE']]);

    sandbox.requests.length = 0;
    const more = await c.updateWebhook(
      same.map((h) => h.externalId),
      spec(['INVOICES:CREATE', 'INVOICES:UPDATE', 'ITEMS:DELETE', 'CRM_TASKS:CREATE', 'SYNC_COMPLETED']),
    );
    expect(recorded().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${API}`,
      `POST ${API}`,
      `PUT ${API}/${docs!.externalId}`,
      `PUT ${API}/${bills!.externalId}`,
      `PUT ${API}/${sync!.externalId}`,
    ]);
    expect(more.map((h) => h.events.join())).toEqual([
      'INVOICES:CREATE,INVOICES:UPDATE',
      'ITEMS:DELETE',
      'CRM_TASKS:CREATE',
      'SYNC_COMPLETED',
    ]);

    sandbox.requests.length = 0;
    const fewer = await c.updateWebhook(
      more.map((h) => h.externalId),
      spec(['INVOICES:CREATE', 'INVOICES:UPDATE']),
    );
    expect(recorded().map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${API}`,
      `PUT ${API}/${docs!.externalId}`,
      `DELETE ${API}/${bills!.externalId}`,
      `DELETE ${API}/${sync!.externalId}`,
      `DELETE ${API}/${more[3]!.externalId}`,
    ]);
    expect(fewer.map((h) => h.externalId)).toEqual([docs!.externalId]);
    expect((await c.listWebhooks()).map((h) => h.externalId)).toEqual([docs!.externalId]);
  });

  it('recreates a hook that vanished at the vendor during an update', async () => {
    const c = connector();
    const [hook] = await c.createWebhook(spec(['ITEMS:CREATE']));
    await c.deleteWebhook([hook!.externalId]);
    sandbox.requests.length = 0;
    const [again] = await c.updateWebhook([hook!.externalId], spec(['ITEMS:CREATE']));
    expect(recorded().map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(again?.externalId).not.toBe(hook!.externalId);
  });

  it('deletes every hook and treats one the vendor no longer has as deleted', async () => {
    const c = connector();
    const hooks = await c.createWebhook(spec(['ITEMS:CREATE', 'SYNC_COMPLETED']));
    sandbox.requests.length = 0;
    await c.deleteWebhook([...hooks.map((h) => h.externalId), 'GoneGoneGoneGoneGone']);
    expect(recorded()).toEqual([
      { method: 'DELETE', path: `${API}/${hooks[0]!.externalId}`, query: {}, body: null },
      { method: 'DELETE', path: `${API}/${hooks[1]!.externalId}`, query: {}, body: null },
      { method: 'DELETE', path: `${API}/GoneGoneGoneGoneGone`, query: {}, body: null },
    ]);
    expect(await c.listWebhooks()).toEqual([]);
  });

  it('rolls back the hooks it created when a later create fails', async () => {
    const http = createHttpClient('ROOTFI', { retries: 2, baseDelayMs: 1 });
    let posts = 0;
    const failingSecondPost: HttpClient = {
      provider: 'ROOTFI',
      send(req) {
        if (req.method === 'POST' && ++posts === 2) sandbox.injectFault({ status: 500, method: 'POST' });
        return http.send(req);
      },
    };
    const err = await connector({ http: failingSecondPost })
      .createWebhook(spec(['ITEMS:CREATE', 'SYNC_COMPLETED']))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(500);
    expect(recorded().map((r) => r.method)).toEqual(['POST', 'POST', 'DELETE']);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('has no test endpoint and no enable switch', async () => {
    const c = connector();
    expect(() => requireMethod(rootfiProvider, c, 'sendTestEvent')).toThrow(UnsupportedError);
    expect(() => requireMethod(rootfiProvider, c, 'setEnabled')).toThrow(UnsupportedError);
    expect(sandbox.requests).toEqual([]);
  });

  describe('faults', () => {
    it('waits out a 429 with Retry-After and then succeeds', async () => {
      sandbox.injectFault({ status: 429, retryAfter: '0' });
      expect(await connector().listWebhooks()).toEqual([]);
      expect(sandbox.requests).toHaveLength(2);
    });

    it('retries an idempotent list after a 500', async () => {
      sandbox.injectFault({ status: 500, method: 'GET' });
      expect(await connector().listWebhooks()).toEqual([]);
      expect(sandbox.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    });

    it('retries an update (PUT) after a 503', async () => {
      const c = connector();
      const [hook] = await c.createWebhook(spec(['ITEMS:CREATE']));
      sandbox.injectFault({ status: 503, method: 'PUT' });
      const [updated] = await c.updateWebhook([hook!.externalId], spec(['ITEMS:CREATE'], 'after 503'));
      expect(updated?.name).toBe('after 503');
      expect(sandbox.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
    });

    it('does not retry a create that got a 500', async () => {
      sandbox.injectFault({ status: 500, method: 'POST' });
      const err = await connector()
        .createWebhook(spec(['ITEMS:CREATE']))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).status).toBe(500);
      expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it('times out a vendor that does not answer', async () => {
      sandbox.injectFault({ delayMs: 400, status: 200 });
      const err = await connector({ http: createHttpClient('ROOTFI', { retries: 0, timeoutMs: 50 }) })
        .listWebhooks()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).message).toMatch(/did not answer within 50 ms/);
    });

    it('turns a body that is not JSON into a ProviderError without echoing it', async () => {
      sandbox.injectFault({ rawBody: '<html>upstream gateway leaked detail</html>' });
      const err = (await connector()
        .listWebhooks()
        .catch((e: unknown) => e)) as ProviderError;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.message).not.toContain('leaked');
    });

    it('turns JSON of the wrong shape into a ProviderError without echoing it', async () => {
      sandbox.injectFault({ rawBody: '{"data":"leaked detail"}' });
      const err = (await connector()
        .listWebhooks()
        .catch((e: unknown) => e)) as ProviderError;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.message).toMatch(/could not read/);
      expect(err.message).not.toContain('leaked');
    });

    it('reports a wrong api key as a 401 ProviderError that does not contain the key', async () => {
      const wrong = 'rf_live_wrongkey_0123456789';
      const err = (await connector({ credentials: { apiKey: wrong } })
        .verifyCredentials()
        .catch((e: unknown) => e)) as ProviderError;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.status).toBe(401);
      expect(err.retryable).toBe(false);
      expect(err.message).not.toContain(wrong);
      expect(JSON.stringify(err)).not.toContain(wrong);
    });
  });
});
