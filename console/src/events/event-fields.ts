import { graphql } from '../gql';

/** What the live and history pages show of an event; both spread it, so one list item renders either. */
export const EventFields = graphql(`
  fragment ConsoleEvent on Event {
    id
    cursor
    type
    providerEventType
    test
    occurredAt
    receivedAt
    payload
    resource {
      type
      id
    }
    provider {
      key
      name
    }
    webhook {
      id
      name
    }
  }
`);
