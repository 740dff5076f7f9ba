import { encodeGlobalID } from '@pothos/plugin-relay';
import { AccessScope, type Viewer } from '../domain/access.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { EventFilter } from '../domain/event-filter.js';
import type { Tenant } from '../domain/tenant.js';
import { TOKEN_TTL } from '../manage/access.js';
import type { ApiKeyInfo } from '../store/api-keys.js';
import { builder } from './builder.js';
import { EventFilterInput, toFilter } from './event.js';
import { decodeId } from './ids.js';
import { ProviderKeyEnum } from './provider-key.js';

/*
 * Who may do what (README "Access"): scopes on keys and tokens, the viewer, the ADMIN's key management and
 * short-lived tokens. Scopes are checked by @pothos/plugin-scope-auth (builder.ts): each root type's default,
 * and the fields here that differ.
 */

export const AccessScopeEnum = builder.enumType(AccessScope, {
  name: 'AccessScope',
  description: 'ADMIN does everything; READ runs queries; SUBSCRIBE opens Subscription.events and reads events',
});

const ViewerKindEnum = builder.enumType('ViewerKind', { values: ['API_KEY', 'ACCESS_TOKEN'] as const });

const TenantRef = builder.objectRef<Tenant>('Tenant').implement({
  fields: (t) => ({ name: t.exposeString('name') }),
});

/** An EventFilter as held by a key or token: webhook ids as the Webhook global ids clients use. */
const EventFilterValueRef = builder.objectRef<EventFilter>('EventFilterValue').implement({
  description: 'The event filter a key or token is narrowed to: every events read and subscription it makes is intersected with it',
  fields: (t) => ({
    providers: t.field({ type: [ProviderKeyEnum], nullable: true, resolve: (f) => (f.providers ? [...f.providers] : null) }),
    types: t.stringList({ nullable: true, resolve: (f) => (f.types ? [...f.types] : null) }),
    webhookIds: t.idList({ nullable: true, resolve: (f) => f.webhookIds?.map((id) => encodeGlobalID('Webhook', id)) ?? null }),
  }),
});

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'What the credential of this request holds',
  fields: (t) => ({
    kind: t.field({ type: ViewerKindEnum, resolve: (v) => (v.kind === 'key' ? 'API_KEY' : 'ACCESS_TOKEN') }),
    tenant: t.field({ type: TenantRef, resolve: (v) => v.tenant }),
    scopes: t.field({ type: [AccessScopeEnum], resolve: (v) => [...v.scopes] }),
    filter: t.field({ type: EventFilterValueRef, nullable: true, resolve: (v) => v.filter }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ApiKeyRef = builder.node(builder.objectRef<ApiKeyInfo>('ApiKey'), {
  authScopes: { admin: true },
  id: { resolve: (k) => k.id },
  loadOne: (id, ctx) => ctx.services.store.apiKeys.get(ctx.tenant.id, id),
  isTypeOf: (k) => typeof k === 'object' && k !== null && 'scopes' in k && 'lastUsedAt' in k,
  fields: (t) => ({
    name: t.exposeString('name'),
    scopes: t.field({ type: [AccessScopeEnum], resolve: (k) => [...k.scopes] }),
    filter: t.field({ type: EventFilterValueRef, nullable: true, resolve: (k) => k.filter }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'To within a minute' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiKeyRef = builder.objectRef<{ key: string; info: ApiKeyInfo }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret: shown this once, never again. Send it as Authorization: Bearer <key>' }),
    apiKey: t.field({ type: ApiKeyRef, resolve: (k) => k.info }),
  }),
});

const AccessTokenRef = builder.objectRef<{ token: string; expiresAt: Date }>('AccessToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', {
      description: 'Send as Authorization: Bearer <token>, or connectionParams.authorization on graphql-ws',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [AccessScopeEnum], required: true }),
    filter: t.field({ type: EventFilterInput }),
    expiresAt: t.field({ type: 'DateTime', description: 'Null: never expires' }),
  }),
});

const CreateAccessTokenInput = builder.inputType('CreateAccessTokenInput', {
  fields: (t) => ({
    scopes: t.field({ type: [AccessScopeEnum], required: true, description: "At most the caller's own scopes" }),
    filter: t.field({ type: EventFilterInput, description: "Intersected with the caller's own filter" }),
    ttlSeconds: t.int({ description: `Default ${TOKEN_TTL.defaultSeconds} (15 minutes), at most ${TOKEN_TTL.maxSeconds} (24 hours)` }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    // Any credential may ask what it holds.
    skipTypeScopes: true,
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
  apiKeys: t.field({
    type: [ApiKeyRef],
    authScopes: { admin: true },
    description: `The tenant's API keys, oldest first (live ones only unless includeRevoked); at most a few hundred`,
    args: { includeRevoked: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_root, { includeRevoked }, ctx) => {
      const keys = await ctx.services.store.apiKeys.list(ctx.tenant.id);
      return includeRevoked ? keys : keys.filter((k) => k.revokedAt === null);
    },
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKeyRef,
    errors: { types: [ValidationError] },
    description: 'A new API key with the given scopes, filter and expiry; its secret is in the answer, once',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.access.createKey(ctx.tenant.id, {
        name: input.name,
        scopes: input.scopes,
        filter: toFilter(input.filter),
        expiresAt: input.expiresAt ?? null,
      }),
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    errors: { types: [ValidationError, NotFoundError] },
    description: 'Revokes a key at once: its tokens stop working, and its open sockets and streams end within seconds on every replica',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const keyId = decodeId(id, 'ApiKey');
      const revoked = await ctx.services.access.revokeKey(ctx.tenant.id, keyId);
      const key = await ctx.services.store.apiKeys.get(ctx.tenant.id, keyId);
      if (!key || (!revoked && key.revokedAt === null)) throw new NotFoundError('no such API key in this tenant');
      return key;
    },
  }),
  createAccessToken: t.field({
    type: AccessTokenRef,
    errors: { types: [ValidationError] },
    description:
      "A short-lived signed token for a browser: at most the caller's scopes (else FORBIDDEN), filter narrowed to the caller's, expiry no later than the caller's",
    args: { input: t.arg({ type: CreateAccessTokenInput, required: true }) },
    // Any holder may mint a token of what it holds; the manager refuses more.
    skipTypeScopes: true,
    resolve: (_root, { input }, ctx) =>
      ctx.services.access.mintToken(ctx.viewer, { scopes: input.scopes, filter: toFilter(input.filter), ttlSeconds: input.ttlSeconds }),
  }),
}));
