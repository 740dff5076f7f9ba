/**
 * Booqable documents no delivery signature and its endpoints take no secret or custom headers
 * (VENDORS.md §2.3): the unguessable token in the deliveryUrl, checked by the ingest route, is the
 * only authentication. Hence no verifyDelivery on the Booqable definition.
 */
export const booqableSignsDeliveries = false;
