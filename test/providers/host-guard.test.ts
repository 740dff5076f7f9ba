import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_HOSTS } from '../../src/config.js';
import { ValidationError } from '../../src/domain/errors.js';
import { createHostGuard } from '../../src/providers/host-guard.js';

describe('host guard', () => {
  const strict = createHostGuard(DEFAULT_ALLOWED_HOSTS, false);
  const sandbox = createHostGuard(DEFAULT_ALLOWED_HOSTS, true);

  it("allows the vendors' public hosts and per-company subdomains", () => {
    expect(() => strict(new URL('https://bifrost.deskera.com/v1'))).not.toThrow();
    expect(() => strict(new URL('https://acme.booqable.com'))).not.toThrow();
    expect(() => strict(new URL('https://online.superoffice.com/Cust12345'))).not.toThrow();
  });

  it('refuses internal addresses and unknown hosts', () => {
    for (const url of ['https://169.254.169.254/latest', 'https://10.0.0.1', 'https://evil.example.com', 'https://booqable.com.evil.io']) {
      expect(() => strict(new URL(url)), url).toThrow(ValidationError);
    }
  });

  it('refuses plain http to vendors and URLs with credentials', () => {
    expect(() => strict(new URL('http://acme.booqable.com'))).toThrow(/https/);
    expect(() => strict(new URL('https://user:pw@acme.booqable.com'))).toThrow(/credentials/);
  });

  it('allows loopback only when the sandbox is on', () => {
    expect(() => strict(new URL('http://127.0.0.1:4000/sandbox/deskera'))).toThrow(ValidationError);
    expect(() => sandbox(new URL('http://127.0.0.1:4000/sandbox/deskera'))).not.toThrow();
  });
});
