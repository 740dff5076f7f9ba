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
  deskeraProvider as ProviderDefinition,
  booqableProvider as ProviderDefinition,
  paybookProvider as ProviderDefinition,
  rootfiProvider as ProviderDefinition,
  superofficeProvider as ProviderDefinition,
];

const byKey = new Map(providers.map((p) => [p.key, p]));

export function getProvider(key: ProviderKey): ProviderDefinition {
  const p = byKey.get(key);
  if (!p) throw new NotFoundError(`unknown provider ${key}`);
  return p;
}
