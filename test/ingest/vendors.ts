import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import { CreateWebhookDocument } from '../generated/graphql.js';
import type { TestApp, TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';

export const VENDORS = ['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE'] as const satisfies readonly ProviderKey[];
export type Vendor = (typeof VENDORS)[number];

/** Names that hit Object.prototype when a catalogue is a plain object. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** One webhook of the test tenant, with what a vendor needs to deliver to it authentically. */
export interface Hook {
  provider: Vendor;
  /** The GraphQL id. */
  id: string;
  /** The webhook's own id, as in its deliveryUrl. */
  uuid: string;
  /** Path and query of the deliveryUrl (`/hooks/<id>/<token>`). */
  path: string;
  token: string;
  secret: string;
}

const SUBSCRIBED: Record<Vendor, { events: string[]; payloadVersion?: string }> = {
  DESKERA: { events: ['CREATE_INVOICE'] },
  BOOQABLE: { events: ['customer.created'], payloadVersion: '4' },
  PAYBOOK: { events: ['credential_create'] },
  ROOTFI: { events: ['INVOICES:CREATE'] },
  SUPEROFFICE: { events: ['contact.created'] },
};

/** Connects the tenant to every sandbox vendor and creates one webhook on each, through GraphQL. */
export async function createHooks(t: TestApp, tenant: TestTenant): Promise<Record<Vendor, Hook>> {
  const hooks = {} as Record<Vendor, Hook>;
  for (const provider of VENDORS) {
    await t.connectSandbox(tenant, provider);
    const { events, payloadVersion } = SUBSCRIBED[provider];
    const { createWebhook: r } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider, events, ...(payloadVersion && { payloadVersion }) },
    });
    if (r.__typename !== 'CreateWebhookSuccess') throw new Error(`${provider}: ${r.__typename}`);
    const path = new URL(r.data.deliveryUrl).pathname;
    const uuid = path.split('/')[2] as string;
    const secrets = await t.app.services.store.webhooks.secrets(tenant.id, uuid);
    if (!secrets) throw new Error(`${provider}: no secrets for ${uuid}`);
    hooks[provider] = { provider, id: r.data.id, uuid, path, ...secrets };
  }
  return hooks;
}

/** The headers that authenticate `body` to `hook` beyond its URL token (SuperOffice HMAC, the secret header). */
export function authHeaders(hook: Hook, body: Buffer | string): IncomingHttpHeaders {
  if (hook.provider === 'SUPEROFFICE')
    return { 'x-superoffice-signature': createHmac('sha256', hook.secret).update(body).digest('base64') };
  if (hook.provider === 'PAYBOOK' || hook.provider === 'ROOTFI') return { 'x-hookgraph-secret': hook.secret };
  return {};
}

/**
 * A well-formed delivery body for the vendor, carrying `name` as its event name and `nonce` in
 * every payload hookgraph stores (Paybook V3 stores each item: each gets it), so a stored event can
 * be traced to the delivery that produced it. `items` > 1 makes a Paybook V3 batch.
 */
export function vendorBody(
  provider: Vendor,
  name: string,
  nonce: string,
  { items = 1, extra = {} as Record<string, unknown> } = {},
): unknown {
  switch (provider) {
    case 'DESKERA':
      return { eventType: name, nonce, data: { id: nonce, ...extra } };
    case 'BOOQABLE':
      return {
        id: nonce,
        created_at: '2026-02-01T10:00:00Z',
        event: name,
        resource_type: 'customers',
        nonce,
        data: { id: nonce, ...extra },
      };
    case 'PAYBOOK':
      if (items === 0) return { event: name, nonce, id_credential: nonce, ...extra };
      return {
        rid: nonce,
        events: Array.from({ length: items }, (_, i) => ({
          header: { event: { name, at: '2023-06-16 19:06:18.944575+0000', eid: `${nonce}-${i}` } },
          payload: { id_credential: nonce, ...extra },
          nonce,
        })),
      };
    case 'ROOTFI':
      return {
        rootfi_id: nonce,
        created_at: '2024-05-16T11:30:02.120Z',
        webhook_type: name,
        nonce,
        data: { id: nonce, ...extra },
      };
    case 'SUPEROFFICE':
      return {
        EventId: nonce,
        Timestamp: '2025-05-14T10:48:07.8910000Z',
        Event: name,
        Entity: 'contact',
        PrimaryKey: nonce,
        nonce,
        ...extra,
      };
  }
}

/** An event name each vendor delivers for real. */
export const REAL_NAME: Record<Vendor, string> = {
  DESKERA: 'CREATE_INVOICE',
  BOOQABLE: 'customer.created',
  PAYBOOK: 'credentials.created',
  ROOTFI: 'SYNC_COMPLETED',
  SUPEROFFICE: 'contact.created',
};
