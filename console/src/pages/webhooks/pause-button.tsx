import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleWebhookFragment } from '../../gql/graphql';
import { Outcome } from '../../ui/errors';

const SetEnabledMutation = graphql(`
  mutation ConsoleSetWebhookEnabled($id: ID!, $enabled: Boolean!, $admin: Boolean! = true) {
    updateWebhook(input: { id: $id, enabled: $enabled }) {
      __typename
      ... on UpdateWebhookSuccess {
        data {
          ...ConsoleWebhook
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/**
 * Pauses or resumes delivery at the vendor (updateWebhook's `enabled`), for vendors with a registration state: the
 * caller shows it only for those (webhook-fields.ts PAUSABLE); any other answers UnsupportedError, shown inline.
 */
export function PauseButton({ webhook, onDone }: { webhook: ConsoleWebhookFragment; onDone(): void }) {
  const [result, setEnabled] = useMutation(SetEnabledMutation);
  const paused = webhook.status === 'DISABLED';
  const answer = result.data?.updateWebhook;
  const now = answer?.__typename === 'UpdateWebhookSuccess' ? answer.data.status : null;

  const toggle = async () => {
    const outcome = await setEnabled({ id: webhook.id, enabled: paused });
    if (outcome.data?.updateWebhook.__typename === 'UpdateWebhookSuccess') onDone();
  };

  return (
    <>
      <button type="button" className="secondary" disabled={result.fetching} onClick={toggle}>
        {paused ? 'Resume' : 'Pause'}
        <span className="visually-hidden"> {webhook.name}</span>
      </button>
      <Outcome
        error={result.error}
        result={answer}
        done={now === 'DISABLED' ? 'Paused at the vendor.' : `Resumed at the vendor (${now?.toLowerCase()}).`}
      />
    </>
  );
}
