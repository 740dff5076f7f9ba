import { graphql } from '../../gql';
import type { ProviderKey } from '../../gql/graphql';

/**
 * A webhook as the list shows it: its vendor state (and whether that is the last known one), the delivery counts of
 * the health window, and the delivery URL (ADMIN only: it carries the webhook's token) only when asked.
 */
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
    statusCheckedAt
    statusStale
    health {
      window
      deliveries
      accepted
      duplicates
      refused
      refusedByReason {
        reason
        count
      }
      lastDeliveryAt
      lastEventAt
      vendorFailures
      lastVendorError
      lastVendorErrorAt
    }
    externalIds
    payloadVersion
    createdAt
    updatedAt
    deliveryUrl @include(if: $admin)
  }
`);

/** Vendors with a registration state that updateWebhook's `enabled` pauses and resumes (the others: UnsupportedError). */
export const PAUSABLE: ReadonlySet<ProviderKey> = new Set(['SUPEROFFICE']);
