import { useSocketStatus } from '../../connection';
import { type FilterState, filterFromParams, filterKey, filterToParams } from '../../events/event-filter';
import { EventFilterForm } from '../../events/event-filter-form';
import { EventItem } from '../../events/event-item';
import { href, navigate, type Route } from '../../router';
import { ErrorNote } from '../../ui/errors';
import { PageTitle } from '../../ui/page-title';
import { useAccess } from '../../viewer/access';
import { useLiveEvents } from './use-live-events';

export function LivePage({ route }: { route: Route }) {
  const filter = filterFromParams(route.params);
  const apply = (next: FilterState) => navigate(href('live', [], filterToParams(next)));
  const key = filterKey(filter);
  return (
    <>
      <PageTitle>Live events</PageTitle>
      <EventFilterForm key={`form:${key}`} value={filter} onApply={apply} />
      {/* A new filter is a new feed: its own cursor, list and subscription. */}
      <LiveFeed key={`feed:${key}`} filter={filter} />
    </>
  );
}

function LiveFeed({ filter }: { filter: FilterState }) {
  const { canSubscribe } = useAccess();
  const socket = useSocketStatus();
  const { state, error, notice, clear } = useLiveEvents(filter, canSubscribe);
  if (!canSubscribe) return <p className="note">This key cannot open subscriptions; the History page shows stored events.</p>;
  return (
    <section aria-labelledby="live-feed">
      <div className="toolbar">
        <h2 id="live-feed">
          {state.events.length} event{state.events.length === 1 ? '' : 's'}
        </h2>
        <span role="status" className={`pill ${socket.state === 'open' ? 'on' : 'off'}`}>
          {socket.state === 'open' ? 'Listening' : 'Waiting for the connection'}
        </span>
        <button type="button" className="secondary" onClick={clear} disabled={state.events.length === 0}>
          Clear list
        </button>
      </div>
      <ErrorNote error={error ?? undefined} />
      {notice && (
        <p className="note" role="status">
          {notice}
        </p>
      )}
      {state.events.length === 0 ? (
        <p className="muted">No events yet. Send a test event from the Webhooks page, or trigger one in the sandbox.</p>
      ) : (
        <ol className="events" aria-label="Events, newest first">
          {state.events.map((event) => (
            <EventItem key={event.id} event={event} />
          ))}
        </ol>
      )}
    </section>
  );
}
