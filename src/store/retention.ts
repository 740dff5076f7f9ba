import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db.js';
import type { EventStore } from './events.js';
import type { Database } from './tables.js';
import type { TenantStore } from './tenants.js';
import type { TenantRetention } from '../domain/tenant.js';

/**
 * Retention: events older than their tenant's window are deleted in the background, so the log stops
 * growing forever.
 *
 * - The window: the tenant's own (`tenants.retention_ms`, set with `store.tenants.setRetention`), else the
 *   gateway's HOOKGRAPH_RETENTION (config.retentionMs; null keeps everything). `'forever'` keeps a tenant's
 *   events whatever the default.
 * - A pass every `intervalMs` (jittered, so replicas started together drift apart) walks the tenants and
 *   deletes each one's expired events in batches of `batchSize`, oldest first: one short transaction per
 *   batch, a turn of the event loop between two. On a SQLite file the batches run on the event writer
 *   thread between appends (the file's only writer: no lock waits, and nothing runs on the HTTP thread);
 *   on PostgreSQL they take no lock an append waits for, and one replica at a time runs a pass (a session
 *   advisory lock per schema; a replica that finds it taken skips that pass).
 * - Each batch moves the tenant's horizon (`tenants.pruned_through_seq`, the highest seq deleted) in its
 *   own transaction: a cursor below the horizon is expired (CURSOR_EXPIRED), never silently short.
 */
export interface PruneReport {
  /** Events deleted in this pass. */
  rows: number;
  /** Transactions that deleted events. */
  batches: number;
  /** Tenants with a retention window, and of them those that had events deleted. */
  tenants: number;
  tenantsPruned: number;
  /** Wall time of the pass. */
  ms: number;
  /** Time spent in batches (holding the SQLite writer, or in PostgreSQL transactions), and the longest one. */
  busyMs: number;
  maxBatchMs: number;
  /** Another replica held the pass lock: nothing was done. */
  skipped: boolean;
}

export interface PruneOptions {
  /** Events deleted per transaction. @default the pruner's batchSize */
  batchSize?: number;
}

export interface Pruner {
  /** Starts the background passes (the first one a jittered interval from now). */
  start(): void;
  /** Stops the passes; a pass in progress ends after its current batch. */
  stop(): Promise<void>;
  /** Runs a pass now (after any pass in progress) and reports it. */
  pruneOnce(options?: PruneOptions): Promise<PruneReport>;
}

