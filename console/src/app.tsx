import { useEffect, useState } from 'react';
import { ConnectionBanner, ConnectionProvider } from './connection';
import { AccessPage } from './pages/access/access-page';
import { EventPage } from './pages/event/event-page';
import { HistoryPage } from './pages/history/history-page';
import { LivePage } from './pages/live/live-page';
import { ProvidersPage } from './pages/providers/providers-page';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { WebhooksPage } from './pages/webhooks/webhooks-page';
import { href, parseRoute, type Route, useHash } from './router';
import { type Credential, clearCredential, readCredential, saveCredential, takeTokenFromUrl } from './session';
import { AccessProvider, useAccess, ViewerBadge } from './viewer/access';

const NAV = [
  { page: 'providers', label: 'Providers', needs: 'read' },
  { page: 'webhooks', label: 'Webhooks', needs: 'read' },
  { page: 'live', label: 'Live events', needs: 'subscribe' },
  { page: 'history', label: 'History', needs: null },
  { page: 'access', label: 'Access', needs: null },
] as const;

// Read once, before the first render: the link's token leaves the address bar before anything else can see it.
const initialCredential = takeTokenFromUrl() ?? readCredential();

/** setTimeout's limit: a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function App() {
  const [credential, setCredential] = useState<Credential | null>(initialCredential);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  if (!credential) {
    return (
      <SignInPage
        notice={notice}
        onSignIn={(c) => {
          saveCredential(c);
          setNotice(undefined);
          setCredential(c);
        }}
      />
    );
  }
  const signOut = (reason?: string) => {
    clearCredential();
    setNotice(reason);
    setCredential(null);
  };
  return (
    <ConnectionProvider credential={credential}>
      <AccessProvider>
        <Shell onSignOut={signOut} />
      </AccessProvider>
    </ConnectionProvider>
  );
}

function Shell({ onSignOut }: { onSignOut(reason?: string): void }) {
  const route = parseRoute(useHash());
  const { canRead, canSubscribe, viewer } = useAccess();
  const expiresAt = viewer?.expiresAt ?? null;
  // A token (the sign-in link's) or a key with an expiry: signed out when it ends, with a word on the sign-in page.
  useEffect(() => {
    if (expiresAt === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const left = new Date(expiresAt).getTime() - Date.now();
      if (left <= 0) return onSignOut('Your session expired: sign in again (hookgraph console prints a new link).');
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
    return () => clearTimeout(timer);
  }, [expiresAt, onSignOut]);
  const visible = NAV.filter((n) => n.needs === null || (n.needs === 'read' ? canRead : canSubscribe));
  const current = route.page === 'events' ? 'history' : route.page;
  return (
    <>
      <button type="button" className="skip" onClick={skipToMain}>
        Skip to content
      </button>
      <header className="top">
        <span className="brand">hookgraph</span>
        <nav aria-label="Console">
          <ul>
            {visible.map((n) => (
              <li key={n.page}>
                <a href={href(n.page)} aria-current={current === n.page ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ViewerBadge />
        <button type="button" className="secondary small" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'providers':
      return <ProvidersPage />;
    case 'webhooks':
      return <WebhooksPage route={route} />;
    case 'live':
      return <LivePage route={route} />;
    case 'history':
      return <HistoryPage route={route} />;
    case 'events':
      return <EventPage key={route.rest[0]} id={route.rest[0] ?? ''} />;
    case 'access':
      return <AccessPage />;
    default:
      return (
        <p className="note">
          No page here. <a href={href('providers')}>Providers</a>
        </p>
      );
  }
}

/** A button, not a `#main` link: with hash routing that fragment would be read as a route. */
function skipToMain() {
  document.getElementById('main')?.focus();
}
