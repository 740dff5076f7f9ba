import { graphql } from '../gql';

/**
 * Who the credential is (issue 15's access contract). Kept apart from every other document: on a gateway without
 * `viewer` this one operation fails validation and the console carries on without a badge, assuming nothing.
 */
export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      kind
      tenant {
        name
      }
      scopes
      expiresAt
      filter {
        providers
        types
        webhookIds
      }
    }
  }
`);
