import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import type { DeskeraHookWire } from './wire.js';

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
