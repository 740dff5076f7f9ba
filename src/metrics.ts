import { readFileSync } from 'node:fs';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/*
 * Prometheus metrics, one registry per app so tests and replicas in one process stay apart.
 *
 * Every label value is bounded: providers (5 and `unknown`), HTTP statuses, status classes, refusal
 * reasons (a fixed list), transports. Never a webhook id, a tenant id or anything a sender chose.
 * GraphQL operations are measured by the yoga Prometheus plugin on the same registry (graphql/use-metrics.ts).
 */

/** The transports whose open connections are counted at scrape time. */
export type ConnectionTransport = 'http' | 'graphql-ws';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const connectionSources = new Map<ConnectionTransport, () => number>();

  new Gauge({
    name: 'hookgraph_build_info',
    help: 'Always 1; the labels say which hookgraph and which Node.js run',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: packageVersion(), node: process.versions.node }, 1);

  return {
    registry,
    deliveries: new Counter({
      name: 'hookgraph_deliveries_total',
      help: 'Deliveries answered, by provider and HTTP status (provider "unknown" when no webhook matched)',
      labelNames: ['provider', 'status'],
      registers: [registry],
    }),
    // Apart from hookgraph_deliveries_total so an accepted delivery costs no more than it did (no third label
    // to hash on the hot path) and the existing series keep their names.
    deliveryRefusals: new Counter({
      name: 'hookgraph_delivery_refusals_total',
      help: 'Deliveries refused (4xx), by provider, HTTP status and reason',
      labelNames: ['provider', 'status', 'reason'],
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'hookgraph_delivery_seconds',
      help: 'Time from request to answer on the ingest route',
      labelNames: ['provider'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    eventsStored: new Counter({
      name: 'hookgraph_events_stored_total',
      help: 'Events committed to the log',
      labelNames: ['provider'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'hookgraph_duplicate_events_total',
      help: 'Events delivered again (a vendor retry or replay) and not stored twice',
      labelNames: ['provider'],
      registers: [registry],
    }),
    eventsPruned: new Counter({
      name: 'hookgraph_events_pruned_total',
      help: 'Events deleted by retention',
      registers: [registry],
    }),
    commitRows: new Histogram({
      name: 'hookgraph_commit_rows',
      help: 'Events per group commit on the ingest path (the batch grows with the load)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'hookgraph_commit_seconds',
      help: 'Time to append one group commit, fsync included',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    vendorCalls: new Counter({
      name: 'hookgraph_vendor_calls_total',
      help: 'Vendor API attempts, by provider and status',
      labelNames: ['provider', 'status'],
      registers: [registry],
    }),
    vendorCallSeconds: new Histogram({
      name: 'hookgraph_vendor_call_seconds',
      help: 'Vendor API attempt latency, by provider and status class (2xx…5xx, or network)',
      labelNames: ['provider', 'status_class'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    subscriptions: new Gauge({
      name: 'hookgraph_subscriptions_active',
      help: 'GraphQL subscriptions open now, by transport (graphql-ws, sse); an SSE subscription is its own HTTP stream',
      labelNames: ['transport'],
      registers: [registry],
    }),
    /** Open connections are read when scraped (no bookkeeping per connection): register where to read them. */
    countConnections(transport: ConnectionTransport, count: () => number): void {
      connectionSources.set(transport, count);
    },
    openConnections: new Gauge({
      name: 'hookgraph_open_connections',
      help: 'Open connections, by transport: http (every TCP connection to the main port) and graphql-ws (WebSockets)',
      labelNames: ['transport'],
      registers: [registry],
      collect() {
        for (const [transport, count] of connectionSources) this.set({ transport }, count());
      },
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** `2xx`…`5xx` for an HTTP status, `network` when no answer came (a bounded label, unlike the status itself). */
export function statusClass(status: number | null | undefined): string {
  return typeof status === 'number' && status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'network';
}

let version: string | undefined;

/** package.json's version; the same relative path from src/ (tsx) and dist/ (compiled). */
function packageVersion(): string {
  if (version === undefined) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
      const v = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['version'] : undefined;
      version = typeof v === 'string' ? v : 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
