import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Dialect } from './db.js';
import type { Database, WebhookHealthTable } from './tables.js';

/**
 * Why a delivery to an existing webhook was not accepted: a closed list (ingest/health-counter.ts maps the route's
 * finer RefusalReason onto it), one column each in `webhook_health` (a new reason takes a migration).
 */
export const HEALTH_REASONS = [
  'bad_token',
  'bad_signature',
  'too_large',
  'unsupported_type',
  'unparsable',
  'normalizer',
  'incomplete',
  'unavailable',
  'internal',
] as const;
export type HealthReason = (typeof HEALTH_REASONS)[number];

export interface RefusalCount {
  reason: HealthReason;
  count: number;
}

/** A webhook's deliveries over the window (the current hour and the `windowHours` before it). */
export interface WebhookHealth {
  /** `24h`. */
  window: string;
  lastDeliveryAt: Date | null;
  /** The newest delivery that stored at least one new event. */
  lastEventAt: Date | null;
  /** Deliveries that reached the webhook, whatever their outcome. */
  deliveries: number;
  /** Events stored. */
  accepted: number;
  /** Events already stored (a vendor's retry), acknowledged and dropped. */
  duplicates: number;
  /** Deliveries answered with an error. */
  refused: number;
  /** The refused deliveries by reason, most frequent first; reasons with none are left out. */
  refusedByReason: RefusalCount[];
  vendorFailures: number;
  lastVendorError: string | null;
  lastVendorErrorAt: Date | null;
}

/** What counts are kept against: a webhook of a tenant (StoredWebhook fits). */
export interface HealthSubject {
  tenantId: string;
  id: string;
}

export interface HealthOptions {
  /** Hours of buckets before the current one that a read sums and the table keeps; 0 turns counting off. @default 24 */
  windowHours?: number;
  /** The longest counts wait in memory before they are written. @default 1_000 */
  flushMs?: number;
  /** Webhooks counted in memory at once before a flush is started early. @default 10_000 */
  maxPending?: number;
  /** A flush that failed (its counts are kept for the next one). */
  onError?: (error: unknown) => void;
  /** @default Date.now */
  now?: () => number;
}

/** A webhook_health row as a flush writes it: every column given. */
export type HealthRow = Selectable<WebhookHealthTable>;

/**
 * Where a flush's rows go: Kysely statements on PostgreSQL (createPostgresHealthWrites), or
 * prepared statements on SQLite's event writer thread (sqlite/health-writer.ts via writer-thread.ts).
 */
export interface HealthWrites {
  /**
   * Adds rows to their hours (upsertAssignments), all or none of them. At most ROWS_PER_STATEMENT rows a call, one
   * webhook each.
   */
  upsert(rows: readonly HealthRow[]): Promise<void>;
  /** Deletes the hours that start before `before` (ISO). */
  prune(before: string): Promise<void>;
}

const HOUR = 3_600_000;
/** Counts read back are GraphQL Ints. */
const MAX_INT = 2_147_483_647;
/** A vendor failure's message is hookgraph's own (a ProviderError's), bounded all the same. */
export const MAX_VENDOR_ERROR_CHARS = 300;
/**
 * Rows per upsert (a statement of 20 parameters a row on PostgreSQL; a transaction on SQLite). A 1,000-row statement
 * held SQLite's HTTP thread 12–20 ms when it ran there, and on the writer thread it holds up the appends queued behind
 * it, so a larger flush goes in several, with the event loop (and the writer's queue) taking turns between them.
 */
const ROWS_PER_STATEMENT = 250;
/** Webhook ids per read statement. */
const IDS_PER_READ = 500;

type Row = HealthRow;
type CountColumn = 'deliveries' | 'accepted' | 'duplicates' | 'vendor_failures' | `refused_${HealthReason}`;
const COUNT_COLUMNS: readonly CountColumn[] = [
  'deliveries',
  'accepted',
  'duplicates',
  ...HEALTH_REASONS.map((r) => `refused_${r}` as const),
  'vendor_failures',
];
type TimeColumn = 'last_delivery_at' | 'last_event_at' | 'last_vendor_error_at';
/** The columns an upsert merges (the rest are the key and the tenant). */
type MergedColumn = Exclude<keyof WebhookHealthTable, 'hour_start' | 'webhook_id' | 'tenant_id'>;
/** webhook_health's columns, in the order of a row sent to SQLite's writer thread (sqlite/health-writer.ts). */
export const HEALTH_COLUMNS: readonly (keyof WebhookHealthTable)[] = [
  'hour_start',
  'webhook_id',
  'tenant_id',
  ...COUNT_COLUMNS,
  'last_delivery_at',
  'last_event_at',
  'last_vendor_error',
  'last_vendor_error_at',
];

