import { NotFoundError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { booqableProvider } from './booqable/index.js';
import { deskeraProvider } from './deskera/index.js';
import { paybookProvider } from './paybook/index.js';
import { rootfiProvider } from './rootfi/index.js';
import { superofficeProvider } from './superoffice/index.js';
import type { ProviderDefinition } from './types.js';

/** Every provider hookgraph speaks to, in the order the GraphQL `providers` query lists them. */
export const providers: readonly ProviderDefinition[] = [
  deskeraProvider,
  booqableProvider,
  paybookProvider,
  rootfiProvider,
  superofficeProvider,
];

/** The hosts outbound vendor calls may reach when HOOKGRAPH_ALLOWED_HOSTS is unset: every provider's own. */
export const providerHosts: readonly string[] = [...new Set(providers.flatMap((p) => p.hosts))];

const byKey = new Map(providers.map((p) => [p.key, p]));

export function getProvider(key: ProviderKey): ProviderDefinition {
  const p = byKey.get(key);
  if (!p) throw new NotFoundError(`unknown provider ${key}`);
  return p;
}
