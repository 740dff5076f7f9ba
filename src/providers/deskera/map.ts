import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import type { Delivery } from '../types.js';
import { deskeraResourceType, deskeraUnifiedType } from './catalog.js';
import type { DeskeraHookWire } from './wire.js';
import { isObject } from '../json.js';

export function toRemoteWebhook(w: DeskeraHookWire): RemoteWebhook {
  return {
    externalId: String(w.hookId),
    url: w.webhookUrl,
    events: [w.eventType],
    name: null,
    status: w.deleted ? WebhookStatus.DELETED : WebhookStatus.ACTIVE,
    createdAt: null,
    updatedAt: null,
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Deskera's delivery format is undocumented (VENDORS.md §1.3): the event name comes from the body
 * (`eventType`, `event` or `type`) when present, else from the webhook's only subscribed event.
 * There is no event id, so hookgraph dedups on a body hash.
 */
export function normalizeDeskeraDelivery(delivery: Delivery): NormalizedEvent[] {
  const body = delivery.body;
  if (!isObject(body)) throw new DeliveryError(400, 'Deskera deliveries are JSON objects');
  const raw =
    str(body['eventType']) ??
    str(body['event']) ??
    str(body['type']) ??
    (delivery.webhook.events.length === 1 ? (delivery.webhook.events[0] as string) : 'unknown');
  const data = isObject(body['data']) ? body['data'] : body;
  const id = str(data['id']) ?? str(data['code']) ?? str(data['documentCode']) ?? str(data['productId']);
  const at = str(body['timestamp']) ?? str(data['updatedAt']) ?? str(data['createdAt']);
  const occurredAt = at ? new Date(at) : null;
  return [
    {
      type: deskeraUnifiedType(raw),
      providerEventType: raw,
      resource: { type: deskeraResourceType(raw), id },
      occurredAt: occurredAt && !Number.isNaN(occurredAt.getTime()) ? occurredAt : null,
      test: false,
      payload: body,
      vendorEventId: null,
      dedupKey: null,
    },
  ];
}
