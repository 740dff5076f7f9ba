import type { AppendedEvent, NewEvent } from '../../domain/event.js';

/**
 * One event as the SQLite appender takes it: the column values in insert order, with the payload
 * already serialized. Flat arrays of primitives are what crosses to the writer thread: they clone
 * several times faster than the event objects.
 */
export type WireRow = [
  tenantId: string,
  webhookId: string | null,
  provider: string,
  type: string,
  providerEventType: string,
  resourceType: string | null,
  resourceId: string | null,
  occurredAt: string | null,
  receivedAt: string,
  test: 0 | 1,
  payload: string,
  dedupKey: string,
];
/** What the appender answers per row: the new event's id, seq and the tenant's previous seq; null for a duplicate. */
export type WireResult = [id: string, seq: number, prevSeq: number | null] | null;

/**
 * What one prune batch did: rows deleted, the tenant's new horizon (null: nothing deleted), whether more may
 * be due, and how long it held the connection (ms).
 */
export type PruneResult = [rows: number, throughSeq: number | null, more: boolean, ms: number];

export function toWireRow(e: NewEvent): WireRow {
  return [
    e.tenantId,
    e.webhookId,
    e.provider,
    e.type,
    e.providerEventType,
    e.resource?.type ?? null,
    e.resource?.id ?? null,
    e.occurredAt?.toISOString() ?? null,
    e.receivedAt.toISOString(),
    e.test ? 1 : 0,
    e.payloadJson ?? JSON.stringify(e.payload ?? null),
    e.dedupKey,
  ];
}

/** Joins the appender's answers back to the events that were sent. */
export function fromWireResults(events: readonly NewEvent[], results: readonly WireResult[]): (AppendedEvent | null)[] {
  return events.map((e, i) => {
    const r = results[i];
    if (!r) return null;
    return {
      event: {
        id: r[0],
        seq: r[1],
        tenantId: e.tenantId,
        webhookId: e.webhookId,
        provider: e.provider,
        type: e.type,
        providerEventType: e.providerEventType,
        resource: e.resource,
        occurredAt: e.occurredAt,
        receivedAt: e.receivedAt,
        test: e.test,
        payload: e.payload ?? null,
      },
      prevSeq: r[2],
    };
  });
}
