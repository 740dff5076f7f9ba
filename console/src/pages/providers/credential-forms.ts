import { credentialInputs } from '../../gql/credential-inputs';
import type { ProviderCredentialsInput, ProviderKey } from '../../gql/graphql';
import { branchesOf, type CredentialBranch, type DescribedField, type DescribedInput, toCredentialsInput } from './credential-fields';

/**
 * The connect form of each vendor, read off the schema: `credentialInputs` (console/codegen.ts) describes the @oneOf
 * `ProviderCredentialsInput` and every input it nests, and credential-fields.ts turns a vendor's branch into fields
 * and the typed values back into the generated `ProviderCredentialsInput`. The checks below make a schema the form
 * cannot express (a vendor without a form, a list, an enum, a nested object) fail the console's type check.
 */

type Described = typeof credentialInputs;
type Vendor = Described['fields'][number];

/** A field the form enters as text: a String or ID, one value, no input object. */
type TextLeaf<F> = F extends { type: 'String' | 'ID'; list: false; input: null } ? true : false;
/** `prefix.name` of every field of input `I` that is no text leaf (a union of names; never when all are). */
type NotText<I, P extends string> = I extends { fields: readonly (infer F)[] }
  ? F extends { name: infer N extends string }
    ? TextLeaf<F> extends true
      ? never
      : `${P}.${N}`
    : never
  : `${P} (not described)`;
/** What the form cannot enter of one vendor: a @oneOf is a choice of text leaves and input objects of text leaves. */
type Inexpressible<V> = V extends { name: infer N extends string; input: infer I }
  ? I extends { oneOf: true; fields: readonly (infer B)[] }
    ? B extends { name: infer BN extends string; input: infer BI }
      ? TextLeaf<B> extends true
        ? never
        : BI extends { oneOf: false }
          ? NotText<BI, `${N}.${BN}`>
          : `${N}.${BN}`
      : never
    : NotText<I, N>
  : never;

/**
 * Compile-time: every vendor's credentials can be typed into this form. When the schema grows a field it cannot
 * express, the error names it ("Type 'true' is not assignable to type '"superoffice.ticket.scopes"'").
 */
const expressible: [Inexpressible<Vendor>] extends [never] ? true : Inexpressible<Vendor> = true;
/** Compile-time: a form for every ProviderKey (lower-cased, the branch's name), and no branch without a vendor. */
const everyVendor: [Exclude<Lowercase<ProviderKey>, Vendor['name']> | Exclude<Vendor['name'], Lowercase<ProviderKey>>] extends [never]
  ? true
  : never = true;
/** Compile-time: the descriptor's vendors are the generated input type's keys. */
const sameKeys: [
  Exclude<Vendor['name'], keyof ProviderCredentialsInput> | Exclude<keyof ProviderCredentialsInput, Vendor['name']>,
] extends [never]
  ? true
  : never = true;
void [expressible, everyVendor, sameKeys];

export interface VendorForm {
  /** The ways in: more than one for a @oneOf credentials input (SuperOffice), offered as a choice. */
  branches: CredentialBranch[];
  /** The vendor's @oneOf input described (the choice's legend help), or null for a single way in. */
  choice: DescribedInput | null;
  /** How the vendor's origin looks (DESIGN.md): the placeholder of the base URL field. */
  baseUrlExample: string;
  /** The generated input type from what was typed into `branch`'s fields. */
  toInput(branch: CredentialBranch, value: (name: string) => string): ProviderCredentialsInput;
}

const BASE_URL_EXAMPLES: Record<ProviderKey, string> = {
  DESKERA: 'https://bifrost.deskera.com',
  BOOQABLE: 'https://acme.booqable.com',
  PAYBOOK: 'https://sync.paybook.com',
  ROOTFI: 'https://api.rootfi.dev',
  SUPEROFFICE: 'https://online.superoffice.com/Cust12345',
};

const vendors: readonly DescribedField[] = (credentialInputs satisfies DescribedInput).fields;

/** The connect form of `provider`: its @oneOf branch of ProviderCredentialsInput (`SUPEROFFICE` → `superoffice`). */
export function vendorForm(provider: ProviderKey): VendorForm {
  const vendor = vendors.find((v) => v.name === provider.toLowerCase());
  const branches = vendor ? branchesOf(vendor) : [];
  return {
    branches,
    choice: vendor?.input?.oneOf ? vendor.input : null,
    baseUrlExample: BASE_URL_EXAMPLES[provider],
    // The compile-time checks above say every vendor and field is one credentialInputs describes as text: the
    // object built from them is the generated type.
    toInput: (branch, value) => (vendor ? toCredentialsInput(vendor, branch, value) : {}) as ProviderCredentialsInput,
  };
}
