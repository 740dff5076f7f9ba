import { DeliveryError } from '../domain/errors.js';

/**
 * Refuses a delivery that carries more than `max` events (Paybook V3 batch items, RootFi batch
 * records), called as soon as a normalizer knows the count, before any per-event work. 413: the
 * delivery is larger than hookgraph takes, and sending the same batch again cannot succeed.
 */
export function checkEventCount(count: number, max: number): void {
  if (count > max) throw new DeliveryError(413, `delivery carries ${count} events; at most ${max} are accepted in one delivery`);
}
