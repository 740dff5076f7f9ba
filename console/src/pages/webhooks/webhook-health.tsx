import type { ConsoleWebhookFragment } from '../../gql/graphql';
import { formatTime } from '../../ui/format';

type Health = NonNullable<ConsoleWebhookFragment['health']>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Refusal reasons (RefusalCount.reason) in words; reasons this console does not know show as they come. */
const REASONS: ReadonlyMap<string, string> = new Map([
  ['bad_token', 'unknown delivery token'],
  ['bad_signature', 'bad signature'],
  ['too_large', 'too large'],
  ['unsupported_type', 'unsupported event type'],
  ['unparsable', 'unparsable body'],
  ['normalizer', 'could not be normalized'],
  ['incomplete', 'incomplete'],
  ['unavailable', 'gateway unavailable'],
  ['internal', 'internal error'],
]);

/**
 * Deliveries over the health window: when the last one came, how many were stored, acknowledged as duplicates or
 * refused (and why), and the vendor calls about the webhook that failed. Null health: the gateway counts nothing.
 */
export function WebhookHealth({ health }: { health: ConsoleWebhookFragment['health'] }) {
  if (!health) return <span className="muted small">Not counted</span>;
  return (
    <div className="health">
      <p className="small">
        <span className="muted">Last {health.window}:</span> <Counts health={health} />
      </p>
      {health.refusedByReason.length > 0 && (
        <ul className="plain small refusals" aria-label="Refused deliveries by reason">
          {health.refusedByReason.map((r) => (
            <li key={r.reason}>
              {r.count} × {REASONS.get(r.reason) ?? r.reason} <code>{r.reason}</code>
            </li>
          ))}
        </ul>
      )}
      <p className="small muted">
        Last delivery {health.lastDeliveryAt ? <time dateTime={health.lastDeliveryAt}>{formatTime(health.lastDeliveryAt)}</time> : 'none'}
      </p>
      {health.vendorFailures > 0 && (
        <p className="small vendor-failure">
          {plural(health.vendorFailures, 'failed vendor call')}
          {health.lastVendorError && (
            <>
              ; last
              {health.lastVendorErrorAt && (
                <>
                  {' '}
                  <time dateTime={health.lastVendorErrorAt}>{formatTime(health.lastVendorErrorAt)}</time>
                </>
              )}
              : {health.lastVendorError}
            </>
          )}
        </p>
      )}
    </div>
  );
}

function Counts({ health }: { health: Health }) {
  return (
    <>
      <strong>{health.accepted}</strong> accepted · {plural(health.duplicates, 'duplicate')} ·{' '}
      <span className={health.refused > 0 ? 'refused' : undefined}>{health.refused} refused</span>
    </>
  );
}