/**
 * What an upsert sets on a row already there, column by column, as SQL over `webhook_health` (the row) and
 * `excluded` (the one written): counts added, the newer of two timestamps kept, the vendor message with the newer
 * failure time. The one definition of the merge, for the Kysely statement below and SQLite's prepared one.
 */
export function upsertAssignments(dialect: Dialect): Array<[column: MergedColumn, value: string]> {
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';
  // The newer of two timestamps, either of which may be null (SQLite's max() is null if any argument is).
  const newest = (c: TimeColumn) =>
    `${greatest}(coalesce(webhook_health.${c}, excluded.${c}), coalesce(excluded.${c}, webhook_health.${c}))`;
  return [
    ...COUNT_COLUMNS.map((c): [CountColumn, string] => [c, `webhook_health.${c} + excluded.${c}`]),
    ['last_delivery_at', newest('last_delivery_at')],
    ['last_event_at', newest('last_event_at')],
    // Set clauses all read the row as it was: the message goes with the newer of the two failure times.
    [
      'last_vendor_error',
      'case when excluded.last_vendor_error_at is not null and (webhook_health.last_vendor_error_at is null or excluded.last_vendor_error_at >= webhook_health.last_vendor_error_at) then excluded.last_vendor_error else webhook_health.last_vendor_error end',
    ],
    ['last_vendor_error_at', newest('last_vendor_error_at')],
  ];
}

/** Health's writes on PostgreSQL: Kysely statements on the store's pool (there a write is a round trip). */
export function createPostgresHealthWrites(db: Kysely<Database>): HealthWrites {
  const onConflictSet = Object.fromEntries(upsertAssignments('postgres').map(([c, value]) => [c, sql.raw(value)])) as Record<
    MergedColumn,
    RawBuilder<never>
  >;
  return {
    async upsert(rows) {
      await db
        .insertInto('webhook_health')
        .values([...rows])
        .onConflict((oc) => oc.columns(['hour_start', 'webhook_id']).doUpdateSet(onConflictSet))
        .execute();
    },
    async prune(before) {
      await db.deleteFrom('webhook_health').where('hour_start', '<', before).execute();
    },
  };
}

