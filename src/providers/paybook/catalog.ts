import { isUnifiedType, vendorType } from '../taxonomy.js';
import type { ProviderEventType } from '../types.js';

/** V1 events a webhook can subscribe to through the API (seed, VENDORS.md §3.6). */
export const paybookEventTypes: readonly ProviderEventType[] = [
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

const V1 = new Map(paybookEventTypes.map((e) => [e.name, e.unifiedType]));

/** Catalogue name → unified type; an unknown name keeps its words. Maps: delivered names must not find Object's keys. */
export function paybookUnifiedType(name: string): string {
  const v1 = V1.get(name);
  if (v1) return v1;
  const v3 = V3.get(name);
  if (v3) return v3;
  const clean = name.toLowerCase().replace(/[^a-z0-9_.]+/g, '_');
  return isUnifiedType(clean) ? clean : vendorType('paybook', clean.replace(/\./g, '_'));
}
