import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogUnifiedType, resourceOf } from '../../../src/providers/rootfi/catalog.js';
import { rootfiProvider } from '../../../src/providers/rootfi/index.js';
import { ROOTFI_DATA_MODELS } from '../../../src/providers/rootfi/wire.js';

const seedDataModels = readFileSync(new URL('../../fixtures/rootfi/data-models.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n');

describe('RootFi event catalogue', () => {
  const names = rootfiProvider.eventTypes.map((t) => t.name);

  it('knows exactly the 62 data models the seed lists, in its order', () => {
    expect(seedDataModels).toHaveLength(62);
    expect([...ROOTFI_DATA_MODELS]).toEqual(seedDataModels);
  });

  it('has 188 names: 62 data models × CREATE/UPDATE/DELETE plus SYNC_COMPLETED and CONNECTION_CHANGED', () => {
    expect(names).toHaveLength(188);
    for (const model of seedDataModels) for (const op of ['CREATE', 'UPDATE', 'DELETE']) expect(names).toContain(`${model}:${op}`);
    expect(names).toContain('SYNC_COMPLETED');
    expect(names).toContain('CONNECTION_CHANGED');
  });

  it('has unique names and unique unified types', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(rootfiProvider.eventTypes.map((t) => t.unifiedType)).size).toBe(names.length);
  });

  it('gives every name a unified type of the form resource.action', () => {
    for (const t of rootfiProvider.eventTypes) {
      expect(t.unifiedType).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
      expect(t.description).toBeTruthy();
    }
  });

  it('singularizes data models into unified nouns, keeping the vendor prefix', () => {
    expect(catalogUnifiedType('INVOICES:CREATE')).toBe('invoice.created');
    expect(catalogUnifiedType('PAYMENT_INVOICES:UPDATE')).toBe('payment_invoice.updated');
    expect(catalogUnifiedType('CRM_CONTACTS:DELETE')).toBe('crm_contact.deleted');
    expect(catalogUnifiedType('COMPANY_INFO:UPDATE')).toBe('company_info.updated');
    expect(catalogUnifiedType('BALANCE_SHEET:CREATE')).toBe('balance_sheet.created');
    expect(catalogUnifiedType('SYNC_COMPLETED')).toBe('sync.completed');
    expect(catalogUnifiedType('CONNECTION_CHANGED')).toBe('connection.changed');
    expect(resourceOf('CURRENCIES')).toBe('currency');
    expect(resourceOf('CRM_ACTIVITIES')).toBe('crm_activity');
    expect(resourceOf('PAYMENT_ADDRESSES')).toBe('payment_address');
    expect(resourceOf('EXPENSES')).toBe('expense');
    expect(resourceOf('JOURNAL_ENTRIES')).toBe('journal_entry');
    expect(resourceOf('CASH_FLOW_STATEMENT')).toBe('cash_flow_statement');
  });
});
