import type { ColumnType, Generated, Selectable } from 'kysely';

/** Row shapes. Timestamps are ISO-8601 text and JSON is text in both dialects, so queries are shared. */
export interface TenantTable {
  id: string;
  name: string;
  created_at: string;
  /** The tenant's event retention in ms (retention.ts): null follows the gateway's HOOKGRAPH_RETENTION, 0 keeps forever. */
  retention_ms: ColumnType<number | null, number | null | undefined, number | null>;
  /** The highest seq of this tenant's events pruned so far (0: none); cursors below it are expired. */
  pruned_through_seq: ColumnType<number, number | undefined, number>;
}

export interface ApiKeyTable {
  id: string;
  tenant_id: string;
  name: string;
  /** SHA-256 of the key's secret part; the key itself is never stored. */
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** Comma list of AccessScope (domain/access.ts); keys from before 0008 are ADMIN. */
  scopes: ColumnType<string, string | undefined, string>;
  /** JSON of the EventFilter (raw webhook ids) every read and subscription of the key is narrowed to; null: none. */
  filter: ColumnType<string | null, string | null | undefined, string | null>;
  expires_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Written at most once a minute per key (api-keys.ts), so it is that precise. */
  last_used_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ConnectionTable {
  id: string;
  tenant_id: string;
  provider: string;
  base_url: string;
  /** AES-256-GCM sealed JSON, bound to tenant and provider. */
  credentials: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookTable {
  id: string;
  tenant_id: string;
  provider: string;
  name: string;
  events: string;
  external_ids: string;
  status: string;
  payload_version: string | null;
  /** SHA-256 of the delivery URL token, checked on every delivery. */
  token_hash: string;
  /** The token sealed, so the deliveryUrl can be shown again. */
  token_sealed: string;
  /** The per-webhook secret sealed (SuperOffice HMAC key, custom header value). */
  secret_sealed: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Reconciliations in a row that found none of its vendor hooks (0010). */
  missing_count: number;
  /** When the vendor last answered about it (0010); null: never since. */
  status_checked_at: string | null;
  /** WebhookOptions as JSON (0010); null: none. */
  options: string | null;
  /** The vendor call it still owes (0010): 'create' (unconfirmed), 'update' (maybe not applied), 'delete' (hooks left); null: none. */
  pending: string | null;
  /** After a rotation (0010): the previous token's hash and secret (sealed), accepted until previous_until. */
  previous_token_hash: string | null;
  previous_secret_sealed: string | null;
  previous_until: string | null;
}

export interface EventTable {
  seq: Generated<number>;
  id: string;
  tenant_id: string;
  webhook_id: string | null;
  provider: string;
  type: string;
  provider_event_type: string;
  resource_type: string | null;
  resource_id: string | null;
  occurred_at: string | null;
  received_at: string;
  test: number;
  payload: string;
  dedup_key: string;
  /** SQLite's dedup slot (see sqlite/appender.ts); null on PostgreSQL and for events without a webhook. */
  dedup_hash: ColumnType<number | null, number | null | undefined, number | null>;
}

/** One account at a sandbox vendor (src/store/sandbox.ts): hashes of its secrets and its sealed state. */
export interface SandboxAccountTable {
  provider: string;
  id: string;
  /** JSON: secret name → SHA-256 of the secret. */
  secrets: string;
  /** The vendor's state for the account (hooks, counters) as JSON, AES-256-GCM sealed. */
  state: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One hour of one webhook's health counts (store/health.ts, migration 0009), added to by upserts. */
export interface WebhookHealthTable {
  /** ISO-8601 start of the hour (UTC); the key leads with it. */
  hour_start: string;
  webhook_id: string;
  tenant_id: string;
  deliveries: ColumnType<number, number | undefined, number>;
  accepted: ColumnType<number, number | undefined, number>;
  duplicates: ColumnType<number, number | undefined, number>;
  /** Refused deliveries, one column per HealthReason (store/health.ts). */
  refused_bad_token: ColumnType<number, number | undefined, number>;
  refused_bad_signature: ColumnType<number, number | undefined, number>;
  refused_too_large: ColumnType<number, number | undefined, number>;
  refused_unsupported_type: ColumnType<number, number | undefined, number>;
  refused_unparsable: ColumnType<number, number | undefined, number>;
  refused_normalizer: ColumnType<number, number | undefined, number>;
  refused_incomplete: ColumnType<number, number | undefined, number>;
  refused_unavailable: ColumnType<number, number | undefined, number>;
  refused_internal: ColumnType<number, number | undefined, number>;
  vendor_failures: ColumnType<number, number | undefined, number>;
  last_delivery_at: string | null;
  last_event_at: string | null;
  /** hookgraph's own message for the newest vendor failure (≤ 300 chars). */
  last_vendor_error: string | null;
  last_vendor_error_at: string | null;
}

/** An events row as read back. */
export type EventRow = Selectable<EventTable>;

export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  connections: ConnectionTable;
  webhooks: WebhookTable;
  events: EventTable;
  sandbox_accounts: SandboxAccountTable;
  webhook_health: WebhookHealthTable;
}
