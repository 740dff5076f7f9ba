import { sha256Hex } from '../../crypto.js';
import { DeliveryError } from '../../domain/errors.js';
import type { EventResource, NormalizedEvent } from '../../domain/event.js';
import { checkEventCount } from '../event-count.js';
import { isObject, text } from '../json.js';
import { unifiedType } from '../taxonomy.js';
import { parseTime } from '../time.js';
import type { Delivery } from '../types.js';
import { actionOf, CONNECTION_CHANGED, catalogUnifiedType, dataModelEventName, resourceOf, SYNC_COMPLETED } from './catalog.js';
import { type RootfiDataModelChangesWire, type RootfiDeliveryWire, rootfiTime } from './wire.js';

const idOf = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? String(v) : text(v));
const textOf = (v: unknown): string => String(v ?? '');

/** Throws DeliveryError(400) on a body that is none of RootFi's shapes (VENDORS.md §4.4). */
function narrowDelivery(body: unknown): RootfiDeliveryWire {
  if (!isObject(body)) throw new DeliveryError(400, 'a RootFi delivery is a JSON object');
  const webhookType = text(body['webhook_type']);
  const dataModel = text(body['data_model']);
  const operation = text(body['type']);
  const createdAt = body['created_at'];
  const common = {
    rootfi_id: text(body['rootfi_id']),
    created_at: typeof createdAt === 'string' || typeof createdAt === 'number' ? createdAt : null,
  };
  if (webhookType === 'DATA_MODEL_CHANGES' || (webhookType === null && dataModel !== null && operation !== null)) {
    if (dataModel === null || operation === null) throw new DeliveryError(400, 'DATA_MODEL_CHANGES delivery without data_model and type');
    const data = body['data'];
    return {
      ...common,
      shape: 'DATA_MODEL_CHANGES',
      data_model: dataModel,
      type: operation,
      data: Array.isArray(data) ? data : isObject(data) ? [data] : [],
    };
  }
  if (webhookType === SYNC_COMPLETED) {
    const data = body['data'];
    return {
      ...common,
      shape: 'SYNC_COMPLETED',
      data: { id: isObject(data) ? idOf(data['id']) : null, status: isObject(data) ? text(data['status']) : null },
    };
  }
  if (webhookType === CONNECTION_CHANGED) {
    return {
      ...common,
      shape: 'CONNECTION_CHANGED',
      company_id: idOf(body['company_id']),
      integration_type: textOf(body['integration_type']),
      connection_status: textOf(body['connection_status']),
    };
  }
  const name = webhookType ?? text(body['event']);
  if (name === null) throw new DeliveryError(400, 'body has none of the RootFi delivery shapes (no webhook_type)');
  return { ...common, shape: 'OTHER', name };
}

/** v4 topics (`invoice.create`) and future `X_STARTED` types, best effort; else the raw name lower-cased. */
function bestEffortType(raw: string): string {
  const dotted = /^([a-z0-9_]+)\.([a-z0-9_]+)$/i.exec(raw);
  if (dotted?.[1] && dotted[2]) return unifiedType(dotted[1].toLowerCase(), actionOf(dotted[2]));
  const verb = /^([A-Z0-9_]+)_(STARTED|COMPLETED|CHANGED|FAILED)$/i.exec(raw);
  if (verb?.[1] && verb[2]) return unifiedType(verb[1].toLowerCase(), verb[2].toLowerCase());
  return raw.toLowerCase();
}

/**
 * One event per changed record, about that record (`platform_id`). A batch of one is stored as
 * delivered; in a larger batch each event's payload is the delivery with `data` narrowed to its own
 * record (the rest, `no_of_records` included, describes the batch it came in), and its dedup key is
 * the batch's rootfi_id with the record's place, which a retry of the same batch repeats. Without a
 * rootfi_id (legacy shape) the ingest route dedups each on the body hash and the record's place. A
 * batch with no records is still one change notice, about no record.
 */
function dataModelChanges(wire: RootfiDataModelChangesWire, body: unknown, maxEvents: number): NormalizedEvent[] {
  const providerEventType = dataModelEventName(wire.data_model, wire.type);
  // Refused on the count alone, before any record is read.
  checkEventCount(wire.data.length, maxEvents);
  const type = catalogUnifiedType(providerEventType) ?? unifiedType(resourceOf(wire.data_model), actionOf(wire.type));
  const occurredAt = parseTime(wire.created_at, rootfiTime);
  const event = (record: unknown, payload: unknown, dedupKey: string | null): NormalizedEvent => {
    const resource: EventResource = { type: resourceOf(wire.data_model), id: isObject(record) ? idOf(record['platform_id']) : null };
    return { type, providerEventType, resource, occurredAt, test: false, payload, vendorEventId: wire.rootfi_id, dedupKey };
  };
  if (wire.data.length <= 1) return [event(wire.data[0], body, null)];
  const envelope = isObject(body) ? body : {};
  return wire.data.map((record, i) =>
    event(record, { ...envelope, data: [record] }, wire.rootfi_id === null ? null : `${wire.rootfi_id}#${i}`),
  );
}

/**
 * A SYNC_COMPLETED delivery reports the sync's `data.status`, a JobStatus (CREATED, RUNNING, SUCCESS,
 * FAILED: `[RF-docs] openapi_v3.yml`); a FAILED sync is `sync.failed`, anything else completed.
 */
function syncType(status: string | null): string {
  return status?.toUpperCase() === 'FAILED' ? 'sync.failed' : 'sync.completed';
}

/** The event a narrowed delivery of one event is; its payload is the body as delivered. */
function toEvent(wire: Exclude<RootfiDeliveryWire, RootfiDataModelChangesWire>, body: unknown): NormalizedEvent {
  const occurredAt = parseTime(wire.created_at, rootfiTime);
  const vendorEventId = wire.rootfi_id;
  switch (wire.shape) {
    case 'SYNC_COMPLETED':
      return {
        type: syncType(wire.data.status),
        providerEventType: SYNC_COMPLETED,
        resource: { type: 'sync', id: wire.data.id },
        occurredAt,
        test: false,
        payload: body,
        vendorEventId,
        dedupKey: null,
      };
    case 'CONNECTION_CHANGED': {
      // No rootfi_id on this type; VENDORS.md §4.4 dedups on what identifies the change itself,
      // which survives a retry that re-serializes the body differently.
      const change = [wire.company_id ?? '', wire.integration_type, wire.connection_status, textOf(wire.created_at)];
      return {
        type: 'connection.changed',
        providerEventType: CONNECTION_CHANGED,
        resource: { type: 'connection', id: wire.company_id },
        occurredAt,
        test: false,
        payload: body,
        vendorEventId,
        dedupKey: vendorEventId === null ? `connection:${sha256Hex(change.join('\n'))}` : null,
      };
    }
    case 'OTHER':
      return {
        type: bestEffortType(wire.name),
        providerEventType: wire.name,
        resource: null,
        occurredAt,
        test: false,
        payload: body,
        vendorEventId,
        dedupKey: null,
      };
  }
}

/**
 * One delivery → one event, or one per record of a data model batch. Throws DeliveryError(400) on a
 * body that is none of RootFi's shapes, and 413 on a batch of more than `maxEvents` records.
 */
export function normalizeRootfiDelivery({
  body,
  maxEvents = Number.POSITIVE_INFINITY,
}: Pick<Delivery, 'body' | 'maxEvents'>): NormalizedEvent[] {
  const wire = narrowDelivery(body);
  return wire.shape === 'DATA_MODEL_CHANGES' ? dataModelChanges(wire, body, maxEvents) : [toEvent(wire, body)];
}
