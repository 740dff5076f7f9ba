import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { eventsOfHook } from './plan.js';
import { type RootfiWebhookWire, rootfiTime } from './wire.js';

export function toRemoteWebhook(hook: RootfiWebhookWire): RemoteWebhook {
  return {
    externalId: hook.id,
    url: hook.url,
    events: eventsOfHook(hook),
    name: hook.name,
    // v3 has no state field; v4's ENABLED/DISABLED does not exist here (VENDORS.md §6.2).
    status: WebhookStatus.ACTIVE,
    createdAt: parseTime(hook.created_at, rootfiTime),
    updatedAt: null,
  };
}
