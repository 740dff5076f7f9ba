import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { isObject, text } from '../json.js';
import { resourceOfType } from '../taxonomy.js';
import { parseTime } from '../time.js';
import type { Delivery } from '../types.js';
import { superofficeUnifiedType } from './catalog.js';
import { type SuperofficeDeliveryWire, superofficeTime } from './wire.js';

function narrowDelivery(body: unknown): SuperofficeDeliveryWire {
  if (!isObject(body)) throw new DeliveryError(400, 'SuperOffice deliveries are JSON objects');
  const primaryKey = body['PrimaryKey'];
  return {
    EventId: text(body['EventId']),
    Timestamp: text(body['Timestamp']),
    Event: text(body['Event']),
    PrimaryKey: typeof primaryKey === 'number' || typeof primaryKey === 'string' ? String(primaryKey) : null,
    Entity: text(body['Entity']),
  };
}

/**
 * Entity events, the test ping (`X-Hook-Test: true` / Event `test`) and state events
 * (`X-SuperOffice-Event: webhook12.stopped`, body without Entity). EventId changes between retry
 * cycles (VENDORS.md §5.4), so dedup is on entity, key, event and timestamp instead.
 */
export function normalizeSuperofficeDelivery(delivery: Delivery): NormalizedEvent[] {
  const wire = narrowDelivery(delivery.body);
  const headerEvent = text(delivery.headers['x-superoffice-event']);
  const entity = wire.Entity;
  const isState = entity === null && (headerEvent ?? wire.Event ?? '').startsWith('webhook');
  const raw = isState ? (headerEvent ?? wire.Event) : (wire.Event ?? headerEvent);
  if (!raw) throw new DeliveryError(400, 'SuperOffice delivery has no Event');
  const test = raw === 'test' || delivery.headers['x-hook-test'] === 'true';
  const key = wire.PrimaryKey;
  const timestamp = wire.Timestamp;
  const resourceType = test || isState ? 'webhook' : (entity ?? resourceOfType(raw));
  return [
    {
      type: superofficeUnifiedType(raw),
      providerEventType: raw,
      resource: { type: resourceType, id: test ? null : key },
      occurredAt: parseTime(timestamp, superofficeTime),
      test,
      payload: delivery.body,
      vendorEventId: wire.EventId ?? text(delivery.headers['x-superoffice-eventid']),
      dedupKey: !test && timestamp ? `${entity ?? 'webhook'}:${key ?? ''}:${raw}:${timestamp}` : null,
    },
  ];
}
