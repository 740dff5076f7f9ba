/** What a token function is told when it is called. */
export interface TokenRequest {
  /**
   * True when the server refused the previous token (the socket closed with 4403, or HTTP answered 401): a cached
   * token must not be given again.
   */
  refresh: boolean;
}

/**
 * An API key or access token, or a function answering one. The function is called before every (re)connect and
 * every request, so it can hand out a short-lived token and refresh it ({@link refreshingToken} caches it).
 */
export type TokenSource = string | ((request: TokenRequest) => string | Promise<string>);

/** A minted access token: what `createAccessToken` answers and {@link tokenFromApiKey} returns. */
export interface MintedToken {
  token: string;
  /** ISO-8601 date-time (or a Date) after which the server refuses the token. */
  expiresAt: string | Date;
}

/** Options of {@link refreshingToken}. */
export interface RefreshingTokenOptions {
  /**
   * A cached token is minted again this long before its expiry, so a connection never starts with a token about to
   * expire. A token living shorter than this is never cached.
   * @default 60
   */
  marginSeconds?: number;
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: () => number;
}

/** Resolves a {@link TokenSource} to the token to send now. */
export async function tokenOf(source: TokenSource, request: TokenRequest): Promise<string> {
  const token = typeof source === 'string' ? source : await source(request);
  if (typeof token !== 'string' || token.length === 0) throw new TypeError('hookgraph token: expected a non-empty string');
  return token;
}

/**
 * A token function that calls `mint` only when needed: the token is cached until `marginSeconds` before its
 * `expiresAt`, callers asking while a mint is under way share it, a failed mint is not cached, and a token the server
 * refused (`refresh: true`) is minted again.
 *
 * ```ts
 * const token = refreshingToken(() => fetch('/api/hookgraph-token').then((res) => res.json()));
 * const client = createHookgraphClient({ url, token });
 * ```
 */
export function refreshingToken(
  mint: () => MintedToken | Promise<MintedToken>,
  { marginSeconds = 60, now = Date.now }: RefreshingTokenOptions = {},
): (request?: TokenRequest) => Promise<string> {
  let cached: { token: string; freshUntil: number } | null = null;
  let minting: Promise<string> | null = null;
  return async ({ refresh } = { refresh: false }) => {
    if (refresh) cached = null;
    if (cached !== null && now() < cached.freshUntil) return cached.token;
    minting ??= (async () => {
      try {
        const { token, expiresAt } = await mint();
        const expiry = (expiresAt instanceof Date ? expiresAt : new Date(expiresAt)).getTime();
        // An unreadable expiry (NaN) compares false: the token is used once, never cached.
        cached = { token, freshUntil: expiry - marginSeconds * 1000 };
        return token;
      } finally {
        minting = null;
      }
    })();
    return minting;
  };
}
