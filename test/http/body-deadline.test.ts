import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/domain/errors.js';
import { readBody } from '../../src/ingest/read-body.js';
import { leftover } from '../utils/leftovers.js';
import { openRaw, parseResponse, type RawClient } from './raw-client.js';

/** A server answering like the ingest route: the body's length, or the DeliveryError's status (408 closes). */
async function reader(timeoutMs: number): Promise<string> {
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req, 1024, { timeoutMs });
      res.end(JSON.stringify({ bytes: body.length }));
    } catch (error) {
      const status = error instanceof DeliveryError ? error.status : 500;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 408 && { connection: 'close' }) });
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  leftover(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function trickling(url: string, declared: number): Promise<RawClient> {
  const client = await openRaw(url);
  client.write(`POST /hooks/x HTTP/1.1\r\nHost: h\r\nContent-Length: ${declared}\r\n\r\n`);
  const timer = setInterval(() => (client.isClosed ? clearInterval(timer) : client.write('a')), 100);
  leftover(() => clearInterval(timer));
  return client;
}

describe('readBody deadline', () => {
  it('refuses a body trickling one byte every 100 ms with 408 once the deadline passes', async () => {
    const url = await reader(500);
    const started = performance.now();
    const client = await trickling(url, 100);
    const res = parseResponse(await client.closed);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toEqual({ error: 'the body did not arrive within 500 ms' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('reads a slow body that completes before the deadline', async () => {
    const url = await reader(2_000);
    const client = await trickling(url, 3);
    const text = await client.until(/\{"bytes":3\}/);
    expect(parseResponse(text).status).toBe(200);
  });
});
