import { createContext, runInContext } from 'node:vm';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_PLACEHOLDER } from '../../src/graphql/graphiql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';

/*
 * No browser here (no Chromium on this machine): the page's own script, as served, runs in a VM context
 * with the browser APIs it touches (fetch is Node's, against the real gateway), and the test plays
 * GraphiQL's part: its introspection on load, a query from a new tab, the header editor's onEditHeaders.
 */

interface Page {
  /** The options the script handed to GraphiQL. */
  options: Record<string, unknown> & { onEditHeaders: (text: string) => void; headers?: string };
  /** What GraphiQL's fetcher calls. */
  fetch: (input: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<Response>;
  /** Keyboard events the script dispatched on window. */
  dispatched: Array<{ type: string; key: string; ctrlKey: boolean; shiftKey: boolean }>;
}

async function openPage(url: string, stored: Record<string, string> = {}): Promise<Page> {
  const html = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
  const options = /<script type="application\/json" id="graphiql-options">(.*?)<\/script>/s.exec(html)?.[1] as string;
  const script = /<script id="graphiql-page">(.*?)<\/script>/s.exec(html)?.[1] as string;
  const page = { dispatched: [] } as unknown as Page;
  const window: Record<string, unknown> = {
    location: { href: `${url}/graphql` },
    document: { getElementById: (id: string) => (id === 'graphiql-options' ? { textContent: options } : { id }) },
    localStorage: { getItem: (key: string) => stored[key] ?? null },
    fetch,
    Headers,
    URL,
    KeyboardEvent: class {
      constructor(
        readonly type: string,
        init: object,
      ) {
        Object.assign(this, init);
      }
    },
    dispatchEvent: (event: Page['dispatched'][number]) => page.dispatched.push(event),
    YogaGraphiQL: {
      renderYogaGraphiQL: (_root: unknown, rendered: Page['options']) => {
        page.options = rendered;
      },
    },
  };
  window['window'] = window;
  runInContext(script, createContext(window));
  page.fetch = window['fetch'] as Page['fetch'];
  return page;
}

const introspection = (authorization: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', Authorization: authorization },
  body: JSON.stringify({ query: getIntrospectionQuery(), operationName: 'IntrospectionQuery' }),
});
const query = (authorization: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', Authorization: authorization },
  body: JSON.stringify({ query: 'query Providers { providers { key } }', operationName: 'Providers' }),
});
const headersWith = (authorization: string) => JSON.stringify({ Authorization: authorization }, null, 2);

describe('the GraphiQL page script', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });
  afterAll(() => t.stop());
  const introspections = () => t.logs.filter((l) => l.includes('"operation":"IntrospectionQuery"')).length;

  it('holds the first introspection while the header is the template, then sends it with the key typed: no error screen', async () => {
    const page = await openPage(t.url);
    const before = introspections();
    let settled = false;
    const schema = page.fetch(`${t.url}/graphql`, introspection(HEADERS_PLACEHOLDER)).finally(() => {
      settled = true;
    });
    // A request sent after it has had its answer: the introspection never reached the gateway.
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect(settled).toBe(false);
    expect(introspections()).toBe(before);

    page.options.onEditHeaders(headersWith(`Bearer ${tenant.key}`));
    const res = await schema;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { __schema: unknown } }).data.__schema).toBeTruthy();
    expect(page.dispatched).toEqual([]);
  });

  it('sends the key typed in one tab for a new tab that still shows the template', async () => {
    const page = await openPage(t.url);
    expect((await page.fetch(`${t.url}/graphql`, query(HEADERS_PLACEHOLDER))).status).toBe(401);
    page.options.onEditHeaders(headersWith(`Bearer ${tenant.key}`));
    const res = await page.fetch(`${t.url}/graphql`, query(HEADERS_PLACEHOLDER));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { providers: unknown[] } }).data.providers.length).toBeGreaterThan(0);
  });

  it('starts new tabs with the key a previous visit stored', async () => {
    const page = await openPage(t.url, { 'graphiql:headers': headersWith(`Bearer ${tenant.key}`) });
    expect(JSON.parse(page.options.headers as string)).toEqual({ Authorization: `Bearer ${tenant.key}` });
    expect((await page.fetch(`${t.url}/graphql`, introspection(HEADERS_PLACEHOLDER))).status).toBe(200);
  });

  it('re-fetches the schema (Shift-Ctrl-R) when the key changes after an introspection was refused', async () => {
    const wrong = 'Bearer hg_000000000000_0000000000000000000000000000000000000000';
    const page = await openPage(t.url, { 'graphiql:headers': headersWith(wrong) });
    expect((await page.fetch(`${t.url}/graphql`, introspection(wrong))).status).toBe(401);
    page.options.onEditHeaders(headersWith(`Bearer ${tenant.key}`));
    expect(page.dispatched).toMatchObject([{ type: 'keydown', key: 'R', ctrlKey: true, shiftKey: true }]);
  });

  it('leaves a request without the template alone: a removed header is not filled in', async () => {
    const page = await openPage(t.url);
    page.options.onEditHeaders(headersWith(`Bearer ${tenant.key}`));
    const res = await page.fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ providers { key } }' }),
    });
    expect(res.status).toBe(401);
  });
});
