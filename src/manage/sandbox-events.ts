import { NotConnectedError, UnsupportedError, ValidationError } from '../domain/errors.js';
import { type ProviderKey, providerKeys } from '../domain/provider-key.js';
import { getProvider } from '../providers/registry.js';
import type { SandboxDelivery, SandboxVendor } from '../sandbox/types.js';
import type { Connection } from '../domain/connection.js';
import type { Store } from '../store/store.js';
import type { StoredWebhook } from '../domain/webhook.js';

export interface SandboxConnectResult {
  /** The tenant's sandbox connections for the providers asked for, new and existing. */
  connections: Connection[];
  /** The providers connected by this call. */
  created: ProviderKey[];
}

/**
 * The gateway's side of the sandbox: connects tenants to sandbox vendor accounts, and makes those
 * accounts fire events. A tenant's sandbox account is the one its stored (sealed) credentials prove
 * at the vendor, never something derived from the tenant's id.
 */
export function createSandboxEvents({
  store,
  vendors,
  mountUrl,
}: {
  store: Store;
  vendors: Record<ProviderKey, SandboxVendor>;
  mountUrl(provider: ProviderKey): string;
}) {
  /** The sandbox account the tenant's connection credentials prove; null when connected to a real vendor. */
  async function accountOf(tenantId: string, provider: ProviderKey): Promise<string | null> {
    const conn = await store.connections.get(tenantId, provider);
    if (!conn) throw new NotConnectedError(provider);
    return vendors[provider].accountOf(conn.credentials);
  }

  async function sandboxAccount(tenantId: string, provider: ProviderKey): Promise<string> {
    const account = await accountOf(tenantId, provider);
    if (account === null) throw new UnsupportedError(`${provider} is connected to a real vendor, not the sandbox`);
    return account;
  }

  /**
   * Opens an account at the sandbox vendor (fresh random credentials) and stores the tenant's
   * connection to it, credentials sealed like any vendor's. No vendor call proves them: the vendor
   * has just minted them in this database, so this also works without the server running (CLI).
   */
  async function connectOne(tenantId: string, provider: ProviderKey): Promise<Connection> {
    const def = getProvider(provider);
    const opened = await vendors[provider].openAccount();
    const credentials = def.parseCredentials(opened.credentials);
    return store.connections.upsert(tenantId, provider, mountUrl(provider) + opened.basePath, credentials);
  }

  return {
    vendors,
    mountUrl,
    accountOf,

    /**
     * Connects the tenant to one sandbox vendor, or to all five when `provider` is omitted. Idempotent:
     * an existing sandbox connection is kept (with its hooks). A provider connected to a real vendor
     * account is never replaced: named, it is a ValidationError; with all five, it is skipped.
     */
    async connect(tenantId: string, provider?: ProviderKey | null): Promise<SandboxConnectResult> {
      const result: SandboxConnectResult = { connections: [], created: [] };
      for (const p of provider ? [provider] : providerKeys) {
        const existing = await store.connections.get(tenantId, p);
        if (existing) {
          if ((await vendors[p].accountOf(existing.credentials)) !== null) {
            const { credentials: _sealedAtRest, ...connection } = existing;
            result.connections.push(connection);
          } else if (provider) {
            throw new ValidationError(`${p} is connected to a real ${getProvider(p).name} account; disconnectProvider first`, 'provider');
          }
          continue;
        }
        result.connections.push(await connectOne(tenantId, p));
        result.created.push(p);
      }
      return result;
    },

    async trigger(tenantId: string, provider: ProviderKey, eventType: string, shape?: string | null): Promise<SandboxDelivery[]> {
      const account = await sandboxAccount(tenantId, provider);
      if (!getProvider(provider).eventTypes.some((e) => e.name === eventType)) {
        throw new ValidationError(`not in ${provider}'s event catalogue: ${eventType.slice(0, 64)}`, 'eventType');
      }
      return vendors[provider].trigger(eventType, { account, ...(shape ? { shape } : {}) });
    },

    /** The test delivery for vendors without a test endpoint: the sandbox fires the webhook's first event. */
    async test(tenantId: string, webhook: StoredWebhook): Promise<void> {
      const account = await sandboxAccount(tenantId, webhook.provider);
      await vendors[webhook.provider].trigger(webhook.events[0] as string, { account });
    },
  };
}
export type SandboxEvents = ReturnType<typeof createSandboxEvents>;
