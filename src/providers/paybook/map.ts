import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { type PaybookSubscriptionWire, type PaybookWebhookWire, paybookDates } from './wire.js';

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
    payloadVersion: '1',
  };
}

/** A V3 subscription's external id: `v3:` before the vendor's id, so delete and update know which API holds it. */
export const V3_PREFIX = 'v3:';

/**
 * A V3 subscription. Its events are catalogue ids, turned back into names by `names` (an id the catalogue no longer
 * has stays an id, and shows as drift). V3 reports no failure count.
 */
export function subscriptionToRemote(s: PaybookSubscriptionWire, names: ReadonlyMap<string, string>): RemoteWebhook {
  return {
    externalId: `${V3_PREFIX}${s.id_subscription}`,
    url: s.url,
    events: s.events.map((id) => names.get(id) ?? id),
    name: s.description,
    status: s.disabled ? WebhookStatus.DISABLED : WebhookStatus.ACTIVE,
    createdAt: parseTime(s.dt_created, paybookDates),
    updatedAt: parseTime(s.dt_modified, paybookDates),
    payloadVersion: '3',
  };
}
