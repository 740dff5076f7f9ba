import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';

export interface GraphQLResponse<T> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

type Doc<T, V> = TypedDocumentNode<T, V> | string;
const text = <T, V>(doc: Doc<T, V>) => (typeof doc === 'string' ? doc : print(doc));

/** One GraphQL operation over real HTTP. */
export async function gql<T = Record<string, unknown>, V = Record<string, unknown>>(
  url: string,
  key: string | null,
  doc: Doc<T, V>,
  variables?: V,
): Promise<GraphQLResponse<T>> {
  const res = await request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(key !== null && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ query: text(doc), variables }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as GraphQLResponse<T>['body'] };
}

/** Like gql, but fails the test on GraphQL errors and returns data. */
export async function gqlData<T, V = Record<string, unknown>>(url: string, key: string, doc: Doc<T, V>, variables?: V): Promise<T> {
  const res = await gql(url, key, doc, variables);
  if (res.body.errors?.length || !res.body.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data;
}

export function wsClient(url: string, key: string | null, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
    ...extra,
  });
}

export interface Collector<T> {
  items: T[];
  errors: unknown[];
  /** Resolves once `n` items arrived, or rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

function makeCollector<T>(stop: () => void): Collector<T> & { push(item: T): void; fail(e: unknown): void } {
  const items: T[] = [];
  const errors: unknown[] = [];
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    items,
    errors,
    push(item) {
      items.push(item);
      const ready = waiters.filter((w) => items.length >= w.n);
      waiters = waiters.filter((w) => items.length < w.n);
      for (const w of ready) w.resolve();
    },
    fail(e) {
      errors.push(e);
    },
    waitFor(n, timeoutMs = 5_000) {
      if (items.length >= n) return Promise.resolve(items.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${n} items, got ${items.length}; errors: ${JSON.stringify(errors)}`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(items.slice());
          },
        });
      });
    },
    stop,
  };
}

/** Subscribes over graphql-ws and collects `data` payloads. */
export function subscribeWs<T, V = Record<string, unknown>>(client: Client, doc: Doc<T, V>, variables: V = {} as V): Collector<T> {
  let dispose = () => {};
  const c = makeCollector<T>(() => dispose());
  dispose = client.subscribe<T>(
    { query: text(doc), variables: variables as Record<string, unknown> },
    {
      next: (r) => (r.errors ? c.fail(r.errors) : c.push(r.data as T)),
      error: (e) => c.fail(e),
      complete: () => {},
    },
  );
  return c;
}

/** Subscribes over SSE (graphql-yoga's text/event-stream) and collects `data` payloads. */
export function subscribeSse<T, V = Record<string, unknown>>(
  url: string,
  key: string,
  doc: Doc<T, V>,
  variables: V = {} as V,
): Collector<T> & { ready: Promise<number> } {
  const controller = new AbortController();
  const c = makeCollector<T>(() => controller.abort());
  const ready = (async () => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: text(doc), variables }),
      signal: controller.signal,
    });
    void (async () => {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let idx = buffer.indexOf('\n\n');
          while (idx !== -1) {
            const frame = buffer.slice(0, idx);
            buffer = buffer.slice(idx + 2);
            const data = frame
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('\n');
            if (data) {
              const payload = JSON.parse(data) as { data?: T; errors?: unknown };
              if (payload.errors) c.fail(payload.errors);
              else if (payload.data) c.push(payload.data);
            }
            idx = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted by stop()
      }
    })();
    return res.status;
  })();
  return Object.assign(c, { ready });
}