/** One webhook's counts since the last flush. */
interface Tally {
  tenantId: string;
  /** The hour (ms, UTC) of its first count: a flush's counts go to one bucket, so at most one interval lands late. */
  hour: number;
  deliveries: number;
  accepted: number;
  duplicates: number;
  refused: Map<HealthReason, number> | null;
  lastDelivery: number;
  /** 0: no new event yet. */
  lastEvent: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;
const clamp = (n: number) => Math.min(Math.max(0, n), MAX_INT);
const zeroRow = (hourStart: string, webhookId: string, tenantId: string): Row => ({
  hour_start: hourStart,
  webhook_id: webhookId,
  tenant_id: tenantId,
  ...(Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Record<CountColumn, number>),
  last_delivery_at: null,
  last_event_at: null,
  last_vendor_error: null,
  last_vendor_error_at: null,
});

/** hookgraph's own message, one line, at most MAX_VENDOR_ERROR_CHARS characters (whole code points). */
export function boundVendorError(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const line = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= MAX_VENDOR_ERROR_CHARS ? line : `${chars.slice(0, MAX_VENDOR_ERROR_CHARS - 1).join('')}…`;
}

/**
 * Webhook health: the ingest route counts each delivery to an existing webhook here, in memory (a Map lookup and
 * an add: nothing on the delivery's path waits for the database), and the counts go to the `webhook_health` table,
 * one row per hour and webhook, in one upsert per flush for every webhook counted since the last (several statements
 * past ROWS_PER_STATEMENT webhooks): a flush runs `flushMs` after the first count that follows the previous one, and
 * on close. Each upsert adds to the hour's counts, so any number of replicas count into the same rows. On a SQLite
 * file the rows go to the event writer thread (`writes`, sqlite/health-writer.ts), which upserts them between two
 * appends: the HTTP thread builds the rows and posts them, and never waits for the file's write lock
 * (bench/README.md, "Webhook health counting").
 *
 * A crash (or a kill -9) loses the counts not yet flushed: at most the last `flushMs` (one second) of them. Health
 * is an operator's view, not a ledger; the events themselves are durable before their 200.
 *
 * Hours older than the window are deleted by the first flush of each hour.
 */
export function createHealthStore(
  db: Kysely<Database>,
  writes: HealthWrites,
  { windowHours = 24, flushMs = 1_000, maxPending = 10_000, onError = () => {}, now = Date.now }: HealthOptions = {},
) {
  const enabled = windowHours > 0;
  let pending = new Map<string, Tally>();
  let timer: NodeJS.Timeout | null = null;
  /** Flushes run one after another. */
  let chain: Promise<void> = Promise.resolve();
  let prunedHour = Number.NaN;
  let closed = false;

  function schedule(): void {
    timer = setTimeout(() => void flush(), flushMs);
    // Counting never keeps the process alive: close() flushes what is left.
    timer.unref();
  }

  function tallyOf(w: HealthSubject, at: number): Tally {
    let t = pending.get(w.id);
    if (t === undefined) {
      t = {
        tenantId: w.tenantId,
        hour: hourOf(at),
        deliveries: 0,
        accepted: 0,
        duplicates: 0,
        refused: null,
        lastDelivery: at,
        lastEvent: 0,
      };
      pending.set(w.id, t);
      if (pending.size >= maxPending) void flush();
      else if (timer === null) schedule();
    }
    return t;
  }

  function rowOf(webhookId: string, t: Tally): Row {
    const row = zeroRow(iso(t.hour), webhookId, t.tenantId);
    row.deliveries = t.deliveries;
    row.accepted = t.accepted;
    row.duplicates = t.duplicates;
    for (const [reason, n] of t.refused ?? []) row[`refused_${reason}`] = n;
    row.last_delivery_at = iso(t.lastDelivery);
    row.last_event_at = t.lastEvent > 0 ? iso(t.lastEvent) : null;
    return row;
  }

  /**
   * Adds rows to their hours, ROWS_PER_STATEMENT at a time (one upsert for any ordinary second). Between two the event
   * loop takes a turn (an in-memory SQLite database writes on this thread; deliveries go on between them), and on the
   * writer thread the appends sent meanwhile commit between them. Returns how many rows were written before an upsert
   * failed, with its error, so only the rest is kept for the next flush.
   */
  async function upsert(rows: readonly Row[]): Promise<{ written: number; error?: unknown }> {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      if (i > 0) await new Promise((turn) => setImmediate(turn));
      try {
        await writes.upsert(rows.slice(i, i + ROWS_PER_STATEMENT));
      } catch (error) {
        return { written: i, error };
      }
    }
    return { written: rows.length };
  }

  /** Puts counts that could not be written back, to go with the next flush. */
  function keep(unwritten: ReadonlyArray<readonly [string, Tally]>): void {
    for (const [id, t] of unwritten) {
      const into = pending.get(id);
      if (into === undefined) {
        pending.set(id, t);
        continue;
      }
      into.deliveries += t.deliveries;
      into.accepted += t.accepted;
      into.duplicates += t.duplicates;
      into.lastDelivery = Math.max(into.lastDelivery, t.lastDelivery);
      into.lastEvent = Math.max(into.lastEvent, t.lastEvent);
      for (const [reason, n] of t.refused ?? []) {
        into.refused ??= new Map();
        into.refused.set(reason, (into.refused.get(reason) ?? 0) + n);
      }
    }
  }

  async function write(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = new Map();
    // A store that counts nothing (the CLI's, a replica without deliveries) writes nothing, not even the pruning.
    if (batch.size === 0) return;
    const entries = [...batch];
    const { written, error } = await upsert(entries.map(([id, t]) => rowOf(id, t)));
    if (written < entries.length) {
      keep(entries.slice(written));
      onError(error);
      if (!closed && timer === null) schedule();
      return;
    }
    const hour = hourOf(now());
    if (hour === prunedHour) return;
    prunedHour = hour;
    try {
      await writes.prune(iso(hour - windowHours * HOUR));
    } catch (error) {
      // The next hour's first flush tries again; reads never sum hours outside the window anyway.
      onError(error);
    }
  }

  /** Writes the counts held in memory now (after any flush under way). */
  function flush(): Promise<void> {
    const run = chain.then(write);
    chain = run.catch(() => {});
    return run;
  }

