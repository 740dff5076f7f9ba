import type { ConsoleEventFragment } from '../../gql/graphql';

/**
 * What the live page keeps across a reload, in sessionStorage: the events on screen and the cursor of the last one
 * received, for the filter they were received under. The cursor and the list are written together, so an event is
 * either on screen and behind the cursor, or neither (and then replayed).
 */
export interface LiveState {
  filterKey: string;
  cursor: string | null;
  events: ConsoleEventFragment[];
}

/** Versioned: a console with another event shape ignores what this one stored. */
const STORAGE_KEY = 'hookgraph.live.v1';
/** Events on screen; older ones drop off (History has them all). */
export const KEEP_EVENTS = 200;
/** sessionStorage holds ~5 MB per origin; the live list takes at most a fifth. */
const MAX_BYTES = 1_000_000;

export function restoreLive(filterKey: string): LiveState {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const stored: unknown = raw === null ? null : JSON.parse(raw);
    if (isLiveState(stored) && stored.filterKey === filterKey) return stored;
  } catch {
    // Unreadable: start afresh.
  }
  return { filterKey, cursor: null, events: [] };
}

/** Stores the state, dropping the oldest events until it fits (the cursor always fits, and is what matters). */
export function persistLive(state: LiveState): void {
  let events = state.events;
  for (;;) {
    const text = JSON.stringify({ ...state, events });
    if (text.length <= MAX_BYTES || events.length === 0) {
      try {
        sessionStorage.setItem(STORAGE_KEY, text);
        return;
      } catch {
        if (events.length === 0) return;
      }
    }
    events = events.slice(0, Math.floor(events.length / 2));
  }
}

function isLiveState(value: unknown): value is LiveState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['filterKey'] === 'string' &&
    (v['cursor'] === null || typeof v['cursor'] === 'string') &&
    Array.isArray(v['events']) &&
    v['events'].every((e: unknown) => {
      if (typeof e !== 'object' || e === null) return false;
      const { id, cursor, type, receivedAt, provider } = e as Record<string, unknown>;
      return [id, cursor, type, receivedAt].every((s) => typeof s === 'string') && typeof provider === 'object' && provider !== null;
    })
  );
}
