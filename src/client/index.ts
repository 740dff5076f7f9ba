// hookgraph/client: for browsers and Node. Imports only graphql, graphql-ws and @graphql-typed-document-node/core
// (types) — never node:* nor anything else of src/.
export { tokenFromApiKey, type AccessTokenRequest } from './access-token.js';
export {
  createHookgraphClient,
  type HookgraphClient,
  type HookgraphClientListeners,
  type HookgraphClientOptions,
  PONG_TIMEOUT_CLOSE_CODE,
} from './create-client.js';
export { graphqlEndpoint } from './endpoint.js';
export { HookgraphError, type HookgraphErrorDetails } from './errors.js';
export * from './generated/graphql.js';
export { possibleTypes } from './generated/possible-types.js';
export { createRequest, type Request, type RequestCallOptions, type RequestOptions, type VariablesOf } from './request.js';
export { type MintedToken, type RefreshingTokenOptions, refreshingToken, type TokenRequest, type TokenSource } from './token.js';
