import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderKey } from '../domain/provider-key.js';

/** A request the sandbox vendor received, for contract tests to assert on. */
export interface SandboxRequest {
  method: string;
  /** Path after the vendor's mount point, without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or null when empty. */
  body: unknown;
}

/** Makes the next `count` matching requests fail as the vendor would under load or breakage. */
export interface SandboxFault {
  /** HTTP status to answer (429, 500, 503…). Ignored when `delayMs` alone simulates a hang. */
  status?: number;
  /** How many requests it applies to. @default 1 */
  count?: number;
  /** Retry-After header value for 429/503. */
  retryAfter?: string;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** Raw body to answer with, e.g. garbage that is not JSON (status defaults to 200 then). */
  rawBody?: string;
  /** Only requests with this method. */
  method?: string;
  /**
   * Let this many matching requests (from its injection on, answered by another fault or not) pass first: a fault on
   * the 2nd POST of a multi-step call is `{ method: 'POST', skip: 1 }`. @default 0
   */
  skip?: number;
  /**
   * The vendor applies the request, then its answer is lost: replaced by this fault's status or raw body, or by no
   * answer at all (`drop`). What an ambiguous vendor answer looks like to hookgraph. @default false: before applying
   */
  afterApply?: boolean;
  /** Close the connection without an answer (with `afterApply`: after applying). */
  drop?: boolean;
}

export interface SandboxDelivery {
  url: string;
  status: number | null;
}

export interface TriggerOptions {
  /** Which sandbox account fires the event: its opaque id (or a fixture's name). */
  account: string;
  /** Delivery shape where the vendor has several (Paybook `v1`|`v3`; SuperOffice `entity`|`state`). */
  shape?: string;
}

/** What a vendor keeps of one sandbox account: hashes of its secrets, and its state (hooks, counters). */
export interface SandboxAccountRecord {
  provider: ProviderKey;
  /** Opaque random id, unrelated to any tenant. */
  id: string;
  /** Secret name → SHA-256 (hex) of the secret. The secrets themselves are handed out once, never kept. */
  secrets: Record<string, string>;
  /** The vendor's state for the account, as JSON. */
  state: string;
  /** Bumped by every write; a write based on an older read is refused. */
  version: number;
}

/**
 * Where sandbox accounts live: the database in the gateway (`src/store/sandbox.ts`), so they survive
 * restarts and every replica sees them; memory for a standalone vendor in a contract test.
 */
export interface SandboxAccountStore {
  insert(record: SandboxAccountRecord): Promise<void>;
  get(provider: ProviderKey, id: string): Promise<SandboxAccountRecord | null>;
  /** Writes `record` (its version already bumped) if the stored one is still at `expectedVersion`. */
  update(record: SandboxAccountRecord, expectedVersion: number): Promise<boolean>;
  /** Replaces the state of every account of the provider, keeping accounts and secrets (test reset). */
  resetState(provider: ProviderKey, state: string): Promise<void>;
}

/** A new account at a sandbox vendor: the credentials are shown here once; the vendor keeps their hashes. */
export interface OpenedAccount {
  account: string;
  /** Path appended to the mount URL to form the connector's baseUrl (`/Cust12345` for SuperOffice). */
  basePath: string;
  /** The vendor's GraphQL credentials input (its sub-object of `ProviderCredentialsInput`). */
  credentials: Record<string, string>;
}

export interface SandboxVendorOptions {
  /** @default an in-memory store (a standalone vendor in a contract test) */
  store?: SandboxAccountStore;
  /**
   * Whether a hook may be registered with this URL, and be delivered to. The gateway's sandbox
   * allows only its own delivery URLs (see delivery-guard.ts).
   * @default any http(s) URL: a standalone vendor delivers to the test's own receivers
   */
  acceptsDeliveryUrl?: (url: string) => boolean;
}

/**
 * A simulated vendor: its REST API in the vendor's dialect, accounts with random credentials, and
 * deliveries in the vendor's format to registered URLs.
 */
export interface SandboxVendor {
  provider: ProviderKey;
  /**
   * Handles a request below the mount point (`/sandbox/<vendor>`); `path` starts with `/` and
   * excludes the query string.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /**
   * Opens an account with fresh random credentials and an opaque id. `form` picks the credential
   * form where the vendor has several (SuperOffice: `default` access token, or `ticket`).
   */
  openAccount(options?: { form?: string }): Promise<OpenedAccount>;
  /** The account these credentials (a connection's, as parsed) prove, or null. */
  accountOf(credentials: unknown): Promise<string | null>;
  /** Path appended to the mount URL to form the connector's baseUrl of an account. */
  basePath(account: string): string;
  /**
   * Test fixture: the credentials of the account named `name`, opened on first use with random
   * secrets and kept in this vendor instance's memory only (never persisted, never reachable
   * without the credentials). Contract tests use it to talk to a standalone vendor.
   */
  credentialsFor(name: string, form?: string): Record<string, string>;
  /**
   * Fires `eventType` (a catalogue name) at every hook of `account` subscribed to it, in the
   * vendor's delivery format, and reports each delivery's HTTP status. Only URLs the vendor accepts
   * (`acceptsDeliveryUrl`) are ever contacted.
   */
  trigger(eventType: string, options: TriggerOptions): Promise<SandboxDelivery[]>;
  /** The latest requests received, oldest first (bounded). */
  readonly requests: SandboxRequest[];
  injectFault(fault: SandboxFault): void;
  /** Drops the faults not used up yet (the vendor answers normally again); state and requests stay. */
  clearFaults(): void;
  /** Forgets requests, faults and every account's hooks (accounts and credentials stay). */
  reset(): Promise<void>;
}

export type SandboxHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
