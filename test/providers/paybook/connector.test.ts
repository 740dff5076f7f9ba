import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UnsupportedError, ValidationError } from '../../../src/domain/errors.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { findWebhook, requireMethod } from '../../../src/providers/connector.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { PAYBOOK_MAX_DELAY_SECONDS, paybookProvider } from '../../../src/providers/paybook/index.js';
import { createPaybookSandbox } from '../../../src/sandbox/paybook.js';
import { itSurvivesVendorFaults } from '../../utils/fault-suite.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

describe('Paybook connector against the sandbox', () => {
  const sandbox = createPaybookSandbox();
  let server: SandboxServer;
  const spec: WebhookSpec = {
    url: 'https://hooks.example/hooks/1/tok',
    events: ['credential_create', 'refresh'],
    name: 'n',
    secret: 'per-hook-secret',
    payloadVersion: null,
  };
  const connector = (apiKey = sandbox.credentialsFor('acme')['apiKey'] as string, timeoutMs = 2_000) =>
    paybookProvider.createConnector({
      baseUrl: server.mountUrl,
      credentials: { apiKey },
      http: createHttpClient('PAYBOOK', { retries: 2, baseDelayMs: 1, timeoutMs }),
      saveCredentials: async () => {},
    });

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.reset());

  it('creates with url, events, delay and the secret as a custom header, unwrapping the envelope', async () => {
    const [hook] = await connector().createWebhook(spec);
    const post = sandbox.requests.at(-1);
    expect(post).toMatchObject({ method: 'POST', path: '/v1/webhooks' });
    expect(post?.headers['authorization']).toBe(`api_key api_key=${sandbox.credentialsFor('acme')['apiKey']}`);
    expect(post?.body).toEqual({ url: spec.url, events: spec.events, delay: 0, headers: { 'X-Hookgraph-Secret': 'per-hook-secret' } });
    expect(hook).toMatchObject({ url: spec.url, events: spec.events, status: 'ACTIVE', failures: 0 });
    expect(hook?.externalId).toMatch(/^[0-9a-f]{24}$/);
    // The sandbox answers dt_created in unix seconds, as the real API does.
    expect(Math.abs((hook?.createdAt?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('sends options.idUser as id_user and options.delaySeconds as delay, and reads them back', async () => {
    const idUser = sandbox.userOf('acme');
    const [hook] = await connector().createWebhook({ ...spec, options: { idUser, delaySeconds: 30 } });
    expect(sandbox.requests.at(-1)?.body).toEqual({
      url: spec.url,
      events: spec.events,
      delay: 30,
      id_user: idUser,
      headers: { 'X-Hookgraph-Secret': 'per-hook-secret' },
    });
    expect(hook).toMatchObject({ status: 'ACTIVE', failures: 0 });
  });

  it('refuses a delay out of bounds or a malformed user id with a ValidationError, before calling Paybook', async () => {
    for (const delaySeconds of [-1, 1.5, PAYBOOK_MAX_DELAY_SECONDS + 1, Number.NaN]) {
      const err = await connector()
        .createWebhook({ ...spec, options: { delaySeconds } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({
        field: 'delaySeconds',
        message: `Paybook delaySeconds is a whole number of seconds from 0 to ${PAYBOOK_MAX_DELAY_SECONDS}`,
      });
    }
    for (const idUser of ['', 'a b', 'x'.repeat(65), 'id\r\nx: 1']) {
      await expect(connector().createWebhook({ ...spec, options: { idUser } })).rejects.toMatchObject({ field: 'idUser' });
    }
    const [hook] = await connector().createWebhook({ ...spec, options: { delaySeconds: PAYBOOK_MAX_DELAY_SECONDS } });
    expect(hook).toBeDefined();
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('keeps on update the id_user and delay of the replaced hook that the spec leaves out, and clears them on null', async () => {
    const idUser = sandbox.userOf('acme');
    const [old] = await connector().createWebhook({ ...spec, options: { idUser, delaySeconds: 5 } });
    const [kept] = await connector().updateWebhook([old?.externalId ?? ''], { ...spec, events: ['refresh'] });
    expect(sandbox.requests.filter((r) => r.method === 'POST').at(-1)?.body).toMatchObject({ delay: 5, id_user: idUser });
    const [changed] = await connector().updateWebhook([kept?.externalId ?? ''], { ...spec, options: { delaySeconds: 0 } });
    expect(sandbox.requests.filter((r) => r.method === 'POST').at(-1)?.body).toMatchObject({ delay: 0, id_user: idUser });
    await connector().updateWebhook([changed?.externalId ?? ''], { ...spec, options: { idUser: null, delaySeconds: null } });
    const last = sandbox.requests.filter((r) => r.method === 'POST').at(-1)?.body as Record<string, unknown>;
    expect(last['delay']).toBe(0);
    expect(Object.hasOwn(last, 'id_user')).toBe(false);
  });

  it('reports an enabled hook whose notifications failed (ct_failed > 0) as FAILING, with the count', async () => {
    // Nothing listens on port 9 of loopback: each notification fails and Paybook counts it.
    const [hook] = await connector().createWebhook({ ...spec, url: 'http://127.0.0.1:9/hooks/1/tok' });
    expect(await sandbox.trigger('refresh', { account: 'acme' })).toEqual([{ url: 'http://127.0.0.1:9/hooks/1/tok', status: null }]);
    await sandbox.trigger('credential_create', { account: 'acme' });
    const listed = await findWebhook(connector(), hook?.externalId ?? '');
    expect(listed).toMatchObject({ status: 'FAILING', failures: 2 });
  });

  const v3 = { ...spec, events: ['credentials.created', 'documents.completed'], payloadVersion: '3' };

  it('registers payloadVersion "3" as a V3 subscription: catalogue ids, environment, no custom header', async () => {
    const [sub] = await connector().createWebhook(v3);
    const catalogue = sandbox.requests.find((r) => r.path === '/v1/catalogues/webhook3_events');
    expect(catalogue?.method).toBe('GET');
    const post = sandbox.requests.at(-1);
    expect(post).toMatchObject({ method: 'POST', path: '/v1/webhooks/subscriptions' });
    const body = post?.body as Record<string, unknown>;
    expect(body).toMatchObject({ url: spec.url, description: 'n', group_events: 1, id_environment: '574894bf7848066d138b4571' });
    // Ids, not names: the two events' ids as the vendor's catalogue answered them.
    expect(body['events']).toHaveLength(2);
    for (const id of body['events'] as string[]) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(JSON.stringify(body)).not.toContain(spec.secret);
    expect(sub).toMatchObject({ url: spec.url, events: v3.events, name: 'n', status: 'ACTIVE', payloadVersion: '3' });
    expect(sub?.externalId).toMatch(/^v3:[0-9a-f]{24}$/);
    // Listed beside the V1 hooks, with names again.
    const [v1] = await connector().createWebhook(spec);
    const listed = await connector().listWebhooks();
    expect(listed.map((h) => [h.externalId, h.payloadVersion, h.events])).toEqual([
      [v1?.externalId, '1', spec.events],
      [sub?.externalId, '3', v3.events],
    ]);
    const sandboxEnv = await connector().createWebhook({ ...v3, options: { environment: 'SANDBOX' } });
    expect(sandbox.requests.at(-1)?.body).toMatchObject({ id_environment: '574894bf7848066d138b4570' });
    expect(sandboxEnv).toHaveLength(1);
  });

  it('refuses, before the vendor call that would register, events of the other version and V1-only options', async () => {
    const refusals = [
      { ...v3, events: ['credential_create'] },
      { ...spec, events: ['credentials.created'] },
      { ...v3, options: { idUser: sandbox.userOf('acme') } },
      { ...v3, options: { delaySeconds: 5 } },
      { ...v3, options: { environment: 'staging' } },
      { ...spec, options: { environment: 'SANDBOX' } },
      { ...spec, payloadVersion: '2' },
    ];
    for (const wrong of refusals) await expect(connector().createWebhook(wrong)).rejects.toBeInstanceOf(ValidationError);
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(await connector().createWebhook({ ...spec, payloadVersion: '1' })).toHaveLength(1);
  });

  it('updates a V3 subscription in place (PUT), replaces a V1 hook by a subscription, and deletes each by its API', async () => {
    const [sub] = await connector().createWebhook(v3);
    const [updated] = await connector().updateWebhook([sub?.externalId ?? ''], {
      ...v3,
      url: `${spec.url}2`,
      events: ['documents.success'],
    });
    const put = sandbox.requests.at(-1);
    expect(`${put?.method} ${put?.path}`).toBe(`PUT /v1/webhooks/subscriptions/${sub?.externalId.slice(3)}`);
    expect(updated).toMatchObject({ externalId: sub?.externalId, url: `${spec.url}2`, events: ['documents.success'] });
    const [v1] = await connector().createWebhook(spec);
    const [moved] = await connector().updateWebhook([v1?.externalId ?? ''], v3);
    expect(sandbox.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/webhooks/subscriptions',
      `DELETE /v1/webhooks/${v1?.externalId}`,
    ]);
    await connector().deleteWebhook([updated?.externalId ?? '', moved?.externalId ?? '']);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/v1/webhooks/${v1?.externalId}`,
      `/v1/webhooks/subscriptions/${updated?.externalId.slice(3)}`,
      `/v1/webhooks/subscriptions/${moved?.externalId.slice(3)}`,
    ]);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('refuses a V3 answer it cannot trust as a whole (unreadable), and reads hostile catalogue names as plain keys', async () => {
    const envelope = (response: unknown) => JSON.stringify({ rid: 'r', code: 200, errors: null, status: true, message: null, response });
    const sub = (events: unknown[]) => ({ id_subscription: 'a'.repeat(24), url: spec.url, events, description: 'd' });
    // The V1 list passes (skip: 1); the subscription list answers the hostile body.
    for (const hostile of [
      [sub(Array.from({ length: 201 }, () => 'e'))],
      [sub([null])],
      [{ url: spec.url, events: [] }],
      { not: 'a list' },
    ]) {
      sandbox.injectFault({ method: 'GET', skip: 1, rawBody: envelope(hostile) });
      const err = await connector()
        .listWebhooks()
        .catch((e: unknown) => e);
      expect(err, JSON.stringify(hostile).slice(0, 80)).toBeInstanceOf(ProviderError);
      expect((err as Error).message).toMatch(/could not read/);
      sandbox.clearFaults();
    }
    // A catalogue naming `__proto__` and `constructor`: names and ids are Map keys, nothing else.
    sandbox.injectFault({ method: 'GET', skip: 1, rawBody: envelope([sub(['__proto__', 'constructor'])]) });
    sandbox.injectFault({
      method: 'GET',
      skip: 2,
      rawBody: envelope([
        { id_webhook_event: '__proto__', name: 'constructor' },
        { id_webhook_event: 'constructor', name: '__proto__' },
      ]),
    });
    const [listed] = await connector().listWebhooks();
    expect(listed?.events).toEqual(['constructor', '__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('delivers V3 envelopes to subscriptions, without the secret header, and V1 bodies to V1 hooks', async () => {
    const received: Array<{ url: string; body: string; secret: string | undefined }> = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push({ url: req.url ?? '', body, secret: req.headers['x-hookgraph-secret'] as string | undefined });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      await connector().createWebhook({ ...v3, url: `http://127.0.0.1:${port}/hooks/v3/tok` });
      await connector().createWebhook({ ...spec, url: `http://127.0.0.1:${port}/hooks/v1/tok` });
      const deliveries = await sandbox.trigger('credential_create', { account: 'acme' });
      expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
      const v3Body = JSON.parse(received.find((r) => r.url === '/hooks/v3/tok')?.body ?? '{}');
      expect(v3Body.events[0].header.event.name).toBe('credentials.created');
      expect(v3Body.events[0].payload.event).toBe('credential_create');
      expect(received.find((r) => r.url === '/hooks/v3/tok')?.secret).toBeUndefined();
      const v1 = received.find((r) => r.url === '/hooks/v1/tok');
      expect(JSON.parse(v1?.body ?? '{}').event).toBe('credential_create');
      expect(v1?.secret).toBe(spec.secret);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('lists, gets by filtering the list, and deletes', async () => {
    const [hook] = await connector().createWebhook(spec);
    expect((await connector().listWebhooks()).map((h) => h.externalId)).toEqual([hook?.externalId]);
    // V1 hooks, then V3 subscriptions (none: the V3 catalogue is not read).
    expect(sandbox.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/webhooks', 'GET /v1/webhooks/subscriptions']);
    expect((await findWebhook(connector(), hook?.externalId ?? ''))?.events).toEqual(spec.events);
    await connector().deleteWebhook([hook?.externalId ?? '', 'aaaaaaaaaaaaaaaaaaaaaaaa']);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/v1/webhooks/${hook?.externalId}`,
      '/v1/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa',
    ]);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('updates by creating the new hook first and then deleting the old one (V1 has no update)', async () => {
    const [old] = await connector().createWebhook(spec);
    const [fresh] = await connector().updateWebhook([old?.externalId ?? ''], { ...spec, events: ['documents_completed'] });
    expect(sandbox.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/webhooks',
      `DELETE /v1/webhooks/${old?.externalId}`,
    ]);
    expect(fresh?.events).toEqual(['documents_completed']);
    expect((await connector().listWebhooks()).map((h) => h.externalId)).toEqual([fresh?.externalId]);
  });

  it('reads the envelope of a refusal: code as status, rid as request id, no vendor message', async () => {
    const err = (await connector()
      .createWebhook({ ...spec, options: { idUser: 'not-a-paybook-user' } })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(400);
    expect(err.message).not.toContain('id_user must be');
    const unauthorized = (await connector('wrong-key-789')
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.message).not.toContain('wrong-key-789');
  });

  itSurvivesVendorFaults(
    sandbox,
    (timeoutMs) => connector(undefined, timeoutMs),
    (c) => c.createWebhook(spec),
  );

  it('has no test endpoint or state change', async () => {
    expect(() => requireMethod(paybookProvider, connector(), 'sendTestEvent')).toThrow(UnsupportedError);
    expect(() => requireMethod(paybookProvider, connector(), 'setEnabled')).toThrow(UnsupportedError);
  });
});
