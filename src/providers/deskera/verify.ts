/**
 * Deskera documents no delivery signature (VENDORS.md §1.3), and its register call takes no custom
 * headers: the unguessable token in the deliveryUrl, checked by the ingest route, is the only
 * authentication there is. Hence no verifyDelivery on the Deskera definition.
 */
export const deskeraSignsDeliveries = false;
