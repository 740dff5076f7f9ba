import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { type BooqableEndpointWire, booqableTime } from './wire.js';

/** Booqable endpoints have no state field (VENDORS.md §6.2): a listed endpoint is active. */
export function toRemoteWebhook(w: BooqableEndpointWire): RemoteWebhook {
  return {
    externalId: w.id,
    url: w.url,
    events: [...w.events],
    name: null,
    status: WebhookStatus.ACTIVE,
    createdAt: parseTime(w.created_at, booqableTime),
    updatedAt: parseTime(w.updated_at, booqableTime),
  };
}
