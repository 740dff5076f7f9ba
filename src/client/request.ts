import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type GraphQLFormattedError, print } from 'graphql';
import { graphqlEndpoint } from './endpoint.js';
import { HookgraphError } from './errors.js';
import { type TokenSource, tokenOf } from './token.js';

/** The variables argument: optional when the operation has no required variable. */
export type VariablesOf<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** Options of {@link createRequest}. */
export interface RequestOptions {
  /** The gateway's base URL (`https://hooks.example.com`) or its `/graphql` endpoint. */
  url: string;
  /** API key or access token, or a function answering one (see {@link TokenSource}). */
  token: TokenSource;
  /** The fetch to call (a test's, or a polyfill's). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** A request still unanswered after this long is aborted. @default 30_000 */
  timeoutMs?: number;
}

/** Per-call options of a request. */
export interface RequestCallOptions {
  signal?: AbortSignal;
}

/** Runs one typed operation over HTTP; resolves with its data, throws a {@link HookgraphError} on any error. */
export type Request = <TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  ...variables: [...VariablesOf<TVariables>, options?: RequestCallOptions]
) => Promise<TData>;

interface Body {
  data?: unknown;
  errors?: GraphQLFormattedError[];
}

/**
 * `request(document, variables)`: a POST to /graphql with `Authorization: Bearer <token>`. A 401 with a token
 * function asks it once for a fresh token (`refresh: true`) and repeats the request.
 */
export function createRequest({ url, token, fetch: fetchImpl = globalThis.fetch, timeoutMs = 30_000 }: RequestOptions): Request {
  const endpoint = graphqlEndpoint(url).http;
  if (typeof fetchImpl !== 'function') throw new TypeError('hookgraph/client: no fetch in this environment; pass `fetch`');
  const send = async (query: string, variables: unknown, refresh: boolean, signal: AbortSignal | undefined) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        authorization: `Bearer ${await tokenOf(token, { refresh })}`,
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    let body: Body | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object') body = parsed as Body;
    } catch {
      // Not JSON (a proxy's error page): reported by status below.
    }
    return { status: res.status, body };
  };

  return async (document, ...args) => {
    const [variables, options] = args as unknown as [unknown, RequestCallOptions | undefined];
    const query = print(document);
    let { status, body } = await send(query, variables, false, options?.signal);
    if (status === 401 && typeof token === 'function') ({ status, body } = await send(query, variables, true, options?.signal));
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    if (errors.length > 0) {
      const message = errors.map((e) => e.message).join('; ');
      throw new HookgraphError(`hookgraph: ${message}`, { status, errors, data: body?.data });
    }
    if (body === null || body.data === undefined || body.data === null)
      throw new HookgraphError(`hookgraph: HTTP ${status} without data`, { status });
    return body.data as never;
  };
}
