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

/** An events row as read back. */
export type EventRow = Selectable<EventTable>;

export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  connections: ConnectionTable;
  webhooks: WebhookTable;
  events: EventTable;
  sandbox_accounts: SandboxAccountTable;
}
