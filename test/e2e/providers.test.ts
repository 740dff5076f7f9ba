import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeByIdDocument, ProviderDocument, ProvidersDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';

/** Deskera's 22 event names, read from the seed's enum table so the test follows the spec, not the code. */
function deskeraSeedEvents(): string[] {
  const seed = readFileSync(new URL('../fixtures/seeds/deskera-webhook.md', import.meta.url), 'utf8');
  return [...seed.matchAll(/^\| ([A-Z_]+) \| Triggers/gm)].map((m) => m[1] as string);
}

describe('providers query', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });

  it('returns all five providers with complete catalogues and capabilities', async () => {
    const { providers } = await gqlData(t.url, tenant.key, ProvidersDocument);
    expect(providers.map((p) => p.key)).toEqual(['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE']);
    const byKey = Object.fromEntries(providers.map((p) => [p.key, p]));
    const names = (k: string) => byKey[k]?.eventTypes.map((e) => e.name) ?? [];
    expect(names('DESKERA').sort()).toEqual(deskeraSeedEvents().sort());
    expect(names('DESKERA')).toHaveLength(22);
    expect(names('BOOQABLE')).toHaveLength(45);
    expect(names('BOOQABLE')).toEqual(expect.arrayContaining(['invoice.finalized', 'order.saved_as_draft', 'company.updated']));
    expect(names('PAYBOOK')).toEqual(expect.arrayContaining(['credential_create', 'credential_update', 'refresh']));
    // RootFi: 62 data models × CREATE/UPDATE/DELETE, plus SYNC_COMPLETED and CONNECTION_CHANGED.
    expect(names('ROOTFI')).toHaveLength(62 * 3 + 2);
    expect(names('SUPEROFFICE')).toEqual(expect.arrayContaining(['contact.created', 'sale.changed', 'person.consented']));
    const unified = Object.fromEntries(providers.flatMap((p) => p.eventTypes.map((e) => [`${p.key}:${e.name}`, e.unifiedType])));
    expect(unified['DESKERA:CREATE_INVOICE']).toBe('invoice.created');
    expect(unified['SUPEROFFICE:contact.changed']).toBe('contact.updated');
    expect(unified['PAYBOOK:credential_create']).toBe('credential.created');
    expect(unified['ROOTFI:SYNC_COMPLETED']).toBe('sync.completed');
    for (const p of providers) {
      expect(new Set(p.eventTypes.map((e) => e.name)).size).toBe(p.eventTypes.length);
      for (const e of p.eventTypes) expect(e.unifiedType).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
    }
    expect(byKey['DESKERA']?.capabilities.multipleEventsPerWebhook).toBe(false);
    expect(byKey['SUPEROFFICE']?.capabilities.signedDeliveries).toBe(true);
    expect(byKey['SUPEROFFICE']?.capabilities.testEndpoint).toBe(true);
  });

  it('resolves a provider by key and as a Relay node', async () => {
    const { provider } = await gqlData(t.url, tenant.key, ProviderDocument, { key: 'ROOTFI' });
    expect(provider.name).toMatch(/RootFi/i);
    const { node } = await gqlData(t.url, tenant.key, NodeByIdDocument, { id: provider.id });
    expect(node).toMatchObject({ __typename: 'Provider', key: 'ROOTFI' });
  });
});
