import type { IncomingHttpHeaders } from 'node:http';
import type { NormalizedEvent } from '../domain/event.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { RemoteWebhook, WebhookSpec } from '../domain/webhook.js';
import type { HttpClient } from './http.js';

export interface ProviderEventType {
  /** The name a client passes to createWebhook: the vendor's own event name (RootFi: composed, see its catalog). */
  name: string;
  /** Unified taxonomy name, `<resource>.<past-tense action>`: `invoice.created`. */
  unifiedType: string;
  description: string | null;
}

export interface ProviderCapabilities {
  /** One vendor registration can carry several events (false for Deskera: one hook per event). */
  multipleEventsPerWebhook: boolean;
  /** The vendor can update a registration in place (otherwise hookgraph deletes and recreates). */
  updateInPlace: boolean;
  /** The vendor can fetch one registration by id (otherwise the list is filtered): the connector has getWebhook. */
  getOne: boolean;
  /** The vendor has a test/ping endpoint: the connector has sendTestEvent. */
  testEndpoint: boolean;
  /** Deliveries carry a verifiable signature (SuperOffice HMAC). */
  signedDeliveries: boolean;
  /** The vendor reports a registration's state (active, disabled, failing). */
  reportsStatus: boolean;
}

/** The capabilities that are facts about the vendor rather than methods of its connector. */
export type VendorFacts = Omit<ProviderCapabilities, 'getOne' | 'testEndpoint'>;

/** Everything a connector needs; built by hookgraph per (tenant, provider) connection. */
export interface ConnectorContext<C> {
  /** Vendor origin as the seeds write it, before the API path, without a trailing slash. */
  baseUrl: string;
  credentials: C;
  http: HttpClient;
  /** Persists credentials the connector refreshed (Deskera on 401). */
  saveCredentials(credentials: C): Promise<void>;
}

/**
 * One tenant's calls to one vendor. A connector has only the methods its vendor has: the optional ones
 * are absent where the vendor has no such call (connector.ts says what callers do then), and the
 * provider's capabilities are read off them. A factory only wires the calls; nothing reaches the vendor
 * before a method runs.
 */
export interface Connector {
  /** A cheap real vendor call proving the credentials work (throws ProviderError otherwise). */
  verifyCredentials(): Promise<void>;
  /**
   * Every vendor hook of the account. `externalId` narrows the list where the vendor filters lists by id
   * (Booqable); other connectors answer the whole list, which the caller filters.
   */
  listWebhooks(filter?: { externalId: string }): Promise<RemoteWebhook[]>;
  /** Registers the spec; may create several vendor hooks (Deskera: one per event). */
  createWebhook(spec: WebhookSpec): Promise<RemoteWebhook[]>;
  /** Updates in place where the vendor can, else deletes and recreates. Returns the hooks now owned. */
  updateWebhook(externalIds: readonly string[], spec: WebhookSpec): Promise<RemoteWebhook[]>;
  /** Deletes every vendor hook; a hook the vendor no longer has is not an error. */
  deleteWebhook(externalIds: readonly string[]): Promise<void>;
  /** Asks the vendor to send a test delivery (SuperOffice). */
  sendTestEvent?(externalIds: readonly string[], spec: WebhookSpec): Promise<void>;
  /** Fetches one vendor hook by id, or null when the vendor no longer has it (SuperOffice). */
  getWebhook?(externalId: string): Promise<RemoteWebhook | null>;
  /** Pauses or resumes delivery where the vendor has a state (SuperOffice PATCH State). */
  setEnabled?(externalIds: readonly string[], enabled: boolean): Promise<RemoteWebhook[]>;
}

/** The optional methods a caller cannot do without: absent, the caller answers UnsupportedError. */
export type UnsupportedMethod = 'sendTestEvent' | 'setEnabled';

/** One delivery as the ingest route hands it to a normalizer, after authentication and parsing. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON, or the decoded form (nested keys expanded) for form-urlencoded bodies. */
  body: unknown;
  /** The hookgraph webhook it arrived on. */
  webhook: { id: string; events: readonly string[]; externalIds: readonly string[] };
  /**
   * The tag of the delivery URL it arrived at, which the connector chose for that vendor hook
   * (domain/delivery-url.ts taggedDeliveryUrl); null for the plain deliveryUrl. @default null
   */
  tag?: string | null;
  /**
   * Most events (batch items, batch records) the delivery may carry; a batching normalizer refuses
   * more with checkEventCount as soon as it knows the count. The ingest route always passes
   * config.limits.maxEventsPerDelivery. @default unbounded
   */
  maxEvents?: number;
}

export interface ProviderDefinition<C = unknown> {
  key: ProviderKey;
  name: string;
  /** API version and documentation URL, for humans. */
  apiVersion: string;
  docsUrl: string;
  /** Public vendor origin; null where each tenant has its own (Booqable, SuperOffice). */
  defaultBaseUrl: string | null;
  /**
   * Hosts a connection's baseUrl may name, `*.booqable.com` style; HOOKGRAPH_ALLOWED_HOSTS, when set,
   * replaces the union of every provider's (host-guard.ts).
   */
  hosts: readonly string[];
  eventTypes: readonly ProviderEventType[];
  /** Derived by defineProvider: getOne and testEndpoint from the connector's methods, the rest stated. */
  capabilities: ProviderCapabilities;
  /** Why the connector lacks an optional method, in the words of the UnsupportedError a caller throws. */
  unsupported: Readonly<Partial<Record<UnsupportedMethod, string>>>;
  /**
   * Narrows the GraphQL credentials input (already shape-checked by GraphQL) into the connector's
   * credential type; throws ValidationError with a precise message (credentials.ts).
   */
  parseCredentials(input: unknown): C;
  createConnector(ctx: ConnectorContext<C>): Connector;
  /**
   * Authenticates a delivery beyond the URL token, on the raw bytes, before parsing (SuperOffice
   * HMAC). Returns false to reject with 401. Absent where the vendor does not sign.
   */
  verifyDelivery?(headers: IncomingHttpHeaders, rawBody: Buffer, secret: string, webhook?: { payloadVersion: string | null }): boolean;
  /** Maps one delivery to one or more events (the vendor's normalize.ts). Throws DeliveryError(400) on a body it cannot read. */
  normalize(delivery: Delivery): NormalizedEvent[];
}
