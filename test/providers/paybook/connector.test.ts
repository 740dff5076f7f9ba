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

  it('registers V1 only: payloadVersion "3" is refused with where V3 webhooks are set up', async () => {
    const err = (await connector()
      .createWebhook({ ...spec, payloadVersion: '3' })
      .catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/Syncfy dashboard/);
    expect(err.message).toContain('X-Hookgraph-Secret');
    expect(err.message).not.toContain(spec.secret);
    await expect(connector().createWebhook({ ...spec, payloadVersion: '2' })).rejects.toBeInstanceOf(ValidationError);
    expect(await connector().createWebhook({ ...spec, payloadVersion: '1' })).toHaveLength(1);
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('lists, gets by filtering the list, and deletes', async () => {
    const [hook] = await connector().createWebhook(spec);
    expect((await connector().listWebhooks()).map((h) => h.externalId)).toEqual([hook?.externalId]);
    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/webhooks' });
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
      .createWebhook({ ...spec, events: ['bogus'] })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(400);
    expect(err.message).not.toContain('events must be');
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
