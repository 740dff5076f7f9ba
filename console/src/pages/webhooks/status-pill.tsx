import { formatTime } from '../../ui/format';

/** A webhook's status in words and colour; statuses this console does not know yet (the gateway may add some) show as they come. */
const TONE: ReadonlyMap<string, string> = new Map([
  ['ACTIVE', 'on'],
  ['PENDING', 'wait'],
  ['DEGRADED', 'warn'],
  ['FAILING', 'bad'],
  ['DISABLED', 'off'],
  ['DELETED', 'off'],
  ['UNKNOWN', 'wait'],
]);

export function StatusPill({ status }: { status: string }) {
  return <span className={`pill ${TONE.get(status) ?? 'wait'}`}>{status.toLowerCase()}</span>;
}

/**
 * The status the vendor reported just now, or, when the vendor could not be asked (statusStale), the last one it
 * reported and when.
 */
export function WebhookStatus({ status, stale, checkedAt }: { status: string; stale: boolean; checkedAt: string | null | undefined }) {
  return (
    <>
      <StatusPill status={status} />
      {stale && (
        <span className="stale small">
          vendor unreachable: last known
          {checkedAt ? (
            <>
              , as of <time dateTime={checkedAt}>{formatTime(checkedAt)}</time>
            </>
          ) : (
            ', never confirmed'
          )}
        </span>
      )}
    </>
  );
}
