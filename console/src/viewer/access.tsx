import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useQuery } from 'urql';
import type { ViewerQuery as ViewerResult } from '../gql/graphql';
import { isUnavailable } from '../ui/errors';
import { formatTime } from '../ui/format';
import { ViewerQuery } from './viewer-document';

export type Viewer = ViewerResult['viewer'];

export interface Access {
  /** null while loading, or when the gateway has no `viewer` field yet. */
  viewer: Viewer | null;
  /** Create, change and delete: ADMIN. Unknown scopes show the buttons and let the gateway decide. */
  canManage: boolean;
  /** Query fields beyond the event log (providers, webhooks): READ or ADMIN. */
  canRead: boolean;
  /** Subscription.events: SUBSCRIBE or ADMIN. */
  canSubscribe: boolean;
}

const AccessContext = createContext<Access>({ viewer: null, canManage: true, canRead: true, canSubscribe: true });

export function AccessProvider({ children }: { children: ReactNode }) {
  const [{ data, error }] = useQuery({ query: ViewerQuery });
  const viewer = isUnavailable(error) ? null : (data?.viewer ?? null);
  const access = useMemo<Access>(() => {
    if (!viewer) return { viewer: null, canManage: true, canRead: true, canSubscribe: true };
    const has = (scope: Viewer['scopes'][number]) => viewer.scopes.includes(scope) || viewer.scopes.includes('ADMIN');
    return { viewer, canManage: has('ADMIN'), canRead: has('READ'), canSubscribe: has('SUBSCRIBE') };
  }, [viewer]);
  return <AccessContext value={access}>{children}</AccessContext>;
}

export function useAccess(): Access {
  return useContext(AccessContext);
}

/** Tenant, credential kind, scopes and expiry, in the header. */
export function ViewerBadge() {
  const { viewer } = useAccess();
  if (!viewer) return null;
  return (
    <p className="viewer">
      <span className="visually-hidden">Signed in as </span>
      <strong>{viewer.tenant.name}</strong> · {viewer.kind === 'API_KEY' ? 'API key' : 'access token'} · {viewer.scopes.join(', ')}
      {viewer.expiresAt && <> · expires {formatTime(viewer.expiresAt)}</>}
    </p>
  );
}
