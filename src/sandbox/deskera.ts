import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deskeraEventTypes } from '../providers/deskera/catalog.js';
import type { DeskeraHookWire } from '../providers/deskera/wire.js';
import { createSandboxRecorder, sandboxControls, deliver, header, sendJson } from './common.js';
import type { SandboxVendor, TriggerOptions } from './types.js';

/**
 * Deskera's webhook API (seed): `x-access-token` auth, register/deregister/list, one eventType per hook,
 * OAuth refresh with Basic client credentials. Accounts: access token `sbx-dk-<account>-<n>`, refresh
 * token `sbx-dk-refresh-<account>`, client `sbx-dk-client-<account>`. The delivery format is not
 * documented (VENDORS.md §1.3); the sandbox POSTs JSON `{hookId, eventType, tenantId, data}`.
 */
export function createDeskeraSandbox(): SandboxVendor & { expireAccessToken(account: string): void } {
  const recorder = createSandboxRecorder();
  const hooks = new Map<string, DeskeraHookWire[]>();
  const tokens = new Map<string, number>();
  let nextHookId = 1;
  const known = new Set(deskeraEventTypes.map((e) => e.name));
  const tokenOf = (account: string) => `sbx-dk-${account}-${tokens.get(account) ?? 0}`;
  const accountOfToken = (token: string | undefined): string | null => {
    const m = /^sbx-dk-(.+)-(\d+)$/.exec(token ?? '');
    return m && tokenOf(m[1] as string) === token ? (m[1] as string) : null;
  };
  const hooksOf = (account: string) => hooks.get(account) ?? hooks.set(account, []).get(account) ?? [];

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    if (r.method === 'POST' && path === '/v2/oauth/token') {
      const basic = Buffer.from((header(r, 'authorization') ?? '').replace(/^Basic /, ''), 'base64').toString();
      const [clientId, clientSecret] = basic.split(':');
      const account = /^sbx-dk-client-(.+)$/.exec(clientId ?? '')?.[1];
      if (
        !account ||
        clientSecret !== `sbx-dk-secret-${account}` ||
        r.query['refresh_token'] !== `sbx-dk-refresh-${account}` ||
        r.query['grant_type'] !== 'refresh_token'
      ) {
        return sendJson(res, 401, { errorMessage: 'invalid client or refresh token' });
      }
      tokens.set(account, (tokens.get(account) ?? 0) + 1);
      return sendJson(res, 200, {
        access_token: tokenOf(account),
        token_type: 'bearer',
        refresh_token: `sbx-dk-refresh-${account}`,
        expires_in: 0,
      });
    }
    const account = accountOfToken(header(r, 'x-access-token'));
    if (!account) return sendJson(res, 401, { errorMessage: 'Unauthorized', errorCode: 401 });
    if (r.method === 'GET' && path === '/v1/iam/token/app/validate') return sendJson(res, 200, { valid: true });
    if (r.method === 'GET' && path === '/v1/webhooks') return sendJson(res, 200, hooksOf(account));
    // The seed's curl posts without /v1 while its table says /v1: accept both (VENDORS.md §1.1).
    if (r.method === 'POST' && (path === '/v1/webhooks/register' || path === '/webhooks/register')) {
      const body = (r.body ?? {}) as Record<string, unknown>;
      if (typeof body['eventType'] !== 'string' || !known.has(body['eventType']))
        return sendJson(res, 400, { errorMessage: 'Invalid eventType' });
      if (typeof body['webhookUrl'] !== 'string' || !/^https?:\/\//.test(body['webhookUrl']))
        return sendJson(res, 400, { errorMessage: 'Invalid webhookUrl' });
      for (const f of ['clientId', 'clientSecret', 'accessToken', 'refreshToken']) {
        if (typeof body[f] !== 'string' || body[f] === '') return sendJson(res, 400, { errorMessage: `${f} is required` });
      }
      const hook: DeskeraHookWire = { hookId: nextHookId++, eventType: body['eventType'], webhookUrl: body['webhookUrl'], deleted: false };
      hooksOf(account).push(hook);
      return sendJson(res, 200, hook);
    }
    const del = /^\/v1\/webhooks\/delete\/(\d+)$/.exec(path);
    if (r.method === 'DELETE' && del) {
      const list = hooksOf(account);
      const hook = list.find((h) => String(h.hookId) === del[1]);
      if (!hook) return sendJson(res, 404, { errorMessage: 'Webhook not found' });
      hooks.set(
        account,
        list.filter((h) => h !== hook),
      );
      return sendJson(res, 200, { ...hook, deleted: true });
    }
    return sendJson(res, 404, { errorMessage: 'Not found' });
  }

  async function trigger(eventType: string, { account }: TriggerOptions) {
    const noun = eventType.replace(/^(CREATE|UPDATE|DELETE)_/, '');
    const id = randomBytes(6).toString('hex');
    return Promise.all(
      hooksOf(account)
        .filter((h) => h.eventType === eventType)
        .map((h) =>
          deliver(
            h.webhookUrl,
            JSON.stringify({
              hookId: h.hookId,
              eventType,
              tenantId: account,
              timestamp: new Date().toISOString(),
              data: { id, documentCode: `${noun.slice(0, 3)}-${id.slice(0, 6).toUpperCase()}`, requestId: randomUUID() },
            }),
            { 'content-type': 'application/json', 'user-agent': 'Deskera-Webhook/1.0' },
          ),
        ),
    );
  }

  return {
    provider: 'DESKERA',
    handle,
    basePath: () => '',
    credentialsFor: (account) => ({
      clientId: `sbx-dk-client-${account}`,
      clientSecret: `sbx-dk-secret-${account}`,
      accessToken: tokenOf(account),
      refreshToken: `sbx-dk-refresh-${account}`,
    }),
    trigger,
    ...sandboxControls(recorder, () => {
      hooks.clear();
      tokens.clear();
    }),
    /** Invalidates the account's current access token; the refresh endpoint issues the next one. */
    expireAccessToken(account) {
      tokens.set(account, (tokens.get(account) ?? 0) + 1);
    },
  };
}
