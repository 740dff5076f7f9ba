import { createGraphQLError } from 'graphql-yoga';
import type { Viewer } from '../domain/access.js';
import type { Access } from '../manage/access.js';

/** Accepts `Bearer <credential>` or the bare credential (graphql-ws connectionParams often carry it bare). */
export function extractApiKey(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 8_192) return null;
  const m = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(value);
  return m?.[1] ?? null;
}

export function unauthenticated(message = 'a valid API key or access token is required: Authorization: Bearer <key or token>') {
  return createGraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

/**
 * The credential of an HTTP or SSE request: the Authorization header, else — for an event stream only, which a
 * browser's EventSource opens without headers — an `access_token` query parameter holding a short-lived token (an
 * API key there is refused: URLs end up in logs and histories, and a key lives until revoked).
 */
export function credentialOfRequest(request: Request): { value: unknown; inUrl: boolean } {
  const header = request.headers.get('authorization');
  if (header !== null) return { value: header, inUrl: false };
  const accept = request.headers.get('accept') ?? '';
  if (!accept.includes('text/event-stream')) return { value: null, inUrl: false };
  const token = new URL(request.url, 'http://localhost').searchParams.get('access_token');
  return { value: token, inUrl: token !== null };
}

/** The viewer of a credential, or throws UNAUTHENTICATED. `inUrl`: only a short-lived token is accepted. */
export async function authenticate(access: Access, authorization: unknown, { inUrl = false } = {}): Promise<Viewer> {
  const credential = extractApiKey(authorization);
  if (credential !== null && inUrl && credential.startsWith('hg_'))
    throw unauthenticated('an API key is never accepted in a URL: mint a short-lived token (createAccessToken) for access_token');
  const viewer = credential ? await access.authenticate(credential) : null;
  if (!viewer) throw unauthenticated();
  return viewer;
}
