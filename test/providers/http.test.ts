import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/domain/errors.js';
import { createHttpClient, parseRetryAfter } from '../../src/providers/http.js';

const ORIGIN = 'https://api.vendor.test';

describe('http layer', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());

  const client = (opts: Parameters<typeof createHttpClient>[1] = {}) =>
    createHttpClient('BOOQABLE', { dispatcher: agent, baseDelayMs: 1, maxDelayMs: 50, ...opts });

  it('honours Retry-After on 429 and then succeeds', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/items', method: 'GET' }).reply(429, '', { headers: { 'retry-after': '0' } });
    pool.intercept({ path: '/items', method: 'GET' }).reply(200, { ok: true });
    const res = await client().send({ method: 'GET', url: `${ORIGIN}/items` });
    expect(res.body).toEqual({ ok: true });
  });

  it('retries a GET after a 500 and returns the later success', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/items', method: 'GET' }).reply(500, 'oops');
    pool.intercept({ path: '/items', method: 'GET' }).reply(200, { n: 1 });
    expect((await client().send({ method: 'GET', url: `${ORIGIN}/items` })).body).toEqual({ n: 1 });
  });

  it('does not retry a POST the vendor may have applied (500)', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/items', method: 'POST' }).reply(500, 'secret vendor detail');
    pool.intercept({ path: '/items', method: 'POST' }).reply(201, { id: 'should-not-be-reached' });
    const err = await client()
      .send({ method: 'POST', url: `${ORIGIN}/items`, json: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(500);
    expect((err as ProviderError).message).not.toContain('secret vendor detail');
  });

  it('retries a POST that was rate limited (429), since the vendor did not apply it', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/items', method: 'POST' }).reply(429, '');
    pool.intercept({ path: '/items', method: 'POST' }).reply(201, { id: 'x' });
    expect((await client().send({ method: 'POST', url: `${ORIGIN}/items`, json: {} })).status).toBe(201);
  });

  it('gives up after the configured retries with a retryable ProviderError', async () => {
    const pool = agent.get(ORIGIN);
    for (let i = 0; i < 3; i++) pool.intercept({ path: '/items', method: 'GET' }).reply(503, '');
    const err = (await client({ retries: 2 })
      .send({ method: 'GET', url: `${ORIGIN}/items` })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
  });

  it('turns a body that is not JSON into a ProviderError without echoing it', async () => {
    agent.get(ORIGIN).intercept({ path: '/items', method: 'GET' }).reply(200, '<html>garbage</html>');
    const err = (await client()
      .send({ method: 'GET', url: `${ORIGIN}/items` })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).not.toContain('garbage');
  });

  it('times out a vendor that does not answer', async () => {
    agent.get(ORIGIN).intercept({ path: '/slow', method: 'GET' }).reply(200, {}).delay(500).persist();
    const err = (await client({ timeoutMs: 50, retries: 0 })
      .send({ method: 'GET', url: `${ORIGIN}/slow` })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/did not answer within 50 ms/);
  });

  it('picks up the vendor request id', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/items', method: 'GET' })
      .reply(404, '{}', { headers: { 'x-request-id': 'req-42' } });
    const err = (await client()
      .send({ method: 'GET', url: `${ORIGIN}/items` })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err.vendorRequestId).toBe('req-42');
    expect(err.status).toBe(404);
  });

  it('accepts statuses the caller declares as answers', async () => {
    agent.get(ORIGIN).intercept({ path: '/items/1', method: 'DELETE' }).reply(404, '');
    expect((await client().send({ method: 'DELETE', url: `${ORIGIN}/items/1`, acceptStatus: [404] })).status).toBe(404);
  });

  it('refuses URLs the allowlist rejects before any request is sent', async () => {
    const guarded = client({
      assertAllowedUrl: () => {
        throw new Error('not allowed');
      },
    });
    await expect(guarded.send({ method: 'GET', url: `${ORIGIN}/items` })).rejects.toThrow('not allowed');
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('refuses an answer whose declared length is above the cap before reading it', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/items', method: 'GET' })
      .reply(200, '{}', { headers: { 'content-length': String(400 * 1024 * 1024) } });
    const err = (await client({ maxResponseBytes: 1024 * 1024 })
      .send({ method: 'GET', url: `${ORIGIN}/items` })
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toBe('BOOQABLE answered with a body larger than 1048576 bytes, more than hookgraph reads');
    expect(err).toMatchObject({ status: 200, retryable: false });
  });

  it('reads a JSON answer that starts with a byte order mark', async () => {
    agent.get(ORIGIN).intercept({ path: '/items', method: 'GET' }).reply(200, '\uFEFF{"ok":true}');
    expect((await client().send({ method: 'GET', url: `${ORIGIN}/items` })).body).toEqual({ ok: true });
  });

  it('reads an answer of exactly the cap', async () => {
    const body = JSON.stringify('x'.repeat(1022));
    agent.get(ORIGIN).intercept({ path: '/items', method: 'GET' }).reply(200, body);
    expect((await client({ maxResponseBytes: 1024 }).send({ method: 'GET', url: `${ORIGIN}/items` })).body).toHaveLength(1022);
  });
});

/** A loopback vendor streaming an endless chunked body, with backpressure; records how much it got out. */
async function endlessVendor(status: number): Promise<{ url: string; written: () => number; closed: Promise<void>; server: Server }> {
  let written = 0;
  let onClosed = () => {};
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const server = createServer((_req, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.once('close', onClosed);
    res.write('[');
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/items`, written: () => written, closed, server };
}

describe('http layer against a vendor that never stops answering', () => {
  const leftovers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const dispose of leftovers.splice(0)) await dispose();
  });
  const start = async (status: number, maxResponseBytes?: number) => {
    const vendor = await endlessVendor(status);
    const dispatcher = new Agent();
    leftovers.push(
      () => dispatcher.close(),
      () => new Promise((resolve) => vendor.server.close(resolve)),
    );
    return { vendor, http: createHttpClient('ROOTFI', { dispatcher, retries: 0, ...(maxResponseBytes && { maxResponseBytes }) }) };
  };

  it('cuts a streamed answer off as it passes the cap, with a typed ProviderError', async () => {
    const cap = 2 * 1024 * 1024;
    const { vendor, http } = await start(200, cap);
    const err = (await http.send({ method: 'GET', url: vendor.url }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/larger than 2097152 bytes/);
    await vendor.closed;
    // What the vendor got out is the cap plus what the loopback socket buffers held when the client hung up.
    expect(vendor.written()).toBeLessThan(cap + 32 * 1024 * 1024);
  });

  it('never reads the body of an error answer', async () => {
    const { vendor, http } = await start(503);
    const err = (await http.send({ method: 'GET', url: vendor.url }).catch((e: unknown) => e)) as ProviderError;
    expect(err).toMatchObject({ status: 503, retryable: true });
    await vendor.closed;
    expect(vendor.written()).toBeLessThan(32 * 1024 * 1024);
  });
});
