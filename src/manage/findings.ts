import { createHash } from 'node:crypto';
import type { NewEvent } from '../domain/event.js';
import type { StoredWebhook } from '../domain/webhook.js';
import type { Store } from '../store/store.js';
import type { EventBus } from '../stream/bus.js';

/** What reconciliation found about one webhook, published as an event of its tenant: `hookgraph.webhook.<kind>`. */
export type FindingKind = 'adopted' | 'missing' | 'deleted' | 'drifted' | 'repaired' | 'failing' | 'restored';

export const FINDING_TYPE_PREFIX = 'hookgraph.webhook.';

export interface Finding {
  kind: FindingKind;
  webhook: StoredWebhook;
  /** Why, in hookgraph's words (never a vendor body): the drift reasons, the error of a failed repair. */
  reasons: readonly string[];
}

/**
 * Publishes reconciliation findings as events of the tenant: stored in the log like a delivery (so `events` pages and
 * resumes see them) and pushed to subscribers. The same finding about the same state of a webhook is stored once
 * (its dedup key names the kind, the reasons and the webhook's last change), so a reconciler that runs every few
 * minutes does not repeat itself.
 */
export function createFindings({ store, bus }: { store: Store; bus: Pick<EventBus, 'publish'> }) {
  return {
    async publish(findings: readonly Finding[]): Promise<void> {
      if (findings.length === 0) return;
      const receivedAt = new Date();
      const rows: NewEvent[] = findings.map(({ kind, webhook, reasons }) => {
        const type = `${FINDING_TYPE_PREFIX}${kind}`;
        const fingerprint = createHash('sha256')
          .update([type, webhook.id, webhook.status, webhook.updatedAt.toISOString(), ...reasons].join('\n'))
          .digest('base64url');
        return {
          tenantId: webhook.tenantId,
          webhookId: webhook.id,
          provider: webhook.provider,
          type,
          providerEventType: type,
          resource: { type: 'webhook', id: webhook.id },
          occurredAt: receivedAt,
          receivedAt,
          test: false,
          payload: { kind, webhook: { name: webhook.name, provider: webhook.provider, status: webhook.status }, reasons: [...reasons] },
          dedupKey: `hookgraph:${fingerprint}`,
        };
      });
      const appended = await store.events.append(rows);
      for (const a of appended) if (a) bus.publish(a);
    },
  };
}
export type Findings = ReturnType<typeof createFindings>;
