import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import type { Delivery } from '../types.js';
import { booqableUnifiedType } from './catalog.js';
import type { BooqableEndpointWire } from './wire.js';
import { isObject } from '../json.js';

const date = (s: string | undefined): Date | null => {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** Booqable endpoints have no state: a listed endpoint is active. */
export function toRemoteWebhook(w: BooqableEndpointWire): RemoteWebhook {
  return {
    externalId: w.id,
    url: w.url,
    events: w.events,
    name: null,
    status: WebhookStatus.ACTIVE,
    createdAt: date(w.created_at),
    updatedAt: date(w.updated_at),
  };
}

/** `customers` → `customer`, `product_groups` → `product_group`, `ProductGroup` → `product_group`. */
export function resourceNoun(resourceType: string | undefined, object: string | undefined, event: string): string {
  if (resourceType) return resourceType.replace(/ies$/, 'y').replace(/s$/, '');
  if (object) return object.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return event.split('.')[0] || 'unknown';
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** v1 (form-encoded, decoded by the ingest route) and v4 (JSON) share the envelope (VENDORS.md §2.3). */
export function normalizeBooqableDelivery(delivery: Delivery): NormalizedEvent[] {
  const body = delivery.body;
  if (!isObject(body)) throw new DeliveryError(400, 'Booqable deliveries are objects');
  const event = str(body['event']);
  if (!event) throw new DeliveryError(400, 'Booqable delivery has no event');
  const data = isObject(body['data']) ? body['data'] : {};
  const id = data['id'];
  return [
    {
      type: booqableUnifiedType(event),
      providerEventType: event,
      resource: {
        type: resourceNoun(str(body['resource_type']), str(body['object']), event),
        id: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
      },
      occurredAt: date(str(body['created_at'])),
      test: false,
      payload: body,
      vendorEventId: str(body['id']) ?? null,
      dedupKey: null,
    },
  ];
}
