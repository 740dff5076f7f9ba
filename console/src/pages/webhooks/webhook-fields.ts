import { graphql } from '../../gql';

/** A webhook as the list shows it; the delivery URL (ADMIN only: it carries the webhook's token) only when asked. */
export const WebhookFields = graphql(`
  fragment ConsoleWebhook on Webhook {
    id
    name
    provider {
      key
      name
    }
    events
    unifiedTypes
    status
    externalIds
    payloadVersion
    createdAt
    updatedAt
    deliveryUrl @include(if: $admin)
  }
`);
