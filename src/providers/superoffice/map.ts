import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import { parseTime } from '../time.js';
import { ownStateEvents, parseStateEvent, type SuperofficeWebhookWire, superofficeTime } from './wire.js';

/** Active/Stopped/TooManyErrors as strings, or 1/2/3 (dev/index.md numbering). */
export function mapState(state: string | number): WebhookStatus {
  const s = String(state).toLowerCase();
  if (s === 'active' || s === '1') return WebhookStatus.ACTIVE;
  if (s === 'stopped' || s === '2') return WebhookStatus.DISABLED;
  if (s === 'toomanyerrors' || s === '3') return WebhookStatus.FAILING;
  return WebhookStatus.UNKNOWN;
}

/**
 * The catalogue events of a hook: its own state events (`webhook12.stopped`, which the connector adds
 * to every hook it writes) are left out, so a hook compares equal to the spec it was written from.
 */
export function catalogueEvents(w: Pick<SuperofficeWebhookWire, 'WebhookId' | 'Events'>): string[] {
  return w.Events.filter((e) => parseStateEvent(e)?.id !== String(w.WebhookId));
}

/** `lastError` only where the vendor was asked for it (GET /Webhook/{id}/LastError); absent otherwise. */
export function toRemoteWebhook(w: SuperofficeWebhookWire, lastError?: string | null): RemoteWebhook {
  return {
    externalId: String(w.WebhookId),
    url: w.TargetUrl,
    events: catalogueEvents(w),
    name: w.Name,
    status: mapState(w.State),
    createdAt: parseTime(w.Registered, superofficeTime),
    updatedAt: parseTime(w.Updated, superofficeTime),
    hasSecret: w.Secret !== null && w.Secret !== '',
    ...(lastError !== undefined ? { lastError } : {}),
    // A hook whose create stopped before its state events were added (the POST's answer lost, the PATCH refused).
    ...(!ownStateEvents(w.WebhookId).every((e) => w.Events.includes(e)) && {
      incomplete: 'its own state events (stopped, errors) are not subscribed: its failures would go unseen',
    }),
  };
}
