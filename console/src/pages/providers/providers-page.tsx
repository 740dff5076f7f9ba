import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { ErrorNote } from '../../ui/errors';
import { PageTitle } from '../../ui/page-title';
import { useAccess } from '../../viewer/access';
import { ProviderCard } from './provider-card';
import { SandboxButton } from './sandbox-button';

const ProvidersQuery = graphql(`
  query ConsoleProviders {
    providers {
      id
      key
      name
      apiVersion
      docsUrl
      defaultBaseUrl
      capabilities {
        multipleEventsPerWebhook
        updateInPlace
        testEndpoint
        signedDeliveries
        reportsStatus
      }
      eventTypes {
        name
        unifiedType
        description
      }
      connection {
        baseUrl
        createdAt
        updatedAt
      }
    }
  }
`);

export function ProvidersPage() {
  const { canManage } = useAccess();
  const [{ data, error }, refetch] = useQuery({ query: ProvidersQuery });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const connected = data?.providers.filter((p) => p.connection).length ?? 0;
  return (
    <>
      <PageTitle>Providers</PageTitle>
      <div className="toolbar">
        <p>{data ? `${connected} of ${data.providers.length} connected.` : 'Loading…'}</p>
        {canManage && <SandboxButton onDone={reload}>Connect the sandbox (all five)</SandboxButton>}
      </div>
      <ErrorNote error={error} />
      <ul className="cards">
        {data?.providers.map((provider) => (
          <ProviderCard key={provider.id} provider={provider} onChange={reload} />
        ))}
      </ul>
    </>
  );
}
