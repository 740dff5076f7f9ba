import type { DeliveryError } from '../domain/errors.js';

/** Why a delivery was refused: a fixed list, so it can be a metric label and a field operators filter logs on. */
export type RefusalReason =
  | 'method'
  | 'unknown_webhook'
  | 'bad_token'
  | 'bad_signature'
  | 'too_large'
  | 'too_many_events'
  | 'body_timeout'
  | 'aborted'
  | 'empty_body'
  | 'bad_utf8'
  | 'bad_json'
  | 'bad_form'
  | 'too_deep'
  | 'bad_event_name'
  | 'unsupported_type'
  | 'bad_shape';

/**
 * 400s told apart by the message their thrower wrote (ingest/parse-body.ts, read-body.ts, route.ts);
 * every other 400 is a body the provider's normalizer could not read (`bad_shape`).
 */
const BAD_REQUESTS: ReadonlyArray<readonly [RegExp, RefusalReason]> = [
  [/^empty body$/, 'empty_body'],
  [/UTF-8/, 'bad_utf8'],
  [/nested deeper/, 'too_deep'],
  [/not valid JSON/, 'bad_json'],
  [/form-urlencoded|^form body/, 'bad_form'],
  [/^event name/, 'bad_event_name'],
  [/closed the connection/, 'aborted'],
];

/** The bounded reason of a refusal, from its status and, for 400/401/413, its message. */
export function refusalReason({ status, message }: Pick<DeliveryError, 'status' | 'message'>): RefusalReason {
  switch (status) {
    case 404:
      return 'unknown_webhook';
    case 405:
      return 'method';
    case 408:
      return 'body_timeout';
    case 415:
      return 'unsupported_type';
    case 401:
      return /signature/.test(message) ? 'bad_signature' : 'bad_token';
    case 413:
      return /events/.test(message) ? 'too_many_events' : 'too_large';
    default:
      return BAD_REQUESTS.find(([pattern]) => pattern.test(message))?.[1] ?? 'bad_shape';
  }
}
