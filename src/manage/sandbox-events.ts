import { NotConnectedError, UnsupportedError, ValidationError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { getProvider } from '../providers/registry.js';
import type { SandboxDelivery, SandboxVendor } from '../sandbox/types.js';
import type { Store } from '../store/store.js';
import type { StoredWebhook } from '../store/webhooks.js';

/**
 * Makes the simulated vendors fire events for a tenant: only for providers the tenant connected to
 * the sandbox (never a real vendor), and only catalogue events. The tenant id is its sandbox account.
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
  async function assertSandboxConnection(tenantId: string, provider: ProviderKey): Promise<void> {
    const conn = await store.connections.get(tenantId, provider);
    if (!conn) throw new NotConnectedError(provider);
    if (!conn.baseUrl.startsWith(mountUrl(provider)))
      throw new UnsupportedError(`${provider} is connected to a real vendor, not the sandbox`);
  }

  return {
    vendors,
    mountUrl,
    async trigger(tenantId: string, provider: ProviderKey, eventType: string, shape?: string | null): Promise<SandboxDelivery[]> {
      await assertSandboxConnection(tenantId, provider);
      if (!getProvider(provider).eventTypes.some((e) => e.name === eventType)) {
        throw new ValidationError(`not in ${provider}'s event catalogue: ${eventType.slice(0, 64)}`, 'eventType');
      }
      return vendors[provider].trigger(eventType, { account: tenantId, ...(shape ? { shape } : {}) });
    },
    /** The test delivery for vendors without a test endpoint: the sandbox fires the webhook's first event. */
    async test(tenantId: string, webhook: StoredWebhook): Promise<void> {
      await assertSandboxConnection(tenantId, webhook.provider);
      await vendors[webhook.provider].trigger(webhook.events[0] as string, { account: tenantId });
    },
  };
}
export type SandboxEvents = ReturnType<typeof createSandboxEvents>;
