import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { SyncReport } from './sync.js';
import type { WebhookManager } from './webhooks.js';

export interface ReconcilerOptions {
  store: Store;
  webhooks: Pick<WebhookManager, 'sync'>;
  log: Logger;
  /** Between passes; null: no background passes (`pass()` still works). */
  intervalMs: number | null;
  /** Random delay added to each wait, so replicas and restarts spread out. */
  jitterMs: number;
  /** Repair what a pass finds (re-register, update at the vendor), not only report it. */
  repair: boolean;
}

/** What one pass did, for logs and tests. */
export interface PassSummary {
  /** False when another replica held the lock: this one did nothing. */
  ran: boolean;
  tenants: number;
  reports: number;
  /** Tenant × provider syncs that failed (the vendor unreachable, credentials refused): logged, retried next pass. */
  failures: number;
}

const LOCK = 'hookgraph/reconciler';

/**
 * The background reconciler: every `intervalMs` (+ jitter), one replica at a time (store/locks.ts), each connected
 * tenant's webhooks of each provider are reconciled with the vendor (manage/sync.ts), and what it finds is published
 * as `hookgraph.webhook.*` events of the tenant. A vendor that fails is logged and tried again next pass; one tenant's
 * failure never stops the others.
 */
export function createReconciler({ store, webhooks, log, intervalMs, jitterMs, repair }: ReconcilerOptions) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<PassSummary> | null = null;
  let stopped = false;

  async function reconcileAll(): Promise<PassSummary> {
    const summary: PassSummary = { ran: true, tenants: 0, reports: 0, failures: 0 };
    for (const tenant of await store.tenants.list()) {
      if (stopped) break;
      const connections = await store.connections.list(tenant.id);
      if (connections.length > 0) summary.tenants++;
      for (const { provider } of connections) {
        if (stopped) break;
        try {
          const report: SyncReport = await webhooks.sync(tenant.id, provider, { repair });
          summary.reports++;
          const changed =
            report.adopted.length + report.missing.length + report.deleted.length + report.drifted.length + report.repaired.length;
          if (changed > 0 || report.failed.length > 0)
            log.info(
              {
                tenant: tenant.id,
                provider,
                adopted: report.adopted.length,
                missing: report.missing.length,
                deleted: report.deleted.length,
                drifted: report.drifted.length,
                repaired: report.repaired.length,
                failed: report.failed.length,
              },
              'reconciliation found differences',
            );
        } catch (error) {
          summary.failures++;
          log.warn(
            { tenant: tenant.id, provider, err: error instanceof Error ? { name: error.name, message: error.message } : error },
            'reconciliation failed; retrying next pass',
          );
        }
      }
    }
    return summary;
  }

  /** One pass now, if no other replica is in one; concurrent calls here share it. */
  function pass(): Promise<PassSummary> {
    running ??= store.locks
      .run(LOCK, reconcileAll)
      .then((s) => s ?? { ran: false, tenants: 0, reports: 0, failures: 0 })
      .finally(() => {
        running = null;
      });
    return running;
  }

  function schedule() {
    if (intervalMs === null || stopped) return;
    timer = setTimeout(
      () => {
        void pass()
          .catch((error: unknown) => log.error({ err: error }, 'reconciliation pass failed'))
          .finally(schedule);
      },
      intervalMs + Math.floor(Math.random() * (jitterMs + 1)),
    );
    timer.unref();
  }

  return {
    pass,
    start(): void {
      stopped = false;
      schedule();
    },
    /** Stops scheduling and waits for a pass in progress (it stops between vendor calls). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}
export type Reconciler = ReturnType<typeof createReconciler>;
