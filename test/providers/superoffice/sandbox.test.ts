import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSuperofficeSandbox } from '../../../src/sandbox/superoffice.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

/** The sandbox vendor's own rules, spoken to in its dialect (no connector in between). */
describe('SuperOffice sandbox: JSON Patch, LastError, state events', () => {
  const sandbox = createSuperofficeSandbox();
  const account = 'patchy';
  const token = sandbox.credentialsFor(account)['accessToken'] as string;
  let server: SandboxServer;
  let receiver: Server;
  let receiverUrl = '';
  const received: Array<{ event: unknown; body: Record<string, unknown> }> = [];
  let id = 0;

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown, contentType = 'application/json') => {
    const res = await request(`${server.mountUrl}${sandbox.basePath(account)}/api/v1/Webhook${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const patch = (ops: unknown, contentType = 'application/json-patch+json') => call('PATCH', `/${id}`, ops, contentType);
  const hook = async () => (await call('GET', `/${id}`)).body as Record<string, unknown>;

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        received.push({ event: req.headers['x-superoffice-event'], body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200).end();
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
    received.length = 0;
    const created = await call('POST', '', {
      Name: 'n',
      Events: ['contact.created'],
      TargetUrl: `${receiverUrl}/h`,
      Secret: 's',
      Headers: { 'X-A': '1' },
      Properties: { p: 'v' },
    });
    id = created.body?.['WebhookId'] as number;
  });

  it('applies add, replace, remove and test (RFC 6902), paths case-insensitive and the slash optional', async () => {
    const res = await patch([
      { op: 'test', path: '/Name', value: 'n' },
      { op: 'add', path: '/Events/-', value: 'sale.changed' },
      { op: 'add', path: '/events/0', value: 'person.created' },
      { op: 'replace', path: 'name', value: 'renamed' },
      { op: 'add', path: '/Headers/X-B', value: '2' },
      { op: 'remove', path: '/Headers/X-A' },
      { op: 'replace', path: '/Properties/p', value: 'w' },
      { op: 'replace', path: '/ErrorsEmail', value: 'ops@example.com' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Name: 'renamed',
      Events: ['person.created', 'contact.created', 'sale.changed'],
      Headers: { 'X-B': '2' },
      Properties: { p: 'w' },
      ErrorsEmail: 'ops@example.com',
      State: 'Active',
    });
    expect(res.body?.['Headers']).not.toHaveProperty('X-A');
  });

  it('applies all operations or none: a failed test is 409, a bad path or a read-only member 400', async () => {
    const before = await hook();
    const cases: Array<[unknown, number]> = [
      [
        [
          { op: 'replace', path: '/Name', value: 'x' },
          { op: 'test', path: '/Name', value: 'not it' },
        ],
        409,
      ],
      [
        [
          { op: 'replace', path: '/Name', value: 'x' },
          { op: 'replace', path: '/Headers/missing', value: '1' },
        ],
        400,
      ],
      [[{ op: 'remove', path: '/Events/5' }], 400],
      [[{ op: 'replace', path: '/Events/-', value: 'sale.changed' }], 400],
      [[{ op: 'replace', path: '/WebhookId', value: 99 }], 400],
      [[{ op: 'replace', path: '/Registered', value: '2020-01-01' }], 400],
      [[{ op: 'move', from: '/Name', path: '/Secret' }], 400],
      [[{ op: 'replace', path: '/Nope', value: 1 }], 400],
      [[{ op: 'replace', path: '/Name' }], 400],
      [[{ op: 'replace', path: '/Events', value: ['no.such'] }], 400],
      [[{ op: 'replace', path: '/State', value: 'Sleeping' }], 400],
      [{ Name: 'merge without its content type' }, 400],
    ];
    for (const [ops, status] of cases) expect((await patch(ops)).status, JSON.stringify(ops)).toBe(status);
    expect(await hook()).toEqual(before);
  });

  it('takes a JSON Merge Patch (RFC 7396) too', async () => {
    const res = await patch({ Name: 'merged', Headers: { 'X-A': null, 'X-C': '3' }, ErrorsEmail: null }, 'application/merge-patch+json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Name: 'merged', Headers: { 'X-C': '3' }, Events: ['contact.created'] });
  });

  it('tests a new TargetUrl before saving it', async () => {
    const res = await patch([{ op: 'replace', path: '/TargetUrl', value: 'http://127.0.0.1:1/closed' }]);
    expect(res.status).toBe(400);
    expect((await hook())['TargetUrl']).toBe(`${receiverUrl}/h`);
  });

  it('answers LastError as a JSON string, and models a Secret removed at the vendor', async () => {
    expect(await call('GET', `/${id}/LastError`)).toEqual({ status: 200, body: '' });
    expect(await sandbox.removeSecret(account, String(id))).toBe(true);
    expect((await hook())['Secret']).toBeNull();
    expect(await sandbox.removeSecret(account, '999')).toBe(false);
  });

  it('fires state events only to hooks listing them, with the id in the header and none in the body Event', async () => {
    const other = await call('POST', '', { Name: 'watcher', Events: [`webhook${id}.stopped`], TargetUrl: `${receiverUrl}/w`, Secret: 's' });
    received.length = 0;
    await patch([{ op: 'replace', path: '/State', value: 'Stopped' }]);
    expect(received).toEqual([
      {
        event: `webhook${id}.stopped`,
        body: expect.objectContaining({ Event: 'webhook.stopped', PrimaryKey: id, WebhookName: 'watcher', Changes: [] }),
      },
    ]);
    expect(received[0]?.body).not.toHaveProperty('Entity');
    // Resuming fires `started`, which nobody listens to.
    received.length = 0;
    await patch([{ op: 'replace', path: '/State', value: 'Active' }]);
    expect(received).toEqual([]);
    // Shape `state` makes the vendor stop the hook itself.
    const deliveries = await sandbox.trigger(`webhook${id}.stopped`, { account, shape: 'state' });
    expect(deliveries).toEqual([{ url: `${receiverUrl}/w`, status: 200 }]);
    expect((await hook())['State']).toBe('Stopped');
    expect((await call('GET', `/${other.body?.['WebhookId']}`)).body?.['State']).toBe('Active');
  });

  it('injects Properties beside the payload members, never over them', async () => {
    await sandbox.trigger('contact.created', { account });
    expect(received.at(-1)?.body).toMatchObject({ p: 'v', Event: 'contact.created', Entity: 'contact' });
  });
});
