/** A webhook endpoint's attributes (JSON:API `webhook_endpoints`). `version` exists on /api/4 only. */
export interface BooqableEndpointAttributes {
  url: string;
  events: string[];
  version?: number;
  created_at?: string;
  updated_at?: string;
}

/** List items come flattened in the docs' samples; single resources come as JSON:API resources. */
export type BooqableEndpointWire = { id: string } & BooqableEndpointAttributes;

export interface BooqableResourceBody {
  data: { type: 'webhook_endpoints'; id?: string; attributes: { url: string; events: string[]; version?: number } };
}

/** List parameters in Booqable's dialect. */
export interface BooqableListParams {
  page?: { number?: number; size?: number };
  /** `filter[attr][op]=value`, e.g. `{ url: { prefix: 'https://' } }`. */
  filter?: Record<string, Record<string, string>>;
  /** `created_at,-updated_at` */
  sort?: string;
  fields?: string[];
}

/** A delivery, v1 (form-decoded, leaves are strings) or v4 (JSON). */
export interface BooqableDeliveryWire {
  id?: string;
  created_at?: string;
  event?: string;
  /** v1: class name (`Customer`). */
  object?: string;
  /** v4: JSON:API type (`customers`). */
  resource_type?: string;
  data?: Record<string, unknown>;
}
