import { UnsupportedError } from '../domain/errors.js';
import type { RemoteWebhook } from '../domain/webhook.js';
import type { Connector, ProviderDefinition, UnsupportedMethod } from './types.js';

/**
 * The connector's optional `method` (a closure, as a factory's methods are); where the vendor has no such
 * call, an UnsupportedError in the provider's own words (GraphQL's UnsupportedError member).
 */
export function requireMethod<M extends UnsupportedMethod>(
  provider: Pick<ProviderDefinition, 'name' | 'unsupported'>,
  connector: Connector,
  method: M,
): NonNullable<Connector[M]> {
  const call = connector[method];
  if (call === undefined) throw new UnsupportedError(provider.unsupported[method] ?? `${provider.name} has no ${method}`);
  return call;
}

/**
 * One vendor hook by id, or null when the vendor no longer has it: the vendor's get-one where the
 * connector has getWebhook, else its list (narrowed by the vendor where it filters by id).
 */
export async function findWebhook(connector: Connector, externalId: string): Promise<RemoteWebhook | null> {
  if (connector.getWebhook) return connector.getWebhook(externalId);
  return (await connector.listWebhooks({ externalId })).find((h) => h.externalId === externalId) ?? null;
}
