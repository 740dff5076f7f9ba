import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleWebhookFragment } from '../../gql/graphql';
import { ConfirmButton } from '../../ui/confirm-button';
import { Outcome } from '../../ui/errors';
import { formatTime } from '../../ui/format';
import { SecretBox } from '../../ui/secret-box';

const RotateSecretMutation = graphql(`
  mutation ConsoleRotateWebhookSecret($id: ID!, $graceSeconds: Int!, $admin: Boolean! = true) {
    rotateWebhookSecret(id: $id, graceSeconds: $graceSeconds) {
      __typename
      ... on RotateWebhookSecretSuccess {
        data {
          ...ConsoleWebhook
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        field
      }
    }
  }
`);

/** The gateway's bound on graceSeconds: 7 days. */
const MAX_GRACE_HOURS = 168;
const DEFAULT_GRACE_HOURS = 24;

/**
 * rotateWebhookSecret: a new delivery URL and secret, registered at the vendor; the old ones stay accepted for a
 * grace period (hours, default 24). Asks before it acts; shows the new delivery URL after.
 */
export function RotateSecret({ webhook, onDone, onClose }: { webhook: ConsoleWebhookFragment; onDone(): void; onClose(): void }) {
  const id = useId();
  const [hours, setHours] = useState(String(DEFAULT_GRACE_HOURS));
  const [until, setUntil] = useState<string | null>(null);
  const [result, rotate] = useMutation(RotateSecretMutation);
  const grace = Number(hours);
  const valid = hours.trim() !== '' && Number.isInteger(grace) && grace >= 0 && grace <= MAX_GRACE_HOURS;
  const answer = result.data?.rotateWebhookSecret;
  const rotated = answer?.__typename === 'RotateWebhookSecretSuccess' ? answer.data : null;

  const run = async () => {
    if (!valid) return;
    const started = Date.now();
    const outcome = await rotate({ id: webhook.id, graceSeconds: grace * 3600 });
    if (outcome.data?.rotateWebhookSecret.__typename === 'RotateWebhookSecretSuccess') {
      setUntil(grace > 0 ? new Date(started + grace * 3_600_000).toISOString() : null);
      onDone();
    }
  };

  return (
    <section className="panel rotate" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Rotate the secret of {webhook.name}</h3>
      <p className="small muted">
        {webhook.provider.name} is sent a new delivery URL and secret. Deliveries to the old ones are still accepted for the grace period,
        then refused.
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-grace`}>Accept the old URL for (hours)</label>
          <input
            id={`${id}-grace`}
            className="narrow"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_GRACE_HOURS}
            step={1}
            required
            value={hours}
            aria-invalid={!valid}
            aria-describedby={`${id}-grace-note`}
            onChange={(e) => setHours(e.target.value)}
          />
          <small id={`${id}-grace-note`}>0 to {MAX_GRACE_HOURS} (7 days); 0 refuses the old URL at once.</small>
        </div>
      </div>
      <div className="actions">
        <ConfirmButton
          question={`Rotate now? The old delivery URL stops working ${grace === 0 ? 'at once' : `after ${grace} hour${grace === 1 ? '' : 's'}`}.`}
          onConfirm={run}
          disabled={!valid || result.fetching}
        >
          {result.fetching ? 'Rotating at the vendor…' : 'Rotate'}
        </ConfirmButton>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <Outcome error={result.error} result={answer} />
      {rotated?.deliveryUrl && (
        <div role="status">
          <p className="ok">Rotated: {webhook.provider.name} now delivers to the new URL.</p>
          <SecretBox
            label="New delivery URL"
            value={rotated.deliveryUrl}
            note={until ? `The old URL and secret are accepted until ${formatTime(until)}.` : 'The old URL is refused from now on.'}
          />
        </div>
      )}
    </section>
  );
}
