import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { isObject, type Json, textOrNumber } from '../json.js';
import { parseTime } from '../time.js';
import type { Delivery } from '../types.js';
import { deskeraEventTypes, deskeraResourceType, deskeraUnifiedType } from './catalog.js';
import { type DeskeraDeliveryWire, deskeraTime } from './wire.js';

const CATALOGUE: ReadonlySet<string> = new Set(deskeraEventTypes.map((e) => e.name));

/** The first of `keys` that `o` has as text. */
function first(o: Json, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = textOrNumber(o[key]);
    if (value !== null) return value;
  }
  return null;
}

function narrowDelivery(body: unknown): DeskeraDeliveryWire {
  if (!isObject(body)) throw new DeliveryError(400, 'Deskera deliveries are JSON objects');
  const record = isObject(body['data']) ? body['data'] : body;
  return {
    eventType: first(body, ['eventType', 'event', 'type']),
    timestamp: first(body, ['timestamp']) ?? first(record, ['updatedAt', 'createdAt']),
    recordId: first(record, ['id', 'code', 'documentCode', 'productId']),
  };
}

/**
 * The event a delivery is about when its body names none: the delivery URL's tag, which the connector
 * set to the hook's event code (a tag outside the catalogue was not set by hookgraph and is ignored),
 * else the webhook's only subscribed event, else `unknown`.
 */
function eventWithoutName({ tag, webhook }: Delivery): string {
  if (tag && CATALOGUE.has(tag)) return tag;
  return webhook.events.length === 1 ? (webhook.events[0] as string) : 'unknown';
}

/**
 * Deskera's delivery format is undocumented (VENDORS.md §1.3): the event name comes from the body
 * (`eventType`, `event` or `type`) when present, else from the hook's delivery URL (eventWithoutName).
 * There is no event id, so hookgraph dedups on a body hash.
 */
export function normalizeDeskeraDelivery(delivery: Delivery): NormalizedEvent[] {
  const wire = narrowDelivery(delivery.body);
  const raw = wire.eventType ?? eventWithoutName(delivery);
  return [
    {
      type: deskeraUnifiedType(raw),
      providerEventType: raw,
      resource: { type: deskeraResourceType(raw), id: wire.recordId },
      occurredAt: parseTime(wire.timestamp, deskeraTime),
      test: false,
      payload: delivery.body,
      vendorEventId: null,
      dedupKey: null,
    },
  ];
}
