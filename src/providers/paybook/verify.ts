import type { IncomingHttpHeaders } from 'node:http';
import { verifySecretHeader } from '../secret-header.js';

/**
 * V1 deliveries carry no signature, but Paybook adds a webhook's custom `headers` to each notification (VENDORS.md
 * §3.1): hookgraph registers each V1 webhook with its secret in the shared secret header and checks it in constant
 * time. V3 subscriptions take no custom headers through the API and V3's "JWT key" has no public spec (VENDORS.md
 * §3.2, §3.4): a V3 webhook's deliveries are authenticated by its delivery URL's token alone (checked before this).
 */
export function verifyPaybookDelivery(
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  secret: string,
  webhook?: { payloadVersion: string | null },
): boolean {
  return webhook?.payloadVersion === '3' || verifySecretHeader(headers, rawBody, secret);
}
