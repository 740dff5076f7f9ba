import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { type PaybookWebhookWire, paybookDates } from './wire.js';

export function toRemoteWebhook(w: PaybookWebhookWire): RemoteWebhook {
  const status = w.is_disabled ? (w.ct_failed > 0 ? WebhookStatus.FAILING : WebhookStatus.DISABLED) : WebhookStatus.ACTIVE;
  return {
    externalId: w.id_webhook,
    url: w.url,
    events: w.events,
    name: null,
    status,
    createdAt: parseTime(w.dt_created, paybookDates),
    updatedAt: parseTime(w.dt_modified, paybookDates),
  };
}
