import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { type BooqableEndpointWire, booqableTime } from './wire.js';

/**
 * Booqable endpoints have no state field (VENDORS.md §6.2): a listed endpoint is active. Its `version`
 * is the payload format it delivers. `/api/boomerang` answers have no such attribute (VENDORS.md §2.1),
 * yet an endpoint made on `/api/4` may deliver version 4 all the same: without it the version is unknown.
 */
export function toRemoteWebhook(w: BooqableEndpointWire): RemoteWebhook {
  const version = w.version ?? null;
  return {
    externalId: w.id,
    url: w.url,
    events: [...w.events],
    name: null,
    status: WebhookStatus.ACTIVE,
    createdAt: parseTime(w.created_at, booqableTime),
    updatedAt: parseTime(w.updated_at, booqableTime),
    payloadVersion: version === null ? null : String(version),
  };
}
