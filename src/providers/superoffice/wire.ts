import type { TimeFormat } from '../time.js';

/** SuperOffice writes ISO-8601 with seven fractional digits (`2025-05-14T10:48:07.8912039Z`); Date keeps three. */
export const superofficeTime: TimeFormat = {};

/** SuperOffice's Webhook entity (REST /api/v1/Webhook). `State` is a string; numbers appear in FieldValues. */
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
  Registered?: string | null;
  Updated?: string | null;
}

export type SuperofficeWebhookBody = Omit<SuperofficeWebhookWire, 'WebhookId' | 'Registered' | 'Updated'> & { WebhookId?: number };

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
