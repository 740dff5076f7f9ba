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

/** POST /v2/oauth/token?grant_type=refresh_token answer (docs/books/oauthv2.md). */
export interface DeskeraTokenWire {
  access_token: string;
  token_type: string;
  refresh_token: string;
  expires_in: number;
}

/**
 * A delivery. Deskera documents no delivery format (VENDORS.md §1.3); this is what the normalizer
 * reads when present, defensively: every field is optional.
 */
export interface DeskeraDeliveryWire {
  eventType?: string;
  hookId?: number | string;
  tenantId?: string;
  data?: Record<string, unknown>;
}
