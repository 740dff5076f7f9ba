import { CRUD_ACTIONS, unifiedType } from '../taxonomy.js';
import type { ProviderEventType } from '../types.js';
import { ROOTFI_DATA_MODELS, ROOTFI_OPERATIONS, type RootfiDataModel, type RootfiOperation } from './wire.js';

/**
 * RootFi has no flat event names: a v3 webhook is `type` × `operations` × `data_models` (seed). The
 * catalogue composes one name per combination a client can ask for: `<DATA_MODEL>:<OPERATION>` for
 * DATA_MODEL_CHANGES (62 × 3), plus the two types that carry no data model.
 */
export const SYNC_COMPLETED = 'SYNC_COMPLETED';
export const CONNECTION_CHANGED = 'CONNECTION_CHANGED';

/** Last words the plural rule gets wrong. A Map (taxonomy.ts): data models arrive in deliveries. */
const IRREGULAR_LAST_WORDS: ReadonlyMap<string, string> = new Map([['ADDRESSES', 'ADDRESS']]);

/**
 * Unified noun of a data model: singular snake case with the vendor's prefix kept, so that
 * `PAYMENT_INVOICES` (payments platforms) stays apart from `INVOICES` (accounting platforms).
 */
export function resourceOf(dataModel: string): string {
  const words = dataModel.toUpperCase().split('_');
  const last = words.pop() ?? '';
  const singular =
    IRREGULAR_LAST_WORDS.get(last) ?? (last.endsWith('IES') ? `${last.slice(0, -3)}Y` : last.endsWith('S') ? last.slice(0, -1) : last);
  return [...words, singular].join('_').toLowerCase();
}

/** Past-tense action of an operation; an operation RootFi adds later is kept lower-cased. */
export function actionOf(operation: string): string {
  return CRUD_ACTIONS.get(operation.toUpperCase()) ?? operation.toLowerCase();
}

export function dataModelEventName(dataModel: string, operation: string): string {
  return `${dataModel}:${operation}`;
}

/** Splits `<DATA_MODEL>:<OPERATION>`; null for the other types. */
export function parseDataModelEventName(name: string): { dataModel: string; operation: string } | null {
  const i = name.indexOf(':');
  if (i <= 0 || i === name.length - 1) return null;
  return { dataModel: name.slice(0, i), operation: name.slice(i + 1) };
}

function dataModelEventType(dataModel: RootfiDataModel, operation: RootfiOperation): ProviderEventType {
  const label = dataModel.toLowerCase().replaceAll('_', ' ');
  return {
    name: dataModelEventName(dataModel, operation),
    unifiedType: unifiedType(resourceOf(dataModel), actionOf(operation)),
    description: `DATA_MODEL_CHANGES: ${label} records were ${actionOf(operation)} on the connected platform (one event per record)`,
  };
}

export const rootfiEventTypes: readonly ProviderEventType[] = Object.freeze([
  ...ROOTFI_DATA_MODELS.flatMap((model) => ROOTFI_OPERATIONS.map((op) => dataModelEventType(model, op))),
  {
    name: SYNC_COMPLETED,
    unifiedType: 'sync.completed',
    description: 'A sync of a connected company finished; a failed one (status FAILED) is stored as sync.failed',
  },
  {
    name: CONNECTION_CHANGED,
    unifiedType: 'connection.changed',
    description: "A connection's status changed (HEALTHY, EXPIRED or DISCONNECTED)",
  },
]);

const unifiedByName = new Map(rootfiEventTypes.map((t) => [t.name, t.unifiedType]));

export function catalogUnifiedType(name: string): string | null {
  return unifiedByName.get(name) ?? null;
}
