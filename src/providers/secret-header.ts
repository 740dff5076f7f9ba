import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../crypto.js';

/**
 * For vendors that sign nothing but send a webhook's custom headers with each delivery (Paybook,
 * RootFi): hookgraph registers every webhook with this header set to the webhook's secret, and
 * checks it on delivery, on top of the token in the URL.
 */
export const SECRET_HEADER = 'X-Hookgraph-Secret';

/**
 * The header's value equals the webhook's secret (constant time). A missing header or an empty secret
 * fails; so does a repeated header, which Node joins into one `a, b` value.
 */
export function verifySecretHeader(headers: IncomingHttpHeaders, _rawBody: Buffer, secret: string): boolean {
  const value = headers[SECRET_HEADER.toLowerCase()];
  return typeof value === 'string' && secret !== '' && safeEqual(value, secret);
}
