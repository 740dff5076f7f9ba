import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { isObject, text } from '../json.js';
import { resourceOfType } from '../taxonomy.js';
import { parseTime } from '../time.js';
import type { Delivery } from '../types.js';
import { superofficeStateType, superofficeUnifiedType } from './catalog.js';
import { parseStateEvent, type SuperofficeDeliveryWire, type SuperofficeStateAction, superofficeTime } from './wire.js';

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
 * A state event: header `X-SuperOffice-Event: webhook12.stopped`, body `Event: webhook.stopped` without
 * Entity, PrimaryKey the hook's id (state-events.md). The header names the hook; without it the body does.
 */
function stateEvent(
  wire: SuperofficeDeliveryWire,
  headerEvent: string | null,
): { id: string | null; action: SuperofficeStateAction } | null {
  if (wire.Entity !== null) return null;
  const fromHeader = headerEvent === null ? null : parseStateEvent(headerEvent);
  if (fromHeader) return fromHeader;
  const m = /^webhook\.(started|stopped|errors)$/i.exec(wire.Event ?? '');
  return m ? { id: wire.PrimaryKey, action: (m[1] as string).toLowerCase() as SuperofficeStateAction } : null;
}

/**
 * Entity events, the test ping (`X-Hook-Test: true` / Event `test`) and state events, which become
 * `hookgraph.webhook.stopped` / `.failing` / `.started` about resource `webhook` (the vendor hook's id).
 * EventId changes between retry cycles (VENDORS.md §5.4), so dedup is on entity, key, event and timestamp.
 */
export function normalizeSuperofficeDelivery(delivery: Delivery): NormalizedEvent[] {
  const wire = narrowDelivery(delivery.body);
  const headerEvent = text(delivery.headers['x-superoffice-event']);
  const timestamp = wire.Timestamp;
  const vendorEventId = wire.EventId ?? text(delivery.headers['x-superoffice-eventid']);
  const state = stateEvent(wire, headerEvent);
  if (state) {
    const raw = headerEvent ?? (wire.Event as string);
    return [
      {
        type: superofficeStateType(state.action),
        providerEventType: raw,
        resource: { type: 'webhook', id: state.id },
        occurredAt: parseTime(timestamp, superofficeTime),
        test: false,
        payload: delivery.body,
        vendorEventId,
        dedupKey: timestamp ? `webhook:${state.id ?? ''}:${raw}:${timestamp}` : null,
      },
    ];
  }
  const entity = wire.Entity;
  const raw = wire.Event ?? headerEvent;
  if (!raw) throw new DeliveryError(400, 'SuperOffice delivery has no Event');
  const test = raw === 'test' || delivery.headers['x-hook-test'] === 'true';
  const key = wire.PrimaryKey;
  const resourceType = test ? 'webhook' : (entity ?? resourceOfType(raw));
  return [
    {
      type: superofficeUnifiedType(raw),
      providerEventType: raw,
      resource: { type: resourceType, id: test ? null : key },
      occurredAt: parseTime(timestamp, superofficeTime),
      test,
      payload: delivery.body,
      vendorEventId,
      dedupKey: !test && timestamp ? `${entity ?? 'webhook'}:${key ?? ''}:${raw}:${timestamp}` : null,
    },
  ];
}
