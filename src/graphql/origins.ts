import type { Config } from '../config.js';

/** The development default's hosts: a dev server on this machine (Vite, Next, …), whatever its port. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a page served from `origin` (a request's Origin header) may call the API from a browser: yoga's CORS
 * headers (graphql/yoga.ts) and the WebSocket upgrade (graphql/ws.ts) both ask here. Browsers send the serialized
 * origin (lower-case host, no default port, no path), the form config.ts normalizes HOOKGRAPH_CORS_ORIGINS to, so
 * the comparison is exact; `null` (sandboxed frames, file: pages) is never allowed.
 */
export function isAllowedOrigin(origin: string, allowed: Config['corsOrigins']): boolean {
  if (allowed !== 'loopback') return allowed.includes(origin);
  const url = URL.canParse(origin) ? new URL(origin) : null;
  // Only the serialized form matches: `http://localhost:5173/` or `HTTP://localhost` is not a browser's Origin.
  return url !== null && url.origin === origin && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Whether `origin` is the gateway's own: its Host (the page came from this listener) or its public URL (behind a
 * proxy that rewrites Host). Browsers apply no CORS to such a page's requests, so its WebSocket is not refused
 * either, whatever HOOKGRAPH_CORS_ORIGINS says.
 */
export function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string | null): boolean {
  if (origin === publicUrl) return true;
  const url = URL.canParse(origin) ? new URL(origin) : null;
  return url !== null && host !== undefined && url.host === host.toLowerCase();
}
