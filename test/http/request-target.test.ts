import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_TARGET_MESSAGE } from '../../src/http/request-target.js';
import { CreateWebhookDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';
import { exchange, parseResponse } from './raw-client.js';

/** A line of a stack trace, as @whatwg-node/server used to send for a URL it could not build. */
const STACK_FRAME = /\n\s+at .+[(:]\d+/;

describe('request targets and Host headers, sent as raw bytes', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let host: string;
  let deliveryPath: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    host = new URL(t.url).host;
    await t.connectSandbox(tenant, 'BOOQABLE');
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'BOOQABLE', events: ['order.reserved'], payloadVersion: '4' },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
    deliveryPath = new URL(createWebhook.data.deliveryUrl).pathname;
  });

  const delivery = (id: string) =>
    JSON.stringify({ id, created_at: '2026-02-01T10:00:00Z', event: 'order.reserved', resource_type: 'orders', data: { id: 'o-1' } });
  const post = (target: string, body: string, extra = '') =>
    `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;

  it('routes an absolute-form delivery (what a client behind a forward proxy sends) by its path, like origin-form', async () => {
    const before = await t.app.services.store.events.count(tenant.id);
    const res = parseResponse(
      await exchange(t.url, post(`http://${host}${deliveryPath}`, delivery('4b8f0c2e-1d3a-4e5f-8a9b-0c1d2e3f4a51'))),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: 1, stored: 1, duplicates: 0 });
    // The authority of an absolute-form target is ignored (RFC 9112 §3.2.2): routing is by path only.
    const other = parseResponse(
      await exchange(t.url, post(`http://elsewhere.example:81${deliveryPath}`, delivery('4b8f0c2e-1d3a-4e5f-8a9b-0c1d2e3f4a52'))),
    );
    expect(other.status).toBe(200);
    expect(await t.app.services.store.events.count(tenant.id)).toBe(before + 2);
  });

  it('serves absolute-form GraphQL and health requests like origin-form ones', async () => {
    const query = JSON.stringify({ query: '{ providers { key } }' });
    const graphql = parseResponse(await exchange(t.url, post(`http://${host}/graphql`, query, `Authorization: Bearer ${tenant.key}\r\n`)));
    expect(graphql.status).toBe(200);
    expect(JSON.parse(graphql.body).data.providers).toHaveLength(5);
    const health = parseResponse(await exchange(t.url, `GET http://${host}/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    expect(health.status).toBe(200);
  });

  it('answers asterisk-form targets (OPTIONS * and GET *) with a JSON 400 that never reaches yoga', async () => {
    for (const method of ['OPTIONS', 'GET', 'POST']) {
      const text = await exchange(t.url, `${method} * HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      const res = parseResponse(text);
      expect(res.status, method).toBe(400);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body)).toEqual({ error: BAD_TARGET_MESSAGE });
    }
  });

  it('answers targets and Host headers that do not parse with a JSON 400', async () => {
    const requests = [
      `GET http://[::1/graphql HTTP/1.1\r\nHost: ${host}\r\n`,
      `GET https://x:99999/graphql HTTP/1.1\r\nHost: ${host}\r\n`,
      `GET ftp://x/graphql HTTP/1.1\r\nHost: ${host}\r\n`,
      `GET /graphql HTTP/1.1\r\nHost: a:b\r\n`,
      `GET /graphql HTTP/1.1\r\nHost: ${host}/x\r\n`,
      `GET /health HTTP/1.1\r\nHost: user@${host}\r\n`,
    ];
    for (const head of requests) {
      const res = parseResponse(await exchange(t.url, `${head}Connection: close\r\n\r\n`));
      expect(res.status, head).toBe(400);
      expect(JSON.parse(res.body), head).toEqual({ error: BAD_TARGET_MESSAGE });
    }
  });

  it('never answers with a stack trace or a 5xx, whatever the target, Host, method or body', async () => {
    const targets = [
      '*',
      `http://${host}/graphql`,
      `http://${host}${deliveryPath}`,
      'http://x:abc/',
      '//evil/graphql',
      '/graphql%',
      '/%ZZ',
    ];
    const hosts = [host, 'a:b', '[', 'x y', ''];
    const requests: string[] = [];
    for (const target of targets) {
      for (const h of hosts) {
        for (const method of ['GET', 'POST', 'OPTIONS', 'PROPFIND']) {
          const body = method === 'POST' ? '{"query":"{__typename}"}' : '';
          requests.push(
            `${method} ${target} HTTP/1.1\r\nHost: ${h}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
          );
        }
      }
    }
    requests.push(
      `GET /graphql HTTP/1.0\r\n\r\n`,
      `GET * HTTP/1.0\r\n\r\n`,
      `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      `GET * HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      `GET http://${host}/graphql HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n`,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"a":`,
      `POST /graphql HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    for (const request of requests) {
      const text = await exchange(t.url, request).catch((e: Error) => e.message);
      expect(text, request.slice(0, 120)).not.toMatch(STACK_FRAME);
      expect(text, request.slice(0, 120)).not.toMatch(/^HTTP\/1\.[01] 5\d\d/);
    }
    expect(t.logs.join('')).not.toMatch(/Invalid URL/);
    const health = parseResponse(await exchange(t.url, `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    expect(health.status).toBe(200);
  });
});
