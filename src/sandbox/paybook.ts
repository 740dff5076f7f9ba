import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { paybookEventTypes } from '../providers/paybook/catalog.js';
import type { PaybookWebhookWire } from '../providers/paybook/wire.js';
import { createSandboxRecorder, sandboxControls, deliver, header, sendJson } from './common.js';
import type { SandboxVendor, TriggerOptions } from './types.js';

interface Hook extends PaybookWebhookWire {
  headers: Record<string, string>;
}

const mongoId = () => randomBytes(12).toString('hex');
const known = new Set(paybookEventTypes.map((e) => e.name));
const V3_NAMES: Record<string, string> = {
  credential_create: 'credentials.created',
  credential_update: 'credentials.updated',
  refresh: 'credentials.refreshed',
  documents_completed: 'documents.completed',
};

/** `{rid, code, errors, status, message, response}` on every answer, errors included. */
function envelope(res: ServerResponse, code: number, response: unknown, message: string | null = null): void {
  sendJson(res, code, { rid: randomUUID(), code, errors: code >= 400 ? [{ message }] : null, status: code < 400, message, response });
}

/** `2023-06-16 19:06:18.944575+0000`: Paybook V3's own time format. */
function v3Time(d = new Date()): string {
  return `${d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.(\d{3})Z$/, '.$1000')}+0000`;
}

/**
 * Paybook Sync V1 webhooks (seed, VENDORS.md §3): `Authorization: api_key api_key=sbx-pb-<account>`,
 * envelopes, 24-hex ids, dt_created as unix seconds (as the real API answers). Deliveries: V1 flat,
 * or V3 batched (`shape: 'v3'`, `'v3-batch'` with two items), with the hook's custom headers.
 */
export function createPaybookSandbox(): SandboxVendor {
  const recorder = createSandboxRecorder();
  const accounts = new Map<string, Hook[]>();
  const hooksOf = (account: string) => accounts.get(account) ?? accounts.set(account, []).get(account) ?? [];
  const wire = ({ headers: _h, ...w }: Hook): PaybookWebhookWire => w;

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    const account = /^api_key api_key=sbx-pb-(.+)$/.exec(header(r, 'authorization') ?? '')?.[1];
    if (!account) return envelope(res, 401, null, 'Unauthorized');
    if (path === '/v1/webhooks' && r.method === 'GET') return envelope(res, 200, hooksOf(account).map(wire));
    if (path === '/v1/webhooks' && r.method === 'POST') {
      const b = (r.body ?? {}) as Record<string, unknown>;
      if (typeof b['url'] !== 'string' || !/^https?:\/\//.test(b['url'])) return envelope(res, 400, null, 'url is required');
      const events = b['events'];
      if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && known.has(e))) {
        return envelope(res, 400, null, 'events must be credential_create, credential_update, refresh or documents_completed');
      }
      const headers = typeof b['headers'] === 'object' && b['headers'] !== null ? (b['headers'] as Record<string, string>) : {};
      const hook: Hook = {
        id_webhook: mongoId(),
        id_user: typeof b['id_user'] === 'string' ? b['id_user'] : null,
        is_disabled: 0,
        events: events as string[],
        url: b['url'],
        delay: typeof b['delay'] === 'number' ? b['delay'] : 0,
        ct_failed: 0,
        dt_created: Math.floor(Date.now() / 1000),
        dt_modified: null,
        headers,
      };
      hooksOf(account).push(hook);
      return envelope(res, 200, wire(hook));
    }
    const del = /^\/v1\/webhooks\/([0-9a-f]{24})$/.exec(path);
    if (del && r.method === 'DELETE') {
      const list = hooksOf(account);
      if (!list.some((h) => h.id_webhook === del[1])) return envelope(res, 404, null, 'Webhook not found');
      accounts.set(
        account,
        list.filter((h) => h.id_webhook !== del[1]),
      );
      return envelope(res, 200, true);
    }
    return envelope(res, 404, null, 'Not found');
  }

  function v1Payload(event: string, account: string) {
    const idCredential = mongoId();
    if (event === 'documents_completed') {
      const uuid = randomUUID();
      return {
        endpoints: { documents: [`/v1/webhooks/events/${uuid}/documents?limit=1000&skip=0`] },
        event,
        id_external: null,
        id_user: account,
        uuid,
      };
    }
    return {
      endpoints: { credential: [`/v1/credentials/${idCredential}`] },
      event,
      id_credential: idCredential,
      id_external: 'IXS7607092R5',
      id_job: mongoId(),
      id_job_uuid: mongoId(),
      id_site: '5da784f1f9de2a06483abec1',
      id_site_organization: '56cf4ff5784806152c8b4567',
      id_site_organization_type: '56cf4f5b784806cf028b4569',
      id_user: mongoId(),
      is_executing: 1,
    };
  }

  async function trigger(eventType: string, { account, shape = 'v1' }: TriggerOptions) {
    const items = shape === 'v3-batch' ? 2 : 1;
    const body =
      shape === 'v1'
        ? v1Payload(eventType, account)
        : {
            rid: randomUUID(),
            events: Array.from({ length: items }, () => ({
              header: {
                event: { at: v3Time(), eid: randomUUID(), name: V3_NAMES[eventType] ?? eventType, version: '3.1' },
                user: { id_environment: '574894bf7848066d138b4570', id_external: '20230614-DEMO', id_user: mongoId() },
              },
              payload: v1Payload(eventType, account),
            })),
          };
    const text = JSON.stringify(body);
    return Promise.all(
      hooksOf(account)
        .filter((h) => h.events.includes(eventType))
        .map((h) => deliver(h.url, text, { 'content-type': 'application/json', ...h.headers })),
    );
  }

  return {
    provider: 'PAYBOOK',
    handle,
    basePath: () => '',
    credentialsFor: (account) => ({ apiKey: `sbx-pb-${account}` }),
    trigger,
    ...sandboxControls(recorder, () => accounts.clear()),
  };
}
