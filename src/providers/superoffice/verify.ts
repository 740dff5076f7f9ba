import type { IncomingHttpHeaders } from 'node:http';
import { hmacSha256Base64, safeEqual } from '../../crypto.js';

/**
 * `X-SuperOffice-Signature` = Base64(HMAC-SHA256(UTF8(Secret), raw body)) (VENDORS.md §5.3). Computed
 * on the raw bytes, compared in constant time after a length check; a missing header fails.
 */
export function verifySuperofficeDelivery(headers: IncomingHttpHeaders, rawBody: Buffer, secret: string): boolean {
  const signature = headers['x-superoffice-signature'];
  if (typeof signature !== 'string' || signature === '') return false;
  return safeEqual(signature, hmacSha256Base64(secret, rawBody));
}
