/** Every Paybook response is wrapped: `{rid, code, errors, status, message, response}` (VENDORS.md §3.1). */
export interface PaybookEnvelope<T> {
  rid: string;
  code: number;
  errors: unknown;
  status: boolean;
  message: string | null;
  response: T;
}

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

export interface PaybookCreateBody {
  url: string;
  events: string[];
  delay: number;
  /** Added by Paybook to each notification; hookgraph puts its per-webhook secret here. */
  headers: Record<string, string>;
  id_user?: string | null;
}

/** V1 deliveries are flat: `{event, id_credential, id_user, endpoints, …}`, no id, no timestamp. */
export interface PaybookV1Delivery {
  event: string;
  id_credential?: string;
  id_user?: string;
  id_job_uuid?: string;
  uuid?: string;
  endpoints?: unknown;
}

/** V3 deliveries are batched: one envelope, several events (VENDORS.md §3.4). */
export interface PaybookV3Delivery {
  rid?: string;
  events: Array<{
    header: { event: { at: string; eid: string; name: string; version?: string }; user?: Record<string, unknown> };
    payload: Record<string, unknown>;
  }>;
}
