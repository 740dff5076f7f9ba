import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { isAllowedOrigin, isOwnOrigin } from '../../src/graphql/origins.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { leftover } from '../utils/leftovers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const QUERY = '{ providers { key } }';

/** A response's Access-Control-* headers (names in lower case, as undici gives them). */
function corsHeaders(headers: Record<string, string | string[] | undefined>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
}

/** The preflight a browser sends before a cross-origin POST with a key in Authorization. */
async function preflight(url: string, origin: string) {
  const res = await request(`${url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  await res.body.dump();
  return { status: res.statusCode, cors: corsHeaders(res.headers) };
}

async function post(url: string, key: string, origin?: string) {
  const res = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(origin !== undefined && { origin }) },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await res.body.json()) as { data?: { providers: unknown[] } };
  return { status: res.statusCode, cors: corsHeaders(res.headers), providers: body.data?.providers.length };
}

/**
 * Opens graphql-ws's socket with the Origin header a browser page on `origin` sends, then connection_init and one
 * query: resolves with the number of providers the query returned, or with the status the upgrade was refused with.
 */
function wsQuery(url: string, key: string, origin: string): Promise<{ status: number; providers?: number }> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { origin });
  leftover(() => socket.terminate());
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { providers: unknown[] } } };
      if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
      else if (message.type === 'next') resolve({ status: 101, providers: message.payload?.data?.providers.length ?? 0 });
      else if (message.type !== 'complete') reject(new Error(`unexpected message ${String(data)}`));
    });
  });
}

describe('HOOKGRAPH_CORS_ORIGINS', () => {
  let t: TestApp;
  let tenant: TestTenant;
  /** Not named: evil.example, a loopback origin, and the named one with another scheme or port. */
  const REFUSED = [EVIL, 'http://localhost:3000', 'http://app.example.com', 'https://app.example.com:8443'];
  beforeAll(async () => {
    t = await startTestApp({ config: { corsOrigins: [APP, 'http://localhost:5173'] } });
    tenant = await t.tenant();
  });

  it("answers a named origin's preflight with POST, Authorization and Content-Type allowed, and any other origin's with no CORS header", async () => {
    const { status, cors } = await preflight(t.url, APP);
    expect(status).toBe(204);
    expect(cors).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    for (const origin of REFUSED) expect(await preflight(t.url, origin), origin).toEqual({ status: 204, cors: {} });
  });

  it("lets a named origin's page read a POST's answer (without credentials mode), and no other origin's", async () => {
    const allowed = await post(t.url, tenant.key, APP);
    expect(allowed).toMatchObject({ status: 200, cors: { 'access-control-allow-origin': APP }, providers: 5 });
    expect(allowed.cors).not.toHaveProperty('access-control-allow-credentials');
    // The POST itself is served (any client may send any Origin): a browser just does not let the page read the answer.
    expect(await post(t.url, tenant.key, EVIL)).toEqual({ status: 200, cors: {}, providers: 5 });
    // No Origin: not a browser, served as before.
    expect(await post(t.url, tenant.key)).toEqual({ status: 200, cors: {}, providers: 5 });
  });

  it("opens a named origin's WebSocket and runs an operation on it, and refuses any other origin's upgrade with 403", async () => {
    expect(await wsQuery(t.url, tenant.key, APP)).toEqual({ status: 101, providers: 5 });
    for (const origin of REFUSED) expect(await wsQuery(t.url, tenant.key, origin), origin).toEqual({ status: 403 });
  });
});

describe('the profile defaults', () => {
  it('allow a page on any loopback port in development, and nothing else', async () => {
    const t = await startTestApp();
    const tenant = await t.tenant();
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      expect((await preflight(t.url, origin)).cors['access-control-allow-origin'], origin).toBe(origin);
      expect(await wsQuery(t.url, tenant.key, origin), origin).toEqual({ status: 101, providers: 5 });
    }
    for (const origin of [EVIL, 'http://localhost.evil.example:5173', 'https://localhost:5173', 'null']) {
      expect((await preflight(t.url, origin)).cors, origin).toEqual({});
      expect(await wsQuery(t.url, tenant.key, origin), origin).toEqual({ status: 403 });
    }
  });

  it('refuse localhost in production, yet let a page the gateway serves itself open the WebSocket', async () => {
    const t = await startTestApp({ config: { profile: 'production', corsOrigins: loadConfig({ NODE_ENV: 'production' }).corsOrigins } });
    const tenant = await t.tenant();
    expect((await preflight(t.url, 'http://localhost:5173')).cors).toEqual({});
    expect(await wsQuery(t.url, tenant.key, 'http://localhost:5173')).toEqual({ status: 403 });
    // Same-origin: browsers apply no CORS to the gateway's own pages, so their socket is not refused either.
    expect(await wsQuery(t.url, tenant.key, t.url)).toEqual({ status: 101, providers: 5 });
  });
});

describe('isAllowedOrigin', () => {
  it('matches a listed origin exactly, as browsers serialize it', () => {
    expect(isAllowedOrigin(APP, [APP])).toBe(true);
    for (const origin of [`${APP}/`, 'https://APP.example.com', `${APP}:443`, 'https://sub.app.example.com', 'null', '']) {
      expect(isAllowedOrigin(origin, [APP]), origin).toBe(false);
    }
    expect(isAllowedOrigin('http://localhost:5173', [])).toBe(false);
  });

  it('takes any port of http://localhost, 127.0.0.1 and [::1] for the development default, and only those', () => {
    for (const origin of ['http://localhost', 'http://localhost:5173', 'http://127.0.0.1:4000', 'http://[::1]:8080']) {
      expect(isAllowedOrigin(origin, 'loopback'), origin).toBe(true);
    }
    for (const origin of [
      'http://localhost:5173/',
      'http://127.0.0.2:80',
      'http://localhost.evil.example',
      'http://0.0.0.0:5173',
      'file://',
      'null',
    ]) {
      expect(isAllowedOrigin(origin, 'loopback'), origin).toBe(false);
    }
  });
});

describe('isOwnOrigin', () => {
  it("is the request's own Host, or the public URL behind a proxy that rewrites Host", () => {
    expect(isOwnOrigin('https://hooks.example.com', 'Hooks.Example.com', null)).toBe(true);
    expect(isOwnOrigin('https://hooks.example.com', '127.0.0.1:4000', 'https://hooks.example.com')).toBe(true);
    expect(isOwnOrigin('https://evil.example', 'hooks.example.com', 'https://hooks.example.com')).toBe(false);
    expect(isOwnOrigin('https://hooks.example.com:8443', 'hooks.example.com', null)).toBe(false);
    expect(isOwnOrigin('null', undefined, null)).toBe(false);
  });
});
