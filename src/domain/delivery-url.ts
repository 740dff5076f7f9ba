/** `/hooks/<webhook uuid>/<token>`: the one URL shape every deliveryUrl has (formatted and parsed only here). */
const DELIVERY_PATH = /^\/hooks\/([0-9a-f-]{36})\/([A-Za-z0-9_-]{16,128})\/?$/;

/** The path prefix of every delivery URL. */
export const DELIVERY_PREFIX = '/hooks/';

/** The URL a vendor delivers to for one webhook, below the gateway's public origin. */
export function formatDeliveryUrl(origin: string, webhookId: string, token: string): string {
  return `${origin}${DELIVERY_PREFIX}${webhookId}/${token}`;
}

/** The webhook id and token of a delivery path (`/hooks/<id>/<token>`), or null when it is not one. */
export function parseDeliveryPath(pathname: string): { webhookId: string; token: string } | null {
  const m = DELIVERY_PATH.exec(pathname);
  return m ? { webhookId: m[1] as string, token: m[2] as string } : null;
}

/** The webhook id of a full delivery URL (a vendor's registration points at one), or null. */
export function webhookIdOfDeliveryUrl(url: string): string | null {
  try {
    return parseDeliveryPath(new URL(url).pathname)?.webhookId ?? null;
  } catch {
    return null;
  }
}
