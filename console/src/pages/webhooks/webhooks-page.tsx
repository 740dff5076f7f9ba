import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { PROVIDER_NAMES } from '../../providers';
import { isProviderKey } from '../../providers';
import { href, navigate, type Route } from '../../router';
import { ErrorNote } from '../../ui/errors';
import { PageTitle } from '../../ui/page-title';
import { useAccess } from '../../viewer/access';
import { SyncPanel } from './sync-panel';
import { WebhookForm } from './webhook-form';
import { WebhookRow } from './webhook-row';

const WebhooksQuery = graphql(`
  query ConsoleWebhooks($provider: ProviderKey, $first: Int, $after: String, $admin: Boolean!) {
    webhooks(provider: $provider, first: $first, after: $after) {
      edges {
        node {
          ...ConsoleWebhook
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    providers {
      key
      name
      connection {
        baseUrl
      }
      capabilities {
        testEndpoint
        updateInPlace
      }
      eventTypes {
        name
        unifiedType
        description
      }
    }
  }
`);

const PAGE_SIZE = 50;

export function WebhooksPage({ route }: { route: Route }) {
  const { canManage } = useAccess();
  const providerParam = route.params.get('provider') ?? '';
  const provider = isProviderKey(providerParam) ? providerParam : null;
  const after = route.params.get('after');
  const [creating, setCreating] = useState(false);
  // An empty list holds no Webhook for urql's document cache to invalidate on: name the type it depends on.
  const context = useMemo(() => ({ additionalTypenames: ['Webhook', 'ProviderConnection'] }), []);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: WebhooksQuery,
    variables: { provider, first: PAGE_SIZE, after, admin: canManage },
    context,
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const providers = data?.providers ?? [];
  const connected = providers.filter((p) => p.connection);
  const webhooks = data?.webhooks.edges.map((e) => e.node) ?? [];
  const nextPage = data?.webhooks.pageInfo.hasNextPage ? (data.webhooks.pageInfo.endCursor ?? null) : null;

  const show = (params: Record<string, string | null>) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) next.set(k, v);
    navigate(href('webhooks', [], next));
  };

  return (
    <>
      <PageTitle>Webhooks</PageTitle>
      <div className="toolbar">
        <label className="inline">
          Show{' '}
          <select value={provider ?? ''} onChange={(e) => show({ provider: e.target.value })}>
            <option value="">All providers</option>
            {Object.entries(PROVIDER_NAMES).map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {canManage && (
          <button type="button" aria-expanded={creating} onClick={() => setCreating((v) => !v)} disabled={connected.length === 0}>
            {creating ? 'Cancel' : 'New webhook'}
          </button>
        )}
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {canManage && data && connected.length === 0 && (
        <p className="note">
          No provider is connected yet: <a href={href('providers')}>connect one</a> (or the sandbox) to create webhooks.
        </p>
      )}
      {creating && (
        <WebhookForm
          providers={connected}
          onDone={() => {
            setCreating(false);
            reload();
          }}
        />
      )}
      <ErrorNote error={error} />
      {data && webhooks.length === 0 && <p className="muted">No webhooks{provider ? ` for ${PROVIDER_NAMES[provider]}` : ''}.</p>}
      {webhooks.length > 0 && (
        <table className="webhooks" aria-busy={fetching}>
          <caption className="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Events</th>
              <th scope="col">Deliveries</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => (
              <WebhookRow
                key={webhook.id}
                webhook={webhook}
                catalogue={providers.find((p) => p.key === webhook.provider.key)?.eventTypes ?? []}
                onChange={reload}
              />
            ))}
          </tbody>
        </table>
      )}
      {(after || nextPage) && (
        <nav className="pager" aria-label="Webhook pages">
          <button type="button" className="secondary" disabled={!after} onClick={() => show({ provider })}>
            First page
          </button>
          <button type="button" className="secondary" disabled={!nextPage} onClick={() => show({ provider, after: nextPage })}>
            Next page
          </button>
        </nav>
      )}
      {canManage && <SyncPanel providers={connected} onDone={reload} />}
    </>
  );
}
