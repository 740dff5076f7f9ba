import { sha256Hex } from '../../crypto.js';
import { DeliveryError, ValidationError } from '../../domain/errors.js';
import type { EventResource, NormalizedEvent } from '../../domain/event.js';
import { type RemoteWebhook, WebhookStatus } from '../../domain/webhook.js';
import {
  actionOf,
  CONNECTION_CHANGED,
  catalogUnifiedType,
  dataModelEventName,
  parseDataModelEventName,
  resourceOf,
  SYNC_COMPLETED,
} from './catalog.js';
import {
  ROOTFI_DATA_MODELS,
  ROOTFI_OPERATIONS,
  type RootfiDataModel,
  type RootfiOperation,
  type RootfiWebhookFields,
  type RootfiWebhookType,
  type RootfiWebhookWire,
} from './wire.js';
import { type Json, isObject } from '../json.js';
import { checkEventCount } from '../event-count.js';
import { SECRET_HEADER } from '../secret-header.js';

interface HookPlan {
  type: RootfiWebhookType;
  operations: RootfiOperation[];
  dataModels: RootfiDataModel[];
}

const isOperation = (v: string): v is RootfiOperation => (ROOTFI_OPERATIONS as readonly string[]).includes(v);
const isDataModel = (v: string): v is RootfiDataModel => (ROOTFI_DATA_MODELS as readonly string[]).includes(v);

function planOf(group: readonly string[]): HookPlan {
  const first = group[0];
  if (first === SYNC_COMPLETED || first === CONNECTION_CHANGED) {
    // The API marks operations and data_models required for every type (seed: "required"; its own
    // CONNECTION_CHANGED example sends ["CREATE"] × ["ACCOUNTS"]), although only DATA_MODEL_CHANGES uses them.
    return { type: first, operations: ['CREATE'], dataModels: ['ACCOUNTS'] };
  }
  const operations = new Set<RootfiOperation>();
  const dataModels = new Set<RootfiDataModel>();
  for (const name of group) {
    const parsed = parseDataModelEventName(name);
    if (!parsed || !isOperation(parsed.operation) || !isDataModel(parsed.dataModel)) {
      throw new ValidationError(`not in RootFi's event catalogue: ${name.slice(0, 64)}`, 'events');
    }
    operations.add(parsed.operation);
    dataModels.add(parsed.dataModel);
  }
  return {
    type: 'DATA_MODEL_CHANGES',
    operations: ROOTFI_OPERATIONS.filter((o) => operations.has(o)),
    dataModels: ROOTFI_DATA_MODELS.filter((m) => dataModels.has(m)),
  };
}

/**
 * Splits catalogue names into vendor hooks. One RootFi webhook subscribes to the cross product
 * operations × data_models of ONE type, so data models are grouped by their exact operation set:
 * each group's product is exactly what the client asked for, nothing more. SYNC_COMPLETED and
 * CONNECTION_CHANGED get a hook each. Groups come out in catalogue order, so plans are stable.
 */
export function planHooks(events: readonly string[]): string[][] {
  const opsByModel = new Map<string, Set<string>>();
  const others: string[] = [];
  for (const name of new Set(events)) {
    const parsed = parseDataModelEventName(name);
    if (name === SYNC_COMPLETED || name === CONNECTION_CHANGED) others.push(name);
    else if (parsed && isOperation(parsed.operation) && isDataModel(parsed.dataModel)) {
      opsByModel.set(parsed.dataModel, (opsByModel.get(parsed.dataModel) ?? new Set()).add(parsed.operation));
    } else throw new ValidationError(`not in RootFi's event catalogue: ${name.slice(0, 64)}`, 'events');
  }
  const groups = new Map<string, string[]>();
  for (const model of ROOTFI_DATA_MODELS) {
    const ops = opsByModel.get(model);
    if (!ops) continue;
    const operations = ROOTFI_OPERATIONS.filter((o) => ops.has(o));
    const key = operations.join(',');
    const names = operations.map((o) => dataModelEventName(model, o));
    groups.set(key, [...(groups.get(key) ?? []), ...names]);
  }
  return [
    ...[...groups.values()].map((g) => [...g].sort(byCatalogueOrder)),
    ...[SYNC_COMPLETED, CONNECTION_CHANGED].filter((t) => others.includes(t)).map((t) => [t]),
  ];
}

