import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../../crypto.js';

/**
 * RootFi v3 signs nothing; it sends each webhook's custom `headers` with every delivery ("for added
 * security, you can integrate an authorization token in the headers", `[RF-docs] webhooks.mdx`).
 * hookgraph registers every hook with `X-Hookgraph-Secret: <per-webhook secret>` and checks it here,
 * on top of the URL token. v4's `X-RootFi-Signature` is not relied on: its algorithm and encoding are
 * undocumented (VENDORS.md §4.4).
 */
export function verifyRootfiDelivery(headers: IncomingHttpHeaders, _rawBody: Buffer, secret: string): boolean {
  const value = headers['x-hookgraph-secret'];
  const presented = Array.isArray(value) ? value[0] : value;
  if (typeof presented !== 'string' || secret === '') return false;
  return safeEqual(presented, secret);
}
