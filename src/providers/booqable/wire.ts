import type { TimeFormat } from '../time.js';

/**
 * Booqable's wire shapes (JSON:API `webhook_endpoints` and webhook deliveries). These types stay in
 * client.ts, map.ts, normalize.ts and the sandbox; the rest of hookgraph sees RemoteWebhook and NormalizedEvent.
 */

/**
 * Booqable writes `2020-05-19T04:30:06.000000+00:00` (microseconds) in the API and
 * `2021-01-01T00:00:00Z` in delivery samples; v1 payloads come from Rails, which may also write
 * `2021-01-01 00:00:00 UTC`. All of them are the date-time grammar of time.ts; anything else is unreadable.
 */
export const booqableTime: TimeFormat = { lenient: false };

/** The two API roots a company exposes: `/api/4` today, `/api/boomerang` in the seed's era (VENDORS.md §2.1). */
export type BooqableApiPath = '4' | 'boomerang';

/** Payload versions a `/api/4` endpoint can choose: 1 = form-encoded, 4 = JSON (VENDORS.md §2.3). */
export type BooqablePayloadVersion = 1 | 4;

/**
 * One webhook endpoint after narrowing. The docs show list items flattened (`{id, url, events, …}`)
 * and single answers as JSON:API resources (`{id, type, attributes: {…}}`); both narrow to this.
 * `version` exists on `/api/4` only.
 */
export interface BooqableEndpointWire {
  id: string;
  url: string;
  events: string[];
  version?: BooqablePayloadVersion;
  created_at?: string;
  updated_at?: string;
}

/** The attributes hookgraph writes on create (POST) and update (PUT). */
export interface BooqableEndpointAttributesIn {
  url: string;
  events: string[];
  /** Sent on `/api/4` only; boomerang endpoints have no version and deliver v1. */
  version?: BooqablePayloadVersion;
}

/** JSON:API request document: `{"data":{"type":"webhook_endpoints","id"?,"attributes":{…}}}`. */
export interface BooqableResourceDocument {
  data: { type: 'webhook_endpoints'; id?: string; attributes: BooqableEndpointAttributesIn };
}

/** Filter operators Booqable documents for webhook_endpoints (`filter[attr][op]=value`). */
export type BooqableFilterOperator =
  | 'eq'
  | 'not_eq'
  | 'eql'
  | 'not_eql'
  | 'prefix'
  | 'not_prefix'
  | 'suffix'
  | 'not_suffix'
  | 'match'
  | 'not_match'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte';

export type BooqableFilterAttribute = 'id' | 'url' | 'created_at' | 'updated_at' | 'version';

/** List parameters in Booqable's JSON:API dialect. */
export interface BooqableListParams {
  /** `page[number]` (1-based) and `page[size]`. */
  page?: { number?: number; size?: number };
  /** `filter[url][prefix]=https://`, `filter[id][eq]=<uuid>`. */
  filter?: Partial<Record<BooqableFilterAttribute, Partial<Record<BooqableFilterOperator, string>>>>;
  /** `created_at,-updated_at`: comma separated, `-` for descending. */
  sort?: string;
  /** Sparse fieldset: `fields[webhook_endpoints]=url,events`. */
  fields?: string[];
  /** `meta[total][]=count`: the answer's `meta.total.count` is the size of the whole filtered list. */
  meta?: { total?: 'count' };
}

/** Booqable's error document: `{"errors":[{"status":"422","title":"…","detail":"…"}]}`. */
export interface BooqableErrorDocument {
  errors: Array<{ status: string; title: string; detail: string; source?: { pointer: string } }>;
}

/**
 * A version 1 delivery, form-urlencoded and decoded with `qs` by the ingest route: every leaf is a
 * string (`data[id]=…`, `data[lines][0][id]=…`). `object` is the v1 class name (`Customer`).
 */
export interface BooqableV1DeliveryWire {
  id?: string;
  created_at?: string;
  event: string;
  object?: string;
  data?: Record<string, unknown>;
}

/** A version 4 delivery (application/json): plain JSON, relations nested. `resource_type` is the JSON:API type. */
export interface BooqableV4DeliveryWire {
  id?: string;
  created_at?: string;
  event: string;
  resource_type?: string;
  data?: Record<string, unknown>;
}

/**
 * Either delivery shape, as normalize.ts narrows it: they share `id`, `created_at`, `event`, `data` and
 * differ in how the resource is named. Empty strings are left out.
 */
export type BooqableDeliveryWire = BooqableV1DeliveryWire & BooqableV4DeliveryWire;
