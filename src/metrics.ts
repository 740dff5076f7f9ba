import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics, one registry per app so tests and replicas in one process stay apart. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    deliveries: new Counter({
      name: 'hookgraph_deliveries_total',
      help: 'Deliveries answered, by provider and HTTP status',
      labelNames: ['provider', 'status'],
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
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
