import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth';
import { ForbiddenError } from '../domain/errors.js';
import type { Context } from './context.js';
import { defaultFieldCost, listCost } from './cost.js';
import { decodeNodeId } from './ids.js';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
  // What a viewer's scopes (domain/access.ts) allow; ADMIN holds all three.
  AuthScopes: { admin: boolean; read: boolean; subscribe: boolean };
}>({
  // Scope auth first: no other plugin's wrapper (the errors plugin's catch among them) runs before its check.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, DataloaderPlugin, ComplexityPlugin],
  scopeAuth: {
    // A subscription outside the viewer's scopes is refused when it starts, not at its first event.
    authorizeOnSubscribe: true,
    authScopes: ({ viewer }) => {
      const admin = viewer.scopes.includes('ADMIN');
      return { admin, read: admin || viewer.scopes.includes('READ'), subscribe: admin || viewer.scopes.includes('SUBSCRIBE') };
    },
    unauthorizedError: (_parent, context, info, result) =>
      new ForbiddenError(
        `this ${context.viewer.kind === 'key' ? 'key' : 'token'} cannot do that: ${info.parentType.name}.${info.fieldName} needs ${neededScopes(result.failure)}`,
      ),
  },
  defaultFieldNullability: false,
  // Costs only (cost.ts): the limit is checked before execution by src/graphql/limits.ts, which
  // answers 400 with no data, rather than by the plugin inside root resolvers.
  complexity: { fieldComplexity: defaultFieldCost, disabled: true },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // node(id:) and nodes(ids:): anything but a Node's global id is BAD_USER_INPUT, not a masked fault (ids.ts).
    decodeGlobalID: decodeNodeId,
    // A connection's own cost counts its page (cost.ts connectionCost); its structure adds nothing.
    edgesFieldOptions: { complexity: { field: 0, multiplier: 1 } },
    nodeFieldOptions: { complexity: 0 },
    // node(id:) and nodes(ids:) load events for SUBSCRIBE too; each type's own scopes then decide (schema/access.ts).
    nodeQueryOptions: { skipTypeScopes: true, authScopes: { read: true, subscribe: true } },
    pageInfoFieldOptions: { complexity: 0 },
    nodesQueryOptions: {
      complexity: ({ ids }) => listCost(ids.length),
      skipTypeScopes: true,
      authScopes: { read: true, subscribe: true },
    },
  },
  errors: {
    // `createWebhook` → `CreateWebhookSuccess { data }` and `CreateWebhookResult`, as DESIGN.md fixes.
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
});

// Every root field needs these unless it says otherwise (skipTypeScopes, in its own file): queries READ, mutations
// ADMIN, subscriptions SUBSCRIBE. README "Access" has the whole table.
builder.queryType({ authScopes: { read: true } });
builder.mutationType({ authScopes: { admin: true } });
builder.subscriptionType({ authScopes: { subscribe: true } });

/** The scopes a refused field needs, from the plugin's account of the failed check: `READ or SUBSCRIBE`. */
function neededScopes(failure: AuthFailure): string {
  const names = new Set<string>();
  const walk = (f: AuthFailure) => {
    if (f.kind === AuthScopeFailureType.AuthScope) names.add(f.scope.toUpperCase());
    if (f.kind === AuthScopeFailureType.AnyAuthScopes || f.kind === AuthScopeFailureType.AllAuthScopes) for (const x of f.failures) walk(x);
  };
  walk(failure);
  return names.size === 0 ? 'a scope it does not hold' : `${[...names].join(' or ')} (ADMIN holds every scope)`;
}
