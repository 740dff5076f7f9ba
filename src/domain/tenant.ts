/** A tenant: everything it owns (keys, connections, webhooks, events) is seen by it alone. */
export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

/**
 * A tenant's own event retention: a window in ms, `'forever'` (never pruned), or null to follow the
 * gateway's HOOKGRAPH_RETENTION (config.retentionMs). Stored as tenants.retention_ms: the window, 0 for
 * forever (as `HOOKGRAPH_RETENTION=0` keeps everything), null for the gateway's.
 */
export type TenantRetention = number | 'forever' | null;
