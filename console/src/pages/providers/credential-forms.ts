import type {
  BooqableCredentialsInput,
  DeskeraCredentialsInput,
  PaybookCredentialsInput,
  ProviderCredentialsInput,
  ProviderKey,
  RootfiCredentialsInput,
  SuperOfficeTicketInput,
} from '../../gql/graphql';

/**
 * The connect form of each vendor, read off the schema's @oneOf `ProviderCredentialsInput` (and SuperOffice's own
 * @oneOf of a token or a ticket). Field names are keys of the generated input types and `toInput` returns the
 * generated type, so a renamed or added credential field fails the console's type check instead of the vendor call.
 */
export interface CredentialField<T> {
  name: keyof T & string;
  label: string;
  /** Masked while typed, never autocompleted. */
  secret: boolean;
}

export interface CredentialForm {
  /** Shown as a choice when a vendor has several ways in. */
  label: string;
  fields: CredentialField<Record<string, string>>[];
  toInput(value: (name: string) => string): ProviderCredentialsInput;
}

export interface VendorForm {
  forms: CredentialForm[];
  /** How the vendor's origin looks (DESIGN.md): the placeholder of the base URL field. */
  baseUrlExample: string;
}

function form<T>(
  label: string,
  fields: CredentialField<T>[],
  toInput: (value: (name: keyof T & string) => string) => ProviderCredentialsInput,
): CredentialForm {
  return { label, fields: fields as CredentialField<Record<string, string>>[], toInput: toInput as CredentialForm['toInput'] };
}

const apiKey = <T extends { apiKey: string }>(): CredentialField<T>[] => [{ name: 'apiKey', label: 'API key', secret: true }];

export const VENDOR_FORMS: Record<ProviderKey, VendorForm> = {
  DESKERA: {
    baseUrlExample: 'https://bifrost.deskera.com',
    forms: [
      form<DeskeraCredentialsInput>(
        'OAuth client and tokens',
        [
          { name: 'clientId', label: 'Client ID', secret: false },
          { name: 'clientSecret', label: 'Client secret', secret: true },
          { name: 'accessToken', label: 'Access token', secret: true },
          { name: 'refreshToken', label: 'Refresh token', secret: true },
        ],
        (v) => ({
          deskera: {
            clientId: v('clientId'),
            clientSecret: v('clientSecret'),
            accessToken: v('accessToken'),
            refreshToken: v('refreshToken'),
          },
        }),
      ),
    ],
  },
  BOOQABLE: {
    baseUrlExample: 'https://acme.booqable.com',
    forms: [form<BooqableCredentialsInput>('API key', apiKey(), (v) => ({ booqable: { apiKey: v('apiKey') } }))],
  },
  PAYBOOK: {
    baseUrlExample: 'https://sync.paybook.com',
    forms: [form<PaybookCredentialsInput>('API key', apiKey(), (v) => ({ paybook: { apiKey: v('apiKey') } }))],
  },
  ROOTFI: {
    baseUrlExample: 'https://api.rootfi.dev',
    forms: [form<RootfiCredentialsInput>('API key', apiKey(), (v) => ({ rootfi: { apiKey: v('apiKey') } }))],
  },
  SUPEROFFICE: {
    baseUrlExample: 'https://online.superoffice.com/Cust12345',
    forms: [
      form<{ accessToken: string }>('OAuth access token', [{ name: 'accessToken', label: 'Access token', secret: true }], (v) => ({
        superoffice: { accessToken: v('accessToken') },
      })),
      form<SuperOfficeTicketInput>(
        'System user ticket',
        [
          { name: 'ticket', label: 'Ticket', secret: true },
          { name: 'appToken', label: 'Application token', secret: true },
        ],
        (v) => ({ superoffice: { ticket: { ticket: v('ticket'), appToken: v('appToken') } } }),
      ),
    ],
  },
};
