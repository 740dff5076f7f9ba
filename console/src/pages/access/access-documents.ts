import { graphql } from '../../gql';

/**
 * The Access page's operations, on issue 15's access contract. They live in this file alone so that, on a gateway
 * without these fields, only they fail (validation), and console/codegen.ts can type them from the contract's SDL
 * until schema.graphql has it.
 */

export const ApiKeyFields = graphql(`
  fragment ConsoleApiKey on ApiKey {
    id
    name
    scopes
    filter {
      providers
      types
      webhookIds
    }
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
  }
`);

export const ApiKeysQuery = graphql(`
  query ConsoleApiKeys($includeRevoked: Boolean) {
    apiKeys(includeRevoked: $includeRevoked) {
      ...ConsoleApiKey
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation ConsoleCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on CreateApiKeySuccess {
        data {
          key
          apiKey {
            ...ConsoleApiKey
          }
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        field
      }
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation ConsoleRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      __typename
      ... on RevokeApiKeySuccess {
        data {
          ...ConsoleApiKey
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const CreateAccessTokenMutation = graphql(`
  mutation ConsoleCreateAccessToken($input: CreateAccessTokenInput!) {
    createAccessToken(input: $input) {
      __typename
      ... on CreateAccessTokenSuccess {
        data {
          token
          expiresAt
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        field
      }
    }
  }
`);
