import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time in UTC, e.g. 2026-01-31T12:00:00.000Z */
  DateTime: { input: string; output: string; }
  /** Any JSON value */
  JSON: { input: unknown; output: unknown; }
};

/** ADMIN does everything; READ runs queries; SUBSCRIBE opens Subscription.events and reads events */
export type AccessScope =
  | 'ADMIN'
  | 'READ'
  | 'SUBSCRIBE';

export type AccessToken = {
  __typename?: 'AccessToken';
  expiresAt: Scalars['DateTime']['output'];
  /** Send as Authorization: Bearer <token>, or connectionParams.authorization on graphql-ws */
  token: Scalars['String']['output'];
};

export type ApiKey = Node & {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  filter?: Maybe<EventFilterValue>;
  id: Scalars['ID']['output'];
  /** To within a minute */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<AccessScope>;
};

export type BooqableCredentialsInput = {
  apiKey: Scalars['String']['input'];
};

export type ConnectProviderInput = {
  /** Vendor origin before the API path; defaults to the public host where there is one */
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  credentials: ProviderCredentialsInput;
  provider: ProviderKey;
};

export type ConnectProviderResult = ConnectProviderSuccess | NotConnectedError | NotFoundError | ProviderError | UnsupportedError | ValidationError;

export type ConnectProviderSuccess = {
  __typename?: 'ConnectProviderSuccess';
  data: ProviderConnection;
};

export type ConnectSandboxResult = ConnectSandboxSuccess | UnsupportedError | ValidationError;

export type ConnectSandboxSuccess = {
  __typename?: 'ConnectSandboxSuccess';
  data: Array<ProviderConnection>;
};

