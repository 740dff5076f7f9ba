import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ROOTFI_DATA_MODELS,
  ROOTFI_OPERATIONS,
  ROOTFI_WEBHOOK_TYPES,
  type RootfiConnectionChangedDelivery,
  type RootfiDataModelChangesDelivery,
  type RootfiLegacyDelivery,
  type RootfiSyncCompletedDelivery,
  type RootfiWebhookWire,
} from '../providers/rootfi/wire.js';
import { isObject } from '../providers/json.js';
import { createApiKeyAccounts } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

/**
 * RootFi v3 core webhooks (VENDORS.md §4.1, §4.4): `api_key` header auth, create wrapped in
 * `{webhook}` answering the bare object, update unwrapped answering `{data}`, list `{data:[]}`, delete
 * `{status:"success"}`, errors `{error:{message,code,field}}`. Each account has a random api key.
 * Deliveries are JSON with each hook's custom headers, in the three documented shapes (plus the
 * legacy single-record shape with `shape: 'legacy'`, a batch of several records with `'batch'`, and a
 * failed sync with `'failed'`: see payloadFor).
 */

const API_PATH = '/v3/core/webhooks';
const KEY_PREFIX = 'sbx-rf-';
const HOOK_PATH = /^\/v3\/core\/webhooks\/([^/]+)\/?$/;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `THBROZzWGuL3b8qEEdBF` (webhook ids, 20 chars) and `3kghiU5NBgVUrkz` (rootfi_id, 15 chars). */
function randomId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

function errorBody(message: string, code: string, field: string | null) {
  return { error: { message, code, field } };
}

type Fields = Omit<RootfiWebhookWire, 'id' | 'created_at'>;

interface State {
  hooks: RootfiWebhookWire[];
}

