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

/** A delivery (WebhookPayload, VENDORS.md §5.3). State events have no Entity. */
export interface SuperofficeDeliveryWire {
  EventId?: string;
  Timestamp?: string;
  Changes?: string[];
  Event?: string;
  PrimaryKey?: number;
  Entity?: string;
  ContextIdentifier?: string;
  ChangedByAssociateId?: number;
  WebhookName?: string;
  FieldValues?: Record<string, unknown>;
  Values?: Record<string, unknown>;
}
