import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { checkEventCount } from '../event-count.js';
import { isObject, type Json, text } from '../json.js';
import { parseTime } from '../time.js';
import type { Delivery } from '../types.js';
import { paybookUnifiedType } from './catalog.js';
import { type PaybookRecordIds, type PaybookV1Delivery, type PaybookV3EventWire, paybookV3Time } from './wire.js';

function narrowIds(record: Json): PaybookRecordIds {
  return {
    id_credential: text(record['id_credential']),
    uuid: text(record['uuid']),
    id_job_uuid: text(record['id_job_uuid']),
    id_job: text(record['id_job']),
    id_payment: text(record['id_payment']),
    id: text(record['id']),
  };
}

function narrowV3Event(item: unknown): PaybookV3EventWire {
  const header = isObject(item) && isObject(item['header']) ? item['header'] : null;
  const event = header && isObject(header['event']) ? header['event'] : null;
  const name = event ? text(event['name']) : null;
  if (!event || !name) throw new DeliveryError(400, 'Paybook V3 event without header.event.name');
  const payload = isObject(item) && isObject(item['payload']) ? item['payload'] : {};
  return { header: { event: { name, at: text(event['at']), eid: text(event['eid']) } }, payload: narrowIds(payload) };
}

function narrowV1(body: Json): PaybookV1Delivery {
  const event = text(body['event']);
  if (!event) throw new DeliveryError(400, 'Paybook delivery has no event');
  return { event, ...narrowIds(body) };
}

function resourceOf(ids: PaybookRecordIds, unified: string): { type: string; id: string | null } {
  if (unified.startsWith('documents.')) return { type: 'documents', id: ids.uuid ?? ids.id_job_uuid ?? ids.id_job };
  if (unified.startsWith('payment.')) return { type: 'payment', id: ids.id_payment ?? ids.id };
  return { type: 'credential', id: ids.id_credential };
}

/** V1 flat (one event, no id, no time) or V3 batched (one event per item, with eid and `at`). */
export function normalizePaybookDelivery({ body, maxEvents = Number.POSITIVE_INFINITY }: Delivery): NormalizedEvent[] {
  if (!isObject(body)) throw new DeliveryError(400, 'Paybook deliveries are JSON objects');
  if (Object.hasOwn(body, 'events')) {
    const items = body['events'];
    if (!Array.isArray(items) || items.length === 0) throw new DeliveryError(400, 'Paybook V3 delivery has no events');
    checkEventCount(items.length, maxEvents);
    // Each event's payload is its item as delivered.
    return items.map((item) => {
      const { header, payload } = narrowV3Event(item);
      const unified = paybookUnifiedType(header.event.name);
      return {
        type: unified,
        providerEventType: header.event.name,
        resource: resourceOf(payload, unified),
        occurredAt: parseTime(header.event.at, paybookV3Time),
        test: false,
        payload: item,
        vendorEventId: header.event.eid,
        dedupKey: null,
      };
    });
  }
  const wire = narrowV1(body);
  const unified = paybookUnifiedType(wire.event);
  return [
    {
      type: unified,
      providerEventType: wire.event,
      resource: resourceOf(wire, unified),
      occurredAt: null,
      test: false,
      payload: body,
      vendorEventId: null,
      dedupKey: null,
    },
  ];
}
