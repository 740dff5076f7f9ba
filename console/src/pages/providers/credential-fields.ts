/**
 * What the connect form knows of a credentials input, and what it does with it: the shape of the descriptor that
 * console/codegen.ts writes to src/gql/credential-inputs.ts, labels, which fields are secret, and form values → the
 * `credentials` argument. No imports: the unit tests (test/console/) and codegen.ts load this file under Node.
 */

/** One input object of the schema, as console/codegen.ts describes it. */
export interface DescribedInput {
  /** The GraphQL input type (`SuperOfficeTicketInput`). */
  readonly name: string;
  readonly description: string | null;
  /** `@oneOf`: exactly one of `fields` is given. */
  readonly oneOf: boolean;
  readonly fields: readonly DescribedField[];
}

export interface DescribedField {
  readonly name: string;
  /** The named type, unwrapped from lists and non-null (`String`, `SuperOfficeOAuthInput`). */
  readonly type: string;
  /** Non-null without a default: the input is refused without it. */
  readonly required: boolean;
  readonly list: boolean;
  readonly description: string | null;
  /** The input object `type` names; null for a scalar or enum, and past codegen's depth bound. */
  readonly input: DescribedInput | null;
}

/** One way in to a vendor: a branch of its @oneOf credentials input, or the whole input when it is no @oneOf. */
export interface CredentialBranch {
  /** The @oneOf field chosen (`oauth`); null when the vendor's input is a plain input object. */
  readonly key: string | null;
  readonly label: string;
  readonly description: string | null;
  /** A @oneOf branch that is a scalar itself (SuperOffice's `accessToken`): `fields` is that one field. */
  readonly scalar: boolean;
  /** What the form asks for: the branch's own scalar, or its input object's fields. */
  readonly fields: readonly DescribedField[];
}

/** Scalars a text field can carry as they are typed. */
const TEXT_SCALARS = new Set(['String', 'ID']);

/** Enterable as one text field: a String or ID, not a list, not an input object. */
export function isTextField(field: DescribedField): boolean {
  return TEXT_SCALARS.has(field.type) && !field.list && field.input === null;
}

/**
 * The ways in to one vendor (a field of `ProviderCredentialsInput`), each with the text fields it asks for. A branch
 * the form cannot express (a list, an enum, a nested object) is left out rather than sent half-typed; the console's
 * type check refuses such a schema before it gets here (credential-forms.ts).
 */
export function branchesOf(vendor: DescribedField): CredentialBranch[] {
  const input = vendor.input;
  if (!input) return [];
  const object = (key: string | null, inner: DescribedInput, field: DescribedField | null): CredentialBranch | null =>
    inner.fields.length > 0 && inner.fields.every(isTextField)
      ? {
          key,
          label: labelFor(key ?? vendor.name),
          description: field?.description ?? inner.description,
          scalar: false,
          // What must be given first, then the rest in the schema's order.
          fields: [...inner.fields].sort((a, b) => Number(b.required) - Number(a.required)),
        }
      : null;
  if (!input.oneOf) {
    const whole = object(null, input, null);
    return whole ? [whole] : [];
  }
  const branches: CredentialBranch[] = [];
  for (const field of input.fields) {
    if (isTextField(field)) {
      // A scalar branch is one field, required once chosen (a @oneOf branch may not be null).
      branches.push({
        key: field.name,
        label: labelFor(field.name),
        description: field.description,
        scalar: true,
        fields: [{ ...field, required: true }],
      });
    } else if (field.input && !field.input.oneOf && !field.list) {
      const branch = object(field.name, field.input, field);
      if (branch) branches.push(branch);
    }
  }
  return branches;
}

/** Words kept in capitals (or their usual spelling) in labels. A Map: a field named `constructor` is just a word. */
const ACRONYMS: ReadonlyMap<string, string> = new Map([
  ['api', 'API'],
  ['id', 'ID'],
  ['ids', 'IDs'],
  ['jwt', 'JWT'],
  ['oauth', 'OAuth'],
  ['pem', 'PEM'],
  ['uri', 'URI'],
  ['uris', 'URIs'],
  ['url', 'URL'],
  ['urls', 'URLs'],
  ['http', 'HTTP'],
  ['rsa', 'RSA'],
  ['sso', 'SSO'],
]);

/** A camelCase name's words, lower case: `redirectUri` → redirect, uri; `HTTPToken` → http, token. */
function wordsOf(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [name]).map((w) => w.toLowerCase());
}

/** `clientSecret` → "Client secret", `apiKey` → "API key", `redirectUri` → "Redirect URI", `oauth` → "OAuth". */
export function labelFor(name: string): string {
  const words = wordsOf(name).map((w) => ACRONYMS.get(w) ?? w);
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

/** Words that name something public: an identifier or an address, shown as typed. */
const PUBLIC_WORDS = new Set(['id', 'ids', 'uri', 'uris', 'url', 'urls']);

/**
 * Masked while typed, never autocompleted, never shown again: every credential but identifiers and addresses
 * (`clientId`, `redirectUri`, `idUser`, any `ID`). Secret unless known not to be, so a new field is masked.
 */
export function isSecret(field: DescribedField): boolean {
  return !(field.type === 'ID' || wordsOf(field.name).some((w) => PUBLIC_WORDS.has(w)));
}

/** A PEM key (or anything its description calls PEM) spans lines: a textarea, still cleared after submit. */
export function isMultiline(field: DescribedField): boolean {
  return field.name === 'privateKey' || /\bPEM\b/i.test(field.description ?? '');
}

/** The most a field carries (a 4096-bit RSA key in PEM is ~3.3 KB). */
export function maxLengthOf(field: DescribedField): number {
  return isMultiline(field) ? 16_384 : 4096;
}

/**
 * The `credentials` argument for one vendor and one of its branches from what was typed (`value(name)`, the raw
 * form value or "" when absent): every field of that branch only; an optional field left empty is omitted (not sent
 * as ""), a required one is sent as typed for the gateway to refuse. Values are trimmed; a multi-line value keeps its
 * inner line breaks as `\n` (a form submits a textarea's as `\r\n`).
 */
export function toCredentialsInput(
  vendor: DescribedField,
  branch: CredentialBranch,
  value: (name: string) => string,
): Record<string, unknown> {
  const object: Record<string, string> = {};
  for (const field of branch.fields) {
    let text = value(field.name).trim();
    if (isMultiline(field)) text = text.replace(/\r\n?/g, '\n');
    if (text !== '' || field.required) object[field.name] = text;
  }
  const credentials = branch.key === null ? object : { [branch.key]: branch.scalar ? (object[branch.key] ?? '') : object };
  return { [vendor.name]: credentials };
}
