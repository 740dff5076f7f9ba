/**
 * The credential the console sends as `Authorization: Bearer …`: an API key pasted on the sign-in page, or a
 * short-lived access token from a one-time link (`/console/#token=<jwt>`). It lives in sessionStorage, so it ends
 * with the tab, and never in the address bar or the history.
 */
export interface Credential {
  kind: 'api-key' | 'token';
  value: string;
}

/** Every key the console keeps in sessionStorage starts with `hookgraph.`, so signing out can clear them all. */
const STORAGE_KEY = 'hookgraph.credential';
/** Far above any key or JWT the gateway issues; a pasted novel is not a credential. */
const MAX_LENGTH = 4096;

export function readCredential(): Credential | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isCredential(parsed)) return parsed;
  } catch {
    // Unreadable: treated as signed out.
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return null;
}

/** Stores the credential; a different one than before starts afresh (another tenant's live events are not ours). */
export function saveCredential(credential: Credential): void {
  if (readCredential()?.value !== credential.value) clearSessionState();
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
}

/** Signs out: the credential and everything the console kept for it. */
export function clearCredential(): void {
  clearSessionState();
}

function clearSessionState(): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('hookgraph.')) sessionStorage.removeItem(key);
}

/** A pasted key, trimmed and without a `Bearer ` prefix copied along with it; null when it cannot be one. */
export function normalizeSecret(input: string): string | null {
  const value = input.trim().replace(/^Bearer\s+/i, '');
  return value.length > 0 && value.length <= MAX_LENGTH && !/\s/.test(value) ? value : null;
}

/**
 * Takes a one-time link's token out of the URL fragment (`#token=<jwt>`, optionally after a route:
 * `#/live?token=<jwt>`), stores it, and rewrites the address bar without it so it is neither bookmarked nor
 * left in the history. Returns the credential, or null when the fragment holds none.
 */
export function takeTokenFromUrl(): Credential | null {
  const hash = window.location.hash;
  const match = /^#(?:(\/[^?]*)\?)?(.*)$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[2]);
  const token = params.get('token');
  if (token === null) return null;
  params.delete('token');
  const route = match[1] ?? '/';
  const rest = params.toString();
  const url = `${window.location.pathname}${window.location.search}#${route}${rest ? `?${rest}` : ''}`;
  window.history.replaceState(window.history.state, '', url);
  const value = normalizeSecret(token);
  if (value === null) return null;
  const credential: Credential = { kind: 'token', value };
  saveCredential(credential);
  return credential;
}

function isCredential(value: unknown): value is Credential {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, value: secret } = value as Record<string, unknown>;
  return (kind === 'api-key' || kind === 'token') && typeof secret === 'string' && normalizeSecret(secret) === secret;
}
