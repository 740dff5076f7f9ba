import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.js';
import { eventsOfHook, pairGroups, planHooks, toWebhookFields } from '../../../src/providers/rootfi/plan.js';

const spec = { url: 'https://gw.example/hooks/x/token', name: 'n', secret: 's3cret' };

describe('RootFi subscription planning', () => {
  it('groups data models by their operation set so no unrequested combination is registered', () => {
    const events = ['INVOICES:CREATE', 'INVOICES:UPDATE', 'BILLS:DELETE', 'CONTACTS:UPDATE', 'CONTACTS:CREATE', 'CRM_DEALS:DELETE'];
    const groups = planHooks(events);
    expect(groups).toEqual([
      ['BILLS:DELETE', 'CRM_DEALS:DELETE'],
      ['CONTACTS:CREATE', 'CONTACTS:UPDATE', 'INVOICES:CREATE', 'INVOICES:UPDATE'],
    ]);
    const expanded = groups.flatMap((g) => {
      const f = toWebhookFields(g, spec);
      return eventsOfHook({ type: f.type, operations: f.operations, data_models: f.data_models });
    });
    expect(expanded.sort()).toEqual([...events].sort());
  });

  it('gives SYNC_COMPLETED and CONNECTION_CHANGED a hook each, with placeholder operations and data models', () => {
    const groups = planHooks(['CONNECTION_CHANGED', 'SYNC_COMPLETED', 'ITEMS:CREATE']);
    expect(groups).toEqual([['ITEMS:CREATE'], ['SYNC_COMPLETED'], ['CONNECTION_CHANGED']]);
    expect(toWebhookFields(['SYNC_COMPLETED'], spec)).toEqual({
      operations: ['CREATE'],
      name: 'n',
      type: 'SYNC_COMPLETED',
      data_models: ['ACCOUNTS'],
      url: spec.url,
      headers: { 'X-Hookgraph-Secret': 's3cret' },
    });
    expect(eventsOfHook({ type: 'SYNC_COMPLETED', operations: ['CREATE'], data_models: ['ACCOUNTS'] })).toEqual(['SYNC_COMPLETED']);
  });

  it('refuses a name outside the catalogue', () => {
    expect(() => planHooks(['INVOICES:ARCHIVE'])).toThrow(ValidationError);
    expect(() => planHooks(['NOT_A_MODEL:CREATE'])).toThrow(ValidationError);
  });

  it('pairs identical subscriptions first, then overlaps, then leftovers', () => {
    const h1 = { id: 'h1', events: ['BILLS:DELETE'] };
    const h2 = { id: 'h2', events: ['INVOICES:CREATE'] };
    const h3 = { id: 'h3', events: ['SYNC_COMPLETED'] };
    const g1 = ['INVOICES:CREATE', 'INVOICES:UPDATE'];
    const g2 = ['SYNC_COMPLETED'];
    const g3 = ['CONNECTION_CHANGED'];
    const g4 = ['ITEMS:CREATE'];
    const plan = pairGroups([g1, g2, g3, g4], [h1, h2, h3]);
    expect(plan.update).toEqual([
      { group: g1, hook: h2 },
      { group: g2, hook: h3 },
      { group: g3, hook: h1 },
    ]);
    expect(plan.create).toEqual([g4]);
    expect(plan.remove).toEqual([]);
    expect(pairGroups([g2], [h1, h3])).toEqual({ update: [{ group: g2, hook: h3 }], create: [], remove: [h1] });
  });
});
