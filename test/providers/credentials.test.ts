import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { providers } from '../../src/providers/registry.js';
import { paybookProvider } from '../../src/providers/paybook/index.js';
import { superofficeProvider } from '../../src/providers/superoffice/index.js';

const refusal = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return { message: error.message, field: error.field };
  }
  return null;
};

describe('credentials, one way for every vendor', () => {
  it('names the vendor and the field in a refusal, without the value', () => {
    for (const p of providers.filter((p) => p.key !== 'SUPEROFFICE')) {
      const found = refusal(() => p.parseCredentials({ apiKey: 'secret-value\n', clientId: 'secret-value\n' }));
      expect(found?.field, p.key).toMatch(new RegExp(`^credentials\\.${p.key.toLowerCase()}\\.`));
      expect(found?.message, p.key).toMatch(new RegExp(`^${p.name} \\w+ `));
      expect(found?.message).not.toContain('secret-value');
    }
    expect(refusal(() => providers[0]?.parseCredentials(null))).toEqual({
      message: 'Deskera credentials must be an object',
      field: 'credentials.deskera',
    });
  });

  it('refuses a trailing line break rather than trimming it away, and trims spaces', () => {
    expect(refusal(() => paybookProvider.parseCredentials({ apiKey: 'k\n' }))?.field).toBe('credentials.paybook.apiKey');
    expect(refusal(() => paybookProvider.parseCredentials({ apiKey: 'a,b' }))?.message).toBe(
      'Paybook Sync apiKey contains characters that cannot go in its HTTP header',
    );
    expect(paybookProvider.parseCredentials({ apiKey: ' k ', extra: 1 })).toEqual({ apiKey: 'k' });
  });

  it('reads SuperOffice as an access token or a ticket with its app token, never both', () => {
    expect(superofficeProvider.parseCredentials({ accessToken: ' t ' })).toEqual({ accessToken: 't' });
    expect(superofficeProvider.parseCredentials({ ticket: { ticket: 't', appToken: 'a' } })).toEqual({ ticket: 't', appToken: 'a' });
    expect(superofficeProvider.parseCredentials({ ticket: 't', appToken: 'a' })).toEqual({ ticket: 't', appToken: 'a' });
    expect(refusal(() => superofficeProvider.parseCredentials({ accessToken: 't', ticket: 'x' }))).toEqual({
      message: 'SuperOffice needs either an accessToken, or a ticket with an appToken',
      field: 'credentials.superoffice',
    });
  });
});
