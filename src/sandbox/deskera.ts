import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deskeraEventTypes } from '../providers/deskera/catalog.js';
import type { DeskeraHookWire } from '../providers/deskera/wire.js';
import { accountNamedBy, createVendorAccounts, mintSecret } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

interface State {
  hooks: DeskeraHookWire[];
  nextHookId: number;
}

const ACCESS_PREFIX = 'sbx-dk-';
const CLIENT_PREFIX = 'sbx-dk-client-';
const SECRET_PREFIX = 'sbx-dk-secret-';
const REFRESH_PREFIX = 'sbx-dk-refresh-';

/**
 * Deskera's webhook API (seed): `x-access-token` auth, register/deregister/list, one eventType per hook,
 * OAuth refresh with Basic client credentials. Each account gets a client id, and random client
 * secret, access token and refresh token; the refresh endpoint rotates the access token (the old
 * one stops working). The delivery format is not documented (VENDORS.md §1.3); the sandbox POSTs
 * JSON `{hookId, eventType, tenantId, data}` to each hook's own webhookUrl (hookgraph registers one
 * tagged URL per hook), or the same without `eventType` (`shape: 'unnamed'`).
 */
export function createDeskeraSandbox(
  options: SandboxVendorOptions = {},
): SandboxVendor & { expireAccessToken(account: string): Promise<void> } {
  const { store, acceptsDeliveryUrl, recorder } = sandboxParts(options);
  const known = new Set(deskeraEventTypes.map((e) => e.name));
  const accounts = createVendorAccounts<State>({
    provider: 'DESKERA',
    store,
    initialState: () => ({ hooks: [], nextHookId: 1 }),
    mint: (account) => {
      const secrets = {
        clientSecret: mintSecret(SECRET_PREFIX, account),
        accessToken: mintSecret(ACCESS_PREFIX, account),
        refreshToken: mintSecret(REFRESH_PREFIX, account),
      };
      return { forms: { default: { clientId: `${CLIENT_PREFIX}${account}`, ...secrets } }, secrets };
    },
  });
  const accountOfClient = (clientId: string | undefined) =>
    clientId?.startsWith(CLIENT_PREFIX) ? clientId.slice(CLIENT_PREFIX.length) || null : null;

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    if (r.method === 'POST' && path === '/v2/oauth/token') {
      const basic = Buffer.from((header(r, 'authorization') ?? '').replace(/^Basic /, ''), 'base64').toString();
      const colon = basic.indexOf(':');
      const [clientId, clientSecret] = colon === -1 ? [basic, undefined] : [basic.slice(0, colon), basic.slice(colon + 1)];
      const refreshToken = r.query['refresh_token'];
      const account =
        r.query['grant_type'] === 'refresh_token'
          ? await accounts.authenticate(accountOfClient(clientId), { clientSecret, refreshToken })
          : null;
      if (!account) return sendJson(res, 401, { errorMessage: 'invalid client or refresh token' });
      const accessToken = mintSecret(ACCESS_PREFIX, account);
      await accounts.change(account, (a) => accounts.setSecret(a, 'accessToken', accessToken));
      return sendJson(res, 200, { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: 0 });
    }
    const token = header(r, 'x-access-token');
    const account = await accounts.authenticate(accountNamedBy(ACCESS_PREFIX, token), { accessToken: token });
    if (!account) return sendJson(res, 401, { errorMessage: 'Unauthorized', errorCode: 401 });
    if (r.method === 'GET' && path === '/v1/iam/token/app/validate') return sendJson(res, 200, { valid: true });
    if (r.method === 'GET' && path === '/v1/webhooks') return sendJson(res, 200, (await accounts.read(account))?.state.hooks ?? []);
    // The seed's curl posts without /v1 while its table says /v1: accept both (VENDORS.md §1.1).
    if (r.method === 'POST' && (path === '/v1/webhooks/register' || path === '/webhooks/register')) {
      const body = (r.body ?? {}) as Record<string, unknown>;
      const eventType = body['eventType'];
      const webhookUrl = body['webhookUrl'];
      if (typeof eventType !== 'string' || !known.has(eventType)) return sendJson(res, 400, { errorMessage: 'Invalid eventType' });
      if (typeof webhookUrl !== 'string' || !/^https?:\/\//.test(webhookUrl))
        return sendJson(res, 400, { errorMessage: 'Invalid webhookUrl' });
      if (!acceptsDeliveryUrl(webhookUrl))
        return sendJson(res, 400, { errorMessage: 'Invalid webhookUrl: not a delivery URL of this gateway' });
      for (const f of ['clientId', 'clientSecret', 'accessToken', 'refreshToken']) {
        if (typeof body[f] !== 'string' || body[f] === '') return sendJson(res, 400, { errorMessage: `${f} is required` });
      }
      const hook = await accounts.change(account, ({ state }) => {
        if (state.hooks.length >= MAX_HOOKS_PER_ACCOUNT) return null;
        const added: DeskeraHookWire = { hookId: state.nextHookId++, eventType, webhookUrl, deleted: false };
        state.hooks.push(added);
        return added;
      });
      return hook ? sendJson(res, 200, hook) : sendJson(res, 400, { errorMessage: `At most ${MAX_HOOKS_PER_ACCOUNT} webhooks` });
    }
    const del = /^\/v1\/webhooks\/delete\/(\d+)$/.exec(path);
    if (r.method === 'DELETE' && del) {
      const hook = await accounts.change(account, ({ state }) => {
        const found = state.hooks.find((h) => String(h.hookId) === del[1]);
        if (found) state.hooks = state.hooks.filter((h) => h !== found);
        return found;
      });
      return hook ? sendJson(res, 200, { ...hook, deleted: true }) : sendJson(res, 404, { errorMessage: 'Webhook not found' });
    }
    return sendJson(res, 404, { errorMessage: 'Not found' });
  }

  /**
   * POSTs to each hook of the account registered for `eventType`, at the hook's own URL. `shape:
   * 'unnamed'` leaves the event name out of the body, as a delivery that does not name its event (the
   * receiver knows it only from the URL it registered for that hook).
   */
  async function trigger(eventType: string, { account, shape }: TriggerOptions) {
    const noun = eventType.replace(/^(CREATE|UPDATE|DELETE)_/, '');
    const id = randomBytes(6).toString('hex');
    const hooks = (await accounts.read(account))?.state.hooks ?? [];
    return Promise.all(
      hooks
        .filter((h) => h.eventType === eventType && acceptsDeliveryUrl(h.webhookUrl))
        .map((h) =>
          deliver(
            h.webhookUrl,
            JSON.stringify({
              hookId: h.hookId,
              ...(shape !== 'unnamed' && { eventType }),
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
    async openAccount({ form } = {}) {
      const { account, credentials } = await accounts.open(form);
      return { account, basePath: '', credentials };
    },
    // The client secret and refresh token identify the account; the access token rotates.
    accountOf: (credentials) =>
      accounts.authenticate(accountOfClient(stringField(credentials, 'clientId')), {
        clientSecret: stringField(credentials, 'clientSecret'),
        refreshToken: stringField(credentials, 'refreshToken'),
      }),
    basePath: () => '',
    credentialsFor: (name, form) => accounts.fixture(name, form),
    trigger,
    ...sandboxControls(recorder, accounts.reset),
    /** Invalidates the account's current access token; the refresh endpoint issues the next one. */
    expireAccessToken: (account) =>
      accounts.change(account, (a) => accounts.setSecret(a, 'accessToken', mintSecret(ACCESS_PREFIX, account))),
  };
}
