// doctor's first line about credentials: the shapes the GDX guide shows (a client id of 26 and a
// secret of 52 lowercase letters and digits) pass; Cognito's 51 too; anything else is a warning
// that names the length, never the value.
import { describe, expect, it } from 'vitest';
import { findEnvironment } from '../../../src/config/environments.js';
import { credentialsLines } from '../../../src/doctor/connection-checks.js';

const dev = findEnvironment('dev')!;
const line = (id: string, secret: string) =>
  credentialsLines({
    env: dev,
    vars: { GDX_DEV_CLIENT_ID: id, GDX_DEV_CLIENT_SECRET: secret },
    trust: { insecure: false },
    timeoutMs: 1_000,
    method: 'client_secret_basic',
    version: '0.0.0',
  }).lines[0]!;

describe("doctor's credential shapes", () => {
  it("takes the GDX guide's own shapes, and Cognito's 51-character secrets, without a warning", () => {
    expect(line('a'.repeat(26), 'x'.repeat(52))).toEqual({
      mark: 'ok',
      check: 'credentials',
      detail: 'from GDX_DEV_CLIENT_ID/GDX_DEV_CLIENT_SECRET: a client id of 26 and a secret of 52 lowercase letters and digits, the shapes the GDX guide shows',
    });
    expect(line('a'.repeat(26), 'x'.repeat(51)).mark).toBe('ok');
  });

  it('warns on another length or capitals, naming the length and not the value', () => {
    const warned = line('a'.repeat(25), 'X'.repeat(52));
    expect(warned.mark).toBe('warn');
    expect(warned.detail).toBe(
      "from GDX_DEV_CLIENT_ID/GDX_DEV_CLIENT_SECRET: the client id is 25 characters; the GDX guide's are 26 lowercase letters and digits; the client secret is 52 characters with capitals; the GDX guide's are 52 lowercase letters and digits (fine for a private deployment)",
    );
    expect(line('a'.repeat(26), 'x'.repeat(53)).detail).toContain("the client secret is 53 characters; the GDX guide's are 52");
    expect(line('a'.repeat(26), ` ${'x'.repeat(52)}`).detail).toContain('the client secret starts or ends with a space or line break: copy it again');
  });
});
