import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { type PaybookWebhookWire, paybookDates } from './wire.js';

/**
 * `ct_failed` counts failed notifications; the rule that sets `is_disabled` is undocumented (VENDORS.md
 * §3.5). Any failure counted makes the hook FAILING, enabled or not (the seed's disabled sample has
 * 1001), and is reported as `failures`; a hook disabled with none is DISABLED.
 */
export function toRemoteWebhook(w: PaybookWebhookWire): RemoteWebhook {
  const status = w.ct_failed > 0 ? WebhookStatus.FAILING : w.is_disabled ? WebhookStatus.DISABLED : WebhookStatus.ACTIVE;
  return {
    externalId: w.id_webhook,
    url: w.url,
    events: w.events,
    name: null,
    status,
    createdAt: parseTime(w.dt_created, paybookDates),
    updatedAt: parseTime(w.dt_modified, paybookDates),
    failures: w.ct_failed,
  };
}
