import { useQuery } from 'urql';
import { type FilterState, filterFromParams, filterKey, filterToParams, toEventFilter } from '../../events/event-filter';
import { EventFilterForm } from '../../events/event-filter-form';
import { EventItem } from '../../events/event-item';
import { graphql } from '../../gql';
import { href, navigate, type Route } from '../../router';
import { ErrorNote } from '../../ui/errors';
import { PageTitle } from '../../ui/page-title';

const HistoryQuery = graphql(`
  query History($filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {
    events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      edges {
        cursor
        node {
          ...ConsoleEvent
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 25;

/**
 * The stored event log, newest first on screen. The log itself is oldest first (Relay's `events` connection), so
 * the first view is `last: 25`; "Older" pages backwards with `before`, "Newer" forwards with `after`. Filter and
 * position live in the route, so the browser's back button and a reload both work.
 */
export function HistoryPage({ route }: { route: Route }) {
  const filter = filterFromParams(route.params);
  const after = route.params.get('after');
  const before = route.params.get('before');
  const page = after ? { first: PAGE_SIZE, after } : { last: PAGE_SIZE, before };
  const [{ data, error, fetching }, refetch] = useQuery({
    query: HistoryQuery,
    variables: { filter: toEventFilter(filter), ...page },
    requestPolicy: 'cache-and-network',
  });
  const connection = data?.events;
  const events = connection ? [...connection.edges].reverse().map((e) => e.node) : [];

  const go = (position: { after?: string; before?: string }, next: FilterState = filter) => {
    const params = filterToParams(next);
    if (position.after) params.set('after', position.after);
    if (position.before) params.set('before', position.before);
    navigate(href('history', [], params));
  };
  const older = connection?.pageInfo.hasPreviousPage && connection.pageInfo.startCursor;
  const newer = connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor;

  const pager = (where: string) => (
    <nav className="pager" aria-label={`History pages (${where})`}>
      <button type="button" className="secondary" disabled={!after && !before} onClick={() => go({})}>
        Newest
      </button>
      <button type="button" className="secondary" disabled={!newer} onClick={() => newer && go({ after: newer })}>
        ← Newer
      </button>
      <button type="button" className="secondary" disabled={!older} onClick={() => older && go({ before: older })}>
        Older →
      </button>
      <button type="button" className="secondary" onClick={() => refetch({ requestPolicy: 'network-only' })}>
        Refresh
      </button>
    </nav>
  );

  return (
    <>
      <PageTitle>History</PageTitle>
      <EventFilterForm key={filterKey(filter)} value={filter} onApply={(next) => go({}, next)} />
      <ErrorNote error={error} />
      {pager('top')}
      <div aria-live="polite" aria-busy={fetching}>
        {connection && events.length === 0 && <p className="muted">No stored events match.</p>}
        {events.length > 0 && (
          <ol className="events" aria-label="Events, newest first">
            {events.map((event) => (
              <EventItem key={event.id} event={event} />
            ))}
          </ol>
        )}
      </div>
      {events.length > 10 && pager('bottom')}
    </>
  );
}
