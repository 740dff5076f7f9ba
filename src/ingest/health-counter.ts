import type { HealthReason, HealthStore, HealthSubject } from '../store/health.js';
import type { RefusalReason } from './refusal-reason.js';

/**
 * Each refusal reason of the route (a metric label, fine-grained) as `Webhook.health` counts it (coarser, for an
 * operator deciding what to fix: the token, the vendor's body, our side). A record, so a new RefusalReason does not
 * compile until it is given a place here. null: the delivery never reached a webhook, and is not counted.
 */
const HEALTH_REASON: Readonly<Record<RefusalReason, HealthReason | null>> = {
  method: null,
  unknown_webhook: null,
  bad_token: 'bad_token',
  bad_signature: 'bad_signature',
  too_large: 'too_large',
  too_many_events: 'too_large',
  unsupported_type: 'unsupported_type',
  empty_body: 'unparsable',
  bad_utf8: 'unparsable',
  bad_json: 'unparsable',
  bad_form: 'unparsable',
  too_deep: 'unparsable',
  bad_event_name: 'normalizer',
  bad_shape: 'normalizer',
  body_timeout: 'incomplete',
  aborted: 'incomplete',
};

/**
 * Counts a delivery the route refused, against its webhook when it reached one: a delivery to an unknown id counts
 * nowhere (it must not create rows). `reason` is the route's RefusalReason, or `unavailable` (the store could not
 * take it: 503) or `internal` (500). In memory only: store/health.ts flushes.
 */
export function countRefusal(
  health: Pick<HealthStore, 'refused'>,
  webhook: HealthSubject | null,
  reason: RefusalReason | 'unavailable' | 'internal',
): void {
  if (webhook === null) return;
  const counted = reason === 'unavailable' || reason === 'internal' ? reason : HEALTH_REASON[reason];
  if (counted !== null) health.refused(webhook, counted);
}
