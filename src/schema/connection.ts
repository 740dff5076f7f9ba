import { NotConnectedError, ValidationError } from '../domain/errors.js';
import type { Connection } from '../domain/connection.js';
import { builder } from './builder.js';
import { vendorErrors } from './errors.js';
import { ProviderKeyEnum } from './provider-key.js';

export const ConnectionRef = builder.objectRef<Connection>('ProviderConnection').implement({
  description: "A tenant's link to one vendor account. Credentials are write-only: no field returns them.",
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, resolve: (c) => c.provider }),
    baseUrl: t.exposeString('baseUrl'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const DeskeraCredentials = builder.inputType('DeskeraCredentialsInput', {
  fields: (t) => ({
    clientId: t.string({ required: true }),
    clientSecret: t.string({ required: true }),
    accessToken: t.string({ required: true }),
    refreshToken: t.string({ required: true }),
  }),
});
const ApiKeyCredentials = (name: string) => builder.inputType(name, { fields: (t) => ({ apiKey: t.string({ required: true }) }) });
const SuperOfficeOAuth = builder.inputType('SuperOfficeOAuthInput', {
  description:
    'An OAuth access token, with the refresh token and the client it was issued to: renewed on a 401 (tokens last about an hour)',
  fields: (t) => ({
    accessToken: t.string({ required: true }),
    refreshToken: t.string(),
    clientId: t.string(),
    clientSecret: t.string(),
    redirectUri: t.string(),
  }),
});
const SuperOfficeTicket = builder.inputType('SuperOfficeTicketInput', {
  description:
    'A system-user ticket with the application token; with the system user token and the application private key, renewed on a 401',
  fields: (t) => ({
    ticket: t.string(),
    appToken: t.string({ required: true }),
    systemUserToken: t.string(),
    privateKey: t.string({ description: "The application's PEM RSA private key, which signs the system user token" }),
  }),
});
const SuperOfficeCredentials = builder.inputType('SuperOfficeCredentialsInput', {
  isOneOf: true,
  description: 'An OAuth access token (alone, or with what renews it), or a system-user ticket with the application token',
  fields: (t) => ({ accessToken: t.string(), oauth: t.field({ type: SuperOfficeOAuth }), ticket: t.field({ type: SuperOfficeTicket }) }),
});

const CredentialsInput = builder.inputType('ProviderCredentialsInput', {
  isOneOf: true,
  description: "Exactly one vendor's credentials. Stored encrypted; never returned.",
  fields: (t) => ({
    deskera: t.field({ type: DeskeraCredentials }),
    booqable: t.field({ type: ApiKeyCredentials('BooqableCredentialsInput') }),
    paybook: t.field({ type: ApiKeyCredentials('PaybookCredentialsInput') }),
    rootfi: t.field({ type: ApiKeyCredentials('RootfiCredentialsInput') }),
    superoffice: t.field({ type: SuperOfficeCredentials }),
  }),
});

const ConnectProviderInput = builder.inputType('ConnectProviderInput', {
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, required: true }),
    baseUrl: t.string({ description: 'Vendor origin before the API path; defaults to the public host where there is one' }),
    credentials: t.field({ type: CredentialsInput, required: true }),
  }),
});

builder.mutationFields((t) => ({
  connectProvider: t.field({
    type: ConnectionRef,
    description: 'Stores credentials after a real vendor call proves them',
    errors: { types: vendorErrors },
    args: { input: t.arg({ type: ConnectProviderInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const creds = input.credentials as Record<string, unknown>;
      const slug = input.provider.toLowerCase();
      const given = Object.keys(creds).filter((k) => creds[k] != null);
      if (given.length !== 1 || given[0] !== slug) {
        throw new ValidationError(`credentials must be given as { ${slug}: … } for ${input.provider}`, 'credentials');
      }
      return ctx.services.connections.connect(ctx.tenant.id, input.provider, input.baseUrl, creds[slug]);
    },
  }),
  disconnectProvider: t.field({
    type: 'Boolean',
    errors: { types: vendorErrors },
    description: 'Forgets the stored credentials. Webhooks at the vendor stay registered.',
    args: { provider: t.arg({ type: ProviderKeyEnum, required: true }) },
    resolve: async (_root, { provider }, ctx) => {
      if (!(await ctx.services.connections.disconnect(ctx.tenant.id, provider))) throw new NotConnectedError(provider);
      return true;
    },
  }),
}));
