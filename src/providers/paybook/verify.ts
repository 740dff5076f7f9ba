import { verifySecretHeader } from '../secret-header.js';

/**
 * V1 deliveries carry no signature (V3's "JWT key" has no public spec, VENDORS.md §3.4), but Paybook
 * adds a webhook's custom `headers` to each notification (VENDORS.md §3.1): hookgraph registers each
 * webhook with its secret in the shared secret header and checks it in constant time.
 */
export const verifyPaybookDelivery = verifySecretHeader;
