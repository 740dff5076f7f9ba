import { resolveCursorConnection } from '@pothos/plugin-relay';
import { NotConnectedError, ProviderError, ValidationError } from '../domain/errors.js';
import { WebhookStatus } from '../domain/webhook.js';
import type { Drift } from '../manage/sync.js';
import { combineStatus, type SyncReport } from '../manage/webhooks.js';
import { getProvider } from '../providers/registry.js';
import type { StoredWebhook, WebhookOptions } from '../domain/webhook.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { connectionCost } from './cost.js';
import { vendorErrors } from './errors.js';
import { decodeId, openCursor, sealCursor } from './ids.js';
import { ProviderRef } from './provider.js';
import { ProviderKeyEnum, WebhookStatusEnum } from './provider-key.js';

export const WebhookRef = builder.node(builder.objectRef<StoredWebhook>('Webhook'), {
  // Webhooks are READ's (a SUBSCRIBE token reading Event.webhook gets FORBIDDEN on it); deliveryUrl is ADMIN's.
  authScopes: { read: true },
  id: { resolve: (w) => w.id },
  loadMany: (ids, ctx) => Promise.all(ids.map((id) => ctx.loaders.webhook.load(id))),
  isTypeOf: (w) => typeof w === 'object' && w !== null && 'externalIds' in w,
  fields: (t) => ({
    provider: t.field({ type: ProviderRef, resolve: (w) => getProvider(w.provider) }),
    externalIds: t.exposeStringList('externalIds', { description: "The vendor's ids of the registrations this webhook owns" }),
    name: t.exposeString('name'),
    events: t.exposeStringList('events', { description: "Vendor event names, from the provider's catalogue" }),
    unifiedTypes: t.stringList({
      resolve: (w) => {
        const catalogue = new Map(getProvider(w.provider).eventTypes.map((e) => [e.name, e.unifiedType]));
        return [...new Set(w.events.map((e) => catalogue.get(e) ?? e))];
      },
    }),
    payloadVersion: t.exposeString('payloadVersion', { nullable: true }),
    deliveryUrl: t.string({
      description: 'Where the vendor delivers; its path carries an unguessable token (ADMIN only: it lets deliveries in)',
      authScopes: { admin: true },
      resolve: (w, _args, ctx) => ctx.services.deliveryUrl(w.id, ctx.services.store.webhooks.tokenOf(w)),
    }),
    status: t.field({
      type: WebhookStatusEnum,
      description:
        "The vendor's current state, asked now; the last known state when the vendor cannot be asked (statusStale). DEGRADED: some of its vendor hooks are gone or failing; PENDING: the vendor has not confirmed its create yet",
      resolve: async (w, _args, ctx) => (await liveStatus(w, ctx)).status,
    }),
    statusCheckedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the vendor last answered about this webhook (now, unless statusStale)',
      resolve: async (w, _args, ctx) => (await liveStatus(w, ctx)).checkedAt,
    }),
    statusStale: t.boolean({
      description: 'True when the vendor could not be asked (unreachable, credentials refused): status is the last known one',
      resolve: async (w, _args, ctx) => (await liveStatus(w, ctx)).stale,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** A webhook's status as the vendor reports it now, once per request whatever fields ask. */
interface LiveStatus {
  status: WebhookStatus;
  checkedAt: Date | null;
  stale: boolean;
}
const liveStatuses = new WeakMap<object, Map<string, Promise<LiveStatus>>>();

function liveStatus(w: StoredWebhook, ctx: Context): Promise<LiveStatus> {
  const perRequest = liveStatuses.get(ctx.loaders) ?? new Map<string, Promise<LiveStatus>>();
  liveStatuses.set(ctx.loaders, perRequest);
  let found = perRequest.get(w.id);
  if (!found) {
    found = askVendor(w, ctx);
    perRequest.set(w.id, found);
  }
  return found;
}

async function askVendor(w: StoredWebhook, ctx: Context): Promise<LiveStatus> {
  const stored = { status: w.status, checkedAt: w.statusCheckedAt };
  if (w.deletedAt) return { ...stored, status: WebhookStatus.DELETED, stale: false };
  try {
    const remote = await ctx.loaders.remoteHooks.load(w.provider);
    const statuses = w.externalIds.map((id) => remote.get(id)?.status ?? WebhookStatus.DELETED);
    // Unconfirmed and not yet at the vendor: still PENDING (reconciliation adopts or clears it).
    if (w.pending === 'create' && statuses.every((s) => s === WebhookStatus.DELETED))
      return { ...stored, status: WebhookStatus.PENDING, stale: false };
    return { status: combineStatus(statuses), checkedAt: new Date(), stale: false };
  } catch (error) {
    // The vendor unreachable or refusing, the connection gone, its host no longer allowed: the last known state,
    // flagged stale. Anything else is a fault of ours, reported as such rather than hidden behind it.
    if (error instanceof ProviderError || error instanceof NotConnectedError || error instanceof ValidationError)
      return { ...stored, stale: true };
    throw error;
  }
}

/** A webhooks page position: the (createdAt, id) key the list is ordered by, as sealed in its cursor. */
function webhookPosition(position: string): { createdAt: string; id: string } {
  const bar = position.indexOf('|');
  return { createdAt: position.slice(0, bar), id: position.slice(bar + 1) };
}

const RemoteHookRef = builder
  .objectRef<{ externalId: string; url: string; events: string[]; name: string | null; status: WebhookStatus }>('VendorWebhook')
  .implement({
    description: 'A registration at the vendor that hookgraph does not manage',
    fields: (t) => ({
      externalId: t.exposeString('externalId'),
      url: t.exposeString('url'),
      events: t.exposeStringList('events'),
      name: t.exposeString('name', { nullable: true }),
      status: t.field({ type: WebhookStatusEnum, resolve: (r) => r.status }),
    }),
  });

const DriftRef = builder.objectRef<Drift>('WebhookDrift').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, resolve: (d) => d.webhook }),
    reasons: t.exposeStringList('reasons', { description: 'Every difference found between hookgraph and the vendor' }),
    reason: t.string({ deprecationReason: 'Use reasons: a webhook may drift in several ways', resolve: (d) => d.reasons.join('; ') }),
  }),
});

