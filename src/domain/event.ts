import type { ProviderKey } from './provider-key.js';

/**
 * The alphabet a vendor event name must keep to before hookgraph stores it: what every name in the
 * five catalogues uses (`CREATE_INVOICE`, `order.saved_as_concept`, `INVOICES:CREATE`,
 * `webhook12.errors`, `list.category.created`) plus `-`, `/` and space for names vendors add later,
 * at most 128 characters. Anything else (control characters, quotes, markup, kilobytes of name) is
 * refused with a 400 rather than stored and streamed to clients.
 */
export const SAFE_EVENT_NAME = /^[A-Za-z0-9_.:\-/ ]{1,128}$/;

export interface EventResource {
  type: string;
  id: string | null;
}

/** One event as a vendor normalizer produces it, before hookgraph stores it. */
export interface NormalizedEvent {
  /** Unified taxonomy name, `<resource>.<past-tense action>`, e.g. `invoice.created`. */
  type: string;
  /** The vendor's own event name exactly as delivered (or as subscribed, when the body has none). */
  providerEventType: string;
  resource: EventResource | null;
  occurredAt: Date | null;
  test: boolean;
  payload: unknown;
  /** The vendor's event id where it sends one; hookgraph dedups on it. */
  vendorEventId: string | null;
  /**
   * Overrides the dedup key when the vendor id is not stable across retries (SuperOffice changes
   * EventId between retry cycles). When null, hookgraph uses vendorEventId, else a body hash.
   */
  dedupKey: string | null;
}

/** A stored event. `seq` is the tenant log cursor: monotonically increasing in commit order. */
export interface StoredEvent {
  id: string;
  seq: number;
  tenantId: string;
  webhookId: string | null;
  provider: ProviderKey;
  type: string;
  providerEventType: string;
  resource: EventResource | null;
  occurredAt: Date | null;
  receivedAt: Date;
  test: boolean;
  payload: unknown;
}

/** An event ready to append to the log (what the ingest route hands the store). */
export interface NewEvent {
  tenantId: string;
  webhookId: string | null;
  provider: ProviderKey;
  type: string;
  providerEventType: string;
  resource: { type: string; id: string | null } | null;
  occurredAt: Date | null;
  receivedAt: Date;
  test: boolean;
  payload: unknown;
  /** The payload already serialized (the raw JSON body, when the payload is the whole body); saves a stringify. */
  payloadJson?: string;
  dedupKey: string;
}

/**
 * A stored event plus the seq of the tenant's previous event at commit time. Published together,
 * they form a per-tenant chain: a subscriber that sees a prevSeq it has not reached knows it missed
 * a message (replicas publish in any order) and reads the gap from the log.
 */
export interface AppendedEvent {
  event: StoredEvent;
  prevSeq: number | null;
}
