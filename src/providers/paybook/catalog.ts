import { isUnifiedType, vendorType } from '../taxonomy.js';
import type { ProviderEventType } from '../types.js';

/** V1 events a webhook can subscribe to through the API (seed, VENDORS.md §3.6). */
export const paybookV1EventTypes: readonly ProviderEventType[] = [
  { name: 'credential_create', unifiedType: 'credential.created', description: 'New credential was created' },
  { name: 'credential_update', unifiedType: 'credential.updated', description: 'Existing credential was updated' },
  {
    name: 'refresh',
    unifiedType: 'credential.refreshed',
    description: 'Accounts or transactions of an existing credential were added or updated',
  },
  { name: 'documents_completed', unifiedType: 'documents.completed', description: 'Requested documents are ready to download' },
];

/** V3 names seen in deliveries (VENDORS.md §3.6); `documents.fail` and `documents.failed` both occur. */
const V3: ReadonlyMap<string, string> = new Map([
  ['credentials.created', 'credential.created'],
  ['credentials.updated', 'credential.updated'],
  ['credentials.refreshed', 'credential.refreshed'],
  ['documents.completed', 'documents.completed'],
  ['documents.success', 'documents.succeeded'],
  ['documents.fail', 'documents.failed'],
  ['documents.failed', 'documents.failed'],
  ['payments.chargeback_created', 'payment.chargeback_created'],
]);

const V1 = new Map(paybookV1EventTypes.map((e) => [e.name, e.unifiedType]));

/**
 * V3 events a subscription can take (payloadVersion "3"): the names of VENDORS.md §3.6, which the vendor's catalogue
 * (GET /v1/catalogues/webhook3_events) turns into ids. `documents.failed` is the sample's spelling of `documents.fail`:
 * delivered, not subscribable.
 */
export const paybookV3EventTypes: readonly ProviderEventType[] = [...V3]
  .filter(([name]) => name !== 'documents.failed')
  .map(([name, unifiedType]) => ({ name, unifiedType, description: `V3 subscriptions (payloadVersion "3"): ${name}` }));

/** The catalogue createWebhook checks names against: V1 names, then V3 names; the connector checks each against the version. */
export const paybookEventTypes: readonly ProviderEventType[] = [...paybookV1EventTypes, ...paybookV3EventTypes];

export const isPaybookV1Event = (name: string) => V1.has(name);

/** Catalogue name → unified type; an unknown name keeps its words. Maps: delivered names must not find Object's keys. */
export function paybookUnifiedType(name: string): string {
  const v1 = V1.get(name);
  if (v1) return v1;
  const v3 = V3.get(name);
  if (v3) return v3;
  const clean = name.toLowerCase().replace(/[^a-z0-9_.]+/g, '_');
  return isUnifiedType(clean) ? clean : vendorType('paybook', clean.replace(/\./g, '_'));
}
