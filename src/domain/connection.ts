import type { ProviderKey } from './provider-key.js';

/** A tenant's connection to one vendor; its credentials stay sealed in the store. */
export interface Connection {
  id: string;
  tenantId: string;
  provider: ProviderKey;
  baseUrl: string;
  createdAt: Date;
  updatedAt: Date;
}
