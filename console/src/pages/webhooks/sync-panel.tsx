import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ProviderKey } from '../../gql/graphql';
import { PROVIDER_NAMES } from '../../providers';
import { Outcome } from '../../ui/errors';

const SyncWebhooksMutation = graphql(`
  mutation ConsoleSyncWebhooks($provider: ProviderKey) {
    syncWebhooks(provider: $provider) {
      __typename
      ... on SyncWebhooksSuccess {
        data {
          provider
          adopted {
            id
            name
          }
          deleted {
            id
            name
          }
          drifted {
            reason
            webhook {
              id
              name
            }
          }
          unmanaged {
            externalId
            name
            url
            events
            status
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** syncWebhooks: reconcile hookgraph's records with each vendor's list, and say what differed and why. */
export function SyncPanel({ providers, onDone }: { providers: readonly { key: ProviderKey; name: string }[]; onDone(): void }) {
  const id = useId();
  const [provider, setProvider] = useState<ProviderKey | ''>('');
  const [{ data, error, fetching }, sync] = useMutation(SyncWebhooksMutation);
  const result = data?.syncWebhooks;
  const reports = result?.__typename === 'SyncWebhooksSuccess' ? result.data : null;

  const run = async () => {
    const outcome = await sync({ provider: provider || null });
    if (outcome.data?.syncWebhooks.__typename === 'SyncWebhooksSuccess') onDone();
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Sync with the vendors</h2>
      <div className="toolbar">
        <label className="inline" htmlFor={`${id}-provider`}>
          Providers to sync
        </label>
        <select id={`${id}-provider`} value={provider} onChange={(e) => setProvider(e.target.value as ProviderKey | '')}>
          <option value="">Every connected provider</option>
          {providers.map((p) => (
            <option key={p.key} value={p.key}>
              {p.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={run} disabled={fetching || providers.length === 0}>
          {fetching ? 'Asking the vendors…' : 'Sync now'}
        </button>
      </div>
      <Outcome error={error} result={result} />
      {reports && (
        <div role="status">
          {reports.length === 0 && <p className="muted">Nothing to reconcile.</p>}
          {reports.map((r) => {
            const clean = r.adopted.length + r.deleted.length + r.drifted.length + r.unmanaged.length === 0;
            return (
              <article key={r.provider} className="report">
                <h3>{PROVIDER_NAMES[r.provider]}</h3>
                {clean && <p className="ok">In sync: every registration matches.</p>}
                {r.drifted.length > 0 && (
                  <>
                    <h4>Drifted</h4>
                    <ul>
                      {r.drifted.map((d) => (
                        <li key={d.webhook.id}>
                          <strong>{d.webhook.name}</strong>: {d.reason}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                {r.adopted.length > 0 && (
                  <>
                    <h4>Adopted</h4>
                    <ul>
                      {r.adopted.map((w) => (
                        <li key={w.id}>{w.name}</li>
                      ))}
                    </ul>
                  </>
                )}
                {r.deleted.length > 0 && (
                  <>
                    <h4>Gone at the vendor</h4>
                    <ul>
                      {r.deleted.map((w) => (
                        <li key={w.id}>{w.name}</li>
                      ))}
                    </ul>
                  </>
                )}
                {r.unmanaged.length > 0 && (
                  <>
                    <h4>At the vendor, not managed here</h4>
                    <ul>
                      {r.unmanaged.map((u) => (
                        <li key={u.externalId}>
                          {u.name ?? u.externalId} ({u.status.toLowerCase()}): <code className="break">{u.url}</code> —{' '}
                          {u.events.join(', ')}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}
