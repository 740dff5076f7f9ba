import type { TimeFormat } from '../time.js';

/**
 * RootFi v3 JSON as it travels. Management shapes come from the seed and `[RF-docs] openapi_v3.yml`
 * (VENDORS.md §4.1); delivery shapes from `[RF-docs] documentation/concepts/webhooks.mdx` (§4.4).
 * These types never leave the vendor folder and the sandbox.
 */

/** ISO 8601 (`2024-04-15T04:52:25.309Z`), read as UTC without a zone; a number is epoch seconds or milliseconds (undocumented). */
export const rootfiTime: TimeFormat = { epoch: 'auto' };

/** `type` of a v3 webhook. v4 adds SYNC_STARTED and INTEGRATION, which v3 rejects. */
export const ROOTFI_WEBHOOK_TYPES = ['DATA_MODEL_CHANGES', 'CONNECTION_CHANGED', 'SYNC_COMPLETED'] as const;
export type RootfiWebhookType = (typeof ROOTFI_WEBHOOK_TYPES)[number];

export const ROOTFI_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
export type RootfiOperation = (typeof ROOTFI_OPERATIONS)[number];

/** The 62 `data_models` values of the seed, in its order (identical to `openapi_v3.yml` DataModels). */
export const ROOTFI_DATA_MODELS = [
  'ACCOUNTS',
  'BANK_ACCOUNTS',
  'BILLS',
  'BILL_PAYMENTS',
  'COMPANY_INFO',
  'CONTACTS',
  'BILL_CREDIT_NOTES',
  'INVOICE_CREDIT_NOTES',
  'DOCUMENTS',
  'EXPENSES',
  'INVOICES',
  'INVOICE_PAYMENTS',
  'ITEMS',
  'LINE_ITEMS',
  'TAX_RATES',
  'JOURNAL_ENTRIES',
  'BANK_TRANSACTIONS',
  'JOURNAL_LINES',
  'PURCHASE_ORDERS',
  'SALES_ORDERS',
  'PHONE_NUMBERS',
  'ADDRESSES',
  'EXTERNAL_LINKS',
  'CONTACT_PERSONS',
  'INCOME_STATEMENT',
  'BALANCE_SHEET',
  'TRACKING_CATEGORIES',
  'CASH_FLOW_STATEMENT',
  'CURRENCIES',
  'PAYMENT_CUSTOMERS',
  'PAYMENT_INVOICES',
  'PAYMENT_LINE_ITEMS',
  'PAYMENT_ITEMS',
  'PAYMENT_ORDERS',
  'PAYMENT_TAX_RATES',
  'PAYMENT_DISPUTES',
  'PAYMENT_PAYMENTS',
  'PAYMENT_REFUNDS',
  'PAYMENT_PAYMENT_LINKS',
  'PAYMENT_PAYOUTS',
  'PAYMENT_ADDRESSES',
  'PAYMENT_PHONE_NUMBERS',
  'PAYMENT_EXTERNAL_LINKS',
  'PAYMENT_TRANSACTIONS',
  'PAYMENT_BALANCES',
  'ECOMMERCE_ORDERS',
  'ECOMMERCE_CUSTOMERS',
  'ECOMMERCE_PRODUCTS',
  'ECOMMERCE_LINE_ITEMS',
  'CRM_CONTACTS',
  'CRM_COMPANIES',
  'CRM_DEALS',
  'CRM_LEADS',
  'CRM_NOTES',
  'CRM_PIPELINES',
  'CRM_STAGES',
  'CRM_ACTIVITIES',
  'CRM_TASKS',
  'CRM_USERS',
  'CRM_EXTERNAL_LINKS',
  'CRM_PHONE_NUMBERS',
  'CRM_ADDRESSES',
] as const;
export type RootfiDataModel = (typeof ROOTFI_DATA_MODELS)[number];

/**
 * A v3 webhook as list, create and update return it. Enum fields stay `string` on the way in: a value
 * RootFi adds later must not make the whole list unreadable.
 */
export interface RootfiWebhookWire {
  id: string;
  headers: Record<string, string>;
  operations: string[];
  data_models: string[];
  name: string | null;
  /** ISO 8601, e.g. `2024-04-15T04:52:25.309Z`. */
  created_at: string | null;
  type: string;
  url: string;
}

/** The writable fields: wrapped in `webhook` on create, sent bare on update (VENDORS.md §4.1). */
export interface RootfiWebhookFields {
  operations: RootfiOperation[];
  name: string;
  type: RootfiWebhookType;
  data_models: RootfiDataModel[];
  url: string;
  headers: Record<string, string>;
}