export type CreateAccessTokenInput = {
  /** Intersected with the caller's own filter */
  filter?: InputMaybe<EventFilter>;
  /** At most the caller's own scopes */
  scopes: Array<AccessScope>;
  /** Default 900 (15 minutes), at most 86400 (24 hours) */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateAccessTokenResult = CreateAccessTokenSuccess | ValidationError;

export type CreateAccessTokenSuccess = {
  __typename?: 'CreateAccessTokenSuccess';
  data: AccessToken;
};

export type CreateApiKeyInput = {
  /** Null: never expires */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  filter?: InputMaybe<EventFilter>;
  name: Scalars['String']['input'];
  scopes: Array<AccessScope>;
};

export type CreateApiKeyResult = CreateApiKeySuccess | ValidationError;

export type CreateApiKeySuccess = {
  __typename?: 'CreateApiKeySuccess';
  data: CreatedApiKey;
};

export type CreateWebhookInput = {
  /** Names from the provider's eventTypes catalogue */
  events: Array<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  options?: InputMaybe<WebhookOptionsInput>;
  /** Vendor payload format where it can be chosen (Booqable: "1" form-encoded or "4" JSON; Paybook: "1" a V1 webhook or "3" a V3 subscription) */
  payloadVersion?: InputMaybe<Scalars['String']['input']>;
  provider: ProviderKey;
};

export type CreateWebhookResult = CreateWebhookSuccess | NotConnectedError | NotFoundError | ProviderError | UnsupportedError | ValidationError;

export type CreateWebhookSuccess = {
  __typename?: 'CreateWebhookSuccess';
  data: Webhook;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The secret: shown this once, never again. Send it as Authorization: Bearer <key> */
  key: Scalars['String']['output'];
};

export type DeleteWebhookResult = DeleteWebhookSuccess | NotConnectedError | NotFoundError | ProviderError | UnsupportedError | ValidationError;

export type DeleteWebhookSuccess = {
  __typename?: 'DeleteWebhookSuccess';
  data: Webhook;
};

export type DeskeraCredentialsInput = {
  accessToken: Scalars['String']['input'];
  clientId: Scalars['String']['input'];
  clientSecret: Scalars['String']['input'];
  refreshToken: Scalars['String']['input'];
};

export type DisconnectProviderResult = DisconnectProviderSuccess | NotConnectedError | NotFoundError | ProviderError | UnsupportedError | ValidationError;

export type DisconnectProviderSuccess = {
  __typename?: 'DisconnectProviderSuccess';
  data: Scalars['Boolean']['output'];
};

/** An expected failure, returned as a member of a mutation result union */
export type Error = {
  message: Scalars['String']['output'];
};

export type Event = Node & {
  __typename?: 'Event';
  /** Position in the event log: pass as `after` to resume a subscription */
  cursor: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  occurredAt?: Maybe<Scalars['DateTime']['output']>;
  /** The delivered payload; null, with a PAYLOAD_UNREADABLE error naming the event, when the stored payload cannot be serialized */
  payload?: Maybe<Scalars['JSON']['output']>;
  provider: Provider;
  /** The vendor's own event name */
  providerEventType: Scalars['String']['output'];
  receivedAt: Scalars['DateTime']['output'];
  resource?: Maybe<EventResource>;
  test: Scalars['Boolean']['output'];
  /** Unified type, e.g. invoice.created */
  type: Scalars['String']['output'];
  webhook?: Maybe<Webhook>;
  /** The global id of the Webhook it arrived on (Webhook.id), readable with SUBSCRIBE where `webhook` needs READ; null for hookgraph's own events without one */
  webhookId?: Maybe<Scalars['ID']['output']>;
};

export type EventFilter = {
  providers?: InputMaybe<Array<ProviderKey>>;
  /** Unified types; `invoice.*` matches every invoice event */
  types?: InputMaybe<Array<Scalars['String']['input']>>;
  webhookIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** The event filter a key or token is narrowed to: every events read and subscription it makes is intersected with it */
export type EventFilterValue = {
  __typename?: 'EventFilterValue';
  providers?: Maybe<Array<ProviderKey>>;
  types?: Maybe<Array<Scalars['String']['output']>>;
  webhookIds?: Maybe<Array<Scalars['ID']['output']>>;
};

export type EventResource = {
  __typename?: 'EventResource';
  /** The vendor's id of the resource, where the delivery names one */
  id?: Maybe<Scalars['String']['output']>;
  /** Unified resource noun: invoice, contact, credential… */
  type: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Stores credentials after a real vendor call proves them */
  connectProvider: ConnectProviderResult;
  /** Connects this tenant to the sandbox vendor of `provider`, or to all five when omitted: the sandbox opens an account with fresh random credentials, stored sealed like any vendor credentials and never shown. Idempotent: existing sandbox connections are kept; a provider connected to a real vendor is never replaced (ValidationError when named, skipped when omitted). Answers the sandbox connections of the tenant. UnsupportedError when the sandbox is off. */
  connectSandbox: ConnectSandboxResult;
  /** A short-lived signed token for a browser: at most the caller's scopes (else FORBIDDEN), filter narrowed to the caller's, expiry no later than the caller's */
  createAccessToken: CreateAccessTokenResult;
  /** A new API key with the given scopes, filter and expiry; its secret is in the answer, once */
  createApiKey: CreateApiKeyResult;
  createWebhook: CreateWebhookResult;
  deleteWebhook: DeleteWebhookResult;
  /** Forgets the stored credentials. Webhooks at the vendor stay registered. */
  disconnectProvider: DisconnectProviderResult;
  /** Revokes a key at once: its tokens stop working, and its open sockets and streams end within seconds on every replica */
  revokeApiKey: RevokeApiKeyResult;
  /** A new delivery token (a new deliveryUrl) and secret, registered at the vendor; the old ones are still accepted for graceSeconds (default 1 day, at most 7 days) */
  rotateWebhookSecret: RotateWebhookSecretResult;
  /** Asks the vendor for a test delivery (SuperOffice's Test endpoint; the sandbox vendor for the others) */
  sendTestEvent: SendTestEventResult;
  /** Reconciles hookgraph's records with each connected vendor's list (or one provider's) */
  syncWebhooks: SyncWebhooksResult;
  /** Makes the sandbox vendor fire one event at this tenant's registered webhooks, in the vendor's delivery format */
  triggerSandboxEvent: TriggerSandboxEventResult;
  /** Updates in place where the vendor can, else deletes and recreates transparently */
  updateWebhook: UpdateWebhookResult;
};


export type MutationConnectProviderArgs = {
  input: ConnectProviderInput;
};


export type MutationConnectSandboxArgs = {
  provider?: InputMaybe<ProviderKey>;
};


export type MutationCreateAccessTokenArgs = {
  input: CreateAccessTokenInput;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationCreateWebhookArgs = {
  input: CreateWebhookInput;
};


export type MutationDeleteWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisconnectProviderArgs = {
  provider: ProviderKey;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  graceSeconds?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


export type MutationSendTestEventArgs = {
  webhookId: Scalars['ID']['input'];
};


export type MutationSyncWebhooksArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  provider?: InputMaybe<ProviderKey>;
  repair?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationTriggerSandboxEventArgs = {
  eventType: Scalars['String']['input'];
  provider: ProviderKey;
  shape?: InputMaybe<Scalars['String']['input']>;
};


export type MutationUpdateWebhookArgs = {
  input: UpdateWebhookInput;
};

export type NameValue = {
  __typename?: 'NameValue';
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type NameValueInput = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type Node = {
  id: Scalars['ID']['output'];
};

export type NotConnectedError = Error & {
  __typename?: 'NotConnectedError';
  message: Scalars['String']['output'];
  provider: ProviderKey;
};

export type NotFoundError = Error & {
  __typename?: 'NotFoundError';
  message: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type PaybookCredentialsInput = {
  apiKey: Scalars['String']['input'];
};

export type Provider = Node & {
  __typename?: 'Provider';
  apiVersion: Scalars['String']['output'];
  capabilities: ProviderCapabilities;
  /** This tenant's connection to the provider, or null. Credentials are never exposed. */
  connection?: Maybe<ProviderConnection>;
  defaultBaseUrl?: Maybe<Scalars['String']['output']>;
  docsUrl: Scalars['String']['output'];
  eventTypes: Array<ProviderEventType>;
  id: Scalars['ID']['output'];
  key: ProviderKey;
  name: Scalars['String']['output'];
};

export type ProviderCapabilities = {
  __typename?: 'ProviderCapabilities';
  getOne: Scalars['Boolean']['output'];
  /** One vendor registration carries several events */
  multipleEventsPerWebhook: Scalars['Boolean']['output'];
  /** The vendor reports a registration's state */
  reportsStatus: Scalars['Boolean']['output'];
  /** Deliveries carry a verifiable signature */
  signedDeliveries: Scalars['Boolean']['output'];
  /** The vendor can send a test delivery */
  testEndpoint: Scalars['Boolean']['output'];
  /** The vendor updates registrations; otherwise hookgraph deletes and recreates */
  updateInPlace: Scalars['Boolean']['output'];
};

/** A tenant's link to one vendor account. Credentials are write-only: no field returns them. */
export type ProviderConnection = {
  __typename?: 'ProviderConnection';
  baseUrl: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  provider: ProviderKey;
  updatedAt: Scalars['DateTime']['output'];
};

/** Exactly one vendor's credentials. Stored encrypted; never returned. */
export type ProviderCredentialsInput =
  { booqable: BooqableCredentialsInput; deskera?: never; paybook?: never; rootfi?: never; superoffice?: never; }
  |  { booqable?: never; deskera: DeskeraCredentialsInput; paybook?: never; rootfi?: never; superoffice?: never; }
  |  { booqable?: never; deskera?: never; paybook: PaybookCredentialsInput; rootfi?: never; superoffice?: never; }
  |  { booqable?: never; deskera?: never; paybook?: never; rootfi: RootfiCredentialsInput; superoffice?: never; }
  |  { booqable?: never; deskera?: never; paybook?: never; rootfi?: never; superoffice: SuperOfficeCredentialsInput; };

/** The vendor refused or failed the call. Never contains the vendor response body. */
export type ProviderError = Error & {
  __typename?: 'ProviderError';
  message: Scalars['String']['output'];
  provider: ProviderKey;
  retryable: Scalars['Boolean']['output'];
  /** HTTP status the vendor answered, null for network failures */
  status?: Maybe<Scalars['Int']['output']>;
  vendorRequestId?: Maybe<Scalars['String']['output']>;
};

export type ProviderEventType = {
  __typename?: 'ProviderEventType';
  description?: Maybe<Scalars['String']['output']>;
  /** The vendor's event name, as createWebhook takes it */
  name: Scalars['String']['output'];
  /** The unified name events of this kind carry, e.g. invoice.created */
  unifiedType: Scalars['String']['output'];
};

export type ProviderKey =
  | 'BOOQABLE'
  | 'DESKERA'
  | 'PAYBOOK'
  | 'ROOTFI'
  | 'SUPEROFFICE';

export type Query = {
  __typename?: 'Query';
  /** The tenant's API keys, oldest first (live ones only unless includeRevoked); at most a few hundred */
  apiKeys: Array<ApiKey>;
  event?: Maybe<Event>;
  /** The tenant's event log, newest last; page forwards with first/after or backwards with last/before */
  events: QueryEventsConnection;
  node?: Maybe<Node>;
  nodes: Array<Maybe<Node>>;
  provider: Provider;
  providers: Array<Provider>;
  viewer: Viewer;
  webhook?: Maybe<Webhook>;
  webhooks: QueryWebhooksConnection;
};


export type QueryApiKeysArgs = {
  includeRevoked?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryEventArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryProviderArgs = {
  key: ProviderKey;
};


export type QueryWebhookArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhooksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeDeleted?: InputMaybe<Scalars['Boolean']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  provider?: InputMaybe<ProviderKey>;
};

export type QueryEventsConnection = {
  __typename?: 'QueryEventsConnection';
  edges: Array<QueryEventsConnectionEdge>;
  pageInfo: PageInfo;
};

export type QueryEventsConnectionEdge = {
  __typename?: 'QueryEventsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Event;
};

export type QueryWebhooksConnection = {
  __typename?: 'QueryWebhooksConnection';
  edges: Array<QueryWebhooksConnectionEdge>;
  pageInfo: PageInfo;
};

export type QueryWebhooksConnectionEdge = {
  __typename?: 'QueryWebhooksConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Webhook;
};

/** Deliveries refused for one reason */
export type RefusalCount = {
  __typename?: 'RefusalCount';
  count: Scalars['Int']['output'];
  /** bad_token, bad_signature, too_large, unsupported_type, unparsable, normalizer, incomplete, unavailable, internal */
  reason: Scalars['String']['output'];
};

export type RevokeApiKeyResult = NotFoundError | RevokeApiKeySuccess | ValidationError;

export type RevokeApiKeySuccess = {
  __typename?: 'RevokeApiKeySuccess';
  data: ApiKey;
};

export type RootfiCredentialsInput = {
  apiKey: Scalars['String']['input'];
};

export type RotateWebhookSecretResult = NotConnectedError | NotFoundError | ProviderError | RotateWebhookSecretSuccess | UnsupportedError | ValidationError;

export type RotateWebhookSecretSuccess = {
  __typename?: 'RotateWebhookSecretSuccess';
  data: Webhook;
};

export type SandboxDelivery = {
  __typename?: 'SandboxDelivery';
  /** HTTP status hookgraph answered the simulated vendor */
  status?: Maybe<Scalars['Int']['output']>;
  /** The global id of the Webhook delivered to (its `id`), or null for a URL that is no webhook's deliveryUrl */
  webhookId?: Maybe<Scalars['ID']['output']>;
};

export type SendTestEventResult = NotConnectedError | NotFoundError | ProviderError | SendTestEventSuccess | UnsupportedError | ValidationError;

export type SendTestEventSuccess = {
  __typename?: 'SendTestEventSuccess';
  data: Webhook;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Live events; with `after` (an Event cursor) first replays what was missed, with no gap and no duplicate */
  events: Event;
};


export type SubscriptionEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EventFilter>;
};

/** An OAuth access token (alone, or with what renews it), or a system-user ticket with the application token */
export type SuperOfficeCredentialsInput =
  { accessToken: Scalars['String']['input']; oauth?: never; ticket?: never; }
  |  { accessToken?: never; oauth: SuperOfficeOAuthInput; ticket?: never; }
  |  { accessToken?: never; oauth?: never; ticket: SuperOfficeTicketInput; };

/** An OAuth access token, with the refresh token and the client it was issued to: renewed on a 401 (tokens last about an hour) */
export type SuperOfficeOAuthInput = {
  accessToken: Scalars['String']['input'];
  clientId?: InputMaybe<Scalars['String']['input']>;
  clientSecret?: InputMaybe<Scalars['String']['input']>;
  redirectUri?: InputMaybe<Scalars['String']['input']>;
  refreshToken?: InputMaybe<Scalars['String']['input']>;
};

/** A system-user ticket with the application token; with the system user token and the application private key, renewed on a 401 */
export type SuperOfficeTicketInput = {
  appToken: Scalars['String']['input'];
  /** The application's PEM RSA private key, which signs the system user token */
  privateKey?: InputMaybe<Scalars['String']['input']>;
  systemUserToken?: InputMaybe<Scalars['String']['input']>;
  ticket?: InputMaybe<Scalars['String']['input']>;
};

export type SyncWebhooksResult = NotConnectedError | NotFoundError | ProviderError | SyncWebhooksSuccess | UnsupportedError | ValidationError;

export type SyncWebhooksSuccess = {
  __typename?: 'SyncWebhooksSuccess';
  data: Array<WebhookSyncReport>;
};

export type Tenant = {
  __typename?: 'Tenant';
  name: Scalars['String']['output'];
};

export type TriggerSandboxEventResult = NotConnectedError | NotFoundError | ProviderError | TriggerSandboxEventSuccess | UnsupportedError | ValidationError;

export type TriggerSandboxEventSuccess = {
  __typename?: 'TriggerSandboxEventSuccess';
  data: Array<SandboxDelivery>;
};

export type UnsupportedError = Error & {
  __typename?: 'UnsupportedError';
  message: Scalars['String']['output'];
};

export type UpdateWebhookInput = {
  /** Pause or resume delivery where the vendor has a state (SuperOffice) */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  /** Fields given (null included) replace, fields left out are kept */
  options?: InputMaybe<WebhookOptionsInput>;
};

export type UpdateWebhookResult = NotConnectedError | NotFoundError | ProviderError | UnsupportedError | UpdateWebhookSuccess | ValidationError;

export type UpdateWebhookSuccess = {
  __typename?: 'UpdateWebhookSuccess';
  data: Webhook;
};

export type ValidationError = Error & {
  __typename?: 'ValidationError';
  field?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
};

/** A registration at the vendor that hookgraph does not manage */
export type VendorWebhook = {
  __typename?: 'VendorWebhook';
  events: Array<Scalars['String']['output']>;
  externalId: Scalars['String']['output'];
  name?: Maybe<Scalars['String']['output']>;
  status: WebhookStatus;
  url: Scalars['String']['output'];
};

/** What the credential of this request holds */
export type Viewer = {
  __typename?: 'Viewer';
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  filter?: Maybe<EventFilterValue>;
  kind: ViewerKind;
  scopes: Array<AccessScope>;
  tenant: Tenant;
};

export type ViewerKind =
  | 'ACCESS_TOKEN'
  | 'API_KEY';

export type Webhook = Node & {
  __typename?: 'Webhook';
  createdAt: Scalars['DateTime']['output'];
  /** Where the vendor delivers; its path carries an unguessable token (ADMIN only: it lets deliveries in) */
  deliveryUrl: Scalars['String']['output'];
  /** Vendor event names, from the provider's catalogue */
  events: Array<Scalars['String']['output']>;
  /** The vendor's ids of the registrations this webhook owns */
  externalIds: Array<Scalars['String']['output']>;
  /** Delivery counts of the last hours (null when the gateway runs with HOOKGRAPH_HEALTH_WINDOW_HOURS=0) */
  health?: Maybe<WebhookHealth>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Vendor settings it was registered with (ADMIN only: headers may carry secrets of your own) */
  options?: Maybe<WebhookOptions>;
  payloadVersion?: Maybe<Scalars['String']['output']>;
  provider: Provider;
  /** The vendor's current state, asked now; the last known state when the vendor cannot be asked (statusStale). DEGRADED: some of its vendor hooks are gone or failing; PENDING: the vendor has not confirmed its create yet */
  status: WebhookStatus;
  /** When the vendor last answered about this webhook (now, unless statusStale) */
  statusCheckedAt?: Maybe<Scalars['DateTime']['output']>;
  /** True when the vendor could not be asked (unreachable, credentials refused): status is the last known one */
  statusStale: Scalars['Boolean']['output'];
  unifiedTypes: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

export type WebhookDrift = {
  __typename?: 'WebhookDrift';
  /** @deprecated Use reasons: a webhook may drift in several ways */
  reason: Scalars['String']['output'];
  /** Every difference found between hookgraph and the vendor */
  reasons: Array<Scalars['String']['output']>;
  webhook: Webhook;
};

/** Deliveries to the webhook over `window` (and the current hour), counted in hourly buckets as they arrive; counts show within a second */
export type WebhookHealth = {
  __typename?: 'WebhookHealth';
  /** Events stored */
  accepted: Scalars['Int']['output'];
  /** Deliveries that reached this webhook (accepted or refused) */
  deliveries: Scalars['Int']['output'];
  /** Events delivered again (vendor retries), acknowledged and not stored twice */
  duplicates: Scalars['Int']['output'];
  /** The newest delivery, whatever its outcome */
  lastDeliveryAt?: Maybe<Scalars['DateTime']['output']>;
  /** The newest delivery that stored a new event */
  lastEventAt?: Maybe<Scalars['DateTime']['output']>;
  /** hookgraph's message for the newest one */
  lastVendorError?: Maybe<Scalars['String']['output']>;
  lastVendorErrorAt?: Maybe<Scalars['DateTime']['output']>;
  /** Deliveries answered with an error */
  refused: Scalars['Int']['output'];
  /** The refused deliveries by reason, most frequent first */
  refusedByReason: Array<RefusalCount>;
  /** Failed vendor calls about this webhook (status checks, reconciliation) */
  vendorFailures: Scalars['Int']['output'];
  /** How far back the counts go, e.g. "24h" */
  window: Scalars['String']['output'];
};

export type WebhookOptions = {
  __typename?: 'WebhookOptions';
  delaySeconds?: Maybe<Scalars['Int']['output']>;
  environment?: Maybe<Scalars['String']['output']>;
  errorsEmail?: Maybe<Scalars['String']['output']>;
  headers?: Maybe<Array<NameValue>>;
  idUser?: Maybe<Scalars['String']['output']>;
  properties?: Maybe<Array<NameValue>>;
};

/** Vendor settings beyond the common ones; each vendor reads its own and refuses bad values (ValidationError) */
export type WebhookOptionsInput = {
  /** Paybook: seconds the vendor waits before delivering (delay) */
  delaySeconds?: InputMaybe<Scalars['Int']['input']>;
  /** Paybook V3 (payloadVersion "3"): SANDBOX or PRODUCTION (id_environment); PRODUCTION if left out */
  environment?: InputMaybe<Scalars['String']['input']>;
  /** SuperOffice: where the vendor mails delivery errors */
  errorsEmail?: InputMaybe<Scalars['String']['input']>;
  /** SuperOffice: extra headers on every delivery (at most 20) */
  headers?: InputMaybe<Array<NameValueInput>>;
  /** Paybook: the user the hook is for (id_user) */
  idUser?: InputMaybe<Scalars['String']['input']>;
  /** SuperOffice: extra properties in every delivery (at most 20) */
  properties?: InputMaybe<Array<NameValueInput>>;
};

export type WebhookStatus =
  | 'ACTIVE'
  | 'DEGRADED'
  | 'DELETED'
  | 'DISABLED'
  | 'FAILING'
  | 'PENDING'
  | 'UNKNOWN';

export type WebhookSyncFailure = {
  __typename?: 'WebhookSyncFailure';
  /** hookgraph's message; never the vendor's body */
  error: Scalars['String']['output'];
  webhook: Webhook;
};

export type WebhookSyncReport = {
  __typename?: 'WebhookSyncReport';
  adopted: Array<Webhook>;
  deleted: Array<Webhook>;
  drifted: Array<WebhookDrift>;
  /** Nothing was changed, here or at the vendor: the report says what would be */
  dryRun: Scalars['Boolean']['output'];
  failed: Array<WebhookSyncFailure>;
  /** Absent from the vendor's list but not yet deleted (absences below the threshold) */
  missing: Array<Webhook>;
  provider: ProviderKey;
  repaired: Array<Webhook>;
  unmanaged: Array<VendorWebhook>;
};

export type ConnectProviderMutationVariables = Exact<{
  input: ConnectProviderInput;
}>;


export type ConnectProviderMutation = { __typename?: 'Mutation', connectProvider:
    | { __typename: 'ConnectProviderSuccess', data: { __typename?: 'ProviderConnection', provider: ProviderKey, baseUrl: string, createdAt: string } }
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string, provider: ProviderKey, status?: number | null, retryable: boolean }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string, field?: string | null }
   };

export type DisconnectProviderMutationVariables = Exact<{
  provider: ProviderKey;
}>;


export type DisconnectProviderMutation = { __typename?: 'Mutation', disconnectProvider:
    | { __typename: 'DisconnectProviderSuccess', data: boolean }
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type EventFieldsFragment = { __typename?: 'Event', id: string, cursor: string, type: string, providerEventType: string, test: boolean, occurredAt?: string | null, receivedAt: string, payload?: unknown | null, resource?: { __typename?: 'EventResource', type: string, id?: string | null } | null, provider: { __typename?: 'Provider', key: ProviderKey }, webhook?: { __typename?: 'Webhook', id: string, name: string } | null };

export type OnEventsSubscriptionVariables = Exact<{
  filter?: InputMaybe<EventFilter>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type OnEventsSubscription = { __typename?: 'Subscription', events: { __typename?: 'Event', id: string, cursor: string, type: string, providerEventType: string, test: boolean, occurredAt?: string | null, receivedAt: string, payload?: unknown | null, resource?: { __typename?: 'EventResource', type: string, id?: string | null } | null, provider: { __typename?: 'Provider', key: ProviderKey }, webhook?: { __typename?: 'Webhook', id: string, name: string } | null } };

export type EventsQueryVariables = Exact<{
  filter?: InputMaybe<EventFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type EventsQuery = { __typename?: 'Query', events: { __typename?: 'QueryEventsConnection', edges: Array<{ __typename?: 'QueryEventsConnectionEdge', cursor: string, node: { __typename?: 'Event', id: string, cursor: string, type: string, providerEventType: string, test: boolean, occurredAt?: string | null, receivedAt: string, payload?: unknown | null, resource?: { __typename?: 'EventResource', type: string, id?: string | null } | null, provider: { __typename?: 'Provider', key: ProviderKey }, webhook?: { __typename?: 'Webhook', id: string, name: string } | null } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } } };

export type EventQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type EventQuery = { __typename?: 'Query', event?: { __typename?: 'Event', id: string, cursor: string, type: string, providerEventType: string, test: boolean, occurredAt?: string | null, receivedAt: string, payload?: unknown | null, resource?: { __typename?: 'EventResource', type: string, id?: string | null } | null, provider: { __typename?: 'Provider', key: ProviderKey }, webhook?: { __typename?: 'Webhook', id: string, name: string } | null } | null };

export type ProvidersQueryVariables = Exact<{ [key: string]: never; }>;


export type ProvidersQuery = { __typename?: 'Query', providers: Array<{ __typename?: 'Provider', id: string, key: ProviderKey, name: string, apiVersion: string, eventTypes: Array<{ __typename?: 'ProviderEventType', name: string, unifiedType: string, description?: string | null }>, capabilities: { __typename?: 'ProviderCapabilities', multipleEventsPerWebhook: boolean, updateInPlace: boolean, getOne: boolean, testEndpoint: boolean, signedDeliveries: boolean, reportsStatus: boolean }, connection?: { __typename?: 'ProviderConnection', baseUrl: string } | null }> };

export type ProviderQueryVariables = Exact<{
  key: ProviderKey;
}>;


export type ProviderQuery = { __typename?: 'Query', provider: { __typename?: 'Provider', id: string, key: ProviderKey, name: string } };

export type NodeByIdQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type NodeByIdQuery = { __typename?: 'Query', node?:
    | { __typename: 'ApiKey', id: string }
    | { __typename: 'Event', type: string, id: string }
    | { __typename: 'Provider', key: ProviderKey, id: string }
    | { __typename: 'Webhook', name: string, id: string }
   | null };

export type ConnectSandboxMutationVariables = Exact<{
  provider?: InputMaybe<ProviderKey>;
}>;


export type ConnectSandboxMutation = { __typename?: 'Mutation', connectSandbox:
    | { __typename: 'ConnectSandboxSuccess', data: Array<{ __typename?: 'ProviderConnection', provider: ProviderKey, baseUrl: string, createdAt: string }> }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string, field?: string | null }
   };

export type WebhookFieldsFragment = { __typename?: 'Webhook', id: string, name: string, events: Array<string>, unifiedTypes: Array<string>, externalIds: Array<string>, deliveryUrl: string, status: WebhookStatus, payloadVersion?: string | null, createdAt: string, updatedAt: string, provider: { __typename?: 'Provider', key: ProviderKey } };

export type CreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type CreateWebhookMutation = { __typename?: 'Mutation', createWebhook:
    | { __typename: 'CreateWebhookSuccess', data: { __typename?: 'Webhook', id: string, name: string, events: Array<string>, unifiedTypes: Array<string>, externalIds: Array<string>, deliveryUrl: string, status: WebhookStatus, payloadVersion?: string | null, createdAt: string, updatedAt: string, provider: { __typename?: 'Provider', key: ProviderKey } } }
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string, status?: number | null, retryable: boolean }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string, field?: string | null }
   };

export type UpdateWebhookMutationVariables = Exact<{
  input: UpdateWebhookInput;
}>;


export type UpdateWebhookMutation = { __typename?: 'Mutation', updateWebhook:
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'UpdateWebhookSuccess', data: { __typename?: 'Webhook', id: string, name: string, events: Array<string>, unifiedTypes: Array<string>, externalIds: Array<string>, deliveryUrl: string, status: WebhookStatus, payloadVersion?: string | null, createdAt: string, updatedAt: string, provider: { __typename?: 'Provider', key: ProviderKey } } }
    | { __typename: 'ValidationError', message: string }
   };

export type DeleteWebhookMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteWebhookMutation = { __typename?: 'Mutation', deleteWebhook:
    | { __typename: 'DeleteWebhookSuccess', data: { __typename?: 'Webhook', id: string, status: WebhookStatus } }
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type SyncWebhooksMutationVariables = Exact<{
  provider?: InputMaybe<ProviderKey>;
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  repair?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type SyncWebhooksMutation = { __typename?: 'Mutation', syncWebhooks:
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'SyncWebhooksSuccess', data: Array<{ __typename?: 'WebhookSyncReport', provider: ProviderKey, dryRun: boolean, adopted: Array<{ __typename?: 'Webhook', id: string, externalIds: Array<string> }>, missing: Array<{ __typename?: 'Webhook', id: string, status: WebhookStatus }>, deleted: Array<{ __typename?: 'Webhook', id: string, status: WebhookStatus }>, drifted: Array<{ __typename?: 'WebhookDrift', reasons: Array<string>, webhook: { __typename?: 'Webhook', id: string } }>, repaired: Array<{ __typename?: 'Webhook', id: string, status: WebhookStatus, externalIds: Array<string> }>, failed: Array<{ __typename?: 'WebhookSyncFailure', error: string, webhook: { __typename?: 'Webhook', id: string } }>, unmanaged: Array<{ __typename?: 'VendorWebhook', externalId: string, url: string }> }> }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type SendTestEventMutationVariables = Exact<{
  webhookId: Scalars['ID']['input'];
}>;


export type SendTestEventMutation = { __typename?: 'Mutation', sendTestEvent:
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'SendTestEventSuccess' }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type TriggerSandboxEventMutationVariables = Exact<{
  provider: ProviderKey;
  eventType: Scalars['String']['input'];
  shape?: InputMaybe<Scalars['String']['input']>;
}>;


export type TriggerSandboxEventMutation = { __typename?: 'Mutation', triggerSandboxEvent:
    | { __typename: 'NotConnectedError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ProviderError', message: string }
    | { __typename: 'TriggerSandboxEventSuccess', data: Array<{ __typename?: 'SandboxDelivery', webhookId?: string | null, status?: number | null }> }
    | { __typename: 'UnsupportedError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type WebhooksQueryVariables = Exact<{
  provider?: InputMaybe<ProviderKey>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type WebhooksQuery = { __typename?: 'Query', webhooks: { __typename?: 'QueryWebhooksConnection', edges: Array<{ __typename?: 'QueryWebhooksConnectionEdge', cursor: string, node: { __typename?: 'Webhook', id: string, name: string, events: Array<string>, unifiedTypes: Array<string>, externalIds: Array<string>, deliveryUrl: string, status: WebhookStatus, payloadVersion?: string | null, createdAt: string, updatedAt: string, provider: { __typename?: 'Provider', key: ProviderKey } } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type WebhookQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type WebhookQuery = { __typename?: 'Query', webhook?: { __typename?: 'Webhook', id: string, name: string, events: Array<string>, unifiedTypes: Array<string>, externalIds: Array<string>, deliveryUrl: string, status: WebhookStatus, payloadVersion?: string | null, createdAt: string, updatedAt: string, provider: { __typename?: 'Provider', key: ProviderKey } } | null };

export const EventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"providerEventType"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EventFieldsFragment, unknown>;
export const WebhookFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"unifiedTypes"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"payloadVersion"}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WebhookFieldsFragment, unknown>;
export const ConnectProviderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectProvider"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectProviderInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectProvider"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectProviderSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]}}]} as unknown as DocumentNode<ConnectProviderMutation, ConnectProviderMutationVariables>;
export const DisconnectProviderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DisconnectProvider"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disconnectProvider"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DisconnectProviderSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DisconnectProviderMutation, DisconnectProviderMutationVariables>;
export const OnEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OnEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"providerEventType"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<OnEventsSubscription, OnEventsSubscriptionVariables>;
export const EventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Events"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EventFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"providerEventType"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EventsQuery, EventsQueryVariables>;
export const EventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Event"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"event"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"providerEventType"}},{"kind":"Field","name":{"kind":"Name","value":"test"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"receivedAt"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"resource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<EventQuery, EventQueryVariables>;
export const ProvidersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"apiVersion"}},{"kind":"Field","name":{"kind":"Name","value":"eventTypes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"unifiedType"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"multipleEventsPerWebhook"}},{"kind":"Field","name":{"kind":"Name","value":"updateInPlace"}},{"kind":"Field","name":{"kind":"Name","value":"getOne"}},{"kind":"Field","name":{"kind":"Name","value":"testEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"signedDeliveries"}},{"kind":"Field","name":{"kind":"Name","value":"reportsStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}}]}}]}}]}}]} as unknown as DocumentNode<ProvidersQuery, ProvidersQueryVariables>;
export const ProviderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Provider"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ProviderQuery, ProviderQueryVariables>;
export const NodeByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Provider"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Event"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]}}]} as unknown as DocumentNode<NodeByIdQuery, NodeByIdQueryVariables>;
export const ConnectSandboxDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectSandbox"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectSandbox"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConnectSandboxSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"baseUrl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}}]}}]}}]} as unknown as DocumentNode<ConnectSandboxMutation, ConnectSandboxMutationVariables>;
export const CreateWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateWebhookSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"unifiedTypes"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"payloadVersion"}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const UpdateWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateWebhookInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateWebhookSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"unifiedTypes"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"payloadVersion"}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateWebhookMutation, UpdateWebhookMutationVariables>;
export const DeleteWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteWebhookSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const SyncWebhooksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SyncWebhooks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"repair"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncWebhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}},{"kind":"Argument","name":{"kind":"Name","value":"dryRun"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}}},{"kind":"Argument","name":{"kind":"Name","value":"repair"},"value":{"kind":"Variable","name":{"kind":"Name","value":"repair"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SyncWebhooksSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"dryRun"}},{"kind":"Field","name":{"kind":"Name","value":"adopted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"missing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deleted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"drifted"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"repaired"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"failed"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"webhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"unmanaged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SyncWebhooksMutation, SyncWebhooksMutationVariables>;
export const SendTestEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendTestEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"webhookId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendTestEvent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"webhookId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"webhookId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SendTestEventMutation, SendTestEventMutationVariables>;
export const TriggerSandboxEventDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TriggerSandboxEvent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventType"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shape"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"triggerSandboxEvent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}},{"kind":"Argument","name":{"kind":"Name","value":"eventType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventType"}}},{"kind":"Argument","name":{"kind":"Name","value":"shape"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shape"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TriggerSandboxEventSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<TriggerSandboxEventMutation, TriggerSandboxEventMutationVariables>;
export const WebhooksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Webhooks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"unifiedTypes"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"payloadVersion"}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WebhooksQuery, WebhooksQueryVariables>;
export const WebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Webhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WebhookFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WebhookFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Webhook"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"events"}},{"kind":"Field","name":{"kind":"Name","value":"unifiedTypes"}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryUrl"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"payloadVersion"}},{"kind":"Field","name":{"kind":"Name","value":"provider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<WebhookQuery, WebhookQueryVariables>;