import { ValidationError } from '../../domain/errors.js';
import type { WebhookOptions } from '../../domain/webhook.js';

/** Most custom headers or properties on one hook, and the longest name or value of either. */
export const MAX_OPTION_ENTRIES = 20;
export const MAX_OPTION_TEXT = 256;

/** The webhook fields WebhookOptions set; a field left undefined stays as the vendor has it on update. */
export interface SuperofficeOptionFields {
  ErrorsEmail?: string | null;
  Headers?: Record<string, string>;
  Properties?: Record<string, string>;
}

/** RFC 9110 token characters: a header name with anything else would break or split the request. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** Headers SuperOffice writes itself (VENDORS.md §5.3) or that frame the request: a hook may not set them. */
const RESERVED_HEADER =
  /^(x-superoffice-.*|x-hook-test|content-type|content-length|content-encoding|transfer-encoding|host|connection|user-agent|expect|te|trailer|upgrade)$/i;
/** The delivery body's own members (WebhookPayload): a property of the same name would shadow them. */
const PAYLOAD_FIELDS = new Set(
  [
    'EventId',
    'Timestamp',
    'Changes',
    'Event',
    'PrimaryKey',
    'Entity',
    'ContextIdentifier',
    'ChangedByAssociateId',
    'WebhookName',
    'FieldValues',
    'Values',
  ].map((f) => f.toLowerCase()),
);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function record(
  value: Readonly<Record<string, string>>,
  field: string,
  nameOk: (name: string) => boolean,
  what: string,
): Record<string, string> {
  if (typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(`${field} must be an object of strings`, field);
  const entries = Object.entries(value);
  if (entries.length > MAX_OPTION_ENTRIES) throw new ValidationError(`${field} may have at most ${MAX_OPTION_ENTRIES} entries`, field);
  for (const [name, v] of entries) {
    if (name === '' || name.length > MAX_OPTION_TEXT || !nameOk(name))
      throw new ValidationError(`${field} has a name that is not ${what} of at most ${MAX_OPTION_TEXT} characters`, field);
    if (typeof v !== 'string' || v.length > MAX_OPTION_TEXT || CONTROL.test(v))
      throw new ValidationError(`${field} values must be strings of at most ${MAX_OPTION_TEXT} characters without line breaks`, field);
  }
  // fromEntries defines each name as an own key: `__proto__` stays a plain name.
  return Object.fromEntries(entries);
}

/**
 * The SuperOffice fields of a spec's options, bounded: at most 20 headers and 20 properties, names and
 * values of at most 256 characters, header names that are HTTP tokens and none the vendor writes itself,
 * property names that do not shadow the delivery's own members. `null` clears a field; absent leaves it.
 * Throws ValidationError before any vendor call.
 */
export function superofficeOptions(options: WebhookOptions | undefined): SuperofficeOptionFields {
  const out: SuperofficeOptionFields = {};
  if (!options) return out;
  const { errorsEmail, headers, properties } = options;
  if (errorsEmail !== undefined) {
    if (
      errorsEmail !== null &&
      errorsEmail !== '' &&
      (typeof errorsEmail !== 'string' || errorsEmail.length > MAX_OPTION_TEXT || !EMAIL.test(errorsEmail))
    )
      throw new ValidationError(
        `options.errorsEmail must be an email address of at most ${MAX_OPTION_TEXT} characters`,
        'options.errorsEmail',
      );
    out.ErrorsEmail = errorsEmail === '' ? null : errorsEmail;
  }
  if (headers !== undefined)
    out.Headers =
      headers === null
        ? {}
        : record(
            headers,
            'options.headers',
            (n) => HEADER_NAME.test(n) && !RESERVED_HEADER.test(n),
            'an HTTP header name the vendor does not set itself',
          );
  if (properties !== undefined)
    out.Properties =
      properties === null
        ? {}
        : record(
            properties,
            'options.properties',
            (n) => !CONTROL.test(n) && !PAYLOAD_FIELDS.has(n.toLowerCase()),
            'a name outside the delivery’s own members',
          );
  return out;
}
