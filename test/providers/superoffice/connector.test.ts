import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/domain/errors.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { findWebhook, requireMethod } from '../../../src/providers/connector.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { createSuperofficeClient, type SuperofficeCredentials } from '../../../src/providers/superoffice/client.js';
import { superofficeProvider } from '../../../src/providers/superoffice/index.js';
import { verifySuperofficeDelivery } from '../../../src/providers/superoffice/verify.js';
import { createSuperofficeSandbox } from '../../../src/sandbox/superoffice.js';
import { itSurvivesVendorFaults } from '../../utils/fault-suite.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

describe('SuperOffice connector against the sandbox', () => {
  const sandbox = createSuperofficeSandbox();
  let server: SandboxServer;
  let receiver: Server;
  let receiverUrl = '';
  let receiverStatus = 200;
  const pings: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const account = 'acme';
  const spec = (): WebhookSpec => ({
    url: `${receiverUrl}/hooks/x/tok`,
    events: ['contact.created', 'sale.changed'],
    name: 'CRM hook',
    secret: 'so-secret-1',
    payloadVersion: null,
  });
  const accessToken = sandbox.credentialsFor(account)['accessToken'] as string;
  const ticket = sandbox.credentialsFor(account, 'ticket') as { ticket: string; appToken: string };
  const ctx = (credentials: SuperofficeCredentials = { accessToken }, timeoutMs = 2_000) => ({
    baseUrl: server.mountUrl + sandbox.basePath(account),
    credentials,
    http: createHttpClient('SUPEROFFICE', { retries: 2, baseDelayMs: 1, timeoutMs }),
    saveCredentials: async () => {},
  });
  const connector = (...a: Parameters<typeof ctx>) => superofficeProvider.createConnector(ctx(...a));
  const base = () => `${sandbox.basePath(account)}/api/v1/Webhook`;

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        pings.push({ headers: req.headers, body });
        res.writeHead(receiverStatus).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
    receiver.close();
  });
  beforeEach(() => {
    sandbox.reset();
    pings.length = 0;
    receiverStatus = 200;
  });

  it('verifies credentials with GET /api/v1/Webhook/default and a Bearer token', async () => {
    await connector().verifyCredentials();
    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'GET', path: `${base()}/default` });
    expect(sandbox.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${accessToken}`);
  });

  it('authenticates with SOTicket and SO-AppToken too', async () => {
    await connector(ticket).listWebhooks();
    const r = sandbox.requests.at(-1);
    expect(r?.headers['authorization']).toBe(`SOTicket ${ticket.ticket}`);
    expect(r?.headers['so-apptoken']).toBe(ticket.appToken);
  });

  it('creates with Secret always set, after the vendor pinged the URL with a signed test event', async () => {
    const [hook] = await connector().createWebhook(spec());
    expect(sandbox.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: base(),
      body: {
        Name: 'CRM hook',
        Events: spec().events,
        TargetUrl: spec().url,
        Secret: 'so-secret-1',
        State: 'Active',
        Type: 'webhook',
        Headers: {},
        Properties: {},
      },
    });
    expect(hook).toMatchObject({ url: spec().url, events: spec().events, name: 'CRM hook', status: 'ACTIVE' });
    expect(pings).toHaveLength(1);
    expect(pings[0]?.headers['x-hook-test']).toBe('true');
    expect(verifySuperofficeDelivery(pings[0]?.headers as never, Buffer.from(pings[0]?.body ?? ''), 'so-secret-1')).toBe(true);
  });

  it('fails the create (400, ProviderError) when the URL does not answer the ping with 200', async () => {
    receiverStatus = 500;
    const err = (await connector()
      .createWebhook(spec())
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(400);
    expect(err.message).not.toContain('Webhook test failed');
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('lists with name, event and status filters, and gets one by id (404 → null)', async () => {
    const client = createSuperofficeClient(ctx());
    const [hook] = await connector().createWebhook(spec());
    const listed = await client.list({ nameFilter: 'CRM', eventFilter: 'sale.changed', statusFilter: 'Active' });
    expect(sandbox.requests.at(-1)?.query).toEqual({ nameFilter: 'CRM', eventFilter: 'sale.changed', statusFilter: 'Active' });
    expect(listed.map((h) => h.WebhookId)).toEqual([Number(hook?.externalId)]);
    expect(await client.list({ statusFilter: 'Stopped' })).toEqual([]);
    expect((await findWebhook(connector(), hook?.externalId ?? ''))?.name).toBe('CRM hook');
    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'GET', path: `${base()}/${hook?.externalId}` });
    expect(await findWebhook(connector(), '999')).toBeNull();
  });

  it('replaces with PUT, pauses and resumes with a JSON Patch of State, and deletes with 204', async () => {
    const [hook] = await connector().createWebhook(spec());
    const id = hook?.externalId ?? '';
    const [updated] = await connector().updateWebhook([id], { ...spec(), events: ['person.created'], name: 'renamed' });
    expect(sandbox.requests.at(-1)).toMatchObject({
      method: 'PUT',
      path: `${base()}/${id}`,
      body: { WebhookId: Number(id), Events: ['person.created'], Name: 'renamed', Secret: 'so-secret-1' },
    });
    expect(updated?.events).toEqual(['person.created']);
    const [paused] = await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], false);
    const patch = sandbox.requests.at(-1);
    expect(patch).toMatchObject({ method: 'PATCH', path: `${base()}/${id}`, body: [{ op: 'replace', path: 'State', value: 'Stopped' }] });
    expect(patch?.headers['content-type']).toBe('application/json-patch+json');
    expect(paused?.status).toBe('DISABLED');
    expect((await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], true))[0]?.status).toBe('ACTIVE');
    await connector().deleteWebhook([id, '4242']);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`${base()}/${id}`, `${base()}/4242`]);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('sends a test through POST /api/v1/Webhook/Test and reports a failed one without the vendor message', async () => {
    const sendTest = () => requireMethod(superofficeProvider, connector(), 'sendTestEvent')([], spec());
    await sendTest();
    expect(sandbox.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `${base()}/Test`,
      body: { TargetUrl: spec().url, Secret: 'so-secret-1' },
    });
    expect(pings).toHaveLength(1);
    receiverStatus = 503;
    const err = (await sendTest().catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).not.toContain('HTTP 503');
  });

  it('refuses bad credentials with a 401 ProviderError that does not echo them', async () => {
    const err = (await connector({ accessToken: 'leaked-token-abc' })
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('leaked-token-abc');
  });

  itSurvivesVendorFaults(
    sandbox,
    (timeoutMs) => connector(undefined, timeoutMs),
    (c) => c.createWebhook(spec()),
  );
});
