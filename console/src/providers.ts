import type { ProviderKey } from './gql/graphql';

/** Display names, complete by type: a sixth ProviderKey in the schema fails the build until it is named here. */
export const PROVIDER_NAMES = {
  DESKERA: 'Deskera',
  BOOQABLE: 'Booqable',
  PAYBOOK: 'Paybook Sync',
  ROOTFI: 'RootFi',
  SUPEROFFICE: 'SuperOffice',
} as const satisfies Record<ProviderKey, string>;

export const PROVIDER_KEYS = Object.keys(PROVIDER_NAMES) as ProviderKey[];

export function isProviderKey(value: string): value is ProviderKey {
  return Object.hasOwn(PROVIDER_NAMES, value);
}
