import { hash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

export interface RefusalBudgetOptions {
  /** Refused operations a client may send per second, sustained (a turned-away request counts as one). @default 1 */
  perSecond?: number;
  /** Refused operations a client may send in a burst. @default 20 */
  burst?: number;
  /** Clients remembered at once (least recently seen forgotten first). @default 10_000 */
  clients?: number;
}

const TARPIT_MS = 1_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Refusals per client, over HTTP, SSE and graphql-ws alike: a client whose operations keep being
 * refused (over a limit, unauthenticated) is turned away before its next request or socket is even
 * read, so an alias bomb or a subscribe flood sent in a loop costs the gateway a map lookup, not a
 * parse. A client is its Authorization value (hashed: no key is held in memory), or its address when it
 * sends none. Real clients never meet this: it takes `burst` refusals in a row, then more than
 * `perSecond` each second. Written here because the maintained rate limiters for yoga/envelop limit
 * fields by directive, not refusals per client; a token bucket is a few lines.
 */
export function createRefusalBudget({ perSecond = 1, burst = 20, clients = 10_000 }: RefusalBudgetOptions = {}) {
  const buckets = new LRUCache<string, Bucket>({ max: clients });
  const refill = (b: Bucket, now: number) => {
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
  };
  return {
    /** The client of a request or socket: its credential's hash, else its address. */
    clientOf(authorization: unknown, address: string | undefined): string {
      return typeof authorization === 'string' && authorization !== ''
        ? hash('sha256', authorization, 'base64url')
        : `addr:${address ?? ''}`;
    },
    /**
     * Holds a turned-away client for up to `TARPIT_MS` before it is answered: a client that loops on its refusals
     * then loops slowly (one idle socket each, bounded by the connection cap) instead of costing a handshake or a
     * request every few milliseconds.
     */
    tarpit(): Promise<void> {
      return new Promise((resolve) => setTimeout(resolve, TARPIT_MS).unref());
    },
    /** Seconds to wait before the client may be served again, or 0. */
    retryAfter(client: string): number {
      const bucket = buckets.get(client);
      if (!bucket) return 0;
      refill(bucket, performance.now());
      return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / perSecond);
    },
    refused(client: string): void {
      const now = performance.now();
      let bucket = buckets.get(client);
      if (!bucket) {
        bucket = { tokens: burst, at: now };
        buckets.set(client, bucket);
      }
      refill(bucket, now);
      bucket.tokens -= 1;
    },
  };
}
export type RefusalBudget = ReturnType<typeof createRefusalBudget>;

/** The budget on yoga's HTTP and SSE paths: 429 before the body is read, and refusals counted from results. */
export function useRefusalBudget(budget: RefusalBudget): Plugin {
  const clientOf = new WeakMap<Request, string>();
  return {
    async onRequest({ request, serverContext, endResponse }) {
      const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress;
      const client = budget.clientOf(request.headers.get('authorization'), address);
      clientOf.set(request, client);
      const retryAfter = budget.retryAfter(client);
      if (retryAfter === 0) return;
      // Turned away is refused again: a client that keeps sending while held stays held.
      budget.refused(client);
      await budget.tarpit();
      endResponse(
        new Response(
          JSON.stringify({
            errors: [
              {
                message: `too many refused operations: wait ${retryAfter} s, then send operations within the limits`,
                extensions: { code: 'TOO_MANY_REFUSALS' },
              },
            ],
          }),
          { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter), connection: 'close' } },
        ),
      );
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length || 'data' in result) return;
      const refused = result.errors.some((e) => e.extensions?.['limit'] !== undefined || e.extensions?.['code'] === 'UNAUTHENTICATED');
      const client = clientOf.get(request);
      if (refused && client !== undefined) budget.refused(client);
    },
  };
}
