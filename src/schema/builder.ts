import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
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
}>({
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin, ComplexityPlugin],
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
    pageInfoFieldOptions: { complexity: 0 },
    nodesQueryOptions: { complexity: ({ ids }) => listCost(ids.length) },
  },
  errors: {
    // `createWebhook` → `CreateWebhookSuccess { data }` and `CreateWebhookResult`, as DESIGN.md fixes.
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
