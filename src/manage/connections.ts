import { NotConnectedError, ValidationError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { HttpClient } from '../providers/http.js';
import { getProvider } from '../providers/registry.js';
import type { Connector } from '../providers/types.js';
import type { Connection } from '../domain/connection.js';
import type { Store } from '../store/store.js';

export interface ConnectionManagerDeps {
  store: Store;
  httpFor(provider: ProviderKey): HttpClient;
  assertAllowedUrl(url: URL): void;
}

/** Connects tenants to vendors: credentials are checked by a real vendor call, then sealed. */
export function createConnectionManager({ store, httpFor, assertAllowedUrl }: ConnectionManagerDeps) {
  function resolveBaseUrl(provider: ProviderKey, input: string | null | undefined): string {
    const def = getProvider(provider);
    const raw = input?.trim() || def.defaultBaseUrl;
    if (!raw) throw new ValidationError(`baseUrl is required for ${def.name} (each account has its own host)`, 'baseUrl');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ValidationError('baseUrl is not a valid URL', 'baseUrl');
    }
    if (url.search || url.hash) throw new ValidationError('baseUrl must not have a query or fragment', 'baseUrl');
    assertAllowedUrl(url);
    return url.toString().replace(/\/+$/, '');
  }

  return {
    async connect(
      tenantId: string,
      provider: ProviderKey,
      baseUrlInput: string | null | undefined,
      credentialsInput: unknown,
    ): Promise<Connection> {
      const def = getProvider(provider);
      const baseUrl = resolveBaseUrl(provider, baseUrlInput);
      let credentials = def.parseCredentials(credentialsInput);
      const connector = def.createConnector({
        baseUrl,
        credentials,
        http: httpFor(provider),
        saveCredentials: async (c) => {
          credentials = c;
        },
      });
      await connector.verifyCredentials();
      return store.connections.upsert(tenantId, provider, baseUrl, credentials);
    },

    async disconnect(tenantId: string, provider: ProviderKey): Promise<boolean> {
      return store.connections.remove(tenantId, provider);
    },

    /** A connector bound to the tenant's stored connection; refreshed credentials are re-sealed. */
    async connector(tenantId: string, provider: ProviderKey): Promise<Connector> {
      const conn = await store.connections.get(tenantId, provider);
      if (!conn) throw new NotConnectedError(provider);
      const def = getProvider(provider);
      return def.createConnector({
        baseUrl: conn.baseUrl,
        credentials: conn.credentials,
        http: httpFor(provider),
        saveCredentials: (c) => store.connections.updateCredentials(tenantId, provider, c),
      });
    },

    list: (tenantId: string) => store.connections.list(tenantId),
  };
}
export type ConnectionManager = ReturnType<typeof createConnectionManager>;
