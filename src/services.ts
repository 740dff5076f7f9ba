import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { formatDeliveryUrl } from './domain/delivery-url.js';
import { type ProviderKey, providerKeys, providerSlug } from './domain/provider-key.js';
import { createOffThreadDecoder } from './ingest/off-thread.js';
import { createAccess } from './manage/access.js';
import { createConnectionManager } from './manage/connections.js';
import { createFindings } from './manage/findings.js';
import { createReconciler, type Reconciler } from './manage/reconciler.js';
import { createSandboxEvents } from './manage/sandbox-events.js';
import { createWebhookManager } from './manage/webhooks.js';
import { createMetrics, type Metrics, statusClass } from './metrics.js';
import { createHostGuard } from './providers/host-guard.js';
import { createHttpClient, type HttpClient } from './providers/http.js';
import { createEventBus } from './stream/bus.js';
import { createSandbox, SANDBOX_PREFIX, type Sandbox } from './sandbox/index.js';
import type { Services } from './schema/context.js';
import { createCursorCodec } from './schema/ids.js';
import { resolveSecretKey } from './secret-key.js';
import { createPruner, type Pruner } from './store/retention.js';
import { createStore } from './store/store.js';

export interface ServiceOptions {
  /** The origin this process answers on (its bound loopback origin): the sandbox's vendors deliver to it. */
  origin: string;
  log: Logger;
  /** Vendor transport for every connector (an undici MockAgent in tests). */
  dispatcher?: Dispatcher | undefined;
}

/** The long-lived services and what the HTTP layer mounts beside them. */
export interface ServiceGraph {
  /** What resolvers see (schema/context.ts). */
  services: Services;
  metrics: Metrics;
  retention: Pruner;
  /** Background reconciliation of every tenant's webhooks with its vendors (manage/reconciler.ts). */
  reconciler: Reconciler;
  /** Starts the background jobs: retention passes and reconciliation passes. */
  startBackground(): void;
  /** The simulated vendors' HTTP side, mounted under /sandbox/ when HOOKGRAPH_SANDBOX is on. */
  sandbox: Sandbox | null;
  decoder: ReturnType<typeof createOffThreadDecoder>;
  close(): Promise<void>;
}

/** The object graph: store, bus, vendor HTTP clients, managers and the sandbox. No HTTP server here. */
export async function createServices(config: Readonly<Config>, { origin, log, dispatcher }: ServiceOptions): Promise<ServiceGraph> {
  const { key, origin: keyOrigin } = resolveSecretKey(config.secretKey, config.dataDir);
  const metrics = createMetrics();
  const store = await createStore({
    databaseUrl: config.databaseUrl,
    secretKey: key,
    pgSchema: config.pgSchema,
    keyOrigin,
    onCommit: (rows, seconds) => {
      metrics.commitRows.observe(rows);
      metrics.commitSeconds.observe(seconds);
    },
    // Webhook.health's counts: flushed once a second and at close (store/health.ts).
    health: {
      windowHours: config.healthWindowHours,
      onError: (error) => log.warn({ err: error }, 'could not write webhook health counts; they go with the next flush'),
    },
  });
  const bus = createEventBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log });
  const retention = createPruner({ store, retentionMs: config.retentionMs, log, onPass: (r) => metrics.eventsPruned.inc(r.rows) });
  const publicOrigin = config.publicUrl ?? origin;
  // Sandbox accounts persist in the database; the vendors deliver only to this gateway's own /hooks URLs.
  const sandbox = config.sandbox ? createSandbox({ store: store.sandbox, gatewayOrigins: () => [config.publicUrl, origin] }) : null;
  // Loopback is reachable only at the gateway's own origin, under /sandbox/, and only while the sandbox is mounted.
  const { assertAllowedUrl, lookup } = createHostGuard({
    allowedHosts: config.allowedHosts,
    sandboxOrigin: () => (sandbox ? origin : null),
    sandboxPathPrefix: SANDBOX_PREFIX,
  });
  const httpClients = new Map<ProviderKey, HttpClient>(
    providerKeys.map((p) => [
      p,
      createHttpClient(p, {
        ...(dispatcher && { dispatcher }),
        timeoutMs: config.vendorTimeoutMs,
        assertAllowedUrl,
        lookup,
        maxResponseBytes: config.limits.vendorMaxResponseBytes,
        onAttempt: (a) => {
          metrics.vendorCalls.inc({ provider: a.provider, status: String(a.status ?? 'network') });
          metrics.vendorCallSeconds.observe({ provider: a.provider, status_class: statusClass(a.status) }, a.ms / 1000);
          log.debug(
            { provider: a.provider, method: a.method, path: a.url, status: a.status, attempt: a.attempt, ms: Math.round(a.ms) },
            'vendor call',
          );
        },
      }),
    ]),
  );
  const connections = createConnectionManager({ store, httpFor: (p) => httpClients.get(p) as HttpClient, assertAllowedUrl });
  const sandboxEvents =
    sandbox && createSandboxEvents({ store, vendors: sandbox.vendors, mountUrl: (p) => `${origin}${SANDBOX_PREFIX}${providerSlug(p)}` });
  const deliveryUrl = (id: string, token: string) => formatDeliveryUrl(publicOrigin, id, token);
  const decoder = createOffThreadDecoder();
  const access = createAccess({ apiKeys: store.apiKeys, bus, secretKey: key });
  await access.start();
  const webhooks = createWebhookManager({
    store,
    connections,
    deliveryUrl,
    testFallback: sandboxEvents?.test ?? null,
    findings: createFindings({ store, bus }),
    sync: { absencesBeforeDelete: config.reconcileAbsences, pendingGraceMs: Math.max(60_000, 3 * config.vendorTimeoutMs) },
  });
  const reconciler = createReconciler({
    store,
    webhooks,
    log,
    intervalMs: config.reconcileIntervalMs,
    jitterMs: config.reconcileJitterMs,
    repair: config.reconcileRepair,
  });
  return {
    services: {
      config,
      store,
      bus,
      connections,
      webhooks,
      deliveryUrl,
      sandbox: sandboxEvents,
      cursors: createCursorCodec(key),
      access,
    },
    metrics,
    retention,
    reconciler,
    startBackground() {
      retention.start();
      reconciler.start();
    },
    sandbox,
    decoder,
    async close() {
      access.close();
      await reconciler.stop();
      await retention.stop();
      await decoder.close();
      await bus.close();
      await store.close();
    },
  };
}