/** Where a pass is reported (a pino logger fits). */
export interface RetentionLog {
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** What the pruner needs of the store (a subset of Store, so tests can hand it one). */
export interface RetentionStore {
  dialect: Dialect;
  kysely: Kysely<Database>;
  tenants: Pick<TenantStore, 'list'>;
  events: Pick<EventStore, 'pruneBatch'>;
}

/** The window that applies to a tenant, in ms, or null when its events are kept. */
export function effectiveRetention(tenant: TenantRetention, gatewayDefault: number | null): number | null {
  if (tenant === 'forever') return null;
  return tenant ?? gatewayDefault;
}

/** `30d`, `12h`, `90m`, `45s` or `1500ms`: a window as HOOKGRAPH_RETENTION spells it. */
export function formatRetention(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function createPruner({
  store,
  retentionMs,
  log,
  intervalMs = 60_000,
  batchSize = 200,
  busyShare = 0.2,
  now = () => Date.now(),
  onPass,
}: {
  store: RetentionStore;
  /** The gateway's window (config.retentionMs); null keeps the events of tenants without their own. */
  retentionMs: number | null;
  log: RetentionLog;
  /** Mean time between passes; each wait is drawn from ±25% of it. @default 60 s */
  intervalMs?: number;
  /**
   * Events per transaction: the longest an append waits behind a batch. 200 rows (and their dedup
   * entries) take 2–5 ms on SQLite under load; 500 took 15 ms and more (bench/retention.ts). @default 200
   */
  batchSize?: number;
  /**
   * The most of its time a pass spends in batches: after each one it waits (1 / busyShare − 1) times as long
   * as the batch took, seen from here (queueing behind appends included, so a busy writer slows it more).
   * Deliveries keep the rest of the writer thread (SQLite) or of the disk (PostgreSQL). @default 0.2
   */
  busyShare?: number;
  now?: () => number;
  /** Called after every pass (metrics). */
  onPass?: (report: PruneReport) => void;
}): Pruner {
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  /** The pass in progress, which stop() cancels after its current batch (or during its pause). */
  let running: AbortController | null = null;
  // Passes run one after another: a pass asked for while another runs starts when it ends.
  let last: Promise<unknown> = Promise.resolve();

  async function pass({ batchSize: size = batchSize }: PruneOptions): Promise<PruneReport> {
    const started = performance.now();
    const report: PruneReport = { rows: 0, batches: 0, tenants: 0, tenantsPruned: 0, ms: 0, busyMs: 0, maxBatchMs: 0, skipped: false };
    const self = new AbortController();
    running = self;
    const cancelled = self.signal;
    const ran = await exclusively(store, async () => {
      const at = now();
      for (const tenant of await store.tenants.list()) {
        const window = effectiveRetention(tenant.retention, retentionMs);
        if (window === null) continue;
        report.tenants++;
        const before = new Date(at - window);
        let pruned = false;
        for (let more = true; more && !cancelled.aborted; ) {
          const t0 = performance.now();
          const batch = await store.events.pruneBatch(tenant.id, before, size);
          more = batch.more;
          if (batch.rows === 0) break;
          pruned = true;
          report.rows += batch.rows;
          report.batches++;
          report.busyMs += batch.ms;
          report.maxBatchMs = Math.max(report.maxBatchMs, batch.ms);
          // Paced by the time seen from here: queueing behind appends counts, so a busy writer slows pruning.
          const took = performance.now() - t0;
          // Deliveries and readers go first: the next batch waits for a turn of the event loop at least, and
          // long enough that pruning takes no more than busyShare of the writer.
          const pause = took * (1 / busyShare - 1);
          if (more && pause >= 1) await sleep(pause, undefined, { signal: cancelled }).catch(() => {});
          else await nextTurn();
        }
        if (pruned) report.tenantsPruned++;
        if (cancelled.aborted) break;
      }
    }).finally(() => {
      if (running === self) running = null;
    });
    report.skipped = ran === SKIPPED;
    report.ms = performance.now() - started;
    const line = {
      rows: report.rows,
      batches: report.batches,
      tenants: report.tenants,
      tenantsPruned: report.tenantsPruned,
      ms: Math.round(report.ms),
      busyMs: Math.round(report.busyMs),
      maxBatchMs: Math.round(report.maxBatchMs * 10) / 10,
      ...(report.skipped && { skipped: 'another replica holds the retention lock' }),
    };
    if (report.rows > 0) log.info(line, 'retention pass');
    else log.debug(line, 'retention pass');
    onPass?.(report);
    return report;
  }

  function pruneOnce(options: PruneOptions = {}): Promise<PruneReport> {
    const run = last.then(() => pass(options));
    last = run.catch(() => {});
    return run;
  }

  function schedule(): void {
    if (stopped) return;
    const wait = intervalMs * (0.75 + Math.random() * 0.5);
    timer = setTimeout(() => {
      timer = null;
      pruneOnce()
        .catch((error: unknown) => log.warn({ err: error }, 'retention pass failed; the next pass retries'))
        .finally(schedule);
    }, wait);
    // The passes never keep the process alive.
    timer.unref();
  }

  return {
    start() {
      stopped = false;
      if (timer === null) schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      running?.abort();
      await last;
    },
    pruneOnce,
  };
}

const SKIPPED = Symbol('skipped');
const RAN = Symbol('ran');

/**
 * Runs `fn` as the only pass among the replicas: on PostgreSQL under a session advisory lock, tried and not
 * waited for (SKIPPED when another replica holds it), keyed by the schema so deployments sharing a server
 * (and parallel test databases) do not exclude each other. SQLite serves one process: `fn` just runs.
 */
async function exclusively(store: RetentionStore, fn: () => Promise<void>): Promise<typeof RAN | typeof SKIPPED> {
  if (store.dialect !== 'postgres') {
    await fn();
    return RAN;
  }
  // One pinned connection holds the lock (a session lock is the connection's); the batches use the pool.
  return store.kysely.connection().execute(async (conn) => {
    const key = sql`hashtext('hookgraph-retention:' || coalesce(current_schema(), ''))`;
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(conn);
    if (rows[0]?.locked !== true) return SKIPPED;
    try {
      await fn();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
    return RAN;
  });
}
