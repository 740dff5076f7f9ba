import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../../crypto.js';

/** Paybook adds the custom `headers` of a webhook to each notification (VENDORS.md §3.1). */
export const SECRET_HEADER = 'X-Hookgraph-Secret';

/**
 * V1 deliveries carry no signature (V3's "JWT key" has no public spec, VENDORS.md §3.4); hookgraph
 * registers each webhook with its secret as a custom header and checks it in constant time.
 */
export function verifyPaybookDelivery(headers: IncomingHttpHeaders, _rawBody: Buffer, secret: string): boolean {
  const value = headers[SECRET_HEADER.toLowerCase()];
  return typeof value === 'string' && safeEqual(value, secret);
}
