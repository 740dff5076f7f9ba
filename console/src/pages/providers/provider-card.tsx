import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleProvidersQuery } from '../../gql/graphql';
import { Catalogue } from '../../ui/catalogue';
import { ConfirmButton } from '../../ui/confirm-button';
import { Outcome } from '../../ui/errors';
import { formatTime } from '../../ui/format';
import { useAccess } from '../../viewer/access';
import { ConnectForm } from './connect-form';
import { SandboxButton } from './sandbox-button';

const DisconnectProviderMutation = graphql(`
  mutation ConsoleDisconnectProvider($provider: ProviderKey!) {
    disconnectProvider(provider: $provider) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

type Provider = ConsoleProvidersQuery['providers'][number];

const CAPABILITIES: [keyof Omit<Provider['capabilities'], '__typename'>, string][] = [
  ['multipleEventsPerWebhook', 'several events per registration'],
  ['updateInPlace', 'updates in place'],
  ['testEndpoint', 'test deliveries'],
  ['signedDeliveries', 'signed deliveries'],
  ['reportsStatus', 'reports status'],
];

export function ProviderCard({ provider, onChange }: { provider: Provider; onChange(): void }) {
  const { canManage } = useAccess();
  const [connecting, setConnecting] = useState(false);
  const [{ data, error }, disconnect] = useMutation(DisconnectProviderMutation);
  const connection = provider.connection;
  const headingId = `provider-${provider.key}`;

  const runDisconnect = async () => {
    const result = await disconnect({ provider: provider.key });
    if (result.data?.disconnectProvider.__typename === 'DisconnectProviderSuccess') onChange();
  };

  return (
    <li className="card" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>{provider.name}</h2>
        <span className={`pill ${connection ? 'on' : 'off'}`}>{connection ? 'Connected' : 'Not connected'}</span>
      </header>
      <p className="muted small">
        API {provider.apiVersion} ·{' '}
        <a href={provider.docsUrl} target="_blank" rel="noreferrer noopener">
          vendor docs
        </a>
      </p>
      {connection ? (
        <p>
          <code>{connection.baseUrl}</code>
          <br />
          <span className="muted small">since {formatTime(connection.createdAt)}</span>
        </p>
      ) : (
        <p className="muted">No credentials stored.</p>
      )}
      <p className="small">
        {CAPABILITIES.filter(([k]) => provider.capabilities[k])
          .map(([, label]) => label)
          .join(' · ') || 'no optional capabilities'}
      </p>
      {canManage && (
        <div className="actions">
          <button type="button" aria-expanded={connecting} onClick={() => setConnecting((v) => !v)}>
            {connecting ? 'Cancel' : connection ? 'Replace credentials' : 'Connect'}
          </button>
          {!connection && (
            <SandboxButton provider={provider.key} onDone={onChange}>
              Use the sandbox
            </SandboxButton>
          )}
          {connection && (
            <ConfirmButton
              question={`Forget ${provider.name}'s credentials? Webhooks stay registered at the vendor.`}
              onConfirm={runDisconnect}
            >
              Disconnect
            </ConfirmButton>
          )}
        </div>
      )}
      <Outcome error={error} result={data?.disconnectProvider} />
      {connecting && (
        <ConnectForm
          provider={provider.key}
          defaultBaseUrl={provider.defaultBaseUrl ?? null}
          onDone={() => {
            setConnecting(false);
            onChange();
          }}
        />
      )}
      <details className="catalogue-details">
        <summary>Event catalogue ({provider.eventTypes.length})</summary>
        <Catalogue entries={provider.eventTypes} label={`${provider.name} events`} />
      </details>
    </li>
  );
}