/** Validates the writable fields as RootFi's API does: all required, enums checked. */
function validateFields(
  input: unknown,
  prefix: string,
  acceptsDeliveryUrl: (url: string) => boolean,
): { fields: Fields } | { message: string; field: string } {
  const at = (f: string) => `${prefix}${f}`;
  if (!isObject(input))
    return { message: `${prefix ? prefix.slice(0, -1) : 'body'} must be an object`, field: prefix ? prefix.slice(0, -1) : 'body' };
  const { operations, name, type, data_models: dataModels, url, headers } = input;
  if (typeof type !== 'string' || !(ROOTFI_WEBHOOK_TYPES as readonly string[]).includes(type)) {
    return { message: `type must be one of ${ROOTFI_WEBHOOK_TYPES.join(', ')}`, field: at('type') };
  }
  if (
    !Array.isArray(operations) ||
    operations.length === 0 ||
    !operations.every((o) => (ROOTFI_OPERATIONS as readonly unknown[]).includes(o))
  ) {
    return { message: `operations must be a non-empty array of ${ROOTFI_OPERATIONS.join(', ')}`, field: at('operations') };
  }
  if (
    !Array.isArray(dataModels) ||
    dataModels.length === 0 ||
    !dataModels.every((m) => (ROOTFI_DATA_MODELS as readonly unknown[]).includes(m))
  ) {
    return { message: 'data_models must be a non-empty array of known data models', field: at('data_models') };
  }
  if (typeof name !== 'string' || name.trim() === '') return { message: 'name is required', field: at('name') };
  let parsed: URL | null = null;
  try {
    parsed = typeof url === 'string' ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    return { message: 'url must be a valid URL', field: at('url') };
  if (!acceptsDeliveryUrl(url as string)) return { message: 'url must be a delivery URL of this gateway', field: at('url') };
  if (!isObject(headers) || !Object.values(headers).every((h) => typeof h === 'string')) {
    return { message: 'headers must be an object of strings', field: at('headers') };
  }
  return {
    fields: {
      headers: headers as Record<string, string>,
      operations: [...new Set(operations as string[])],
      data_models: [...new Set(dataModels as string[])],
      name,
      type,
      url: url as string,
    },
  };
}

/** Whether a hook receives a catalogue event (`<DATA_MODEL>:<OP>`, SYNC_COMPLETED, CONNECTION_CHANGED). */
function covers(hook: RootfiWebhookWire, eventType: string): boolean {
  const [model, op] = eventType.split(':');
  if (op === undefined) return hook.type === eventType;
  return hook.type === 'DATA_MODEL_CHANGES' && hook.operations.includes(op) && hook.data_models.includes(model ?? '');
}

function companyIdOf(account: string): number {
  return 1000 + (createHash('sha256').update(account).digest().readUInt32BE(0) % 9000);
}

function integrationOf(dataModel: string): string {
  if (dataModel.startsWith('PAYMENT_')) return 'RAZORPAY';
  if (dataModel.startsWith('ECOMMERCE_')) return 'SHOPIFY';
  if (dataModel.startsWith('CRM_')) return 'HUBSPOT';
  return 'XERO';
}

/** Records in a `shape: 'batch'` DATA_MODEL_CHANGES delivery (the documented sample holds one). */
export const BATCH_RECORDS = 3;

/**
 * The body of one event. Shapes: `batch` puts BATCH_RECORDS changed records in one DATA_MODEL_CHANGES
 * delivery, as a sync that changed several does; `legacy` is the pre-v3 single-record shape; `failed`
 * makes a SYNC_COMPLETED report a FAILED sync.
 */
function payloadFor(eventType: string, account: string, shape: string | undefined): unknown {
  const now = new Date().toISOString();
  const companyId = companyIdOf(account);
  if (eventType === 'SYNC_COMPLETED') {
    const started = new Date(Date.now() - 90_000).toISOString();
    const failed = shape === 'failed';
    const body: RootfiSyncCompletedDelivery = {
      rootfi_id: randomId(15),
      created_at: now,
      company_id: companyId,
      integration_type: 'XERO',
      webhook_type: 'SYNC_COMPLETED',
      data: {
        status: failed ? 'FAILED' : 'SUCCESS',
        id: randomId(15),
        start_time: started,
        end_time: now,
        type: 'PULL',
        total_jobs_count: 3,
        success_jobs_count: failed ? 1 : 3,
        failed_jobs_count: failed ? 2 : 0,
        running_jobs_count: 0,
        created_jobs_count: 0,
        data_models: ['ACCOUNTS', 'INVOICES', 'CONTACTS'],
      },
    };
    return body;
  }
  if (eventType === 'CONNECTION_CHANGED') {
    const body: RootfiConnectionChangedDelivery = {
      webhook_type: 'CONNECTION_CHANGED',
      company_id: companyId,
      created_at: now,
      integration_type: 'XERO',
      connection_status: 'HEALTHY',
    };
    return body;
  }
  const [dataModel = '', operation = ''] = eventType.split(':');
  const recordOf = () => {
    const platformId = String(randomInt(1_000_000_000, 9_999_999_999));
    return operation === 'DELETE'
      ? { platform_id: platformId }
      : { platform_id: platformId, name: `Sandbox ${dataModel.toLowerCase().replaceAll('_', ' ')}`, updated_at: now };
  };
  const records = Array.from({ length: shape === 'batch' ? BATCH_RECORDS : 1 }, recordOf);
  const record = records[0] ?? recordOf();
  if (shape === 'legacy') {
    const body: RootfiLegacyDelivery = {
      company_id: companyId,
      created_at: now.slice(0, 10),
      data_model: dataModel,
      integration_type: integrationOf(dataModel),
      type: operation,
      data: record,
    };
    return body;
  }
  const body: RootfiDataModelChangesDelivery = {
    rootfi_id: randomId(15),
    created_at: now,
    company_id: companyId,
    integration_type: integrationOf(dataModel),
    job_id: randomId(15),
    sync_id: randomId(15),
    data_model: dataModel,
    type: operation,
    no_of_records: records.length,
    webhook_type: 'DATA_MODEL_CHANGES',
    data: records,
  };
  return body;
}

export function createRootfiSandbox(options: SandboxVendorOptions = {}): SandboxVendor {
  const { store, acceptsDeliveryUrl, recorder } = sandboxParts(options);
  const { accounts, authenticate } = createApiKeyAccounts<State>({
    provider: 'ROOTFI',
    prefix: KEY_PREFIX,
    store,
    initialState: () => ({ hooks: [] }),
  });
  const validCatalogueName = (name: string) => {
    if (name === 'SYNC_COMPLETED' || name === 'CONNECTION_CHANGED') return true;
    const [model, op, extra] = name.split(':');
    return (
      extra === undefined &&
      (ROOTFI_DATA_MODELS as readonly (string | undefined)[]).includes(model) &&
      (ROOTFI_OPERATIONS as readonly (string | undefined)[]).includes(op)
    );
  };

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const recorded = await recorder.accept(req, res, path);
    if (!recorded) return;
    const account = await authenticate(header(recorded, 'api_key'));
    if (!account) return sendJson(res, 401, errorBody('Invalid or missing API key', 'UNAUTHORIZED', 'api_key'));
    const hookId = HOOK_PATH.exec(path)?.[1];
    const route = `${recorded.method} ${path === API_PATH || path === `${API_PATH}/` ? 'list' : hookId ? 'one' : 'other'}`;

    switch (route) {
      case 'GET list':
        return sendJson(res, 200, { data: (await accounts.read(account))?.state.hooks ?? [] });
      case 'POST list': {
        const wrapped = isObject(recorded.body) ? recorded.body['webhook'] : undefined;
        if (wrapped === undefined) return sendJson(res, 400, errorBody('webhook is required', 'INVALID_FIELD', 'webhook'));
        const checked = validateFields(wrapped, 'webhook.', acceptsDeliveryUrl);
        if ('message' in checked) return sendJson(res, 400, errorBody(checked.message, 'INVALID_FIELD', checked.field));
        const f = checked.fields;
        // Field order as in the seed's example answer.
        const hook: RootfiWebhookWire = {
          id: randomId(20),
          headers: f.headers,
          operations: f.operations,
          data_models: f.data_models,
          name: f.name,
          created_at: new Date().toISOString(),
          type: f.type,
          url: f.url,
        };
        const added = await accounts.change(account, ({ state }) => {
          if (state.hooks.length >= MAX_HOOKS_PER_ACCOUNT) return false;
          state.hooks.push(hook);
          return true;
        });
        if (!added) return sendJson(res, 400, errorBody(`at most ${MAX_HOOKS_PER_ACCOUNT} webhooks`, 'LIMIT_EXCEEDED', 'webhook'));
        return sendJson(res, 200, hook);
      }
      case 'PUT one': {
        const checked = validateFields(recorded.body, '', acceptsDeliveryUrl);
        const hook = await accounts.change(account, ({ state }) => {
          const at = state.hooks.findIndex((h) => h.id === hookId);
          const existing = state.hooks[at];
          if (!existing || 'message' in checked) return existing;
          const updated: RootfiWebhookWire = { ...existing, ...checked.fields };
          state.hooks[at] = updated;
          return updated;
        });
        if (!hook) return sendJson(res, 404, errorBody('Webhook not found', 'NOT_FOUND', 'webhook_id'));
        if ('message' in checked) return sendJson(res, 400, errorBody(checked.message, 'INVALID_FIELD', checked.field));
        return sendJson(res, 200, { data: hook });
      }
      case 'DELETE one': {
        const removed = await accounts.change(account, ({ state }) => {
          const before = state.hooks.length;
          state.hooks = state.hooks.filter((h) => h.id !== hookId);
          return state.hooks.length < before;
        });
        if (!removed) return sendJson(res, 404, errorBody('Webhook not found', 'NOT_FOUND', 'webhook_id'));
        return sendJson(res, 200, { status: 'success' });
      }
      default:
        return sendJson(res, 404, errorBody(`Cannot ${recorded.method} ${path}`, 'NOT_FOUND', null));
    }
  }

  return {
    provider: 'ROOTFI',
    handle,
    async openAccount({ form } = {}) {
      const { account, credentials } = await accounts.open(form);
      return { account, basePath: '', credentials };
    },
    accountOf: (credentials) => authenticate(stringField(credentials, 'apiKey')),
    basePath: () => '',
    credentialsFor: (name, form) => accounts.fixture(name, form),
    async trigger(eventType: string, { account, shape }: TriggerOptions) {
      if (!validCatalogueName(eventType)) throw new Error(`RootFi sandbox: unknown event type ${eventType.slice(0, 64)}`);
      const hooks = (await accounts.read(account))?.state.hooks ?? [];
      const targets = hooks.filter((h) => covers(h, eventType) && acceptsDeliveryUrl(h.url));
      if (targets.length === 0) return [];
      // One event, one body: every subscribed hook gets the same rootfi_id, each with its own custom headers.
      const body = JSON.stringify(payloadFor(eventType, account, shape));
      return Promise.all(targets.map((h) => deliver(h.url, body, { ...h.headers, 'content-type': 'application/json' })));
    },
    ...sandboxControls(recorder, accounts.reset),
  };
}