  function healthOf(rows: readonly Selectable<WebhookHealthTable>[]): WebhookHealth {
    const sum = (c: CountColumn) => clamp(rows.reduce((n, r) => n + Number(r[c]), 0));
    const latest = (c: 'last_delivery_at' | 'last_event_at' | 'last_vendor_error_at') =>
      rows.reduce<Selectable<WebhookHealthTable> | null>(
        (best, r) => (r[c] !== null && (best === null || (r[c] as string) > (best[c] as string)) ? r : best),
        null,
      );
    const refusedByReason = HEALTH_REASONS.map((reason) => ({ reason, count: sum(`refused_${reason}`) }))
      .filter((r) => r.count > 0)
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    const failure = latest('last_vendor_error_at');
    return {
      window: `${windowHours}h`,
      lastDeliveryAt: ((at) => (at ? new Date(at) : null))(latest('last_delivery_at')?.last_delivery_at),
      lastEventAt: ((at) => (at ? new Date(at) : null))(latest('last_event_at')?.last_event_at),
      deliveries: sum('deliveries'),
      accepted: sum('accepted'),
      duplicates: sum('duplicates'),
      refused: clamp(refusedByReason.reduce((n, r) => n + r.count, 0)),
      refusedByReason,
      vendorFailures: sum('vendor_failures'),
      lastVendorError: failure?.last_vendor_error ?? null,
      lastVendorErrorAt: failure?.last_vendor_error_at ? new Date(failure.last_vendor_error_at) : null,
    };
  }

  return {
    /** Off (HOOKGRAPH_HEALTH_WINDOW_HOURS=0): nothing is counted and `Webhook.health` is null. */
    enabled,
    windowHours,

    /** A delivery to `webhook` was acknowledged: `stored` new events, `duplicates` already stored. */
    delivered(webhook: HealthSubject, stored: number, duplicates: number): void {
      if (!enabled || closed) return;
      const at = now();
      const t = tallyOf(webhook, at);
      t.deliveries++;
      t.lastDelivery = at;
      if (stored > 0) {
        t.accepted += stored;
        t.lastEvent = at;
      }
      t.duplicates += duplicates;
    },

    /** A delivery to `webhook` (an existing one: unknown ids are never counted) was refused. */
    refused(webhook: HealthSubject, reason: HealthReason): void {
      if (!enabled || closed) return;
      const at = now();
      const t = tallyOf(webhook, at);
      t.deliveries++;
      t.lastDelivery = at;
      t.refused ??= new Map();
      t.refused.set(reason, (t.refused.get(reason) ?? 0) + 1);
    },

    /**
     * A vendor call about `webhookId` failed (manage/: reconcile, status checks). `message` is hookgraph's own
     * (a ProviderError's), never a vendor body; it is kept to MAX_VENDOR_ERROR_CHARS. Written at once: it is rare.
     */
    async recordVendorFailure(tenantId: string, webhookId: string, message: string): Promise<void> {
      if (!enabled) return;
      const at = now();
      const row = zeroRow(iso(hourOf(at)), webhookId, tenantId);
      row.vendor_failures = 1;
      row.last_vendor_error = boundVendorError(message);
      row.last_vendor_error_at = iso(at);
      const { error } = await upsert([row]);
      if (error !== undefined) throw error;
    },

    flush,

    /**
     * The health of the tenant's webhooks among `webhookIds`, one entry per id (zeros for a webhook with no
     * counts). Only the tenant's own rows are read.
     */
    async read(tenantId: string, webhookIds: readonly string[]): Promise<Map<string, WebhookHealth>> {
      const ids = [...new Set(webhookIds)];
      const current = hourOf(now());
      // Both halves of the key as lists: the rows read are the window's hours of these webhooks, nothing else.
      const hours = Array.from({ length: windowHours + 1 }, (_, i) => iso(current - i * HOUR));
      const rowsById = new Map<string, Selectable<WebhookHealthTable>[]>(ids.map((id) => [id, []]));
      for (let i = 0; i < ids.length; i += IDS_PER_READ) {
        const rows = await db
          .selectFrom('webhook_health')
          .selectAll()
          .where('hour_start', 'in', hours)
          .where('webhook_id', 'in', ids.slice(i, i + IDS_PER_READ))
          .where('tenant_id', '=', tenantId)
          .execute();
        for (const r of rows) rowsById.get(r.webhook_id)?.push(r);
      }
      return new Map([...rowsById].map(([id, rows]) => [id, healthOf(rows)]));
    },

    /** Flushes what is counted and stops counting. */
    async close(): Promise<void> {
      if (closed) return;
      // Counting stops first; the last flush still writes what was counted (and is not retried).
      closed = true;
      await flush();
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
export type HealthStore = ReturnType<typeof createHealthStore>;
