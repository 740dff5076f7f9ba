import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { checkEventCount } from '../event-count.js';
import type { Delivery } from '../types.js';
import { paybookUnifiedType } from './catalog.js';
import type { PaybookWebhookWire } from './wire.js';
import { type Json, isObject, text } from '../json.js';

/** ISO-8601, unix seconds (number or numeric string), or null (VENDORS.md §3.1: both occur). */
export function parsePaybookDate(v: string | number | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' || /^\d+$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * V3 timestamps are not ISO-8601: `2023-06-16 19:06:18.944575+0000` (space separator, microseconds,
 * offset without a colon). Microseconds are truncated to milliseconds.
 */
export function parsePaybookV3Time(s: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return null;
  const ms = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  const offset = m[4] === undefined || m[4] === 'Z' ? 'Z' : `${m[4].slice(0, 3)}:${m[4].slice(-2)}`;
  const d = new Date(`${m[1]}T${m[2]}.${ms}${offset}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toRemoteWebhook(w: PaybookWebhookWire): RemoteWebhook {
  const status = w.is_disabled ? (w.ct_failed > 0 ? WebhookStatus.FAILING : WebhookStatus.DISABLED) : WebhookStatus.ACTIVE;
  return {
    externalId: w.id_webhook,
    url: w.url,
    events: w.events,
    name: null,
    status,
    createdAt: parsePaybookDate(w.dt_created),
    updatedAt: parsePaybookDate(w.dt_modified),
  };
}

function resourceOf(payload: Json, unified: string): { type: string; id: string | null } {
  if (unified.startsWith('documents.'))
    return { type: 'documents', id: text(payload['uuid']) ?? text(payload['id_job_uuid']) ?? text(payload['id_job']) };
  if (unified.startsWith('payment.')) return { type: 'payment', id: text(payload['id_payment']) ?? text(payload['id']) };
  return { type: 'credential', id: text(payload['id_credential']) };
}

/** V1 flat (one event, no id, no time) or V3 batched (one event per item, with eid and `at`). */
export function normalizePaybookDelivery({ body, maxEvents = Number.POSITIVE_INFINITY }: Delivery): NormalizedEvent[] {
  if (!isObject(body)) throw new DeliveryError(400, 'Paybook deliveries are JSON objects');
  if (Object.hasOwn(body, 'events')) {
    const items = body['events'];
    if (!Array.isArray(items) || items.length === 0) throw new DeliveryError(400, 'Paybook V3 delivery has no events');
    checkEventCount(items.length, maxEvents);
    return items.map((item) => {
      const header = isObject(item) && isObject(item['header']) ? item['header'] : null;
      const event = header && isObject(header['event']) ? header['event'] : null;
      const name = event ? text(event['name']) : null;
      if (!event || !name) throw new DeliveryError(400, 'Paybook V3 event without header.event.name');
      const payload = isObject((item as Json)['payload']) ? ((item as Json)['payload'] as Json) : {};
      const unified = paybookUnifiedType(name);
      return {
        type: unified,
        providerEventType: name,
        resource: resourceOf(payload, unified),
        occurredAt: typeof event['at'] === 'string' ? parsePaybookV3Time(event['at']) : null,
        test: false,
        payload: item,
        vendorEventId: text(event['eid']),
        dedupKey: null,
      };
    });
  }
  const name = text(body['event']);
  if (!name) throw new DeliveryError(400, 'Paybook delivery has no event');
  const unified = paybookUnifiedType(name);
  return [
    {
      type: unified,
      providerEventType: name,
      resource: resourceOf(body, unified),
      occurredAt: null,
      test: false,
      payload: body,
      vendorEventId: null,
      dedupKey: null,
    },
  ];
}
