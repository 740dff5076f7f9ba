import { ProviderError } from '../../domain/errors.js';
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

/**
 * The page size listAll asks for. Booqable documents no maximum, and may answer fewer items per page
 * than asked, so a short page is not the last one: listAll pages until it holds `meta[total]`.
 */
export const BOOQABLE_MAX_PAGE_SIZE = 100;

/** Pages listAll reads at most (10,000 endpoints at 100 a page): a vendor whose total never fills is not paged forever. */
export const BOOQABLE_MAX_PAGES = 100;

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
  if (params.meta?.total) q['meta[total][]'] = params.meta.total;
  return q;
}

const count = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/**
 * The `meta[total][]=count` answer: `meta.total.count`, or `meta.stats.total.count` as the stats of
 * other resources answer it (v4/_introduction.md); null when absent or not a count.
 */
export function narrowTotal(body: unknown): number | null {
  const meta = prop(body, 'meta');
  return count(prop(prop(meta, 'total'), 'count')) ?? count(prop(prop(prop(meta, 'stats'), 'total'), 'count'));
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

  async function listPage(params: BooqableListParams): Promise<{ items: BooqableEndpointWire[]; total: number | null }> {
    const res = await ctx.http.send({ method: 'GET', url: collection, query: booqableListQuery(params), headers: headers() });
    const items = readList(prop(res.body, 'data'), narrowEndpoint, () => unreadableAnswer('BOOQABLE', 'a webhook endpoint list', res));
    return { items, total: narrowTotal(res.body) };
  }

  return {
    apiPath,
    list: async (params: BooqableListParams = {}) => (await listPage(params)).items,
    /**
     * Every endpoint, page by page, sorted so pages do not shift, asking `meta[total][]=count`: done when
     * the pages hold that many endpoints, or at an empty page (endpoints deleted meanwhile). Without a
     * total, done at an empty page or one shorter than the longest so far (Booqable's own page size).
     */
    async listAll(): Promise<BooqableEndpointWire[]> {
      const byId = new Map<string, BooqableEndpointWire>();
      let pageSize = 0;
      for (let number = 1; number <= BOOQABLE_MAX_PAGES; number++) {
        const page = { number, size: BOOQABLE_MAX_PAGE_SIZE };
        const { items, total } = await listPage({ page, sort: 'created_at', meta: { total: 'count' } });
        for (const e of items) byId.set(e.id, e);
        pageSize = Math.max(pageSize, items.length);
        if (items.length === 0 || (total === null ? items.length < pageSize : byId.size >= total)) return [...byId.values()];
      }
      // A partial list would make sync report the unread endpoints as gone.
      throw new ProviderError(`BOOQABLE listed more than ${BOOQABLE_MAX_PAGES} pages of webhook endpoints`, { provider: 'BOOQABLE' });
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
