import { createGraphQLError } from 'graphql-yoga';
import type { ApiKeyStore } from '../store/api-keys.js';
import type { Tenant } from '../domain/tenant.js';

/** Accepts `Bearer <key>` or the bare key (graphql-ws connectionParams often carry it bare). */
export function extractApiKey(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(value);
  return m?.[1] ?? null;
}

export function unauthenticated(message = 'a valid API key is required: Authorization: Bearer <key>') {
  return createGraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

/** Resolves the tenant of an Authorization value, or throws UNAUTHENTICATED. */
export async function authenticate(apiKeys: ApiKeyStore, authorization: unknown): Promise<Tenant> {
  const key = extractApiKey(authorization);
  const tenant = key ? ((await apiKeys.authenticate(key))?.tenant ?? null) : null;
  if (!tenant) throw unauthenticated();
  return tenant;
}
