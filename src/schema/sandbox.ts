import { UnsupportedError, ValidationError } from '../domain/errors.js';
import { builder } from './builder.js';
import { ConnectionRef } from './connection.js';
import { ProviderKeyEnum } from './provider-key.js';

builder.mutationFields((t) => ({
  connectSandbox: t.field({
    type: [ConnectionRef],
    errors: { types: [ValidationError, UnsupportedError] },
    description:
      'Connects this tenant to the sandbox vendor of `provider`, or to all five when omitted: the sandbox opens an account with ' +
      'fresh random credentials, stored sealed like any vendor credentials and never shown. Idempotent: existing sandbox ' +
      'connections are kept; a provider connected to a real vendor is never replaced (ValidationError when named, skipped when ' +
      'omitted). Answers the sandbox connections of the tenant. UnsupportedError when the sandbox is off.',
    args: { provider: t.arg({ type: ProviderKeyEnum, required: false }) },
    resolve: async (_root, { provider }, ctx) => {
      if (!ctx.services.sandbox) throw new UnsupportedError('the sandbox is off (HOOKGRAPH_SANDBOX=0)');
      return (await ctx.services.sandbox.connect(ctx.tenant.id, provider)).connections;
    },
  }),
}));
