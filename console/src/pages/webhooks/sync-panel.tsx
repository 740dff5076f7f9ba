import { type ReactNode, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ProviderKey } from '../../gql/graphql';
import { PROVIDER_NAMES } from '../../providers';
import { Outcome } from '../../ui/errors';

const SyncWebhooksMutation = graphql(`
  mutation ConsoleSyncWebhooks($provider: ProviderKey, $dryRun: Boolean!, $repair: Boolean!) {
    syncWebhooks(provider: $provider, dryRun: $dryRun, repair: $repair) {
      __typename
      ... on SyncWebhooksSuccess {
        data {
          provider
          dryRun
          adopted {
            id
            name
          }
          missing {
            id
            name
          }
          deleted {
            id
            name
          }
          drifted {
            reasons
            webhook {
              id
              name
            }
          }
          repaired {
            id
            name
          }
          failed {
            error
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

type Mode = 'sync' | 'dryRun' | 'repair';

const MODES: ReadonlyArray<{ mode: Mode; label: string; busy: string; hint: string }> = [
  { mode: 'sync', label: 'Sync now', busy: 'Asking the vendors…', hint: 'update hookgraph’s records from the vendors' },
  { mode: 'dryRun', label: 'Dry run', busy: 'Comparing…', hint: 'report only: nothing changes here or at the vendor' },
  { mode: 'repair', label: 'Repair', busy: 'Repairing at the vendors…', hint: 're-register what is gone, put back what drifted' },
];

/**
 * syncWebhooks: reconcile hookgraph's records with each vendor's list, and say what differed and why. A dry run
 * only reports; Repair also re-registers missing webhooks and puts drifted ones back at the vendor.
 */
export function SyncPanel({ providers, onDone }: { providers: readonly { key: ProviderKey; name: string }[]; onDone(): void }) {
  const id = useId();
  const [provider, setProvider] = useState<ProviderKey | ''>('');
  const [running, setRunning] = useState<Mode | null>(null);
  const [{ data, error, fetching }, sync] = useMutation(SyncWebhooksMutation);
  const result = data?.syncWebhooks;
  const reports = result?.__typename === 'SyncWebhooksSuccess' ? result.data : null;

  const run = async (mode: Mode) => {
    setRunning(mode);
    const outcome = await sync({ provider: provider || null, dryRun: mode === 'dryRun', repair: mode === 'repair' });
    setRunning(null);
    if (mode !== 'dryRun' && outcome.data?.syncWebhooks.__typename === 'SyncWebhooksSuccess') onDone();
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
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            className={m.mode === 'sync' ? undefined : 'secondary'}
            onClick={() => run(m.mode)}
            disabled={fetching || providers.length === 0}
            aria-describedby={`${id}-${m.mode}`}
          >
            {running === m.mode ? m.busy : m.label}
          </button>
        ))}
      </div>
      <ul className="plain small muted sync-hints">
        {MODES.map((m) => (
          <li key={m.mode} id={`${id}-${m.mode}`}>
            <strong>{m.label}</strong>: {m.hint}
          </li>
        ))}
      </ul>
      <Outcome error={error} result={result} />
      {reports && (
        <div role="status" aria-label="Sync report">
          {reports.length === 0 && <p className="muted">Nothing to reconcile.</p>}
          {reports.map((r) => {
            const clean =
              r.adopted.length +
                r.missing.length +
                r.deleted.length +
                r.drifted.length +
                r.repaired.length +
                r.failed.length +
                r.unmanaged.length ===
              0;
            return (
              <article key={r.provider} className="report" aria-label={`${PROVIDER_NAMES[r.provider]} sync report`}>
                <h3>
                  {PROVIDER_NAMES[r.provider]}
                  {r.dryRun && (
                    <>
                      {' '}
                      <span className="tag">dry run: nothing was changed</span>
                    </>
                  )}
                </h3>
                {clean && <p className="ok">In sync: every registration matches.</p>}
                <Group title="Drifted" items={r.drifted}>
                  {(d) => (
                    <li key={d.webhook.id}>
                      <strong>{d.webhook.name}</strong>
                      <ul className="reasons">
                        {d.reasons.map((reason) => (
                          <li key={reason}>{reason}</li>
                        ))}
                      </ul>
                    </li>
                  )}
                </Group>
                <Group title={r.dryRun ? 'Would be repaired' : 'Repaired'} items={r.repaired}>
                  {(w) => <li key={w.id}>{w.name}</li>}
                </Group>
                <Group title="Failed" items={r.failed}>
                  {(f) => (
                    <li key={f.webhook.id}>
                      <strong>{f.webhook.name}</strong>: <span className="error">{f.error}</span>
                    </li>
                  )}
                </Group>
                <Group title="Missing at the vendor (not yet deleted)" items={r.missing}>
                  {(w) => <li key={w.id}>{w.name}</li>}
                </Group>
                <Group title={r.dryRun ? 'Would be marked deleted' : 'Gone at the vendor'} items={r.deleted}>
                  {(w) => <li key={w.id}>{w.name}</li>}
                </Group>
                <Group title="Adopted" items={r.adopted}>
                  {(w) => <li key={w.id}>{w.name}</li>}
                </Group>
                <Group title="At the vendor, not managed here" items={r.unmanaged}>
                  {(u) => (
                    <li key={u.externalId}>
                      {u.name ?? u.externalId} ({u.status.toLowerCase()}): <code className="break">{u.url}</code> — {u.events.join(', ')}
                    </li>
                  )}
                </Group>
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}

/** One list of a report, with its count in the heading; nothing when empty. */
function Group<T>({ title, items, children }: { title: string; items: readonly T[]; children(item: T): ReactNode }) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>
        {title} ({items.length})
      </h4>
      <ul>{items.map(children)}</ul>
    </>
  );
}
