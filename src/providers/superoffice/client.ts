import { type HttpResponse, unreadableAnswer } from '../http.js';
import { isObject, isStringArray, readList, readOne, stringRecord } from '../json.js';
import type { ConnectorContext } from '../types.js';
import type { SuperofficeListFilters, SuperofficeTestResult, SuperofficeWebhookBody, SuperofficeWebhookWire } from './wire.js';

/** OAuth access token, or a system-user ticket plus the application token (VENDORS.md §5.2). */
export type SuperofficeCredentials = { accessToken: string } | { ticket: string; appToken: string };

function narrowWebhook(v: unknown): SuperofficeWebhookWire | null {
  if (!isObject(v) || typeof v['WebhookId'] !== 'number' || typeof v['TargetUrl'] !== 'string') return null;
  const events = v['Events'];
  if (!isStringArray(events)) return null;
  const state = v['State'];
  return {
    WebhookId: v['WebhookId'],
    Name: typeof v['Name'] === 'string' ? v['Name'] : null,
    Events: events,
    TargetUrl: v['TargetUrl'],
    Secret: typeof v['Secret'] === 'string' ? v['Secret'] : null,
    State: typeof state === 'string' || typeof state === 'number' ? state : 'Unknown',
    Type: typeof v['Type'] === 'string' ? v['Type'] : 'webhook',
    Headers: stringRecord(v['Headers']),
    Properties: isObject(v['Properties']) ? v['Properties'] : {},
    Registered: typeof v['Registered'] === 'string' ? v['Registered'] : null,
    Updated: typeof v['Updated'] === 'string' ? v['Updated'] : null,
  };
}

function narrowTestResult(v: unknown): SuperofficeTestResult | null {
  if (!isObject(v) || typeof v['Success'] !== 'boolean') return null;
  return { Success: v['Success'], Message: typeof v['Message'] === 'string' ? v['Message'] : null };
}

/** The REST Webhook agent (`/api/v1/Webhook`, VENDORS.md §5.1) under the tenant's base URL. */
export function createSuperofficeClient(ctx: ConnectorContext<SuperofficeCredentials>) {
  const base = `${ctx.baseUrl.replace(/\/+$/, '')}/api/v1/Webhook`;
  const auth = (): Record<string, string> => {
    const c = ctx.credentials;
    return 'accessToken' in c
      ? { authorization: `Bearer ${c.accessToken}` }
      : { authorization: `SOTicket ${c.ticket}`, 'so-apptoken': c.appToken };
  };
  const one = (res: HttpResponse, what: string) => readOne(res.body, narrowWebhook, () => unreadableAnswer('SUPEROFFICE', what, res));
  const member = (id: string) => `${base}/${encodeURIComponent(id)}`;

  return {
    async defaults(): Promise<void> {
      await ctx.http.send({ method: 'GET', url: `${base}/default`, headers: auth() });
    },
    async list(filters: SuperofficeListFilters = {}): Promise<SuperofficeWebhookWire[]> {
      const res = await ctx.http.send({ method: 'GET', url: base, headers: auth(), query: { ...filters } });
      return readList(res.body, narrowWebhook, () => unreadableAnswer('SUPEROFFICE', 'a webhook list', res));
    },
    async get(id: string): Promise<SuperofficeWebhookWire | null> {
      const res = await ctx.http.send({ method: 'GET', url: member(id), headers: auth(), acceptStatus: [404] });
      return res.status === 404 ? null : one(res, 'a webhook');
    },
    /** SuperOffice POSTs a test event to TargetUrl inside this call and fails it unless that answers 200. */
    async create(body: SuperofficeWebhookBody): Promise<SuperofficeWebhookWire> {
      return one(await ctx.http.send({ method: 'POST', url: base, headers: auth(), json: body }), 'a created webhook');
    },
    async replace(id: string, body: SuperofficeWebhookBody): Promise<SuperofficeWebhookWire> {
      return one(
        await ctx.http.send({ method: 'PUT', url: member(id), headers: auth(), json: { ...body, WebhookId: Number(id) } }),
        'an updated webhook',
      );
    },
    /** JSON Patch; replacing State is idempotent, so a failed attempt may be repeated. */
    async setState(id: string, state: 'Active' | 'Stopped'): Promise<SuperofficeWebhookWire> {
      const res = await ctx.http.send({
        method: 'PATCH',
        url: member(id),
        headers: { ...auth(), 'content-type': 'application/json-patch+json' },
        json: [{ op: 'replace', path: 'State', value: state }],
        idempotent: true,
      });
      return one(res, 'a patched webhook');
    },
    async remove(id: string): Promise<void> {
      await ctx.http.send({ method: 'DELETE', url: member(id), headers: auth(), acceptStatus: [404] });
    },
    async test(body: SuperofficeWebhookBody): Promise<SuperofficeTestResult> {
      const res = await ctx.http.send({ method: 'POST', url: `${base}/Test`, headers: auth(), json: body, idempotent: true });
      return readOne(res.body, narrowTestResult, () => unreadableAnswer('SUPEROFFICE', 'a test result', res));
    },
  };
}
