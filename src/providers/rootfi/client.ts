import { unreadableAnswer } from '../http.js';
import { isObject, isStringArray, prop, readList, readOne, stringRecord } from '../json.js';
import type { ConnectorContext } from '../types.js';
import type { RootfiCreateBody, RootfiWebhookFields, RootfiWebhookWire } from './wire.js';

export interface RootfiCredentials {
  apiKey: string;
}

/** v3 management calls in RootFi's dialect (VENDORS.md §4.1); vendor JSON is narrowed here. */
export interface RootfiClient {
  list(): Promise<RootfiWebhookWire[]>;
  create(fields: RootfiWebhookFields): Promise<RootfiWebhookWire>;
  update(id: string, fields: RootfiWebhookFields): Promise<RootfiWebhookWire>;
  /** Resolves also when RootFi no longer has the hook (404). */
  remove(id: string): Promise<void>;
}

const PROVIDER = 'ROOTFI';
const WEBHOOKS_PATH = '/v3/core/webhooks';

function narrowWebhook(v: unknown): RootfiWebhookWire | null {
  if (!isObject(v)) return null;
  const { id, url, type, operations, data_models: dataModels, name, created_at: createdAt, headers } = v;
  if (typeof id !== 'string' || id === '' || typeof url !== 'string' || typeof type !== 'string') return null;
  if (!isStringArray(operations) || !isStringArray(dataModels)) return null;
  return {
    id,
    url,
    type,
    operations,
    data_models: dataModels,
    name: typeof name === 'string' ? name : null,
    created_at: typeof createdAt === 'string' ? createdAt : null,
    headers: stringRecord(headers),
  };
}

export function createRootfiClient(ctx: ConnectorContext<RootfiCredentials>): RootfiClient {
  const base = `${ctx.baseUrl.replace(/\/+$/, '')}${WEBHOOKS_PATH}`;
  // The OpenAPI securityScheme is an `api_key` header, not Authorization (VENDORS.md §4.3).
  const auth = () => ({ api_key: ctx.credentials.apiKey });
  const hookUrl = (id: string) => `${base}/${encodeURIComponent(id)}`;

  return {
    async list() {
      const res = await ctx.http.send({ method: 'GET', url: base, headers: auth() });
      return readList(prop(res.body, 'data'), narrowWebhook, () => unreadableAnswer(PROVIDER, 'a webhook list', res));
    },

    async create(fields) {
      // Create wraps the fields in `webhook` and answers the bare object (seed).
      const body: RootfiCreateBody = { webhook: fields };
      const res = await ctx.http.send({ method: 'POST', url: base, headers: auth(), json: body });
      return readOne(res.body, narrowWebhook, () => unreadableAnswer(PROVIDER, 'a created webhook', res));
    },

    async update(id, fields) {
      // Update takes the fields unwrapped and answers `{data}`, unlike create (VENDORS.md §4.1).
      const res = await ctx.http.send({ method: 'PUT', url: hookUrl(id), headers: auth(), json: fields });
      return readOne(prop(res.body, 'data'), narrowWebhook, () => unreadableAnswer(PROVIDER, 'an updated webhook', res));
    },

    async remove(id) {
      await ctx.http.send({ method: 'DELETE', url: hookUrl(id), headers: auth(), acceptStatus: [404] });
    },
  };
}
