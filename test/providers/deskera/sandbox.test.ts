import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskeraProvider } from '../../../src/providers/deskera/index.js';
import { createHttpClient } from '../../../src/providers/http.js';
import { createDeskeraSandbox } from '../../../src/sandbox/deskera.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

describe('Deskera sandbox deliveries', () => {
  const sandbox = createDeskeraSandbox();
  let vendor: SandboxServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    vendor = await startSandboxServer(sandbox);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await vendor.close();
    receiver.close();
  });

  const connect = (account: string) =>
    deskeraProvider.createConnector({
      baseUrl: vendor.mountUrl,
      credentials: deskeraProvider.parseCredentials(sandbox.credentialsFor(account)),
      http: createHttpClient('DESKERA'),
      saveCredentials: async () => {},
    });

  it('POSTs JSON to the hooks of the account subscribed to the event, and nowhere else', async () => {
    await connect('a').createWebhook({
      url: `${receiverUrl}/a-invoice`,
      events: ['CREATE_INVOICE'],
      name: 'n',
      secret: 's',
      payloadVersion: null,
    });
    await connect('a').createWebhook({
      url: `${receiverUrl}/a-bill`,
      events: ['CREATE_BILL'],
      name: 'n',
      secret: 's',
      payloadVersion: null,
    });
    await connect('b').createWebhook({
      url: `${receiverUrl}/b-invoice`,
      events: ['CREATE_INVOICE'],
      name: 'n',
      secret: 's',
      payloadVersion: null,
    });
    const deliveries = await sandbox.trigger('CREATE_INVOICE', { account: 'a' });
    expect(deliveries).toEqual([{ url: `${receiverUrl}/a-invoice/CREATE_INVOICE`, status: 200 }]);
    expect(received.map((r) => r.path)).toEqual(['/a-invoice/CREATE_INVOICE']);
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ eventType: 'CREATE_INVOICE', tenantId: 'a' });
  });

  it("delivers each event of a webhook to its own hook's URL, with the name left out of the body on shape 'unnamed'", async () => {
    received.length = 0;
    await connect('c').createWebhook({
      url: `${receiverUrl}/c`,
      events: ['STOCK_IN', 'STOCK_OUT'],
      name: 'n',
      secret: 's',
      payloadVersion: null,
    });
    expect(await sandbox.trigger('STOCK_OUT', { account: 'c', shape: 'unnamed' })).toEqual([
      { url: `${receiverUrl}/c/STOCK_OUT`, status: 200 },
    ]);
    const body = JSON.parse(received[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ tenantId: 'c', data: expect.any(Object) });
    expect(Object.hasOwn(body, 'eventType')).toBe(false);
  });
});