const SyncFailureRef = builder.objectRef<{ webhook: StoredWebhook; error: string }>('WebhookSyncFailure').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, resolve: (f) => f.webhook }),
    error: t.exposeString('error', { description: "hookgraph's message; never the vendor's body" }),
  }),
});

const SyncReportRef = builder.objectRef<SyncReport>('WebhookSyncReport').implement({
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, resolve: (r) => r.provider }),
    dryRun: t.exposeBoolean('dryRun', { description: 'Nothing was changed, here or at the vendor: the report says what would be' }),
    adopted: t.field({ type: [WebhookRef], resolve: (r) => r.adopted }),
    missing: t.field({
      type: [WebhookRef],
      description: "Absent from the vendor's list but not yet deleted (absences below the threshold)",
      resolve: (r) => r.missing,
    }),
    deleted: t.field({ type: [WebhookRef], resolve: (r) => r.deleted }),
    drifted: t.field({ type: [DriftRef], resolve: (r) => r.drifted }),
    repaired: t.field({ type: [WebhookRef], resolve: (r) => r.repaired }),
    failed: t.field({ type: [SyncFailureRef], resolve: (r) => r.failed }),
    unmanaged: t.field({ type: [RemoteHookRef], resolve: (r) => r.unmanaged }),
  }),
});

