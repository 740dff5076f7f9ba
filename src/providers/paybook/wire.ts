import type { TimeFormat } from '../time.js';

/** Every Paybook response is wrapped: `{rid, code, errors, status, message, response}` (VENDORS.md §3.1). */
export interface PaybookEnvelope<T> {
  rid: string;
  code: number;
  errors: unknown;
  status: boolean;
  message: string | null;
  response: T;
}

/** Webhook dates come as ISO-8601 or unix seconds, a number or a numeric string (VENDORS.md §3.1: both occur). */
export const paybookDates: TimeFormat = { epoch: 'seconds', epochStrings: true };

/**
 * V3 timestamps are not ISO-8601: `2023-06-16 19:06:18.944575+0000` (space separator, microseconds,
 * offset without a colon); time.ts's date-time grammar reads them, nothing else is one.
 */
export const paybookV3Time: TimeFormat = { lenient: false };

/** The V1 webhook object; dates come as ISO strings or unix seconds (or null). */
export interface PaybookWebhookWire {
  id_webhook: string;
  id_user: string | null;
  is_disabled: number;
  events: string[];
  url: string;
  delay: number;
  ct_failed: number;
  dt_created: string | number | null;
  dt_modified: string | number | null;
}

/** POST /v1/webhooks (VENDORS.md §3.1). */
export interface PaybookCreateBody {
  url: string;
  events: string[];
  /** Seconds Paybook waits before notifying; 0 at once. */
  delay: number;
  /** Added by Paybook to each notification; hookgraph puts its per-webhook secret here. */
  headers: Record<string, string>;
  /** Only this user's events; left out for every user of the API key. */
  id_user?: string;
}

/** The ids a delivered record may carry, each a non-empty string or null; the event decides which names it. */
export interface PaybookRecordIds {
  id_credential: string | null;
  uuid: string | null;
  id_job_uuid: string | null;
  id_job: string | null;
  id_payment: string | null;
  id: string | null;
}

/** A V1 delivery as normalize.ts narrows it: flat `{event, id_credential, id_user, endpoints, …}`, no id, no timestamp. */
export interface PaybookV1Delivery extends PaybookRecordIds {
  event: string;
}

/** One event of a V3 delivery, which is batched: `{events: [{header: {event}, payload}]}` (VENDORS.md §3.4). */
export interface PaybookV3EventWire {
  header: { event: { name: string; at: string | null; eid: string | null } };
  /** A missing payload reads as an empty one. */
  payload: PaybookRecordIds;
}

/**
 * A V3 subscription as hookgraph reads it (VENDORS.md §3.2: the Postman collection shows the request, no answer). The
 * id's field name is not documented: `id_subscription` (the path parameter's name), `id_webhook_subscription` or `id`.
 */
export interface PaybookSubscriptionWire {
  id_subscription: string;
  url: string;
  /** Catalogue ids (`id_webhook_event`), as the subscription holds them. */
  events: string[];
  description: string | null;
  id_environment: string | null;
  /** A documented catalogue of subscription states exists, its values do not: only 0/false or a `disabled` state is read as off. */
  disabled: boolean;
  dt_created: string | number | null;
  dt_modified: string | number | null;
}

/** POST/PUT /v1/webhooks/subscriptions (VENDORS.md §3.2). */
export interface PaybookSubscriptionBody {
  id_environment: string;
  description: string;
  /** Catalogue ids from GET /v1/catalogues/webhook3_events, not names. */
  events: string[];
  /** 1: Paybook batches events into one notification (the V3 envelope is a batch either way). */
  group_events: 0 | 1;
  url: string;
}

/** One entry of GET /v1/catalogues/webhook3_events. */
export interface PaybookV3CatalogueEntry {
  id_webhook_event: string;
  name: string;
}

/** `id_environment` values (VENDORS.md §3.1). */
export const PAYBOOK_ENVIRONMENTS: ReadonlyMap<string, string> = new Map([
  ['sandbox', '574894bf7848066d138b4570'],
  ['production', '574894bf7848066d138b4571'],
]);
