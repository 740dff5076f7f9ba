import { type AccessScope, CreateAccessTokenDocument, type EventFilter } from './generated/graphql.js';
import { HookgraphError } from './errors.js';
import { createRequest } from './request.js';
import type { MintedToken } from './token.js';

/** What the token may do: a subset of the API key's scopes and filter (the server intersects, never widens). */
export interface AccessTokenRequest {
  scopes: AccessScope[];
  filter?: EventFilter;
  /** Seconds until the token expires; the server caps it (never past the key's own expiry). @default the server's, 900 */
  ttlSeconds?: number;
  /** The fetch to call. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Mints a short-lived access token with an API key (`createAccessToken`). Run it where the key lives (a backend),
 * and hand the token to the browser; `refreshingToken(() => tokenFromApiKey(…))` keeps one fresh.
 */
export async function tokenFromApiKey(
  url: string,
  apiKey: string,
  { scopes, filter, ttlSeconds, fetch: fetchImpl }: AccessTokenRequest,
): Promise<MintedToken & { expiresAt: string }> {
  const request = createRequest({ url, token: apiKey, ...(fetchImpl && { fetch: fetchImpl }) });
  const { createAccessToken: result } = await request(CreateAccessTokenDocument, {
    input: { scopes, ...(filter !== undefined && { filter }), ...(ttlSeconds !== undefined && { ttlSeconds }) },
  });
  if (result.__typename !== 'CreateAccessTokenSuccess')
    throw new HookgraphError(`hookgraph: createAccessToken refused: ${result.message}`, {
      data: result,
    });
  return { token: result.data.token, expiresAt: result.data.expiresAt };
}
