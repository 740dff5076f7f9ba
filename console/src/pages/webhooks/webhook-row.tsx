import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleWebhookFragment } from '../../gql/graphql';
import type { CatalogueEntry } from '../../ui/catalogue';
import { ConfirmButton } from '../../ui/confirm-button';
import { Outcome } from '../../ui/errors';
import { formatTime } from '../../ui/format';
import { useAccess } from '../../viewer/access';
import { PauseButton } from './pause-button';
import { RotateSecret } from './rotate-secret';
import { WebhookStatus } from './status-pill';
import { PAUSABLE } from './webhook-fields';
import { WebhookForm } from './webhook-form';
import { WebhookHealth } from './webhook-health';

const SendTestEventMutation = graphql(`
  mutation ConsoleSendTestEvent($id: ID!) {
    sendTestEvent(webhookId: $id) {
      __typename
      ... on SendTestEventSuccess {
        data {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteWebhookMutation = graphql(`
  mutation ConsoleDeleteWebhook($id: ID!) {
    deleteWebhook(id: $id) {
      __typename
      ... on DeleteWebhookSuccess {
        data {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const COLUMNS = 6;

export function WebhookRow({
  webhook,
  catalogue,
  onChange,
}: {
  webhook: ConsoleWebhookFragment;
  catalogue: readonly CatalogueEntry[];
  onChange(): void;
}) {
  const { canManage } = useAccess();
  const [editing, setEditing] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [test, sendTest] = useMutation(SendTestEventMutation);
  const [deleted, deleteWebhook] = useMutation(DeleteWebhookMutation);
  const detailsId = `webhook-${webhook.id}`;

  const remove = async () => {
    const result = await deleteWebhook({ id: webhook.id });
    if (result.data?.deleteWebhook.__typename === 'DeleteWebhookSuccess') onChange();
  };

  return (
    <>
      <tr>
        <th scope="row">{webhook.name}</th>
        <td>{webhook.provider.name}</td>
        <td>
          <WebhookStatus status={webhook.status} stale={webhook.statusStale} checkedAt={webhook.statusCheckedAt} />
        </td>
        <td>
          <details id={detailsId}>
            <summary>
              {webhook.events.length} event{webhook.events.length === 1 ? '' : 's'}
            </summary>
            <ul className="plain">
              {webhook.events.map((e) => (
                <li key={e}>
                  <code>{e}</code>
                </li>
              ))}
            </ul>
            <p className="small muted">Unified: {webhook.unifiedTypes.join(', ')}</p>
            {webhook.deliveryUrl && (
              <p className="small">
                Delivery URL: <code className="break">{webhook.deliveryUrl}</code>
              </p>
            )}
            <p className="small muted">
              Vendor ids: {webhook.externalIds.join(', ') || '—'} · created {formatTime(webhook.createdAt)} · updated{' '}
              {formatTime(webhook.updatedAt)}
            </p>
          </details>
        </td>
        <td>
          <WebhookHealth health={webhook.health} />
        </td>
        <td>
          <div className="row-actions">
            {canManage && (
              <>
                <button type="button" className="secondary" aria-expanded={editing} onClick={() => setEditing((v) => !v)}>
                  Edit<span className="visually-hidden"> {webhook.name}</span>
                </button>
                <button type="button" className="secondary" disabled={test.fetching} onClick={() => sendTest({ id: webhook.id })}>
                  Send test event<span className="visually-hidden"> to {webhook.name}</span>
                </button>
                {PAUSABLE.has(webhook.provider.key) && webhook.status !== 'DELETED' && <PauseButton webhook={webhook} onDone={onChange} />}
                <button type="button" className="secondary" aria-expanded={rotating} onClick={() => setRotating((v) => !v)}>
                  Rotate secret<span className="visually-hidden"> of {webhook.name}</span>
                </button>
                <ConfirmButton
                  question={`Delete ${webhook.name} here and at ${webhook.provider.name}?`}
                  onConfirm={remove}
                  disabled={deleted.fetching}
                >
                  Delete
                </ConfirmButton>
              </>
            )}
          </div>
          <Outcome error={test.error} result={test.data?.sendTestEvent} done="Test event requested: watch Live events." />
          <Outcome error={deleted.error} result={deleted.data?.deleteWebhook} />
        </td>
      </tr>
      {rotating && (
        <tr className="editing">
          <td colSpan={COLUMNS}>
            <RotateSecret webhook={webhook} onDone={onChange} onClose={() => setRotating(false)} />
          </td>
        </tr>
      )}
      {editing && (
        <tr className="editing">
          <td colSpan={COLUMNS}>
            <WebhookForm
              providers={[{ key: webhook.provider.key, name: webhook.provider.name, eventTypes: catalogue }]}
              webhook={webhook}
              onDone={() => {
                setEditing(false);
                onChange();
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}
