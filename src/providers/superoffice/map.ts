import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { type SuperofficeWebhookWire, superofficeTime } from './wire.js';

/** Active/Stopped/TooManyErrors as strings, or 1/2/3 (dev/index.md numbering). */
export function mapState(state: string | number): WebhookStatus {
  const s = String(state).toLowerCase();
  if (s === 'active' || s === '1') return WebhookStatus.ACTIVE;
  if (s === 'stopped' || s === '2') return WebhookStatus.DISABLED;
  if (s === 'toomanyerrors' || s === '3') return WebhookStatus.FAILING;
  return WebhookStatus.UNKNOWN;
}

export function toRemoteWebhook(w: SuperofficeWebhookWire): RemoteWebhook {
  return {
    externalId: String(w.WebhookId),
    url: w.TargetUrl,
    events: w.Events,
    name: w.Name,
    status: mapState(w.State),
    createdAt: parseTime(w.Registered, superofficeTime),
    updatedAt: parseTime(w.Updated, superofficeTime),
  };
}
