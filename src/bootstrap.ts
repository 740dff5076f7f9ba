import type { Logger } from 'pino';
import type { ProviderKey } from './domain/provider-key.js';
import type { Tenant } from './domain/tenant.js';
import type { Services } from './schema/context.js';

export interface BootstrapInfo {
  tenant: Tenant;
  /** A fresh API key when the default tenant was created by this start, else null. */
  apiKey: string | null;
  connected: ProviderKey[];
}

/**
 * First start: a default tenant (with a key to print, in development), connected to every sandbox vendor (as
 * `connectSandbox` does). Production never prints a key, so it creates none (`hookgraph keys create` does).
 */
export async function bootstrap(
  { store, sandbox }: Services,
  { createKey, log }: { createKey: boolean; log: Logger },
): Promise<BootstrapInfo> {
  const { tenant, created } = await store.tenants.getOrCreate('default');
  const apiKey = created && createKey ? (await store.apiKeys.create(tenant.id, 'bootstrap')).key : null;
  let connected: ProviderKey[] = [];
  if (sandbox) {
    try {
      connected = (await sandbox.connect(tenant.id)).created;
    } catch (error) {
      log.warn({ err: error }, 'could not connect the default tenant to the sandbox vendors');
    }
  }
  return { tenant, apiKey, connected };
}
