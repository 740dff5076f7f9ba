import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { AppendedEvent, NewEvent, StoredEvent } from '../domain/event.js';
import type { EventFilter } from '../domain/event-filter.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { TenantRetention } from '../domain/tenant.js';
import { createGroupCommit, type GroupCommitOptions } from './group-commit.js';
import type { Database, EventRow } from './tables.js';
import { retentionOf } from './tenants.js';
import { uuidv7 } from './uuidv7.js';

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    id: r.id,
    seq: Number(r.seq),
    tenantId: r.tenant_id,
    webhookId: r.webhook_id,
    provider: r.provider as ProviderKey,
    type: r.type,
    providerEventType: r.provider_event_type,
    resource: r.resource_type ? { type: r.resource_type, id: r.resource_id } : null,
    occurredAt: r.occurred_at ? new Date(r.occurred_at) : null,
    receivedAt: new Date(r.received_at),
    test: r.test === 1,
    payload: JSON.parse(r.payload),
  };
}

function filterExpression(eb: ExpressionBuilder<Database, 'events'>, filter: EventFilter | null | undefined): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  // As matchesFilter (domain/event-filter.ts): null does not restrict, an empty list matches nothing.
  const nothing = sql<SqlBool>`1 = 0`;
  if (filter?.providers) parts.push(filter.providers.length ? eb('provider', 'in', [...filter.providers]) : nothing);
  if (filter?.webhookIds) parts.push(filter.webhookIds.length ? eb('webhook_id', 'in', [...filter.webhookIds]) : nothing);
  if (filter?.types && filter.types.length === 0) parts.push(nothing);
  if (filter?.types?.length && !filter.types.includes('*')) {
    const exact = filter.types.filter((t) => !t.endsWith('.*'));
    const prefixes = filter.types.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1));
    const ors: Expression<SqlBool>[] = [];
    if (exact.length) ors.push(eb('type', 'in', exact));
    // substr comparison instead of LIKE: no escaping of _ and % in type names.
    for (const p of prefixes) ors.push(eb(sql<string>`substr(type, 1, ${p.length})`, '=', p));
    parts.push(eb.or(ors));
  }
  return eb.and(parts);
}

/** What one retention batch did (see EventWrites.pruneBatch). */
export interface PruneBatch {
  /** Events deleted. */
  rows: number;
  /** The tenant's horizon after the batch (the highest seq pruned), or null when nothing was due. */
  throughSeq: number | null;
  /** The batch was full: more events may be due. */
  more: boolean;
  /** How long the batch held the writer (SQLite) or its transaction took (PostgreSQL), in ms. */
  ms: number;
}

/** How far a tenant's log has been pruned, and its own retention setting (for the CURSOR_EXPIRED message). */
export interface Horizon {
  /** The highest seq pruned so far; 0 when nothing was. A cursor below it is expired; at it, complete. */
  seq: number;
  retention: TenantRetention;
}

async function headOf(db: Kysely<Database>, tenantId: string): Promise<number | null> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('head'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return r?.head === null || r?.head === undefined ? null : Number(r.head);
}

/**
 * One dialect's writes to the log: PostgreSQL's below, SQLite's in sqlite/writer-thread.ts. The event
 * store puts its group commit in front of `append`.
 */
export interface EventWrites {
  /**
   * Appends events in one transaction. Returns, in input order, the stored event or null for a
   * duplicate (same webhook and dedup key), which is neither stored again nor to be published.
   *
   * Cursor order equals commit order per tenant: on PostgreSQL a transaction-scoped advisory lock
   * per tenant is held from sequence allocation to commit, so a reader that has seen seq N can never
   * later see a commit with a lower seq for that tenant. SQLite has a single writer already.
   */
  append(events: readonly NewEvent[]): Promise<(AppendedEvent | null)[]>;
  /**
   * One retention batch: deletes up to `limit` of the tenant's oldest events received before `before`, a
   * prefix of its log in seq order (a younger event stops it), and raises its horizon
   * (tenants.pruned_through_seq) to the last seq deleted, in the same transaction.
   */
  pruneBatch(tenantId: string, before: Date, limit: number): Promise<PruneBatch>;
  /** Settles, now, appends whose commits have been answered already (only a writer thread has any). */
  poll?(): void;
  /** Resolves once the appends in flight have finished, whether they committed or failed; then no more. */
  close(): Promise<void>;
}

