/**
 * The gateway's GraphQL endpoint over HTTP and WebSocket, from its base URL (`https://hooks.example.com`) or the
 * endpoint itself; in a page, a path (`/graphql`) is taken relative to the page's own URL.
 */
export function graphqlEndpoint(url: string): { http: string; ws: string } {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  const parsed = new URL(url, page);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`hookgraph url must be http(s): ${parsed.protocol}`);
  if (!/\/graphql\/?$/.test(parsed.pathname)) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/graphql`;
  const http = parsed.toString();
  return { http, ws: http.replace(/^http/, 'ws') };
}
