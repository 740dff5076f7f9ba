import type { ProviderKey } from './provider-key.js';

export const WebhookStatus = {
  ACTIVE: 'ACTIVE',
  DISABLED: 'DISABLED',
  FAILING: 'FAILING',
  /** Some of the webhook's vendor hooks are gone or failing, others deliver (Deskera, RootFi: several hooks). */
  DEGRADED: 'DEGRADED',
  /** Created here, not yet confirmed by the vendor (its answer was lost or is awaited); deliveries are accepted. */
  PENDING: 'PENDING',
  DELETED: 'DELETED',
  UNKNOWN: 'UNKNOWN',
} as const;
export type WebhookStatus = (typeof WebhookStatus)[keyof typeof WebhookStatus];

/**
 * A registration as the vendor reports it, already mapped out of the vendor's wire shape.
 * `events` are names from the provider's catalogue (`ProviderEventType.name`).
 */
export interface RemoteWebhook {
  externalId: string;
  url: string;
  events: string[];
  name: string | null;
  status: WebhookStatus;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** The payload version the vendor sends (Booqable `version`); absent where the vendor has none. */
  payloadVersion?: string | null;
  /** Whether the vendor holds a signing secret or secret header for it (SuperOffice `Secret`); absent: not reported. */
  hasSecret?: boolean | null;
  /** Failed deliveries the vendor counts (Paybook `ct_failed`); absent: not reported. */
  failures?: number | null;
  /** The vendor's own error text for the registration, bounded (SuperOffice `GET /Webhook/{id}/LastError`); absent: none. */
  lastError?: string | null;
  /**
   * What the registration lacks that the connector always sets up, in hookgraph's words (SuperOffice: its own state
   * events, added after the create); absent: nothing. Drift: an update of the same spec completes it.
   */
  incomplete?: string | null;
}

/**
 * Vendor settings a webhook may carry beyond the common ones; each connector reads those of its vendor and
 * ignores the rest. Absent fields are left as the vendor has them on update.
 */
export interface WebhookOptions {
  /** SuperOffice: where the vendor mails delivery errors. */
  errorsEmail?: string | null;
  /** SuperOffice: extra headers sent with every delivery (bounded: 20 entries). */
  headers?: Readonly<Record<string, string>> | null;
  /** SuperOffice: extra properties echoed in every delivery (bounded: 20 entries). */
  properties?: Readonly<Record<string, string>> | null;
  /** Paybook: the user the hook is for (`id_user`). */
  idUser?: string | null;
  /** Paybook: seconds the vendor waits before delivering (`delay`). */
  delaySeconds?: number | null;
  /** Paybook V3: the environment a subscription is for, `sandbox` or `production` (`id_environment`). */
  environment?: string | null;
}

/** What hookgraph asks a connector to register: one hookgraph Webhook, maybe several vendor hooks. */
export interface WebhookSpec {
  /** The deliveryUrl hookgraph generated (with its unguessable token). */
  url: string;
  /** Catalogue names, validated against the provider's catalogue before the connector sees them. */
  events: string[];
  name: string;
  /** Per-webhook secret; used by vendors that sign (SuperOffice) or accept custom headers. */
  secret: string;
  /** Vendor payload format where it can be chosen: Booqable `1` (form-encoded) or `4` (JSON). @default null (vendor default) */
  payloadVersion: string | null;
  /** Vendor-specific settings (see WebhookOptions). @default undefined: none set */
  options?: WebhookOptions;
}

/** A hookgraph webhook as stored. */
export interface Webhook {
  id: string;
  tenantId: string;
  provider: ProviderKey;
  name: string;
  events: string[];
  externalIds: string[];
  status: WebhookStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** A webhook as hookgraph keeps it: the unified shape plus what only the gateway knows. */
export interface StoredWebhook extends Webhook {
  payloadVersion: string | null;
  deletedAt: Date | null;
  /** Vendor-specific settings it was registered with. */
  options: WebhookOptions | null;
  /** Reconciliations in a row that found none of its vendor hooks (manage/sync.ts). */
  missingCount: number;
  /** When the vendor last answered about it; null: never. */
  statusCheckedAt: Date | null;
  /**
   * The vendor call it still owes: `create` while the vendor has not confirmed its registration (its answer was lost),
   * `update` while the vendor may not hold what an update asked for, `delete` while hooks of a deleted webhook may be
   * left at the vendor. Reconciliation finishes each, repair or not.
   */
  pending: 'create' | 'update' | 'delete' | null;
  /** The delivery token, still sealed: opened only to show the deliveryUrl (see WebhookStore.tokenOf). */
  sealedToken: string;
}