/** PostgreSQL's writes: one multi-row insert per append, through Kysely. */
export function createPostgresWrites(db: Kysely<Database>): EventWrites {
  /** Appends in flight, which closing the store waits for (the pool would leave them waiting forever). */
  const inFlight = new Set<Promise<unknown>>();
  return {
    async append(events) {
      if (events.length === 0) return [];
      const done = db.transaction().execute(async (trx) => {
        const tenants = [...new Set(events.map((e) => e.tenantId))].sort();
        const heads = new Map<string, number | null>();
        for (const t of tenants) {
          await sql`select pg_advisory_xact_lock(hashtext(${`hookgraph-events:${t}`}))`.execute(trx);
          heads.set(t, await headOf(trx, t));
        }
        // One multi-row statement per batch; duplicates (already stored, or twice in this batch) return no row.
        const rows = events.map((e) => ({
          id: uuidv7(),
          tenant_id: e.tenantId,
          webhook_id: e.webhookId,
          provider: e.provider,
          type: e.type,
          provider_event_type: e.providerEventType,
          resource_type: e.resource?.type ?? null,
          resource_id: e.resource?.id ?? null,
          occurred_at: e.occurredAt?.toISOString() ?? null,
          received_at: e.receivedAt.toISOString(),
          test: e.test ? 1 : 0,
          payload: e.payloadJson ?? JSON.stringify(e.payload ?? null),
          dedup_key: e.dedupKey,
        }));
        const inserted = await trx
          .insertInto('events')
          .values(rows)
          .onConflict((oc) => oc.columns(['webhook_id', 'dedup_key']).doNothing())
          .returning(['id', 'seq'])
          .execute();
        const seqById = new Map(inserted.map((r) => [r.id, Number(r.seq)]));
        const stored: Array<{ event: StoredEvent; index: number }> = [];
        events.forEach((e, index) => {
          const id = (rows[index] as { id: string }).id;
          const seq = seqById.get(id);
          if (seq === undefined) return;
          const { dedupKey: _key, payloadJson: _json, payload, ...fields } = e;
          stored.push({ index, event: { ...fields, id, seq, payload: payload ?? null } });
        });
        const out: (AppendedEvent | null)[] = events.map(() => null);
        // Chain links follow seq order, which is the order rows were inserted.
        for (const { event, index } of stored.sort((x, y) => x.event.seq - y.event.seq)) {
          out[index] = { event, prevSeq: heads.get(event.tenantId) ?? null };
          heads.set(event.tenantId, event.seq);
        }
        return out;
      });
      inFlight.add(done);
      try {
        return await done;
      } finally {
        inFlight.delete(done);
      }
    },
    async pruneBatch(tenantId, before, limit) {
      const cutoff = before.toISOString();
      const started = performance.now();
      // Most passes find nothing due: one indexed read, and no transaction.
      const first = await db
        .selectFrom('events')
        .select('received_at')
        .where('tenant_id', '=', tenantId)
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst();
      if (!first || first.received_at >= cutoff) return { rows: 0, throughSeq: null, more: false, ms: performance.now() - started };
      // Appends are not held up: they take the tenant's advisory lock, which this does not, and the rows
      // deleted are committed ones that no append touches. The horizon moves with the rows, atomically.
      const done = await db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('events')
          .select(['seq', 'received_at'])
          .where('tenant_id', '=', tenantId)
          .orderBy('seq')
          .limit(limit)
          .execute();
        let n = 0;
        while (n < rows.length && (rows[n] as { received_at: string }).received_at < cutoff) n++;
        if (n === 0) return { rows: 0, throughSeq: null, more: false };
        const through = Number((rows[n - 1] as { seq: number }).seq);
        const deleted = await trx
          .deleteFrom('events')
          .where('tenant_id', '=', tenantId)
          .where('seq', '<=', through)
          .where('received_at', '<', cutoff)
          .executeTakeFirst();
        await trx
          .updateTable('tenants')
          .set({ pruned_through_seq: sql<number>`greatest(pruned_through_seq, ${through})` })
          .where('id', '=', tenantId)
          .execute();
        return { rows: Number(deleted.numDeletedRows), throughSeq: through, more: n === limit };
      });
      return { ...done, ms: performance.now() - started };
    },
    async close() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** The event log: appends through the dialect's writes behind a group commit (group-commit.ts), and reads. */
export function createEventStore(db: Kysely<Database>, writes: EventWrites, options: GroupCommitOptions = {}) {
  const commits = createGroupCommit(writes, options);
  return {
    /**
     * Appends one delivery's events, committed together with whatever else is waiting (group-commit.ts).
     * Returns, in input order, the stored event or null for a duplicate (see EventWrites.append).
     */
    append: commits.append,
    /** One retention batch (see EventWrites.pruneBatch); on a SQLite file it runs on the writer thread. */
    pruneBatch: (tenantId: string, before: Date, limit: number) => writes.pruneBatch(tenantId, before, limit),
    /** Answers every append queued, then stops the writes. */
    async close(): Promise<void> {
      await commits.settled();
      await writes.close();
    },
    /** How far the tenant's log has been pruned (seq 0 for a tenant never pruned, or unknown). */
    async horizon(tenantId: string): Promise<Horizon> {
      const row = await db
        .selectFrom('tenants')
        .select(['pruned_through_seq', 'retention_ms'])
        .where('id', '=', tenantId)
        .executeTakeFirst();
      return { seq: row ? Number(row.pruned_through_seq) : 0, retention: retentionOf(row?.retention_ms ?? null) };
    },
    /** A page of the tenant's log: ascending after `afterSeq`, or descending before `beforeSeq`. */
    async list(
      tenantId: string,
      {
        filter,
        afterSeq = null,
        beforeSeq = null,
        limit,
        order,
      }: { filter?: EventFilter | null; afterSeq?: number | null; beforeSeq?: number | null; limit: number; order: 'asc' | 'desc' },
    ): Promise<StoredEvent[]> {
      let q = db
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where((eb) => filterExpression(eb, filter));
      if (afterSeq !== null) q = q.where('seq', '>', afterSeq);
      if (beforeSeq !== null) q = q.where('seq', '<', beforeSeq);
      const rows = await q.orderBy('seq', order).limit(limit).execute();
      return rows.map(toStoredEvent);
    },
    /** The tenant's newest seq, or null for an empty log. */
    head: (tenantId: string) => headOf(db, tenantId),
    async get(tenantId: string, id: string): Promise<StoredEvent | null> {
      const row = await db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row ? toStoredEvent(row) : null;
    },
    async count(tenantId: string): Promise<number> {
      const r = await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
export type EventStore = ReturnType<typeof createEventStore>;
