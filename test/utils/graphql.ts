import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { leftover } from './leftovers.js';

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

/** A lazy graphql-ws client of the gateway at `url`, on the leftovers list. */
export function wsClient(url: string, key: string | null, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  return leftover(
    createClient({
      url: `${url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      lazy: true,
      ...extra,
    }),
  );
}

export interface Collector<T> {
  items: T[];
  errors: unknown[];
  /** Resolves once `n` items arrived, or rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
  /**
   * Resolves, once an item matching `isMarker` arrived, with the items received before it; rejects after
   * `timeoutMs`. How a test shows that something did not arrive: the marker is sent after it would have been.
   */
  before(isMarker: (item: T) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

function makeCollector<T>(stop: () => void): Collector<T> & { push(item: T): void; fail(e: unknown): void } {
  const items: T[] = [];
  const errors: unknown[] = [];
  let waiters: Array<() => boolean> = [];
  /** Resolves with `result()` once it is not null, or rejects with `expected` after `timeoutMs`. */
  const until = (result: () => T[] | null, expected: string, timeoutMs: number): Promise<T[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== check);
        reject(new Error(`expected ${expected}, got ${items.length} items; errors: ${JSON.stringify(errors)}`));
      }, timeoutMs);
      const check = () => {
        const r = result();
        if (r === null) return false;
        clearTimeout(timer);
        resolve(r);
        return true;
      };
      if (!check()) waiters.push(check);
    });
  return {
    items,
    errors,
    push(item) {
      items.push(item);
      waiters = waiters.filter((check) => !check());
    },
    fail(e) {
      errors.push(e);
    },
    waitFor: (n, timeoutMs = 5_000) => until(() => (items.length >= n ? items.slice() : null), `${n} items`, timeoutMs),
    before(isMarker, timeoutMs = 5_000) {
      return until(
        () => {
          const at = items.findIndex(isMarker);
          return at === -1 ? null : items.slice(0, at);
        },
        'the marker',
        timeoutMs,
      );
    },
    stop,
  };
}

/** Subscribes over graphql-ws and collects `data` payloads; the subscription is on the leftovers list. */
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
  return leftover(c);
}

/** Subscribes over SSE (graphql-yoga's text/event-stream) and collects `data` payloads; the stream is on the leftovers list. */
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
  return leftover(Object.assign(c, { ready }));
}