const catalogueIndex = new Map(
  [...ROOTFI_DATA_MODELS.flatMap((m) => ROOTFI_OPERATIONS.map((o) => dataModelEventName(m, o))), SYNC_COMPLETED, CONNECTION_CHANGED].map(
    (n, i) => [n, i],
  ),
);
function byCatalogueOrder(a: string, b: string): number {
  return (catalogueIndex.get(a) ?? Number.MAX_SAFE_INTEGER) - (catalogueIndex.get(b) ?? Number.MAX_SAFE_INTEGER);
}

/** The writable fields for one planned group (a group from `planHooks`). */
export function toWebhookFields(group: readonly string[], spec: { url: string; name: string; secret: string }): RootfiWebhookFields {
  const plan = planOf(group);
  return {
    operations: plan.operations,
    name: spec.name,
    type: plan.type,
    data_models: plan.dataModels,
    url: spec.url,
    // v3 deliveries carry the webhook's custom headers and nothing signed (VENDORS.md §4.4).
    headers: { [SECRET_HEADER]: spec.secret },
  };
}

/** Catalogue names a vendor hook delivers: its type × operations × data_models expanded. */
export function eventsOfHook(hook: Pick<RootfiWebhookWire, 'type' | 'operations' | 'data_models'>): string[] {
  if (hook.type === 'DATA_MODEL_CHANGES') {
    return hook.data_models.flatMap((m) => hook.operations.map((o) => dataModelEventName(m, o))).sort(byCatalogueOrder);
  }
  // Other types ignore operations and data_models; a type v3 does not know yet is kept as is.
  return [hook.type];
}

