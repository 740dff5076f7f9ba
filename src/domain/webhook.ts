import type { ProviderKey } from './provider-key.js';

export const WebhookStatus = {
  ACTIVE: 'ACTIVE',
  DISABLED: 'DISABLED',
  FAILING: 'FAILING',
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
  /** The delivery token, still sealed: opened only to show the deliveryUrl (see WebhookStore.tokenOf). */
  sealedToken: string;
}
