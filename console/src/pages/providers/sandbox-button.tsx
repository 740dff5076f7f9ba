import type { ReactNode } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ProviderKey } from '../../gql/graphql';
import { Outcome } from '../../ui/errors';

const ConnectSandboxMutation = graphql(`
  mutation ConsoleConnectSandbox($provider: ProviderKey) {
    connectSandbox(provider: $provider) {
      __typename
      ... on ConnectSandboxSuccess {
        data {
          provider
          baseUrl
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** connectSandbox: one provider, or all five when `provider` is omitted; the sandbox makes up the credentials. */
export function SandboxButton({ provider, onDone, children }: { provider?: ProviderKey; onDone(): void; children: ReactNode }) {
  const [{ data, error, fetching }, connect] = useMutation(ConnectSandboxMutation);
  const run = async () => {
    const result = await connect({ provider: provider ?? null });
    if (result.data?.connectSandbox.__typename === 'ConnectSandboxSuccess') onDone();
  };
  return (
    <span className="inline-action">
      <button type="button" className="secondary" onClick={run} disabled={fetching}>
        {children}
      </button>
      <Outcome error={error} result={data?.connectSandbox} done="Connected to the sandbox." />
    </span>
  );
}
