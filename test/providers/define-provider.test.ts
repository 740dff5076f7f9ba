import { describe, expect, it } from 'vitest';
import { credentialsObject, headerToken } from '../../src/providers/credentials.js';
import { defineProvider, type ProviderSpec } from '../../src/providers/define-provider.js';
import { providerHosts, providers } from '../../src/providers/registry.js';
import { superofficeProvider } from '../../src/providers/superoffice/index.js';

describe('provider definitions', () => {
  it('derive getOne and testEndpoint from the methods their connector has', () => {
    const derived = Object.fromEntries(providers.map((p) => [p.key, [p.capabilities.getOne, p.capabilities.testEndpoint]]));
    expect(derived).toEqual({
      DESKERA: [false, false],
      BOOQABLE: [false, false],
      PAYBOOK: [false, false],
      ROOTFI: [false, false],
      SUPEROFFICE: [true, true],
    });
  });

  it('refuse, at load, a reason for a method the connector has or a missing method without one', () => {
    const { capabilities, parseCredentials, ...rest } = superofficeProvider;
    const spec: ProviderSpec<unknown> = {
      ...rest,
      facts: capabilities,
      credentials: credentialsObject({ apiKey: headerToken() }),
      unsupported: { setEnabled: 'cannot' },
    };
    expect(() => defineProvider(spec)).toThrow(/unsupported.setEnabled/);
    const minimal = {
      verifyCredentials: async () => {},
      listWebhooks: async () => [],
      createWebhook: async () => [],
      updateWebhook: async () => [],
      deleteWebhook: async () => {},
    };
    expect(() => defineProvider({ ...spec, unsupported: {}, createConnector: () => minimal })).toThrow(/unsupported.sendTestEvent/);
  });

  it('declare the hosts a connection may name; unset HOOKGRAPH_ALLOWED_HOSTS allows their union', () => {
    expect(providerHosts).toEqual([
      'bifrost.deskera.com',
      'bifrost-us.deskera.com',
      'api-staging.deskera.xyz',
      '*.booqable.com',
      'sync.paybook.com',
      'api.syncfy.com',
      'api.rootfi.dev',
      'api.sa.rootfi.dev',
      '*.superoffice.com',
    ]);
  });
});
