import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import type { Delivery } from '../types.js';
import { superofficeUnifiedType } from './catalog.js';
import type { SuperofficeWebhookWire } from './wire.js';
import { isObject, text } from '../json.js';

/** Active/Stopped/TooManyErrors as strings, or 1/2/3 (dev/index.md numbering). */
export function mapState(state: string | number): WebhookStatus {
  const s = String(state).toLowerCase();
  if (s === 'active' || s === '1') return WebhookStatus.ACTIVE;
  if (s === 'stopped' || s === '2') return WebhookStatus.DISABLED;
  if (s === 'toomanyerrors' || s === '3') return WebhookStatus.FAILING;
  return WebhookStatus.UNKNOWN;
}

/** SuperOffice timestamps carry 7 fractional digits; Date takes 3. */
export function parseSuperofficeTime(s: unknown): Date | null {
  if (typeof s !== 'string' || s === '') return null;
  const d = new Date(s.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toRemoteWebhook(w: SuperofficeWebhookWire): RemoteWebhook {
  return {
    externalId: String(w.WebhookId),
    url: w.TargetUrl,
    events: w.Events,
    name: w.Name,
    status: mapState(w.State),
    createdAt: parseSuperofficeTime(w.Registered),
    updatedAt: parseSuperofficeTime(w.Updated),
  };
}

/**
 * Entity events, the test ping (`X-Hook-Test: true` / Event `test`) and state events
 * (`X-SuperOffice-Event: webhook12.stopped`, body without Entity). EventId changes between retry
 * cycles (VENDORS.md §5.4), so dedup is on entity, key, event and timestamp instead.
 */
export function normalizeSuperofficeDelivery(delivery: Delivery): NormalizedEvent[] {
  const body = delivery.body;
  if (!isObject(body)) throw new DeliveryError(400, 'SuperOffice deliveries are JSON objects');
  const headerEvent = text(delivery.headers['x-superoffice-event']);
  const bodyEvent = text(body['Event']);
  const entity = text(body['Entity']);
  const isState = entity === null && (headerEvent ?? bodyEvent ?? '').startsWith('webhook');
  const raw = isState ? (headerEvent ?? bodyEvent) : (bodyEvent ?? headerEvent);
  if (!raw) throw new DeliveryError(400, 'SuperOffice delivery has no Event');
  const test = raw === 'test' || delivery.headers['x-hook-test'] === 'true';
  const primaryKey = body['PrimaryKey'];
  const key = typeof primaryKey === 'number' || typeof primaryKey === 'string' ? String(primaryKey) : null;
  const timestamp = text(body['Timestamp']);
  const eventId = text(body['EventId']) ?? text(delivery.headers['x-superoffice-eventid']);
  const resourceType = test ? 'webhook' : isState ? 'webhook' : (entity ?? raw.split('.')[0] ?? 'unknown');
  return [
    {
      type: superofficeUnifiedType(raw),
      providerEventType: raw,
      resource: { type: resourceType, id: test ? null : key },
      occurredAt: parseSuperofficeTime(timestamp),
      test,
      payload: body,
      vendorEventId: eventId,
      dedupKey: !test && timestamp ? `${entity ?? 'webhook'}:${key ?? ''}:${raw}:${timestamp}` : null,
    },
  ];
}
