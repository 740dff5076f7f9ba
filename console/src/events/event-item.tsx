import { useState } from 'react';
import type { ConsoleEventFragment } from '../gql/graphql';
import { href } from '../router';
import { formatTime } from '../ui/format';
import { JsonView } from '../ui/json-view';

/** One event: a summary line that expands (a native <details>, so keyboard and screen readers know it) to its payload. */
export function EventItem({ event, open = false }: { event: ConsoleEventFragment; open?: boolean }) {
  // The payload is rendered only once expanded: a page of large payloads stays light.
  const [expanded, setExpanded] = useState(open);
  return (
    <li className="event">
      <details open={open} onToggle={(e) => setExpanded(e.currentTarget.open)}>
        <summary>
          <time dateTime={event.receivedAt}>{formatTime(event.receivedAt)}</time>
          <span className="tag">{event.provider.name}</span>
          <code className="type">{event.type}</code>
          {event.test && <span className="tag test">test</span>}
          {event.webhook && <span className="muted">{event.webhook.name}</span>}
        </summary>
        {expanded && (
          <div className="event-body">
            <dl>
              <dt>Vendor event</dt>
              <dd>
                <code>{event.providerEventType}</code>
              </dd>
              {event.resource && (
                <>
                  <dt>Resource</dt>
                  <dd>
                    {event.resource.type}
                    {event.resource.id && (
                      <>
                        {' '}
                        <code>{event.resource.id}</code>
                      </>
                    )}
                  </dd>
                </>
              )}
              <dt>Occurred</dt>
              <dd>{formatTime(event.occurredAt)}</dd>
              <dt>Link</dt>
              <dd>
                <a href={href('events', [event.id])}>Permalink</a>
              </dd>
            </dl>
            <JsonView value={event.payload} label={`Payload of ${event.type}`} />
          </div>
        )}
      </details>
    </li>
  );
}
