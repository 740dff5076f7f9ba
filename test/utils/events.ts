import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/domain/event.js';

/** A new event for the store, with a fresh dedup key unless given. */
export function newEvent(tenantId: string, over: Partial<NewEvent> = {}): NewEvent {
  return {
    tenantId,
    webhookId: null,
    provider: 'BOOQABLE',
    type: 'invoice.created',
    providerEventType: 'invoice.created',
    resource: { type: 'invoice', id: 'inv-1' },
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    receivedAt: new Date(),
    test: false,
    payload: { hello: 'world' },
    dedupKey: `id:${randomUUID()}`,
    ...over,
  };
}
