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