builder.queryFields((t) => ({
  webhooks: t.connection({
    type: WebhookRef,
    args: {
      provider: t.arg({ type: ProviderKeyEnum }),
      includeDeleted: t.arg.boolean({ defaultValue: false }),
    },
    // The page sizes of resolveCursorConnection's defaults, used below.
    complexity: connectionCost({ defaultSize: 20, maxSize: 100 }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<StoredWebhook[]>>(
        { args, toCursor: (w: StoredWebhook) => sealCursor(ctx, 'webhook', `${w.createdAt.toISOString()}|${w.id}`) },
        async ({ after, limit, inverted }) => {
          if (inverted) throw new ValidationError('webhooks pages forwards only (first/after)', 'last');
          return ctx.services.store.webhooks.list(ctx.tenant.id, {
            provider: args.provider ?? null,
            includeDeleted: args.includeDeleted ?? false,
            after: after ? webhookPosition(openCursor(ctx, 'webhook', after)) : null,
            limit,
          });
        },
      ),
  }),
  webhook: t.field({
    type: WebhookRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    // A malformed id is BAD_USER_INPUT; a Webhook id that names no webhook of this tenant is null.
    resolve: (_root, { id }, ctx) => ctx.loaders.webhook.load(decodeId(id, 'Webhook')),
  }),
}));

const NameValueInput = builder.inputType('NameValueInput', {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string({ required: true }) }),
});

const WebhookOptionsInput = builder.inputType('WebhookOptionsInput', {
  description: 'Vendor settings beyond the common ones; each vendor reads its own and refuses bad values (ValidationError)',
  fields: (t) => ({
    errorsEmail: t.string({ description: 'SuperOffice: where the vendor mails delivery errors' }),
    headers: t.field({ type: [NameValueInput], description: 'SuperOffice: extra headers on every delivery (at most 20)' }),
    properties: t.field({ type: [NameValueInput], description: 'SuperOffice: extra properties in every delivery (at most 20)' }),
    idUser: t.string({ description: 'Paybook: the user the hook is for (id_user)' }),
    delaySeconds: t.int({ description: 'Paybook: seconds the vendor waits before delivering (delay)' }),
    environment: t.string({
      description: 'Paybook V3 (payloadVersion "3"): SANDBOX or PRODUCTION (id_environment); PRODUCTION if left out',
    }),
  }),
});

type OptionsArg =
  | {
      errorsEmail?: string | null;
      headers?: Array<{ name: string; value: string }> | null;
      properties?: Array<{ name: string; value: string }> | null;
      idUser?: string | null;
      delaySeconds?: number | null;
      environment?: string | null;
    }
  | null
  | undefined;

/** GraphQL's name/value lists as the records WebhookOptions holds; only the fields given (null included) are set. */
function toOptions(input: OptionsArg): WebhookOptions | null {
  if (!input) return null;
  const record = (list: Array<{ name: string; value: string }> | null | undefined, field: string) => {
    if (list == null) return list;
    if (list.length > 20) throw new ValidationError(`${field} holds at most 20 entries`, `options.${field}`);
    const map = new Map<string, string>();
    for (const { name, value } of list) map.set(name, value);
    return Object.fromEntries(map);
  };
  const out: WebhookOptions = {};
  if (input.errorsEmail !== undefined) out.errorsEmail = input.errorsEmail;
  if (input.headers !== undefined) out.headers = record(input.headers, 'headers') ?? null;
  if (input.properties !== undefined) out.properties = record(input.properties, 'properties') ?? null;
  if (input.idUser !== undefined) out.idUser = input.idUser;
  if (input.delaySeconds !== undefined) out.delaySeconds = input.delaySeconds;
  if (input.environment != null && input.environment.length > 32) throw new ValidationError('environment is a name', 'options.environment');
  if (input.environment !== undefined) out.environment = input.environment;
  return out;
}

const NameValueRef = builder.objectRef<[string, string]>('NameValue').implement({
  fields: (t) => ({ name: t.string({ resolve: ([n]) => n }), value: t.string({ resolve: ([, v]) => v }) }),
});

