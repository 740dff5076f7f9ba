import { describe, expect, it } from 'vitest';
import { ACCESS_SCOPES, coversScopes, intersectFilters, parseScopes } from '../../src/domain/access.js';
import type { EventFilter } from '../../src/domain/event-filter.js';
import { matchesFilter } from '../../src/domain/event-filter.js';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import { ValidationError } from '../../src/domain/errors.js';

describe('parseScopes', () => {
  it('reads a comma list in any case, each scope once, in ACCESS_SCOPES order', () => {
    expect(parseScopes('read,subscribe')).toEqual(['READ', 'SUBSCRIBE']);
    expect(parseScopes(' Subscribe , READ,read ')).toEqual(['READ', 'SUBSCRIBE']);
    expect(parseScopes('admin')).toEqual(['ADMIN']);
    expect(parseScopes(ACCESS_SCOPES.join(','))).toEqual(['ADMIN', 'READ', 'SUBSCRIBE']);
  });

  it('refuses an empty list, an empty entry and an unknown name, naming the scopes there are', () => {
    for (const [text, message] of [
      ['', 'empty scope in ""; expected a comma list of admin, read, subscribe'],
      ['read,', 'empty scope in "read,"; expected a comma list of admin, read, subscribe'],
      ['read,writer', 'unknown scope "writer"; expected a comma list of admin, read, subscribe'],
      ['__proto__', 'unknown scope "__proto__"; expected a comma list of admin, read, subscribe'],
    ] as const) {
      expect(() => parseScopes(text)).toThrow(new ValidationError(message, 'scopes'));
    }
    // A hostile name is not echoed whole.
    expect(() => parseScopes('x'.repeat(10_000))).toThrow(/^unknown scope "x{40}"/);
  });
});

describe('coversScopes', () => {
  it('lets ADMIN cover everything and anything else cover only what it holds', () => {
    expect(coversScopes(['ADMIN'], ['READ', 'SUBSCRIBE', 'ADMIN'])).toBe(true);
    expect(coversScopes(['READ', 'SUBSCRIBE'], ['SUBSCRIBE'])).toBe(true);
    expect(coversScopes(['SUBSCRIBE'], ['READ'])).toBe(false);
    expect(coversScopes(['READ', 'SUBSCRIBE'], ['ADMIN'])).toBe(false);
  });
});

describe('intersectFilters', () => {
  const events = [
    { provider: 'SUPEROFFICE', type: 'contact.created', webhookId: 'w1' },
    { provider: 'SUPEROFFICE', type: 'contact.updated', webhookId: 'w2' },
    { provider: 'SUPEROFFICE', type: 'sale.created', webhookId: 'w1' },
    { provider: 'BOOQABLE', type: 'order.created', webhookId: 'w3' },
    { provider: 'BOOQABLE', type: 'contact.created', webhookId: null },
  ] as Array<{ provider: ProviderKey; type: string; webhookId: string | null }>;
  const filters: Array<EventFilter | null> = [
    null,
    {},
    { providers: ['SUPEROFFICE'] },
    { providers: ['BOOQABLE'] },
    { types: ['*'] },
    { types: ['contact.*'] },
    { types: ['contact.created', 'order.*'] },
    { types: ['sale.created'] },
    { webhookIds: ['w1'] },
    { webhookIds: ['w2', 'w3'] },
    { providers: ['SUPEROFFICE'], types: ['contact.*'], webhookIds: ['w1', 'w2'] },
  ];

  it('lets through exactly the events both filters let through, for every pair', () => {
    for (const held of filters)
      for (const asked of filters) {
        const both = intersectFilters(held, asked);
        for (const event of events)
          expect(matchesFilter(event, both), `${JSON.stringify(held)} ∩ ${JSON.stringify(asked)} on ${JSON.stringify(event)}`).toBe(
            matchesFilter(event, held) && matchesFilter(event, asked),
          );
      }
  });

  it('leaves an empty list, which matches nothing, for disjoint filters', () => {
    const none = intersectFilters({ providers: ['SUPEROFFICE'] }, { providers: ['BOOQABLE'] });
    expect(none).toEqual({ providers: [], types: null, webhookIds: null });
    for (const event of events) expect(matchesFilter(event, none)).toBe(false);
    expect(intersectFilters({ types: ['contact.*'] }, { types: ['sale.created'] })).toMatchObject({ types: [] });
  });
});
