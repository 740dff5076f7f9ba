import { type ProviderKey, providerKeys } from '../domain/provider-key.js';
import { getProvider, providers } from '../providers/registry.js';
import type { ProviderCapabilities, ProviderDefinition, ProviderEventType } from '../providers/types.js';
import { builder } from './builder.js';
import { ConnectionRef } from './connection.js';
import { listCost } from './cost.js';
import { ProviderKeyEnum } from './provider-key.js';

// A catalogue costs as much as the longest one (cost.ts): the cost is known before the provider is.
const LONGEST_CATALOGUE = Math.max(...providers.map((p) => p.eventTypes.length));

export const ProviderEventTypeRef = builder.objectRef<ProviderEventType>('ProviderEventType').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: "The vendor's event name, as createWebhook takes it" }),
    unifiedType: t.exposeString('unifiedType', { description: 'The unified name events of this kind carry, e.g. invoice.created' }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

const CapabilitiesRef = builder.objectRef<ProviderCapabilities>('ProviderCapabilities').implement({
  fields: (t) => ({
    multipleEventsPerWebhook: t.exposeBoolean('multipleEventsPerWebhook', {
      description: 'One vendor registration carries several events',
    }),
    updateInPlace: t.exposeBoolean('updateInPlace', {
      description: 'The vendor updates registrations; otherwise hookgraph deletes and recreates',
    }),
    getOne: t.exposeBoolean('getOne'),
    testEndpoint: t.exposeBoolean('testEndpoint', { description: 'The vendor can send a test delivery' }),
    signedDeliveries: t.exposeBoolean('signedDeliveries', { description: 'Deliveries carry a verifiable signature' }),
    reportsStatus: t.exposeBoolean('reportsStatus', { description: "The vendor reports a registration's state" }),
  }),
});

export const ProviderRef = builder.node(builder.objectRef<ProviderDefinition>('Provider'), {
  id: { resolve: (p) => p.key },
  loadOne: (id) => (providerKeys.includes(id as ProviderKey) ? getProvider(id as ProviderKey) : null),
  isTypeOf: (p) => typeof p === 'object' && p !== null && 'eventTypes' in p && 'capabilities' in p,
  fields: (t) => ({
    key: t.field({ type: ProviderKeyEnum, resolve: (p) => p.key }),
    name: t.exposeString('name'),
    apiVersion: t.exposeString('apiVersion'),
    docsUrl: t.exposeString('docsUrl'),
    defaultBaseUrl: t.exposeString('defaultBaseUrl', { nullable: true }),
    eventTypes: t.field({ type: [ProviderEventTypeRef], complexity: listCost(LONGEST_CATALOGUE), resolve: (p) => [...p.eventTypes] }),
    capabilities: t.field({ type: CapabilitiesRef, resolve: (p) => p.capabilities }),
    connection: t.field({
      type: ConnectionRef,
      nullable: true,
      description: "This tenant's connection to the provider, or null. Credentials are never exposed.",
      // The provider itself is public knowledge (a SUBSCRIBE token reads it through Event.provider); the connection is READ's.
      authScopes: { read: true },
      resolve: (p, _args, ctx) => ctx.loaders.connection.load(p.key),
    }),
  }),
});

builder.queryFields((t) => ({
  providers: t.field({ type: [ProviderRef], complexity: listCost(providers.length), resolve: () => [...providers] }),
  provider: t.field({
    type: ProviderRef,
    args: { key: t.arg({ type: ProviderKeyEnum, required: true }) },
    resolve: (_root, { key }) => getProvider(key),
  }),
}));
