/** The five vendors hookgraph speaks to. Written once; the GraphQL enum is built from this object. */
export const ProviderKey = {
  DESKERA: 'DESKERA',
  BOOQABLE: 'BOOQABLE',
  PAYBOOK: 'PAYBOOK',
  ROOTFI: 'ROOTFI',
  SUPEROFFICE: 'SUPEROFFICE',
} as const;
export type ProviderKey = (typeof ProviderKey)[keyof typeof ProviderKey];
export const providerKeys: readonly ProviderKey[] = Object.values(ProviderKey);

/** Lower-case slug used in URLs (`/sandbox/deskera`, `src/providers/deskera`). */
export function providerSlug(key: ProviderKey): string {
  return key.toLowerCase();
}
