import { DeliveryError } from '../../domain/errors.js';
import type { NormalizedEvent } from '../../domain/event.js';
import { isObject, type Json, text, textOrNumber } from '../json.js';
import { resourceOfType } from '../taxonomy.js';
import { parseTime } from '../time.js';
import type { Delivery } from '../types.js';
import { booqableUnifiedType } from './catalog.js';
import { type BooqableDeliveryWire, booqableTime } from './wire.js';

/** `customers` → `customer`, `companies` → `company`, `product_groups` → `product_group`. */
function singular(plural: string): string {
  if (/ies$/.test(plural)) return plural.replace(/ies$/, 'y');
  if (/(ss|x|ch|sh|us)es$/.test(plural)) return plural.replace(/es$/, '');
  return plural.replace(/s$/, '');
}

/** v1 class name to noun: `ProductGroup` → `product_group`. */
function snake(className: string): string {
  return className
    .replace(/::/g, '_')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The resource noun: v4 `resource_type` singularized, else v1 `object` snake-cased, else the event's noun. */
function booqableResourceNoun(wire: Pick<BooqableDeliveryWire, 'resource_type' | 'object' | 'event'>): string {
  if (wire.resource_type) return memo(nouns, `t:${wire.resource_type}`, () => singular(snake(wire.resource_type as string)));
  if (wire.object) return memo(nouns, `o:${wire.object}`, () => snake(wire.object as string));
  return resourceOfType(wire.event) || 'unknown';
}

/**
 * Resource nouns and unified types come from a few dozen vendor names, so each is computed once.
 * The names arrive in deliveries, hence the bound: past it the cache starts over.
 */
const nouns = new Map<string, string>();
const unifiedTypes = new Map<string, string>();
function memo(cache: Map<string, string>, key: string, compute: () => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= 512) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}

/**
 * The docs' example for app lifecycle events is the app installation itself, with no envelope and no
 * `event` (VENDORS.md §2.3, "ambiguous"). Such a body is read as the one `app.*` event the webhook
 * subscribes to, or `app.unknown` when it subscribes to several: stored, never dropped.
 */
function appInstallationEvent(body: Json, subscribed: readonly string[]): BooqableDeliveryWire | null {
  if (text(body['app_id']) === null || text(body['identifier']) === null) return null;
  const appEvents = subscribed.filter((e) => e.startsWith('app.'));
  const changedAt = text(body['updated_at']);
  // No notification id here: the body's `id` is the installation's, shared by all four app events.
  return {
    event: appEvents.length === 1 && appEvents[0] ? appEvents[0] : 'app.unknown',
    object: 'AppInstallation',
    data: body,
    ...(changedAt !== null && { created_at: changedAt }),
  };
}

/** Narrows a decoded delivery (v1 form or v4 JSON) to the shared envelope. */
function narrowDelivery(body: unknown, subscribed: readonly string[]): BooqableDeliveryWire {
  if (!isObject(body)) throw new DeliveryError(400, 'a Booqable delivery is an object with id, created_at, event and data');
  const event = text(body['event']);
  if (event === null) {
    const app = appInstallationEvent(body, subscribed);
    if (app) return app;
    throw new DeliveryError(400, 'the Booqable delivery has no event name');
  }
  const data = body['data'];
  if (data !== undefined && data !== null && data !== '' && !isObject(data)) {
    throw new DeliveryError(400, 'the Booqable delivery data is not an object');
  }
  const id = text(body['id']);
  const createdAt = text(body['created_at']);
  const object = text(body['object']);
  const resourceType = text(body['resource_type']);
  return {
    event,
    ...(id !== null && { id }),
    ...(createdAt !== null && { created_at: createdAt }),
    ...(object !== null && { object }),
    ...(resourceType !== null && { resource_type: resourceType }),
    ...(isObject(data) && { data }),
  };
}

/**
 * v1 (form-encoded, decoded by the ingest route into nested objects of strings) and v4 (JSON) share
 * one envelope: `id` (the notification uuid, also `GET /api/4/webhooks/{id}`), `created_at` (time of
 * the original event), `event`, `data`; v1 names the resource by `object`, v4 by `resource_type`
 * (VENDORS.md §2.3). Booqable sends no test deliveries.
 */
export function normalizeBooqableDelivery(delivery: Delivery): NormalizedEvent[] {
  const wire = narrowDelivery(delivery.body, delivery.webhook.events);
  return [
    {
      type: memo(unifiedTypes, wire.event, () => booqableUnifiedType(wire.event)),
      providerEventType: wire.event,
      resource: { type: booqableResourceNoun(wire), id: textOrNumber(wire.data?.['id']) },
      occurredAt: parseTime(wire.created_at, booqableTime),
      test: false,
      payload: delivery.body,
      vendorEventId: wire.id ?? null,
      // The notification id is stable across Booqable's retries (it can be fetched again by id).
      dedupKey: null,
    },
  ];
}
