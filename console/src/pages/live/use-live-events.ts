import { useEffect, useRef, useState } from 'react';
import { type CombinedError, useClient } from 'urql';
import { useSocketStatus } from '../../connection';
import { type FilterState, filterKey, toEventFilter } from '../../events/event-filter';
import { graphql } from '../../gql';
import { isForbidden, isUnavailable } from '../../ui/errors';
import { KEEP_EVENTS, type LiveState, persistLive, restoreLive } from './live-store';

const LiveEventsSubscription = graphql(`
  subscription LiveEvents($filter: EventFilter, $after: String) {
    events(filter: $filter, after: $after) {
      ...ConsoleEvent
    }
  }
`);

/** The newest event's cursor: where "live from now" starts, so nothing that arrives while subscribing is missed. */
const HeadQuery = graphql(`
  query LiveHead($filter: EventFilter) {
    events(filter: $filter, last: 1) {
      edges {
        cursor
      }
    }
  }
`);

/** Ids remembered to drop replayed duplicates; far more than a replay after a reconnection repeats. */
const MAX_SEEN = 10_000;

export interface LiveEvents {
  state: LiveState;
  error: CombinedError | null;
  /** A recoverable hiccup being retried (slow subscriber, pruned cursor), in words. */
  notice: string | null;
  clear(): void;
}

/**
 * Subscription.events for one filter, newest first, resumable: every event received moves a cursor stored with the
 * list (live-store.ts); a reload, a reconnected socket or a failed stream restarts the subscription with
 * `after: cursor`, and the gateway replays what was missed with no gap. Replays can repeat an event the page already
 * has (graphql-ws resubscribes with the original variables before this hook restarts), so events are deduplicated
 * by id.
 */
export function useLiveEvents(filter: FilterState, enabled: boolean): LiveEvents {
  const client = useClient();
  const { resumes } = useSocketStatus();
  const key = filterKey(filter);
  const [state, setState] = useState(() => restoreLive(key));
  const [error, setError] = useState<CombinedError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const cursor = useRef(state.cursor);
  const seen = useRef(new Set(state.events.map((e) => e.id)));

  useEffect(() => persistLive(state), [state]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `resumes` and `attempt` are restart triggers; the filter is `key`
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let unsubscribe = () => {};
    let retry: number | undefined;
    const variables = { filter: toEventFilter(filter) };

    const subscribe = (after: string | null) => {
      const subscription = client.subscription(LiveEventsSubscription, { ...variables, after }).subscribe((result) => {
        if (result.error) return failed(result.error);
        const event = result.data?.events;
        if (!event || seen.current.has(event.id)) return;
        remember(seen.current, event.id);
        cursor.current = event.cursor;
        setError(null);
        setNotice(null);
        setState((prev) => ({ ...prev, cursor: event.cursor, events: [event, ...prev.events].slice(0, KEEP_EVENTS) }));
      });
      unsubscribe = () => subscription.unsubscribe();
    };

    const failed = (e: CombinedError) => {
      unsubscribe();
      const expired = e.graphQLErrors.find((g) => g.extensions?.['code'] === 'CURSOR_EXPIRED');
      if (expired && typeof expired.extensions['horizon'] === 'string') {
        cursor.current = expired.extensions['horizon'];
        setNotice('Some events were pruned by retention before they could be replayed; resuming from the oldest one kept.');
      } else if (isForbidden(e) || isUnavailable(e) || e.graphQLErrors.some((g) => g.extensions?.['code'] === 'UNAUTHENTICATED')) {
        setError(e);
        return;
      } else {
        setNotice(`The stream stopped (${e.message.replace(/^\[\w+\]\s*/, '')}); resuming from the last event received.`);
      }
      retry = window.setTimeout(() => setAttempt((n) => n + 1), Math.min(1000 * 2 ** Math.min(attempt, 5), 30_000));
    };

    if (cursor.current !== null) {
      subscribe(cursor.current);
    } else {
      // First visit with this filter: start from the newest stored event rather than "whenever the socket is ready".
      client
        .query(HeadQuery, variables, { requestPolicy: 'network-only' })
        .toPromise()
        .then((head) => {
          if (stopped) return;
          const at = head.data?.events.edges[0]?.cursor ?? null;
          if (at !== null && cursor.current === null) {
            cursor.current = at;
            setState((prev) => (prev.cursor === null ? { ...prev, cursor: at } : prev));
          }
          subscribe(cursor.current);
        });
    }
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      unsubscribe();
    };
  }, [client, key, enabled, resumes, attempt]);

  const clear = () => setState((prev) => ({ ...prev, events: [] }));
  return { state, error, notice, clear };
}

function remember(seen: Set<string>, id: string): void {
  seen.add(id);
  if (seen.size > MAX_SEEN) {
    const oldest = seen.values().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
}
