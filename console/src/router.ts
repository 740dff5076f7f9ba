import { useSyncExternalStore } from 'react';

/**
 * Hash routing: `#/<page>/<rest>?<params>`, so the gateway serves one file at /console/ and every view, page of
 * history and filter has a link that survives a reload.
 */
export interface Route {
  page: string;
  /** Path segments after the page, decoded. */
  rest: string[];
  params: URLSearchParams;
}

export const PAGES = ['providers', 'webhooks', 'live', 'history', 'access'] as const;

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [page = '', ...rest] = path.split('/').map(safeDecode);
  return { page: page || 'providers', rest, params: new URLSearchParams(query) };
}

export function href(page: string, rest: string[] = [], params?: URLSearchParams): string {
  const path = [page, ...rest].map(encodeURIComponent).join('/');
  const query = params?.toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) {
    window.history.replaceState(window.history.state, '', to);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = to;
  }
}

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
