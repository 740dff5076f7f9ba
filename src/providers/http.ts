import { randomUUID } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, errors as undiciErrors, request } from 'undici';
import { ProviderError, ValidationError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** Serialized as JSON. */
  json?: unknown;
  /**
   * Whether the call may be repeated after a failure the vendor may already have applied (5xx,
   * timeout). Defaults to true for GET, PUT, DELETE and false for POST and PATCH. 429 and refused
   * connections are always retried: the vendor did not apply them.
   */
  idempotent?: boolean;
  /** Statuses that are answers, not errors (e.g. 404 on delete). */
  acceptStatus?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
  vendorRequestId: string | null;
}

export interface HttpOptions {
  /**
   * DNS for the default Agent's connect hook: the host guard's `lookup`, which refuses vendor names that
   * resolve to internal addresses. Unused when a `dispatcher` is given.
   * @default dns.lookup
   */
  lookup?: LookupFunction;
  /** Injectable transport (an undici MockAgent in tests). @default one pooled Agent per client, connecting through `lookup` */
  dispatcher?: Dispatcher;
  /** Per-attempt timeout for headers and body. @default 10_000 */
  timeoutMs?: number;
  /** Extra attempts after the first. @default 2 */
  retries?: number;
  /** First backoff step; doubles each attempt, with full jitter. @default 200 */
  baseDelayMs?: number;
  /** Cap for one backoff or Retry-After wait. @default 5_000 */
  maxDelayMs?: number;
  /** Throws when a URL's host is not allowed (SSRF guard); the host guard's `assertAllowedUrl`. */
  assertAllowedUrl?: (url: URL) => void;
  /**
   * Largest response body read from a vendor: a declared Content-Length above it is refused before
   * reading, a streamed body is cut off as it passes it. config.limits.vendorMaxResponseBytes.
   * @default 10 MiB
   */
  maxResponseBytes?: number;
  /** Observes each attempt (logs, metrics). Never receives bodies. */
  onAttempt?: (info: { provider: ProviderKey; method: string; url: string; status: number | null; attempt: number; ms: number }) => void;
}

export interface HttpClient {
  readonly provider: ProviderKey;
  send(req: HttpRequest): Promise<HttpResponse>;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid', 'x-superoffice-correlation-id'];

/** One HTTP layer for every vendor: pooled, timed out, retried with backoff and jitter, typed errors. */
export function createHttpClient(
  provider: ProviderKey,
  {
    lookup,
    dispatcher = new Agent({ connections: 16, keepAliveTimeout: 10_000, ...(lookup && { connect: { lookup } }) }),
    timeoutMs = 10_000,
    retries = 2,
    baseDelayMs = 200,
    maxDelayMs = 5_000,
    assertAllowedUrl,
    maxResponseBytes = 10 * 1024 * 1024,
    onAttempt,
  }: HttpOptions = {},
): HttpClient {
  async function send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    assertAllowedUrl?.(url);
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    if (req.method === 'POST' && !idempotent) headers['idempotency-key'] ??= randomUUID();

    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let retryAfterMs: number | null = null;
      let failure: ProviderError;
      let reported = false;
      const report = (status: number | null) => {
        reported = true;
        onAttempt?.({ provider, method: req.method, url: url.pathname, status, attempt, ms: performance.now() - started });
      };
      try {
        const res = await request(url, {
          method: req.method,
          headers,
          body,
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const vendorRequestId = pickRequestId(res.headers);
        const ok = (res.statusCode >= 200 && res.statusCode < 300) || req.acceptStatus?.includes(res.statusCode);
        if (ok) {
          const text = await readCapped(provider, res, maxResponseBytes, vendorRequestId).finally(() => report(res.statusCode));
          return {
            status: res.statusCode,
            headers: res.headers,
            body: parseJson(provider, text, res.statusCode, vendorRequestId),
            vendorRequestId,
          };
        }
        // An error answer's body is never used: discard it (undici reads at most 128 KiB, then closes).
        await res.body.dump().finally(() => report(res.statusCode));
        const retryable = res.statusCode === 429 || (res.statusCode >= 500 && idempotent);
        failure = new ProviderError(describeStatus(provider, res.statusCode), {
          provider,
          status: res.statusCode,
          retryable: res.statusCode === 429 || res.statusCode >= 500,
          vendorRequestId,
        });
        if (!retryable) throw failure;
        retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      } catch (error) {
        if (error instanceof ProviderError) {
          if (!error.retryable || attempt >= retries) throw error;
          if (error.status !== null && error.status >= 500 && !idempotent) throw error;
          failure = error;
        } else {
          if (!reported) report(null);
          // The host guard's lookup refused the address the vendor host resolves to: not a network failure.
          if (error instanceof ValidationError) throw error;
          const refused = isConnectionRefused(error);
          const timedOut = isTimeout(error);
          failure = new ProviderError(timedOut ? `${provider} did not answer within ${timeoutMs} ms` : `${provider} could not be reached`, {
            provider,
            retryable: true,
            cause: error,
          });
          // A timed-out or reset POST may have been applied by the vendor: only retry if idempotent.
          if (attempt >= retries || (!refused && !idempotent)) throw failure;
        }
      }
      if (attempt >= retries) throw failure;
      const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      await sleep(Math.min(maxDelayMs, retryAfterMs ?? backoff));
    }
  }
  return { provider, send };
}

/**
 * The body as text, reading at most `cap` bytes: a vendor (or whatever answers at its address) cannot make
 * the gateway buffer an unbounded answer.
 */
async function readCapped(
  provider: ProviderKey,
  res: Dispatcher.ResponseData,
  cap: number,
  vendorRequestId: string | null,
): Promise<string> {
  const tooLarge = () => {
    res.body.destroy();
    return new ProviderError(`${provider} answered with a body larger than ${cap} bytes, more than hookgraph reads`, {
      provider,
      status: res.statusCode,
      retryable: false,
      vendorRequestId,
    });
  };
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > cap) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  // TextDecoder, as undici's body.text(): a leading BOM (some .NET APIs send one) is dropped before JSON.parse.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

function parseJson(provider: ProviderKey, text: string, status: number, vendorRequestId: string | null): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProviderError(`${provider} answered ${status} with a body that is not valid JSON`, {
      provider,
      status,
      retryable: false,
      vendorRequestId,
      cause,
    });
  }
}

function describeStatus(provider: ProviderKey, status: number): string {
  if (status === 401 || status === 403) return `${provider} rejected the stored credentials (HTTP ${status})`;
  if (status === 404) return `${provider} does not know this resource (HTTP 404)`;
  if (status === 429) return `${provider} is rate limiting requests (HTTP 429)`;
  if (status >= 500) return `${provider} failed to process the request (HTTP ${status})`;
  return `${provider} refused the request (HTTP ${status})`;
}

function pickRequestId(headers: Record<string, string | string[] | undefined>): string | null {
  for (const name of REQUEST_ID_HEADERS) {
    const v = headers[name];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

/** Retry-After as delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    (error as { name?: string } | null)?.name === 'TimeoutError' ||
    (error as { name?: string } | null)?.name === 'AbortError'
  );
}

/** A 2xx answer whose body is not the shape the vendor documents: never echoes the body. */
export function unreadableAnswer(
  provider: ProviderKey,
  what: string,
  res: Pick<HttpResponse, 'status' | 'vendorRequestId'>,
): ProviderError {
  return new ProviderError(`${provider} answered ${what} that hookgraph could not read`, {
    provider,
    status: res.status,
    vendorRequestId: res.vendorRequestId,
  });
}
