import { useQuery } from 'urql';
import { EventItem } from '../../events/event-item';
import { graphql } from '../../gql';
import { href } from '../../router';
import { ErrorNote } from '../../ui/errors';
import { PageTitle } from '../../ui/page-title';

const EventQuery = graphql(`
  query EventById($id: ID!) {
    event(id: $id) {
      ...ConsoleEvent
    }
  }
`);

/** `#/events/<id>`: one event, expanded, as a link to share or bookmark. */
export function EventPage({ id }: { id: string }) {
  const [{ data, error, fetching }] = useQuery({ query: EventQuery, variables: { id }, pause: id === '' });
  const event = data?.event;
  return (
    <>
      <PageTitle>Event</PageTitle>
      <p>
        <a href={href('history')}>← History</a>
      </p>
      <ErrorNote error={error} />
      {fetching && !data && <p className="muted">Loading…</p>}
      {data && !event && (
        <p className="note">
          No event with id <code>{id}</code> in this tenant's log.
        </p>
      )}
      {event && (
        <ol className="events">
          <EventItem event={event} open />
        </ol>
      )}
    </>
  );
}
