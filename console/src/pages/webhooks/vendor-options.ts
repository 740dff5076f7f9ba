import type { ConsoleWebhookOptionsQuery, NameValueInput, ProviderKey, WebhookOptionsInput } from '../../gql/graphql';

/** The gateway's bounds (src/providers/superoffice/options.ts, src/providers/paybook/index.ts), checked here first. */
export const MAX_ROWS = 20;
export const MAX_TEXT = 256;
export const MAX_DELAY_SECONDS = 86_400;

/** One header or property as typed; `key` keeps React's row identity when a row above is removed. */
export interface NameValueRow {
  key: number;
  name: string;
  value: string;
}

/** The settings as the form holds them: text as typed, so a half-typed value is never lost or coerced. */
export interface OptionsDraft {
  errorsEmail: string;
  headers: NameValueRow[];
  properties: NameValueRow[];
  idUser: string;
  delaySeconds: string;
  environment: string;
}

/**
 * Which settings a webhook takes: SuperOffice its errors email, headers and properties; a Paybook V1 webhook (payload
 * format "1" or the vendor default) a user and a delay; a V3 subscription an environment. null: none.
 */
export type SettingsKind = 'superoffice' | 'paybook-v1' | 'paybook-v3';

export function settingsKindOf(provider: ProviderKey | undefined, payloadVersion: string | null | undefined): SettingsKind | null {
  if (provider === 'SUPEROFFICE') return 'superoffice';
  if (provider === 'PAYBOOK') return payloadVersion === '3' ? 'paybook-v3' : 'paybook-v1';
  return null;
}

type Field = keyof OptionsDraft;
const FIELDS: Readonly<Record<SettingsKind, readonly Field[]>> = {
  superoffice: ['errorsEmail', 'headers', 'properties'],
  'paybook-v1': ['idUser', 'delaySeconds'],
  'paybook-v3': ['environment'],
};

/** Paybook's environments (`id_environment`); the vendor default is production. */
export const ENVIRONMENTS = ['PRODUCTION', 'SANDBOX'] as const;

let lastRowKey = 0;
export const newRow = (name = '', value = ''): NameValueRow => ({ key: ++lastRowKey, name, value });

type StoredOptions = NonNullable<NonNullable<ConsoleWebhookOptionsQuery['webhook']>['options']>;

/** The form's starting point: empty for a new webhook, the stored settings (Webhook.options) for an edit. */
export function draftOf(options: StoredOptions | null | undefined): OptionsDraft {
  const rows = (list: ReadonlyArray<{ name: string; value: string }> | null | undefined) =>
    (list ?? []).slice(0, MAX_ROWS).map((e) => newRow(e.name, e.value));
  return {
    errorsEmail: options?.errorsEmail ?? '',
    headers: rows(options?.headers),
    properties: rows(options?.properties),
    idUser: options?.idUser ?? '',
    delaySeconds: options?.delaySeconds == null ? '' : String(options.delaySeconds),
    // The gateway reads the name case-insensitively, so an API client may have stored `sandbox`.
    environment: options?.environment?.toUpperCase() ?? '',
  };
}

/** RFC 9110 token characters, as the gateway checks header names (the names it reserves are its to refuse). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The gateway's own email check: a browser's type=email is looser on some inputs and absent without JavaScript. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A row is left out when both of its cells are blank: an added row not filled in is no setting. */
const isBlank = (row: NameValueRow) => row.name.trim() === '' && row.value.trim() === '';