const WebhookOptionsRef = builder.objectRef<WebhookOptions>('WebhookOptions').implement({
  fields: (t) => ({
    errorsEmail: t.string({ nullable: true, resolve: (o) => o.errorsEmail ?? null }),
    headers: t.field({ type: [NameValueRef], nullable: true, resolve: (o) => (o.headers ? Object.entries(o.headers) : null) }),
    properties: t.field({ type: [NameValueRef], nullable: true, resolve: (o) => (o.properties ? Object.entries(o.properties) : null) }),
    idUser: t.string({ nullable: true, resolve: (o) => o.idUser ?? null }),
    delaySeconds: t.int({ nullable: true, resolve: (o) => o.delaySeconds ?? null }),
    environment: t.string({ nullable: true, resolve: (o) => o.environment ?? null }),
  }),
});

builder.objectField(WebhookRef, 'options', (t) =>
  t.field({
    type: WebhookOptionsRef,
    nullable: true,
    description: 'Vendor settings it was registered with (ADMIN only: headers may carry secrets of your own)',
    authScopes: { admin: true },
    resolve: (w) => w.options,
  }),
);

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, required: true }),
    events: t.stringList({ required: true, description: "Names from the provider's eventTypes catalogue" }),
    name: t.string(),
    payloadVersion: t.string({
      description:
        'Vendor payload format where it can be chosen (Booqable: "1" form-encoded or "4" JSON; Paybook: "1" a V1 webhook or "3" a V3 subscription)',
    }),
    options: t.field({ type: WebhookOptionsInput }),
  }),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    events: t.stringList(),
    name: t.string(),
    enabled: t.boolean({ description: 'Pause or resume delivery where the vendor has a state (SuperOffice)' }),
    options: t.field({ type: WebhookOptionsInput, description: 'Fields given (null included) replace, fields left out are kept' }),
  }),
});

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.webhooks.create(ctx.tenant.id, { ...input, options: toOptions(input.options) }),
  }),
  updateWebhook: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    description: 'Updates in place where the vendor can, else deletes and recreates transparently',
    args: { input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.webhooks.update(ctx.tenant.id, decodeId(input.id, 'Webhook', 'input.id'), {
        ...input,
        options: toOptions(input.options),
      }),
  }),
  sendTestEvent: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    description: "Asks the vendor for a test delivery (SuperOffice's Test endpoint; the sandbox vendor for the others)",
    args: { webhookId: t.arg.id({ required: true }) },
    resolve: (_root, { webhookId }, ctx) => ctx.services.webhooks.sendTest(ctx.tenant.id, decodeId(webhookId, 'Webhook', 'webhookId')),
  }),
  rotateWebhookSecret: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    description:
      'A new delivery token (a new deliveryUrl) and secret, registered at the vendor; the old ones are still accepted for graceSeconds (default 1 day, at most 7 days)',
    args: { id: t.arg.id({ required: true }), graceSeconds: t.arg.int({ defaultValue: 86_400 }) },
    resolve: (_root, { id, graceSeconds }, ctx) =>
      ctx.services.webhooks.rotate(ctx.tenant.id, decodeId(id, 'Webhook'), graceSeconds ?? 86_400),
  }),
  deleteWebhook: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.webhooks.delete(ctx.tenant.id, decodeId(id, 'Webhook')),
  }),
  syncWebhooks: t.field({
    type: [SyncReportRef],
    errors: { types: vendorErrors },
    description: "Reconciles hookgraph's records with each connected vendor's list (or one provider's)",
    args: {
      provider: t.arg({ type: ProviderKeyEnum }),
      dryRun: t.arg.boolean({ defaultValue: false, description: 'Report only: change nothing here or at the vendor' }),
      repair: t.arg.boolean({ defaultValue: false, description: 'Re-register what is gone and update what drifted, at the vendor' }),
    },
    resolve: async (_root, { provider, dryRun, repair }, ctx) => {
      const keys = provider ? [provider] : (await ctx.services.connections.list(ctx.tenant.id)).map((c) => c.provider);
      const options = { dryRun: dryRun ?? false, repair: repair ?? false };
      return Promise.all(keys.map((k) => ctx.services.webhooks.sync(ctx.tenant.id, k, options)));
    },
  }),
}));
