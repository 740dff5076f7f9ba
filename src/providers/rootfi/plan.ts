import { ValidationError } from '../../domain/errors.js';
import { SECRET_HEADER } from '../secret-header.js';
import { CONNECTION_CHANGED, dataModelEventName, parseDataModelEventName, SYNC_COMPLETED } from './catalog.js';
import {
  ROOTFI_DATA_MODELS,
  ROOTFI_OPERATIONS,
  type RootfiDataModel,
  type RootfiOperation,
  type RootfiWebhookFields,
  type RootfiWebhookType,
  type RootfiWebhookWire,
} from './wire.js';

/**
 * How a webhook spec becomes RootFi registrations: catalogue names are grouped into vendor hooks
 * (planHooks), a group is written as a hook's fields (toWebhookFields), an update pairs groups with the
 * hooks already owned (pairGroups), and a hook reads back as catalogue names (eventsOfHook).
 */

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
