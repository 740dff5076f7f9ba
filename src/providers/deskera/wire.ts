import type { TimeFormat } from '../time.js';

/** Deskera documents no delivery format (VENDORS.md §1.3): times are read leniently, as time.ts does by default. */
export const deskeraTime: TimeFormat = {};

/** Deskera's webhook object, as register, deregister and list answer it (seed). */
export interface DeskeraHookWire {
  hookId: number;
  eventType: string;
  webhookUrl: string;
  deleted: boolean;
}

/** POST /v1/webhooks/register body: Deskera wants the partner's full credentials with each registration. */
export interface DeskeraRegisterBody {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  eventType: string;
  webhookUrl: string;
}

/**
 * POST /v2/oauth/token?grant_type=refresh_token answer (docs/books/oauthv2.md), narrowed to what a
 * refresh keeps; `token_type` and `expires_in` are not read. No refresh_token: the old one stays valid.
 */
export interface DeskeraTokenWire {
  access_token: string;
  refresh_token: string | null;
}

/**
 * A delivery as normalize.ts narrows it. Deskera documents no delivery format (VENDORS.md §1.3), so
 * each field is read from the first of several keys the body may use, as text (a number as its
 * decimal text), and is null when none has it.
 */
export interface DeskeraDeliveryWire {
  /** The body's `eventType`, `event` or `type`. */
  eventType: string | null;
  /** The body's `timestamp`, else the record's `updatedAt` or `createdAt`. */
  timestamp: string | null;
  /** The record's `id`, `code`, `documentCode` or `productId`; the record is `data`, or the body itself without one. */
  recordId: string | null;
}
