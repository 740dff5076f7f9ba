import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, ValidationError } from '../../../src/domain/errors.js';
import type { WebhookSpec } from '../../../src/domain/webhook.js';
import { findWebhook, requireMethod } from '../../../src/providers/connector.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { createSuperofficeClient, type SuperofficeCredentials } from '../../../src/providers/superoffice/client.js';
import { superofficeProvider } from '../../../src/providers/superoffice/index.js';
import { verifySuperofficeDelivery } from '../../../src/providers/superoffice/verify.js';
import { createSuperofficeSandbox, SUPEROFFICE_MAX_CONSECUTIVE_ERRORS } from '../../../src/sandbox/superoffice.js';
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
  const saved: SuperofficeCredentials[] = [];
  const ctx = (credentials: SuperofficeCredentials = { accessToken }, timeoutMs = 2_000) => ({
    baseUrl: server.mountUrl + sandbox.basePath(account),
    credentials,
    http: createHttpClient('SUPEROFFICE', { retries: 2, baseDelayMs: 1, timeoutMs }),
    saveCredentials: async (c: SuperofficeCredentials) => {
      saved.push(c);
    },
  });
  const connector = (...a: Parameters<typeof ctx>) => superofficeProvider.createConnector(ctx(...a));
  const base = () => `${sandbox.basePath(account)}/api/v1/Webhook`;
  const stateEvents = (id: string) => [`webhook${id}.stopped`, `webhook${id}.errors`];
  /** The hook as the vendor holds it, read around the connector. */
  const vendorHook = async (id: string) => createSuperofficeClient(ctx()).get(id);
  const deliveriesOf = (event: string) => pings.filter((p) => p.headers['x-superoffice-event'] === event);

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
  beforeEach(async () => {
    await sandbox.reset();
    pings.length = 0;
    saved.length = 0;
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

  it('creates with Secret always set after a signed test ping, then subscribes the hook to its own state events', async () => {
    const [hook] = await connector().createWebhook(spec());
    const id = hook?.externalId ?? '';
    const [post, patch] = sandbox.requests;
    expect(post).toMatchObject({
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
        ErrorsEmail: null,
      },
    });
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `${base()}/${id}`,
      body: [{ op: 'replace', path: '/Events', value: [...spec().events, ...stateEvents(id)] }],
    });
    expect(patch?.headers['content-type']).toBe('application/json-patch+json');
    expect((await vendorHook(id))?.Events).toEqual([...spec().events, ...stateEvents(id)]);
    // The state events are the connector's business: drift compares the catalogue events only.
    expect(hook).toMatchObject({ url: spec().url, events: spec().events, name: 'CRM hook', status: 'ACTIVE', hasSecret: true });
    expect((await connector().listWebhooks())[0]?.events).toEqual(spec().events);
    expect(pings).toHaveLength(1);
    expect(pings[0]?.headers['x-hook-test']).toBe('true');
    expect(verifySuperofficeDelivery(pings[0]?.headers as never, Buffer.from(pings[0]?.body ?? ''), 'so-secret-1')).toBe(true);
  });

  it('sends the options on create: ErrorsEmail, Headers with every delivery, Properties in every body', async () => {
    const options = { errorsEmail: 'ops@example.com', headers: { 'X-Team': 'crm' }, properties: { tenant: 'acme' } };
    const [hook] = await connector().createWebhook({ ...spec(), options });
    expect(sandbox.requests[0]?.body).toMatchObject({
      ErrorsEmail: 'ops@example.com',
      Headers: { 'X-Team': 'crm' },
      Properties: { tenant: 'acme' },
    });
    expect(pings[0]?.headers['x-team']).toBe('crm');
    expect(JSON.parse(pings[0]?.body ?? '{}')).toMatchObject({ tenant: 'acme', Event: 'test' });
    expect(await vendorHook(hook?.externalId ?? '')).toMatchObject({ ErrorsEmail: 'ops@example.com', Headers: { 'X-Team': 'crm' } });
  });

  it.each([
    ['21 headers', { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) }, 'options.headers'],
    ['a 257-character header value', { headers: { 'X-Long': 'v'.repeat(257) } }, 'options.headers'],
    ['a header name of 257 characters', { headers: { [`X-${'n'.repeat(255)}`]: 'v' } }, 'options.headers'],
    ['a header value with a line break', { headers: { 'X-Split': 'a\r\nX-Evil: 1' } }, 'options.headers'],
    ['a header the vendor writes itself', { headers: { 'X-SuperOffice-Signature': 'forged' } }, 'options.headers'],
    ['a header name that is no HTTP token', { headers: { 'X Bad': 'v' } }, 'options.headers'],
    ['21 properties', { properties: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, 'v'])) }, 'options.properties'],
    ['a property shadowing the payload', { properties: { event: 'contact.deleted' } }, 'options.properties'],
    ['a 257-character property value', { properties: { p: 'v'.repeat(257) } }, 'options.properties'],
    ['an errorsEmail that is no address', { errorsEmail: 'not-an-address' }, 'options.errorsEmail'],
  ])('refuses %s with a ValidationError before calling the vendor', async (_what, options, field) => {
    const err = await connector()
      .createWebhook({ ...spec(), options })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe(field);
    const [hook] = await connector().createWebhook(spec());
    const before = sandbox.requests.length;
    await expect(connector().updateWebhook([hook?.externalId ?? ''], { ...spec(), options })).rejects.toBeInstanceOf(ValidationError);
    expect(sandbox.requests).toHaveLength(before);
  });

  it('accepts 20 headers and properties with 256-character names and values', async () => {
    const headers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-${String(i).padStart(254, 'h')}`, 'v'.repeat(256)]));
    const properties = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [String(i).padStart(256, 'p'), 'v'.repeat(256)]));
    // Both at once pass the sandbox's 16 KiB request bound: headers on create, properties on update.
    const [hook] = await connector().createWebhook({ ...spec(), options: { headers } });
    await connector().updateWebhook([hook?.externalId ?? ''], { ...spec(), options: { properties } });
    expect(sandbox.requests.at(-1)?.body).toEqual([{ op: 'replace', path: '/Properties', value: properties }]);
    const stored = await vendorHook(hook?.externalId ?? '');
    expect(stored?.Headers).toEqual(headers);
    expect(stored?.Properties).toEqual(properties);
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

  it('deletes the new hook again when subscribing it to its state events fails', async () => {
    sandbox.injectFault({ status: 500, method: 'PATCH', count: 3 });
    await expect(connector().createWebhook(spec())).rejects.toMatchObject({ status: 500 });
    expect(sandbox.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH', 'DELETE']);
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

  it('updates with a JSON Patch of only what changed, never a PUT', async () => {
    const options = { errorsEmail: 'ops@example.com', headers: { 'X-Team': 'crm' }, properties: { tenant: 'acme' } };
    const [hook] = await connector().createWebhook({ ...spec(), options });
    const id = hook?.externalId ?? '';
    const from = sandbox.requests.length;
    const [renamed] = await connector().updateWebhook([id], { ...spec(), name: 'renamed' });
    const sent = sandbox.requests.slice(from);
    expect(sent.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(sent[1]?.body).toEqual([{ op: 'replace', path: '/Name', value: 'renamed' }]);
    expect(renamed).toMatchObject({ name: 'renamed', events: spec().events });
    // Headers, Properties and ErrorsEmail stay as the vendor has them when the options leave them out.
    expect(await vendorHook(id)).toMatchObject({
      ErrorsEmail: 'ops@example.com',
      Headers: { 'X-Team': 'crm' },
      Properties: { tenant: 'acme' },
    });

    await connector().updateWebhook([id], { ...spec(), name: 'renamed', events: ['person.created'], url: `${receiverUrl}/hooks/y/tok` });
    expect(sandbox.requests.at(-1)?.body).toEqual([
      { op: 'replace', path: '/Events', value: ['person.created', ...stateEvents(id)] },
      { op: 'replace', path: '/TargetUrl', value: `${receiverUrl}/hooks/y/tok` },
    ]);
    // The vendor tested the new URL before saving it.
    expect(pings.at(-1)?.headers['x-hook-test']).toBe('true');

    await connector().updateWebhook([id], {
      ...spec(),
      name: 'renamed',
      events: ['person.created'],
      url: `${receiverUrl}/hooks/y/tok`,
      options: { errorsEmail: null, headers: { 'X-Team': 'sales' } },
    });
    expect(sandbox.requests.at(-1)?.body).toEqual([
      { op: 'replace', path: '/ErrorsEmail', value: null },
      { op: 'replace', path: '/Headers', value: { 'X-Team': 'sales' } },
    ]);
    expect(await vendorHook(id)).toMatchObject({ ErrorsEmail: null, Headers: { 'X-Team': 'sales' }, Properties: { tenant: 'acme' } });

    const before = sandbox.requests.length;
    const [same] = await connector().updateWebhook([id], {
      ...spec(),
      name: 'renamed',
      events: ['person.created'],
      url: `${receiverUrl}/hooks/y/tok`,
    });
    expect(sandbox.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    expect(same?.events).toEqual(['person.created']);
    expect(sandbox.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('renames a paused or failing hook without resuming it', async () => {
    const [hook] = await connector().createWebhook(spec());
    const id = hook?.externalId ?? '';
    await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], false);
    const [paused] = await connector().updateWebhook([id], { ...spec(), name: 'renamed while paused' });
    expect(paused).toMatchObject({ status: 'DISABLED', name: 'renamed while paused' });
    expect(JSON.stringify(sandbox.requests.at(-1)?.body)).not.toMatch(/State/i);

    await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], true);
    receiverStatus = 500;
    for (let i = 0; i < SUPEROFFICE_MAX_CONSECUTIVE_ERRORS; i++) await sandbox.trigger('contact.created', { account });
    receiverStatus = 200;
    const [failing] = await connector().updateWebhook([id], { ...spec(), name: 'renamed while failing' });
    expect(failing).toMatchObject({ status: 'FAILING', name: 'renamed while failing' });
  });

  it('registers anew when the vendor no longer has the hook, and drops extra hooks', async () => {
    const [a] = await connector().createWebhook(spec());
    const [b] = await connector().createWebhook({ ...spec(), name: 'extra' });
    await connector().deleteWebhook([a?.externalId ?? '']);
    const [now] = await connector().updateWebhook([a?.externalId ?? '', b?.externalId ?? ''], spec());
    expect(now?.externalId).not.toBe(a?.externalId);
    expect((await connector().listWebhooks()).map((h) => h.externalId)).toEqual([now?.externalId]);
  });

  it('pauses and resumes with a JSON Patch of State, and deletes with 204', async () => {
    const [hook] = await connector().createWebhook(spec());
    const id = hook?.externalId ?? '';
    const [paused] = await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], false);
    const patch = sandbox.requests.filter((r) => r.method === 'PATCH').at(-1);
    expect(patch).toMatchObject({ method: 'PATCH', path: `${base()}/${id}`, body: [{ op: 'replace', path: '/State', value: 'Stopped' }] });
    expect(patch?.headers['content-type']).toBe('application/json-patch+json');
    expect(paused?.status).toBe('DISABLED');
    expect((await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], true))[0]?.status).toBe('ACTIVE');
    await connector().deleteWebhook([id, '4242']);
    expect(sandbox.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`${base()}/${id}`, `${base()}/4242`]);
    expect(await connector().listWebhooks()).toEqual([]);
  });

  it('is told, through its own state events, that it was stopped or failed, and reads as hookgraph events', async () => {
    const [hook] = await connector().createWebhook(spec());
    const id = hook?.externalId ?? '';
    await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], false);
    const [stopped] = deliveriesOf(`webhook${id}.stopped`);
    expect(stopped).toBeDefined();
    const body = JSON.parse(stopped?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ Event: 'webhook.stopped', PrimaryKey: Number(id) });
    expect(body).not.toHaveProperty('Entity');
    expect(verifySuperofficeDelivery(stopped?.headers as never, Buffer.from(stopped?.body ?? ''), 'so-secret-1')).toBe(true);
    const [event] = superofficeProvider.normalize({
      headers: stopped?.headers as never,
      rawBody: Buffer.from(stopped?.body ?? ''),
      body,
      webhook: { id: 'w', events: spec().events, externalIds: [id] },
    });
    expect(event).toMatchObject({ type: 'hookgraph.webhook.stopped', resource: { type: 'webhook', id }, test: false });

    await requireMethod(superofficeProvider, connector(), 'setEnabled')([id], true);
    receiverStatus = 500;
    for (let i = 0; i < SUPEROFFICE_MAX_CONSECUTIVE_ERRORS - 1; i++) await sandbox.trigger('contact.created', { account });
    expect((await connector().getWebhook?.(id))?.status).toBe('ACTIVE');
    await sandbox.trigger('contact.created', { account });
    const errors = deliveriesOf(`webhook${id}.errors`);
    expect(errors).toHaveLength(1);
    const [failing] = superofficeProvider.normalize({
      headers: errors[0]?.headers as never,
      rawBody: Buffer.from(errors[0]?.body ?? ''),
      body: JSON.parse(errors[0]?.body ?? '{}'),
      webhook: { id: 'w', events: spec().events, externalIds: [id] },
    });
    expect(failing).toMatchObject({ type: 'hookgraph.webhook.failing', resource: { type: 'webhook', id } });
    // A failing hook gets no more events, and its LastError is read with it.
    const count = pings.length;
    await sandbox.trigger('contact.created', { account });
    expect(pings).toHaveLength(count);
    const got = await connector().getWebhook?.(id);
    expect(got).toMatchObject({ status: 'FAILING', lastError: 'Webhook call failed: HTTP 500' });
    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'GET', path: `${base()}/${id}/LastError` });
    // The list is one call: no LastError per hook.
    const before = sandbox.requests.length;
    const [listed] = await connector().listWebhooks();
    expect(sandbox.requests.length - before).toBe(1);
    expect(listed).toMatchObject({ status: 'FAILING' });
    expect(listed).not.toHaveProperty('lastError');
  });

  it('disables a hook at once on 410 Gone', async () => {
    const [hook] = await connector().createWebhook(spec());
    receiverStatus = 410;
    await sandbox.trigger('contact.created', { account });
    expect((await connector().getWebhook?.(hook?.externalId ?? ''))?.status).toBe('FAILING');
  });

  it('reports hasSecret false once the Secret is removed at the vendor, and an update puts it back', async () => {
    const [hook] = await connector().createWebhook(spec());
    const id = hook?.externalId ?? '';
    expect(await sandbox.removeSecret(account, id)).toBe(true);
    expect((await connector().listWebhooks())[0]?.hasSecret).toBe(false);
    expect((await connector().getWebhook?.(id))?.hasSecret).toBe(false);
    // Deliveries now go unsigned: hookgraph would refuse them.
    await sandbox.trigger('contact.created', { account });
    expect(pings.at(-1)?.headers['x-superoffice-signature']).toBeUndefined();
    const [updated] = await connector().updateWebhook([id], spec());
    expect(sandbox.requests.at(-1)?.body).toEqual([{ op: 'replace', path: '/Secret', value: 'so-secret-1' }]);
    expect(updated?.hasSecret).toBe(true);
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

  it('refuses bad credentials with a 401 ProviderError that does not echo them, and renews nothing it cannot', async () => {
    const err = (await connector({ accessToken: 'leaked-token-abc' })
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('leaked-token-abc');
    expect(sandbox.requests.map((r) => r.path)).toEqual([base()]);
    expect(saved).toEqual([]);
  });

  itSurvivesVendorFaults(
    sandbox,
    (timeoutMs) => connector(undefined, timeoutMs),
    (c) => c.createWebhook(spec()),
  );
});
