import { parseDeliveryPath } from '../domain/delivery-url.js';

/**
 * The sandbox delivers only to this gateway's own delivery URLs: `<gateway origin>/hooks/<uuid>/<token>`,
 * where the gateway origins are its public URL and its bound loopback origin (known once it
 * listens, hence a function). Anything else (link-local metadata addresses, other loopback ports,
 * another gateway's /hooks) is refused, so the sandbox can neither be aimed at internal services nor
 * report whether they answer.
 */
export function createDeliveryGuard(gatewayOrigins: () => readonly (string | null | undefined)[]): (url: string) => boolean {
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.username || url.password || url.search || url.hash) return false;
    // Compared after WHATWG parsing, the form undici will request: dot segments, case and default ports are settled.
    const target = url.origin + url.pathname;
    return gatewayOrigins().some((origin) => {
      const base = normalizeBase(origin);
      return base !== null && target.startsWith(`${base}/`) && parseDeliveryPath(target.slice(base.length)) !== null;
    });
  };
}

/** `https://Hooks.example.com/gw/` → `https://hooks.example.com/gw`; null for no origin or a non-http URL. */
function normalizeBase(origin: string | null | undefined): string | null {
  if (!origin) return null;
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin + u.pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
}
