import type { IncomingMessage, ServerResponse } from 'node:http';

/** The refusal body for a request target or Host this gateway does not serve. */
export const BAD_TARGET_MESSAGE = 'request target not served: use a path (/graphql) or an absolute http(s) URL';

/**
 * Rewrites `req.url` to origin-form (`/path?query`) and returns its pathname, or returns null when the
 * request must be refused with 400 (see refuseRequestTarget).
 *
 * - origin-form `/hooks/…` is served as sent, with dot segments resolved;
 * - absolute-form `http://host/hooks/…` (what a client talking to a proxy sends) is routed by its path, as
 *   RFC 9112 §3.2.2 asks; its authority is ignored, like the Host header then;
 * - asterisk-form `*` (OPTIONS *), and anything else, is refused.
 *
 * Every route downstream sees origin-form only. yoga (through @whatwg-node/server) builds its URL as
 * `http://${Host}${req.url}` and, when that does not parse (`http://127.0.0.1:4000*`, an absolute target, a
 * Host like `a:b`), answered 500 with the error's stack as the body: so the Host header is checked here too.
 */
export function normalizeRequestTarget(req: IncomingMessage): string | null {
  const target = req.url ?? '';
  let url: URL;
  try {
    if (target.startsWith('/')) url = new URL(`http://origin.invalid${target}`);
    else if (/^https?:\/\//i.test(target)) url = new URL(target);
    else return null;
  } catch {
    return null;
  }
  if (!validHost(req.headers.host)) return null;
  req.url = url.pathname + url.search;
  return url.pathname;
}

/**
 * A Host header yoga can build a URL from: absent (HTTP/1.0; Node requires it for 1.1) or a bare
 * `host[:port]` (RFC 9110 §7.2), never a path, query, user info or a port that does not parse.
 */
function validHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  if (host === '' || /[/?#@\\\s]/.test(host)) return false;
  try {
    return new URL(`http://${host}/`).host !== '';
  } catch {
    return false;
  }
}

/** 400 with a JSON reason; the connection is closed since the rest of what the client sends is suspect. */
export function refuseRequestTarget(req: IncomingMessage, res: ServerResponse): void {
  const text = JSON.stringify({ error: BAD_TARGET_MESSAGE });
  res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
  res.end(text);
  req.resume();
}
