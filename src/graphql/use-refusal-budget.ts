import { hash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

export interface RefusalBudgetOptions {
  /** Refused operations a client may send per second, sustained. @default 2 */
  perSecond?: number;
  /** Refused operations a client may send in a burst. @default 20 */
  burst?: number;
  /** Clients remembered at once (least recently seen forgotten first). @default 10_000 */
  clients?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A client whose operations keep being refused (over a limit, unauthenticated) is answered 429 before
 * its next request is even read, so an alias bomb sent in a loop costs the gateway a map lookup, not
 * a parse. A client is its Authorization value (hashed: no key is held in memory), or its address when
 * it sends none. Real clients never meet this: it takes `burst` refusals in a row, then more than
 * `perSecond` each second. Written here because the maintained rate limiters for yoga/envelop limit
 * fields by directive, not refusals per client; a token bucket is a few lines.
 */
export function useRefusalBudget({ perSecond = 2, burst = 20, clients = 10_000 }: RefusalBudgetOptions = {}): Plugin {
  const buckets = new LRUCache<string, Bucket>({ max: clients });
  const clientOf = new WeakMap<Request, string>();

  const refill = (b: Bucket, now: number) => {
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
  };

  return {
    onRequest({ request, serverContext, endResponse }) {
      const authorization = request.headers.get('authorization');
      const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress ?? '';
      const client = authorization ? hash('sha256', authorization, 'base64url') : `addr:${address}`;
      clientOf.set(request, client);
      const bucket = buckets.get(client);
      if (!bucket) return;
      refill(bucket, performance.now());
      if (bucket.tokens >= 1) return;
      const retryAfter = Math.ceil((1 - bucket.tokens) / perSecond);
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
          { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) } },
        ),
      );
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length || 'data' in result) return;
      const refused = result.errors.some((e) => e.extensions?.['limit'] !== undefined || e.extensions?.['code'] === 'UNAUTHENTICATED');
      const client = clientOf.get(request);
      if (!refused || client === undefined) return;
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
