/**
 * Booqable documents no delivery signature, and webhook endpoints take no secret and no custom
 * headers (VENDORS.md §2.3, [BQ-docs] v4/resources/_webhook_endpoints.md). The only authentication
 * is the unguessable per-webhook token in the deliveryUrl, which the ingest route compares in
 * constant time. Hence the Booqable definition has no verifyDelivery.
 *
 * A stronger check would fetch `GET /api/4/webhooks/{id}` with the delivered `id` and compare; it
 * costs a vendor call per delivery and only works while Booqable retains the notification, so it is
 * not done on the ingest path.
 */
export const booqableSignsDeliveries = false;
