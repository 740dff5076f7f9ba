import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/providers/http.js';
import { paybookProvider } from '../../../src/providers/paybook/index.js';
import { createPaybookSandbox } from '../../../src/sandbox/paybook.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

describe('Paybook sandbox', () => {
  const sandbox = createPaybookSandbox();
  let vendor: SandboxServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ path: string; body: string }> = [];
  let answer = 200;

  const connect = (account: string) =>
    paybookProvider.createConnector({
      baseUrl: vendor.mountUrl,
      credentials: { apiKey: sandbox.credentialsFor(account)['apiKey'] ?? '' },
      http: createHttpClient('PAYBOOK', { retries: 0 }),
      saveCredentials: async () => {},
    });
  const spec = (path: string, options = {}) => ({
    url: `${receiverUrl}${path}`,
    events: ['credential_create'],
    name: 'n',
    secret: 's',
    payloadVersion: null,
    options,
  });

  beforeAll(async () => {
    vendor = await startSandboxServer(sandbox);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await vendor.close();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(async () => {
    await sandbox.reset();
    received.length = 0;
    answer = 200;
  });

  it("delivers to a hook with an id_user only that user's events, and to a hook without one every user's", async () => {
    await connect('a').createWebhook(spec('/mine', { idUser: sandbox.userOf('a') }));
    await connect('a').createWebhook(spec('/other', { idUser: sandbox.userOf('b') }));
    await connect('a').createWebhook(spec('/all'));
    const deliveries = await sandbox.trigger('credential_create', { account: 'a' });
    expect(deliveries.map((d) => d.url).sort()).toEqual([`${receiverUrl}/all`, `${receiverUrl}/mine`]);
    for (const r of received) expect(JSON.parse(r.body)).toMatchObject({ event: 'credential_create', id_user: sandbox.userOf('a') });
  });

  it('counts each notification the receiver refuses in ct_failed, and not the ones it takes', async () => {
    const [hook] = await connect('a').createWebhook(spec('/flaky'));
    await sandbox.trigger('credential_create', { account: 'a' });
    answer = 500;
    await sandbox.trigger('credential_create', { account: 'a', shape: 'v3' });
    await sandbox.trigger('credential_create', { account: 'a' });
    expect(received).toHaveLength(3);
    expect(await connect('a').listWebhooks()).toEqual([
      expect.objectContaining({ externalId: hook?.externalId, status: 'FAILING', failures: 2 }),
    ]);
  });

  it('refuses a malformed id_user or delay as the API would', async () => {
    const key = sandbox.credentialsFor('a')['apiKey'] ?? '';
    for (const extra of [{ id_user: 'not-an-id' }, { delay: -5 }, { delay: '10' }, { delay: 2.5 }]) {
      const res = await fetch(`${vendor.mountUrl}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `api_key api_key=${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${receiverUrl}/x`, events: ['refresh'], ...extra }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: false, code: 400 });
    }
    expect(await connect('a').listWebhooks()).toEqual([]);
  });
});