export interface RootfiCreateBody {
  webhook: RootfiWebhookFields;
}

/** `GET /v3/core/webhooks` → `{data: [webhook]}`. */
export interface RootfiListResponse {
  data: RootfiWebhookWire[];
}

/** `PUT /v3/core/webhooks/{id}` → `{data: webhook}` (create answers the bare object instead). */
export interface RootfiUpdateResponse {
  data: RootfiWebhookWire;
}

/** `DELETE /v3/core/webhooks/{id}` → `{status: "success"}`. */
export interface RootfiDeleteResponse {
  status: string;
}

/** 400/401/403/404/500 bodies. */
export interface RootfiErrorResponse {
  error: { message: string; code: string; field: string | null };
}

/** One changed record inside a DATA_MODEL_CHANGES delivery; records may be partial (`webhooks.mdx`). */
export interface RootfiRecordWire {
  platform_id?: string | number;
  [field: string]: unknown;
}

export interface RootfiDataModelChangesDelivery {
  rootfi_id: string;
  created_at: string;
  company_id: number;
  integration_type: string;
  job_id?: string;
  sync_id?: string;
  data_model: string;
  type: string;
  no_of_records: number;
  webhook_type: 'DATA_MODEL_CHANGES';
  data: RootfiRecordWire[];
}

export interface RootfiSyncCompletedDelivery {
  rootfi_id: string;
  created_at: string;
  company_id: number;
  integration_type: string;
  webhook_type: 'SYNC_COMPLETED';
  data: {
    /** A JobStatus (`[RF-docs] openapi_v3.yml`): CREATED, RUNNING, SUCCESS or FAILED. */
    status: string;
    id: string;
    start_time?: string;
    end_time?: string;
    type?: string;
    total_jobs_count?: number;
    success_jobs_count?: number;
    failed_jobs_count?: number;
    running_jobs_count?: number;
    created_jobs_count?: number;
    data_models?: string[];
  };
}

/** The documented sample carries no `rootfi_id`. */
export interface RootfiConnectionChangedDelivery {
  webhook_type: 'CONNECTION_CHANGED';
  company_id: number;
  created_at: string;
  integration_type: string;
  connection_status: 'HEALTHY' | 'EXPIRED' | 'DISCONNECTED' | string;
}

/** Pre-v3 (https://docs.rootfi.dev/docs/webhooks): no `webhook_type`, `data` a single object. */
export interface RootfiLegacyDelivery {
  company_id: number;
  created_at: string;
  data_model: string;
  integration_type: string;
  type: string;
  data: RootfiRecordWire;
}

/** What every delivery shape may carry, as normalize.ts narrows it: missing or empty is null. */
interface RootfiDeliveryCommon {
  rootfi_id: string | null;
  created_at: string | number | null;
}

/**
 * A delivery as normalize.ts narrows it, by shape (VENDORS.md §4.4); ids are text whether RootFi
 * writes a number or a string.
 */
export type RootfiDeliveryWire =
  | RootfiDataModelChangesWire
  | RootfiSyncCompletedWire
  | RootfiConnectionChangedWire
  | RootfiOtherDeliveryWire;

/** DATA_MODEL_CHANGES, or the legacy shape (no `webhook_type`, but `data_model` and `type`). */
export interface RootfiDataModelChangesWire extends RootfiDeliveryCommon {
  shape: 'DATA_MODEL_CHANGES';
  data_model: string;
  type: string;
  /** The changed records: v3's `data` array, the legacy single object as a list of one, else none. */
  data: readonly unknown[];
}

export interface RootfiSyncCompletedWire extends RootfiDeliveryCommon {
  shape: 'SYNC_COMPLETED';
  /** The sync's id and status (a JobStatus: CREATED, RUNNING, SUCCESS or FAILED). */
  data: { id: string | null; status: string | null };
}

export interface RootfiConnectionChangedWire extends RootfiDeliveryCommon {
  shape: 'CONNECTION_CHANGED';
  company_id: string | null;
  /** As text ('' when missing): with the company and the time they identify a change that has no rootfi_id. */
  integration_type: string;
  connection_status: string;
}

/** Any other `webhook_type`, or v4's `{"event": …}` (not fully documented): kept under its raw name. */
export interface RootfiOtherDeliveryWire extends RootfiDeliveryCommon {
  shape: 'OTHER';
  name: string;
}
