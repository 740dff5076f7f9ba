import { type HttpResponse, unreadableAnswer } from '../http.js';
import { isObject, isStringArray, prop, readList, readOne } from '../json.js';
import type { ConnectorContext } from '../types.js';
import type {
  BooqableApiPath,
  BooqableEndpointAttributesIn,
  BooqableEndpointWire,
  BooqableListParams,
  BooqablePayloadVersion,
  BooqableResourceDocument,
} from './wire.js';

export interface BooqableCredentials {
  /** An access token from `{company}.booqable.com/employees/current`, sent as `Authorization: Bearer`. */
  apiKey: string;
}

/** Booqable answers at most this many items per page; listAll pages with it until a short page. */
export const BOOQABLE_MAX_PAGE_SIZE = 100;

/**
 * Splits a connection's baseUrl into the company origin and the API root. `/api/boomerang` is
 * chosen only when the baseUrl ends with it (the seed's API); everything else talks to `/api/4`,
 * the only path the docs have shown since 2025-06 (VENDORS.md §2.1).
 */
export function resolveBooqableApi(baseUrl: string): { origin: string; apiPath: BooqableApiPath; root: string } {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (trimmed.endsWith('/api/boomerang')) {
    const origin = trimmed.slice(0, -'/api/boomerang'.length);
    return { origin, apiPath: 'boomerang', root: `${origin}/api/boomerang` };
  }
  const origin = trimmed.endsWith('/api/4') ? trimmed.slice(0, -'/api/4'.length) : trimmed;
  return { origin, apiPath: '4', root: `${origin}/api/4` };
}

/** JSON:API query parameters: `page[number]`, `page[size]`, `filter[url][prefix]`, `sort`, `fields[webhook_endpoints]`. */
export function booqableListQuery(params: BooqableListParams): Record<string, string> {
  const q: Record<string, string> = {};
  if (params.page?.number !== undefined) q['page[number]'] = String(params.page.number);
  if (params.page?.size !== undefined) q['page[size]'] = String(params.page.size);
  for (const [attr, ops] of Object.entries(params.filter ?? {})) {
    for (const [op, value] of Object.entries(ops ?? {})) if (value !== undefined) q[`filter[${attr}][${op}]`] = value;
  }
  if (params.sort) q['sort'] = params.sort;
  if (params.fields?.length) q['fields[webhook_endpoints]'] = params.fields.join(',');
  return q;
}

function narrowVersion(v: unknown): BooqablePayloadVersion | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return n === 1 || n === 4 ? n : undefined;
}

/** Accepts a flattened list item (as the docs show lists) or a JSON:API resource (`{id, type, attributes}`). */
export function narrowEndpoint(v: unknown): BooqableEndpointWire | null {
  if (!isObject(v) || typeof v['id'] !== 'string') return null;
  const a = isObject(v['attributes']) ? v['attributes'] : v;
  const { url, events, created_at: createdAt, updated_at: updatedAt } = a;
  if (typeof url !== 'string' || !isStringArray(events)) return null;
  const version = narrowVersion(a['version']);
  return {
    id: v['id'],
    url,
    events,
    ...(version !== undefined && { version }),
    ...(typeof createdAt === 'string' && { created_at: createdAt }),
    ...(typeof updatedAt === 'string' && { updated_at: updatedAt }),
  };
}

/** Booqable's REST dialect for webhook_endpoints; vendor JSON is narrowed here and nowhere else. */
export function createBooqableClient(ctx: ConnectorContext<BooqableCredentials>) {
  const { apiPath, root } = resolveBooqableApi(ctx.baseUrl);
  const collection = `${root}/webhook_endpoints`;
  const member = (id: string) => `${collection}/${encodeURIComponent(id)}`;
  // The docs' curl samples send plain application/json (not application/vnd.api+json) for every call.
  const headers = () => ({ authorization: `Bearer ${ctx.credentials.apiKey}`, 'content-type': 'application/json' });

  const single = (res: HttpResponse, what: string): BooqableEndpointWire =>
    readOne(prop(res.body, 'data'), narrowEndpoint, () => unreadableAnswer('BOOQABLE', what, res));

  function document(attributes: BooqableEndpointAttributesIn, id?: string): BooqableResourceDocument {
    // `version` only exists on /api/4; boomerang would refuse an unknown attribute and always delivers v1.
    const { version, ...rest } = attributes;
    const attrs = apiPath === '4' && version !== undefined ? { ...rest, version } : rest;
    return { data: { type: 'webhook_endpoints', ...(id !== undefined && { id }), attributes: attrs } };
  }

  async function list(params: BooqableListParams = {}): Promise<BooqableEndpointWire[]> {
    const res = await ctx.http.send({ method: 'GET', url: collection, query: booqableListQuery(params), headers: headers() });
    return readList(prop(res.body, 'data'), narrowEndpoint, () => unreadableAnswer('BOOQABLE', 'a webhook endpoint list', res));
  }

  return {
    apiPath,
    list,
    /** Every endpoint, page by page (`page[size]=100`) until a short page; sorted so pages do not shift. */
    async listAll(): Promise<BooqableEndpointWire[]> {
      const all: BooqableEndpointWire[] = [];
      for (let number = 1; ; number++) {
        const batch = await list({ page: { number, size: BOOQABLE_MAX_PAGE_SIZE }, sort: 'created_at' });
        all.push(...batch);
        if (batch.length < BOOQABLE_MAX_PAGE_SIZE) return all;
      }
    },
    async create(attributes: BooqableEndpointAttributesIn): Promise<BooqableEndpointWire> {
      const res = await ctx.http.send({ method: 'POST', url: collection, headers: headers(), json: document(attributes) });
      return single(res, 'a created webhook endpoint');
    },
    async update(id: string, attributes: BooqableEndpointAttributesIn): Promise<BooqableEndpointWire> {
      const res = await ctx.http.send({ method: 'PUT', url: member(id), headers: headers(), json: document(attributes, id) });
      return single(res, 'an updated webhook endpoint');
    },
    /** Answers false when Booqable no longer has the endpoint (404), which is not an error for a delete. */
    async remove(id: string): Promise<boolean> {
      const res = await ctx.http.send({ method: 'DELETE', url: member(id), headers: headers(), acceptStatus: [404] });
      return res.status !== 404;
    },
  };
}

export type BooqableClient = ReturnType<typeof createBooqableClient>;
