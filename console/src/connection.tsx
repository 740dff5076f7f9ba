import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import { type ConsoleClient, createConsoleClient } from './client';
import type { Credential } from './session';
import type { SocketStatus, SocketStatusStore } from './socket-status';

const SocketContext = createContext<SocketStatusStore | null>(null);

/** urql's client and the socket's status for everything below, made for one credential and closed with it. */
export function ConnectionProvider({ credential, children }: { credential: Credential; children: ReactNode }) {
  const [connection, setConnection] = useState<ConsoleClient | null>(null);
  useEffect(() => {
    const created = createConsoleClient(credential);
    setConnection(created);
    return () => created.dispose();
  }, [credential]);
  if (!connection) return null;
  return (
    <Provider value={connection.client}>
      <SocketContext value={connection.socket}>{children}</SocketContext>
    </Provider>
  );
}

export function useSocketStatus(): SocketStatus {
  const store = useContext(SocketContext);
  if (!store) throw new Error('useSocketStatus outside ConnectionProvider');
  return useSyncExternalStore(store.subscribe, store.get);
}

/** The network banner: shown while the socket is lost or refused, gone when it resumes. */
export function ConnectionBanner() {
  const { state, reason } = useSocketStatus();
  if (state === 'lost') {
    return (
      <div className="banner" role="alert">
        Connection to the gateway lost{reason ? ` (${reason})` : ''}. Reconnecting; live events resume where they stopped.
      </div>
    );
  }
  if (state === 'refused') {
    return (
      <div className="banner refused" role="alert">
        The gateway refused this credential ({reason}). Sign out and sign in with a valid key or a new link.
      </div>
    );
  }
  return null;
}
