import type { Logger } from 'pino';
import type { StoredEvent } from '../domain/event.js';
import { type StoredWebhook, WebhookStatus } from '../domain/webhook.js';
import type { Store } from '../store/store.js';

/**
 * What a vendor says about a webhook's own state, when it delivers such an event (SuperOffice's `webhook<id>.stopped`
 * / `.errors` / `.started`, normalized to `hookgraph.webhook.stopped` / `.failing` / `.started`): the webhook's
 * status, and for a failing one a vendor failure in its health.
 */
const STATES = new Map<string, { status: WebhookStatus; failure: string | null }>([
  ['hookgraph.webhook.stopped', { status: WebhookStatus.DISABLED, failure: null }],
  [
    'hookgraph.webhook.failing',
    { status: WebhookStatus.FAILING, failure: 'the vendor reports the webhook failing (too many delivery errors)' },
  ],
  ['hookgraph.webhook.started', { status: WebhookStatus.ACTIVE, failure: null }],
]);

/** Applies the state events among a delivery's stored events, off the answer's path; a failure is logged, not thrown. */
export function applyVendorState(store: Store, log: Logger, webhook: StoredWebhook, stored: readonly { event: StoredEvent }[]): void {
  // A loop, not map/filter: this runs on every delivery, and almost none carries a state event.
  let last: { status: WebhookStatus; failure: string | null } | undefined;
  for (const a of stored) last = STATES.get(a.event.type) ?? last;
  if (!last) return;
  const state = last;
  void (async () => {
    await store.webhooks.update(webhook.tenantId, webhook.id, { status: state.status, statusCheckedAt: new Date() });
    if (state.failure) await store.health.recordVendorFailure(webhook.tenantId, webhook.id, state.failure);
  })().catch((error: unknown) => log.warn({ err: error, webhookId: webhook.id }, 'could not apply a vendor state event'));
}
