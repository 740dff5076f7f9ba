import type { Kysely } from 'kysely';
import * as initial from './0001_initial.js';
import * as eventsFewerIndexes from './0002_events_fewer_indexes.js';
import * as eventsDedupHash from './0003_events_dedup_hash.js';
import * as eventDedupTable from './0004_event_dedup_table.js';
import * as sandboxAccounts from './0005_sandbox_accounts.js';
import * as keyCheck from './0006_key_check.js';
import * as retention from './0007_retention.js';
import * as apiKeyAccess from './0008_api_key_access.js';
import * as webhookHealth from './0009_webhook_health.js';
import * as webhookReconcile from './0010_webhook_reconcile.js';

/**
 * Every migration, by name, in the order they apply. Each file is frozen once released: it runs on databases
 * of every age, so it never changes and imports no runtime code (0003 and 0004 carry their own dedup hash).
 */
export const migrations: ReadonlyArray<[name: string, up: (db: Kysely<unknown>, dialect: 'sqlite' | 'postgres') => Promise<void>]> = [
  ['0001_initial', initial.up],
  ['0002_events_fewer_indexes', eventsFewerIndexes.up],
  ['0003_events_dedup_hash', eventsDedupHash.up],
  ['0004_event_dedup_table', eventDedupTable.up],
  ['0005_sandbox_accounts', sandboxAccounts.up],
  ['0006_key_check', keyCheck.up],
  ['0007_retention', retention.up],
  ['0008_api_key_access', apiKeyAccess.up],
  ['0009_webhook_health', webhookHealth.up],
  ['0010_webhook_reconcile', webhookReconcile.up],
];
