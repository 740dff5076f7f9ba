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
    return { ...common, shape: 'SYNC_COMPLETED', data: { id: isObject(data) ? idOf(data['id']) : null } };
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

function dataModelChange(wire: RootfiDataModelChangesWire, body: unknown, maxEvents: number): NormalizedEvent {
  const providerEventType = dataModelEventName(wire.data_model, wire.type);
  // Stored as one event, but each record is a change the batch carries: bounded like Paybook's items.
  checkEventCount(wire.data.length, maxEvents);
  // Batch level: a record id only names the event when the batch holds exactly one record.
  const only = wire.data.length === 1 && isObject(wire.data[0]) ? wire.data[0] : null;
  const resource: EventResource = { type: resourceOf(wire.data_model), id: only ? idOf(only['platform_id']) : null };
  return {
    type: catalogUnifiedType(providerEventType) ?? unifiedType(resourceOf(wire.data_model), actionOf(wire.type)),
    providerEventType,
    resource,
    occurredAt: parseTime(wire.created_at, rootfiTime),
    test: false,
    payload: body,
    vendorEventId: wire.rootfi_id,
    dedupKey: null,
  };
}

/** The event a narrowed delivery is; its payload is the body as delivered. */
function toEvent(wire: RootfiDeliveryWire, body: unknown, maxEvents: number): NormalizedEvent {
  const occurredAt = parseTime(wire.created_at, rootfiTime);
  const vendorEventId = wire.rootfi_id;
  switch (wire.shape) {
    case 'DATA_MODEL_CHANGES':
      return dataModelChange(wire, body, maxEvents);
    case 'SYNC_COMPLETED':
      return {
        type: 'sync.completed',
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
 * One delivery → one event. Throws DeliveryError(400) on a body that is none of RootFi's shapes, and
 * 413 on a batch of more than `maxEvents` records.
 */
export function normalizeRootfiDelivery({
  body,
  maxEvents = Number.POSITIVE_INFINITY,
}: Pick<Delivery, 'body' | 'maxEvents'>): NormalizedEvent[] {
  return [toEvent(narrowDelivery(body), body, maxEvents)];
}
