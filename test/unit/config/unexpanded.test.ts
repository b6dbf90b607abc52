// A CI system that does not define a variable can hand on its reference as the value: refused
// before any request, naming the variable and the reference, never a value that could be a secret.
import { describe, expect, it } from 'vitest';
import { refuseUnexpanded } from '../../../src/config/credentials.js';

const refusal = (name: string, value: string): string | undefined => {
  try {
    refuseUnexpanded(name, value);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('refuseUnexpanded', () => {
  it("refuses each CI system's form of a reference, naming the variable and the one it refers to", () => {
    expect(refusal('GDX_DEV_CLIENT_ID', '$(GDX_DEV_CLIENT_ID)')).toBe(
      'GDX_DEV_CLIENT_ID holds $(GDX_DEV_CLIENT_ID), a reference your CI left unexpanded: GDX_DEV_CLIENT_ID is not defined where this step runs (a secret not mapped into the step, or a variable group not linked); define it, or leave GDX_DEV_CLIENT_ID unset',
    );
    expect(refusal('GDX_DEV_TOKEN_URL', 'https://$(TOKEN_HOST)/oauth2/token')).toMatch(
      /^GDX_DEV_TOKEN_URL holds \$\(TOKEN_HOST\), .*: TOKEN_HOST is not defined/,
    );
    expect(refusal('GDX_DEV_CLIENT_SECRET', 'x${SECRET}y')).toMatch(/^GDX_DEV_CLIENT_SECRET holds \$\{SECRET\}, /);
    expect(refusal('GDX_DEV_CLIENT_SECRET', '{{ clientSecret }}')).toMatch(
      /^GDX_DEV_CLIENT_SECRET holds \{\{ clientSecret \}\}, .*: clientSecret is not defined/,
    );
    expect(refusal('GDX_DEV_CLIENT_SECRET', '$DEV_SECRET')).toMatch(/^GDX_DEV_CLIENT_SECRET holds \$DEV_SECRET, .*: DEV_SECRET is not defined/);
    expect(refusal('GDX_DEV_CLIENT_SECRET', '%DEV_SECRET%')).toMatch(/^GDX_DEV_CLIENT_SECRET holds %DEV_SECRET%, .*: DEV_SECRET is not defined/);
  });

  it('passes values that only hold a $, a % or braces, as a private deployment may issue, and nothing at all', () => {
    for (const value of ['', 'abc123', 'pa$$word', 'a$b', '50%off', '%', '$', '$1abc', 'x{y}z', '{single}', 'https://host/oauth2/token?x=%20'])
      expect(refusal('GDX_DEV_CLIENT_SECRET', value), value).toBeUndefined();
  });
});
