import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { getOperationAST, Kind, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_PLACEHOLDER, STARTING_TABS } from '../../src/graphql/graphiql.js';
import { schema } from '../../src/schema/index.js';
import { startTestApp, type TestApp } from '../utils/app.js';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes on the wire (node:http does not decompress). */
  body: Buffer;
}

function raw(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a pooled one left idle past the server's keep-alive timeout (while this file
    // decompresses megabytes) can be reset as it is reused.
    get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const BROWSER = { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'gzip, deflate, br, zstd' };

/** The files the page loads: icon, stylesheet, script. */
const filesOf = (html: string) => [...html.matchAll(/(?:href|src)="(\/graphiql\/[^"]+)"/g)].map((m) => m[1] as string);

const optionsOf = (html: string) =>
  JSON.parse(/<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as {
    headers: string;
    defaultTabs: Array<{ query: string; headers: string }>;
    shouldPersistHeaders: boolean;
    endpoint: string;
  };

describe('GraphiQL page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it('opens with an Authorization template in the header editor and a one-line hint, in every starting tab', async () => {
    const page = await raw(`${t.url}/graphql`, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const options = optionsOf(page.body.toString());
    expect(JSON.parse(options.headers)).toEqual({ Authorization: HEADERS_PLACEHOLDER });
    expect(options.shouldPersistHeaders).toBe(true);
    expect(options.endpoint).toBe('/graphql');
    expect(options.defaultTabs).toHaveLength(2);
    for (const tab of options.defaultTabs) expect(JSON.parse(tab.headers)).toEqual({ Authorization: HEADERS_PLACEHOLDER });
    expect(options.defaultTabs[0]?.query.split('\n')[0]).toBe(
      '# Paste your API key into the Headers tab below: {"Authorization": "Bearer hg_…"}',
    );
  });

  it('starts with operations that are all named (Run offers each) and valid against the schema', () => {
    const names: string[] = [];
    for (const tab of STARTING_TABS) {
      const document = parse(tab);
      expect(validate(schema, document)).toEqual([]);
      for (const def of document.definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        expect(def.name?.value).toBeTruthy();
        expect(getOperationAST(document, def.name?.value)).toBe(def);
        names.push(def.name?.value as string);
      }
    }
    expect(names).toEqual(['Providers', 'CreateWebhook', 'TriggerContactChanged', 'WatchContacts']);
  });

  it('sends the page and its files compressed: a first visit moves a fifth of the 9 MB yoga inlined', async () => {
    const inlined = Buffer.byteLength(renderGraphiQL({ title: 'hookgraph' }));
    const page = await raw(`${t.url}/graphql`, BROWSER);
    const files = await Promise.all(filesOf(decode(page).toString()).map((f) => raw(`${t.url}${f}`, BROWSER)));
    expect(files).toHaveLength(3);
    for (const r of [page, ...files]) {
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe('br');
      expect(r.headers['vary']).toBe('Accept-Encoding');
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
    }
    const moved = [page, ...files].reduce((n, r) => n + r.body.length, 0);
    const unpacked = [page, ...files].reduce((n, r) => n + decode(r).length, 0);
    console.info(`GraphiQL first visit: ${moved} bytes on the wire (${unpacked} unpacked); yoga's inline page: ${inlined} bytes`);
    expect(moved).toBeLessThan(inlined / 4);
    // Everything yoga inlined is still there, unpacked.
    expect(unpacked).toBeGreaterThan(inlined * 0.95);
  });

  it('falls back to gzip, then to no encoding, as the client accepts', async () => {
    const path = filesOf(decode(await raw(`${t.url}/graphql`, BROWSER)).toString()).find((f) => f.endsWith('.css')) as string;
    const gz = await raw(`${t.url}${path}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await raw(`${t.url}${path}`, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(decode(gz)).toEqual(plain.body);
  });

  it('answers a revisit of the page with 304, and names its files by content so browsers never ask again', async () => {
    const first = await raw(`${t.url}/graphql`, BROWSER);
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}-br"$/);
    const again = await raw(`${t.url}/graphql`, { ...BROWSER, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The same page asked without compression still matches (the ETag names the content, not the encoding).
    expect((await raw(`${t.url}/graphql`, { accept: 'text/html', 'if-none-match': etag })).status).toBe(304);

    for (const file of filesOf(decode(first).toString())) {
      const r = await raw(`${t.url}${file}`, BROWSER);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await raw(`${t.url}${file}`, { ...BROWSER, 'if-none-match': r.headers['etag'] as string })).status).toBe(304);
    }
  });

  it('leaves GraphQL requests at the same URL to yoga, and answers 404 for unknown files', async () => {
    const post = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ providers { key } }' }),
    });
    expect(post.status).toBe(401);
    const json = await raw(`${t.url}/graphql?query=%7B__typename%7D`, { accept: 'application/json' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect((await raw(`${t.url}/graphiql/graphiql.0000000000000000.js`, BROWSER)).status).toBe(404);
  });
});

function decode(r: Raw): Buffer {
  switch (r.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(r.body);
    case 'gzip':
      return gunzipSync(r.body);
    default:
      return r.body;
  }
}