function rowProblems(rows: readonly NameValueRow[], noun: 'header' | 'property', problems: Map<string, string>): void {
  const prefix = noun === 'header' ? 'headers' : 'properties';
  const Noun = noun === 'header' ? 'Header' : 'Property';
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (isBlank(row)) return;
    const name = row.name.trim();
    // Header names are case-insensitive (RFC 9110 §5.1): `X-Tag` and `x-tag` are one header.
    const identity = noun === 'header' ? name.toLowerCase() : name;
    const at = `${Noun} ${i + 1}`;
    if (name === '') problems.set(`${prefix}.${i}.name`, `${at} needs a name.`);
    else if (name.length > MAX_TEXT) problems.set(`${prefix}.${i}.name`, `${at}: a name has at most ${MAX_TEXT} characters.`);
    else if (noun === 'header' && !HEADER_NAME.test(name))
      problems.set(`${prefix}.${i}.name`, `${at}: a header name is letters, digits and !#$%&'*+-.^_\`|~ only.`);
    else if (seen.has(identity)) problems.set(`${prefix}.${i}.name`, `${at}: this name is already used above.`);
    seen.add(identity);
    if (row.value.length > MAX_TEXT) problems.set(`${prefix}.${i}.value`, `${at}: a value has at most ${MAX_TEXT} characters.`);
    else if (/[\r\n]/.test(row.value)) problems.set(`${prefix}.${i}.value`, `${at}: a value is one line.`);
  });
}

/**
 * What the form refuses before sending, by field id (`delaySeconds`, `headers.0.name`…): only the fields `kind`
 * shows. The gateway checks everything again (and more: reserved header names, Paybook user ids).
 */
export function problemsOf(draft: OptionsDraft, kind: SettingsKind | null): Map<string, string> {
  const problems = new Map<string, string>();
  if (kind === 'superoffice') {
    const email = draft.errorsEmail.trim();
    if (email !== '' && (email.length > MAX_TEXT || !EMAIL.test(email)))
      problems.set('errorsEmail', 'An email address, like ops@example.com.');
    rowProblems(draft.headers, 'header', problems);
    rowProblems(draft.properties, 'property', problems);
  }
  if (kind === 'paybook-v1') {
    const delay = draft.delaySeconds.trim();
    if (delay !== '' && !(/^\d+$/.test(delay) && Number(delay) <= MAX_DELAY_SECONDS))
      problems.set('delaySeconds', `A whole number of seconds from 0 to ${MAX_DELAY_SECONDS} (a day).`);
  }
  return problems;
}

/** One field of WebhookOptionsInput as sent. */
type WireValue = string | number | NameValueInput[] | null;

/** A field as the gateway takes it; an empty field is null (none, or removed). */
function wireValue(draft: OptionsDraft, field: Field): WireValue {
  const rows = (list: readonly NameValueRow[]) => {
    const kept = list.filter((r) => !isBlank(r)).map((r) => ({ name: r.name.trim(), value: r.value }));
    return kept.length === 0 ? null : kept;
  };
  switch (field) {
    case 'headers':
    case 'properties':
      return rows(draft[field]);
    case 'delaySeconds':
      return draft.delaySeconds.trim() === '' ? null : Number(draft.delaySeconds.trim());
    default:
      return draft[field].trim() || null;
  }
}

/**
 * `options` for createWebhook (no `initial`: the fields set) or updateWebhook (the fields that differ from `initial`,
 * a cleared one as null so the gateway removes it; the gateway keeps the fields left out). undefined: nothing to send.
 * Only the fields of `kind`: a Paybook V3 subscription is never sent a V1 setting, which the gateway would refuse.
 */
export function optionsInputOf(draft: OptionsDraft, kind: SettingsKind | null, initial?: OptionsDraft): WebhookOptionsInput | undefined {
  if (!kind) return undefined;
  const input: Partial<Record<Field, WireValue>> = {};
  for (const field of FIELDS[kind]) {
    const value = wireValue(draft, field);
    const changed = initial ? JSON.stringify(value) !== JSON.stringify(wireValue(initial, field)) : value !== null;
    if (changed) input[field] = value;
  }
  return Object.keys(input).length === 0 ? undefined : (input as WebhookOptionsInput);
}

/**
 * The draft field a gateway ValidationError names (`delaySeconds`, `options.headers`…), so that field is marked
 * invalid beside the message <Outcome> shows.
 */
export function draftFieldOf(serverField: string | null | undefined): Field | null {
  const name = serverField?.replace(/^options\./, '');
  return name && (Object.values(FIELDS).flat() as string[]).includes(name) ? (name as Field) : null;
}
