import type { TimeFormat } from '../time.js';

/** SuperOffice writes ISO-8601 with seven fractional digits (`2025-05-14T10:48:07.8912039Z`); Date keeps three. */
export const superofficeTime: TimeFormat = {};

/**
 * SuperOffice's Webhook entity (REST /api/v1/Webhook). `State` is a string; numbers appear in FieldValues.
 * The API answers the Secret in plain text (v1Webhook_GetWebhook.md): it is only ever read as "is one set".
 */
export interface SuperofficeWebhookWire {
  WebhookId: number;
  Name: string | null;
  Events: string[];
  TargetUrl: string;
  Secret: string | null;
  State: string | number;
  Type: string;
  Headers: Record<string, string>;
  Properties: Record<string, unknown>;
  /** Where SuperOffice mails the TooManyErrors notice; null when unset. */
  ErrorsEmail: string | null;
  Registered?: string | null;
  Updated?: string | null;
}

export type SuperofficeWebhookBody = Omit<SuperofficeWebhookWire, 'WebhookId' | 'Registered' | 'Updated'> & { WebhookId?: number };

/**
 * One RFC 6902 operation as SuperOffice takes them (v1Webhook_PatchWebhook.md: add, replace, remove,
 * test; the path is case-insensitive and its leading slash optional; hookgraph always writes it).
 */
export type SuperofficePatchOp = { op: 'add' | 'replace' | 'test'; path: string; value: unknown } | { op: 'remove'; path: string };

export interface SuperofficeListFilters {
  nameFilter?: string;
  eventFilter?: string;
  /** `Unknown` means no filter. */
  statusFilter?: 'Unknown' | 'Active' | 'Stopped' | 'TooManyErrors';
}

/** POST /api/v1/Webhook/Test answer. */
export interface SuperofficeTestResult {
  Success: boolean;
  Message: string | null;
}

/** POST /login/common/oauth/tokens (grant_type=refresh_token) answer, VENDORS.md §5.2. */
export interface SuperofficeTokenWire {
  access_token: string;
  /** Not documented in the answer; used when present (a rotated refresh token). */
  refresh_token: string | null;
}

/**
 * POST /Login/api/PartnerSystemUser/Authenticate answer (get-system-user-ticket.md). The docs show the
 * request only; the answer is read as `{IsSuccessful, Token, ErrorMessage}` with `Token` a JWT whose
 * `http://schemes.superoffice.net/identity/ticket` claim is the ticket (assumption, see client.ts).
 */
export interface SuperofficeSystemUserWire {
  IsSuccessful: boolean;
  Token: string | null;
}

/** The JWT claim that carries the system-user ticket. */
export const TICKET_CLAIM = 'http://schemes.superoffice.net/identity/ticket';

/**
 * A delivery (WebhookPayload, VENDORS.md §5.3) as normalize.ts narrows it: the fields that name and
 * date the change, each null when missing or empty, `PrimaryKey` as its decimal text. State events have
 * no Entity; `Changes`, `FieldValues` and the rest stay in the stored payload, unread.
 */
export interface SuperofficeDeliveryWire {
  EventId: string | null;
  Timestamp: string | null;
  Event: string | null;
  PrimaryKey: string | null;
  Entity: string | null;
}

/** The state events a webhook's own Events must list to be told it stopped or failed (state-events.md). */
export const STATE_ACTIONS = ['started', 'stopped', 'errors'] as const;
export type SuperofficeStateAction = (typeof STATE_ACTIONS)[number];

/** `webhook12.stopped` → `{id: '12', action: 'stopped'}`; null for any other name. */
export function parseStateEvent(name: string): { id: string; action: SuperofficeStateAction } | null {
  const m = /^webhook(\d{1,18})\.(started|stopped|errors)$/i.exec(name);
  return m ? { id: m[1] as string, action: (m[2] as string).toLowerCase() as SuperofficeStateAction } : null;
}

/** The state events the connector subscribes every hook to itself: told when it is paused or fails. */
export const ownStateEvents = (webhookId: number | string): string[] => [`webhook${webhookId}.stopped`, `webhook${webhookId}.errors`];
