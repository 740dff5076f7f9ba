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
}

export interface SandboxDelivery {
  url: string;
  status: number | null;
}

export interface TriggerOptions {
  /** Which sandbox account (tenant at the vendor) fires the event. */
  account: string;
  /** Delivery shape where the vendor has several (Paybook `v1`|`v3`; SuperOffice `entity`|`state`). */
  shape?: string;
}

/**
 * A simulated vendor: its REST API in the vendor's dialect, accounts keyed by credential, and
 * deliveries in the vendor's format to registered URLs.
 */
export interface SandboxVendor {
  provider: ProviderKey;
  /**
   * Handles a request below the mount point (`/sandbox/<vendor>`); `path` starts with `/` and
   * excludes the query string.
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** Path appended to the mount URL to form the connector's baseUrl (`/Cust12345` for SuperOffice). */
  basePath(account: string): string;
  /** Valid GraphQL credentials input (the vendor's sub-object) for an account. */
  credentialsFor(account: string): Record<string, string>;
  /**
   * Fires `eventType` (a catalogue name) at every hook of `account` subscribed to it, in the
   * vendor's delivery format, and reports each delivery's HTTP status.
   */
  trigger(eventType: string, options: TriggerOptions): Promise<SandboxDelivery[]>;
  /** Every request received, oldest first. */
  readonly requests: SandboxRequest[];
  injectFault(fault: SandboxFault): void;
  reset(): void;
}

export type SandboxHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
