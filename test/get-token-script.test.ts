import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { blackHole, closedPort, serve } from './helpers/servers.js';
import { getTokenScript } from './helpers/cli.js';

const getToken = getTokenScript;

const LONG = {
  clientId: 'a-client-id-long-enough-to-wrap-base64-output',
  secrets: ['and a secret with spaces & symbols: +/=%"\'$`!'],
  scopes: ['events/consume'],
};

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin({ clients: [LONG] });
});
afterAll(() => standin.stop());

describe('scripts/get-token.sh (bash, curl and jq only)', () => {
  const vars = (c: { clientId: string; clientSecret: string }) => ({ OAUTH_URL: standin.tokenUrl, CLIENT_ID: c.clientId, CLIENT_SECRET: c.clientSecret });

  for (const method of ['client_secret_basic', 'client_secret_post']) {
    it(`prints only a verifiable token with ${method}, even for long credentials with awkward characters`, async () => {
      for (const c of [LOCAL_CLIENTS.supplier, { clientId: LONG.clientId, clientSecret: LONG.secrets[0]! }]) {
        const res = await getToken(vars(c), ['--method', method]);
        expect(res.code, res.stderr).toBe(0);
        expect(res.stderr).toBe('');
        expect(res.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
        const { payload } = await jwtVerify(res.stdout.trim(), createRemoteJWKSet(new URL(standin.jwksUrl)), { issuer: standin.issuer });
        expect(payload['client_id']).toBe(c.clientId);
      }
    });
  }

  it('asks for a narrower scope with --scope', async () => {
    const res = await getToken(vars(LOCAL_CLIENTS.supplier), ['--scope', 'events/publish']);
    expect(JSON.parse(Buffer.from(res.stdout.split('.')[1]!, 'base64url').toString()).scope).toBe('events/publish');
  });

  it('fails with exit 3 and a clear message on a wrong secret, printing no secret', async () => {
    const secret = 'wrong-secret-do-not-print';
    const res = await getToken(vars({ clientId: LOCAL_CLIENTS.acquirer.clientId, clientSecret: secret }));
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      `get-token.sh: ${new URL(standin.tokenUrl).host} answered 400 invalid_client: the client id or secret is wrong for this environment; check CLIENT_ID and CLIENT_SECRET\n`,
    );
    expect(res.stderr).not.toContain(secret);
  });

  it('fails with exit 2 on missing variables, and 3 on HTML, refusal and silence', async () => {
    const missing = await getToken({ OAUTH_URL: standin.tokenUrl, CLIENT_ID: 'x' });
    expect([missing.code, missing.stderr]).toEqual([2, 'get-token.sh: CLIENT_SECRET is empty; set it to the client secret you were issued, or use --env\n']);

    const html = await serve((_q, r) => {
      r.writeHead(502, { 'Content-Type': 'text/html' });
      r.end('<html>bad gateway</html>');
    });
    const bad = await getToken({ ...vars(LOCAL_CLIENTS.acquirer), OAUTH_URL: `${html.url}/oauth2/token` });
    await html.close();
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('answered 502, not a token; check OAUTH_URL (it must end in /oauth2/token)');

    const refused = await getToken({ ...vars(LOCAL_CLIENTS.acquirer), OAUTH_URL: `${await closedPort()}/oauth2/token` });
    expect(refused.code).toBe(3);
    // The cause in words, not curl's status 000.
    expect(refused.stderr).toMatch(/^get-token\.sh: cannot reach 127\.0\.0\.1:\d+: connection refused; is the host up and the port right\?\n$/);

    const hole = await blackHole();
    const started = Date.now();
    const silent = await getToken({ ...vars(LOCAL_CLIENTS.acquirer), OAUTH_URL: `${hole.url}/oauth2/token`, TIMEOUT: '2' });
    await hole.close();
    expect(silent.code).toBe(3);
    expect(silent.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+: no answer within 2 s; check your network, proxy or firewall, or raise TIMEOUT\n$/);
    // Bounded, with room for a loaded two-core machine: a hang would be the test timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("--env reads the credentials from ./.env (the handbook's file) and the token URL from GDX_<ENV>_TOKEN_URL", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-dotenv-'));
    try {
      writeFileSync(
        join(dir, '.env'),
        `# demo\nGDX_DEMO_CLIENT_ID=${LOCAL_CLIENTS.acquirer.clientId}\nGDX_DEMO_CLIENT_SECRET="${LOCAL_CLIENTS.acquirer.clientSecret}"\n`,
      );
      const res = await getToken({ GDX_DEMO_TOKEN_URL: standin.tokenUrl }, ['--env', 'demo'], dir);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const none = await getToken({}, ['--env', 'dev'], dir);
      expect([none.code, none.stderr]).toEqual([2, 'get-token.sh: GDX_DEV_CLIENT_ID is empty; set it in the environment or in .env\n']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