export function parseVendorDate(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Undocumented for RootFi; epoch seconds below 1e11, milliseconds above.
    return new Date(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  // A date-time without a zone would be read as local time by Date; RootFi writes UTC.
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const date = new Date(zoneless ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function toRemoteWebhook(hook: RootfiWebhookWire): RemoteWebhook {
  return {
    externalId: hook.id,
    url: hook.url,
    events: eventsOfHook(hook),
    name: hook.name,
    // v3 has no state field; v4's ENABLED/DISABLED does not exist here (VENDORS.md §6.2).
    status: WebhookStatus.ACTIVE,
    createdAt: parseVendorDate(hook.created_at),
    updatedAt: null,
  };
}

/**
 * Pairs planned groups with the hooks a webhook already owns so that updates happen in place:
 * identical subscriptions first, then the largest overlap, then whatever is left. Returns the
 * pairs, the groups to create and the hooks to delete.
 */
export function pairGroups<H extends { events: readonly string[] }>(
  groups: readonly (readonly string[])[],
  hooks: readonly H[],
): { update: Array<{ group: readonly string[]; hook: H }>; create: Array<readonly string[]>; remove: H[] } {
  const freeGroups = new Set(groups);
  const freeHooks = new Set(hooks);
  const update: Array<{ group: readonly string[]; hook: H }> = [];
  const take = (group: readonly string[], hook: H) => {
    update.push({ group, hook });
    freeGroups.delete(group);
    freeHooks.delete(hook);
  };
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  for (const group of groups) {
    const hook = [...freeHooks].find((h) => sameSet(h.events, group));
    if (hook) take(group, hook);
  }
  for (const group of [...freeGroups]) {
    let best: H | undefined;
    let bestOverlap = 0;
    for (const h of freeHooks) {
      const overlap = h.events.filter((e) => group.includes(e)).length;
      if (overlap > bestOverlap) [best, bestOverlap] = [h, overlap];
    }
    if (best) take(group, best);
  }
  for (const group of [...freeGroups]) {
    const hook = freeHooks.values().next();
    if (hook.done) break;
    take(group, hook.value);
  }
  return {
    update: groups.flatMap((g) => update.filter((u) => u.group === g)),
    create: groups.filter((g) => freeGroups.has(g)),
    remove: [...freeHooks],
  };
}

// ---- deliveries (VENDORS.md §4.4) ----

const stringOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const idOf = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? String(v) : stringOf(v));

/** v4 topics (`invoice.create`) and future `X_STARTED` types, best effort; else the raw name lower-cased. */
function bestEffortType(raw: string): string {
  const dotted = /^([a-z0-9_]+)\.([a-z0-9_]+)$/i.exec(raw);
  if (dotted?.[1] && dotted[2]) return `${dotted[1].toLowerCase()}.${actionOf(dotted[2])}`;
  const verb = /^([A-Z0-9_]+)_(STARTED|COMPLETED|CHANGED|FAILED)$/i.exec(raw);
  if (verb?.[1] && verb[2]) return `${verb[1].toLowerCase()}.${verb[2].toLowerCase()}`;
  return raw.toLowerCase();
}

function dataModelChange(body: Json, dataModel: string, operation: string, maxEvents: number): NormalizedEvent {
  const providerEventType = dataModelEventName(dataModel, operation);
  // v3 sends `data` as an array of records, the legacy shape as one object. Batch level: a record id
  // only names the event when the batch holds exactly one record.
  const records = Array.isArray(body['data']) ? body['data'] : isObject(body['data']) ? [body['data']] : [];
  // Stored as one event, but each record is a change the batch carries: bounded like Paybook's items.
  checkEventCount(records.length, maxEvents);
  const only = records.length === 1 && isObject(records[0]) ? records[0] : null;
  const resource: EventResource = { type: resourceOf(dataModel), id: only ? idOf(only['platform_id']) : null };
  return {
    type: catalogUnifiedType(providerEventType) ?? `${resourceOf(dataModel)}.${actionOf(operation)}`,
    providerEventType,
    resource,
    occurredAt: parseVendorDate(body['created_at']),
    test: false,
    payload: body,
    vendorEventId: stringOf(body['rootfi_id']),
    dedupKey: null,
  };
}

/**
 * One delivery → one event. Throws DeliveryError(400) on a body that is none of RootFi's shapes, and
 * 413 on a batch of more than `maxEvents` records.
 */
export function normalizeDelivery(
  body: unknown,
  { maxEvents = Number.POSITIVE_INFINITY }: { maxEvents?: number | undefined } = {},
): NormalizedEvent[] {
  if (!isObject(body)) throw new DeliveryError(400, 'a RootFi delivery is a JSON object');
  const webhookType = stringOf(body['webhook_type']);
  const dataModel = stringOf(body['data_model']);
  const operation = stringOf(body['type']);
  const occurredAt = parseVendorDate(body['created_at']);
  const vendorEventId = stringOf(body['rootfi_id']);

  if (webhookType === 'DATA_MODEL_CHANGES' || (webhookType === null && dataModel !== null && operation !== null)) {
    if (dataModel === null || operation === null) throw new DeliveryError(400, 'DATA_MODEL_CHANGES delivery without data_model and type');
    return [dataModelChange(body, dataModel, operation, maxEvents)];
  }
  if (webhookType === SYNC_COMPLETED) {
    const data = isObject(body['data']) ? body['data'] : {};
    return [
      {
        type: 'sync.completed',
        providerEventType: SYNC_COMPLETED,
        resource: { type: 'sync', id: idOf(data['id']) },
        occurredAt,
        test: false,
        payload: body,
        vendorEventId,
        dedupKey: null,
      },
    ];
  }
  if (webhookType === CONNECTION_CHANGED) {
    const companyId = idOf(body['company_id']);
    return [
      {
        type: 'connection.changed',
        providerEventType: CONNECTION_CHANGED,
        resource: { type: 'connection', id: companyId },
        occurredAt,
        test: false,
        payload: body,
        vendorEventId,
        // No rootfi_id on this type; VENDORS.md §4.4 dedups on what identifies the change itself,
        // which survives a retry that re-serializes the body differently.
        dedupKey:
          vendorEventId === null
            ? `connection:${sha256Hex(
                [companyId, body['integration_type'], body['connection_status'], body['created_at']].map((v) => String(v ?? '')).join('\n'),
              )}`
            : null,
      },
    ];
  }
  // v4 sends shapes that are not fully documented (`{"event":"connection.changed"}`); keep them.
  const raw = webhookType ?? stringOf(body['event']);
  if (raw === null) throw new DeliveryError(400, 'body has none of the RootFi delivery shapes (no webhook_type)');
  return [
    {
      type: bestEffortType(raw),
      providerEventType: raw,
      resource: null,
      occurredAt,
      test: false,
      payload: body,
      vendorEventId,
      dedupKey: null,
    },
  ];
}
