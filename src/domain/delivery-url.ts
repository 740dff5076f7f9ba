/**
 * `/hooks/<webhook uuid>/<token>[/<tag>]`: the one URL shape every deliveryUrl has (formatted and parsed only here).
 * The tag is a connector's own mark for one of a webhook's several vendor hooks (Deskera: the event code, since its
 * bodies do not always name their event); the token alone authenticates, whatever the tag.
 */
const DELIVERY_PATH = /^\/hooks\/([0-9a-f-]{36})\/([A-Za-z0-9_-]{16,128})(?:\/([A-Za-z0-9_.-]{1,64}))?\/?$/;

/** The path prefix of every delivery URL. */
export const DELIVERY_PREFIX = '/hooks/';

/** The URL a vendor delivers to for one webhook, below the gateway's public origin. */
export function formatDeliveryUrl(origin: string, webhookId: string, token: string): string {
  return `${origin}${DELIVERY_PREFIX}${webhookId}/${token}`;
}

/** The webhook id, token and tag of a delivery path (`/hooks/<id>/<token>[/<tag>]`), or null when it is not one. */
export function parseDeliveryPath(pathname: string): { webhookId: string; token: string; tag: string | null } | null {
  const m = DELIVERY_PATH.exec(pathname);
  return m ? { webhookId: m[1] as string, token: m[2] as string, tag: m[3] ?? null } : null;
}

/** A delivery URL with a connector's tag for one vendor hook (see DELIVERY_PATH); `url` is a webhook's deliveryUrl. */
export function taggedDeliveryUrl(url: string, tag: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(tag)) throw new RangeError('a delivery tag is 1 to 64 letters, digits, _ . -');
  return `${url.replace(/\/$/, '')}/${tag}`;
}

/** The webhook id of a full delivery URL (a vendor's registration points at one), or null. */
export function webhookIdOfDeliveryUrl(url: string): string | null {
  try {
    return parseDeliveryPath(new URL(url).pathname)?.webhookId ?? null;
  } catch {
    return null;
  }
}
