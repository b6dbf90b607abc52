// RFC 6749 section 2.3.1 against a real, certified OAuth 2.0 server (oidc-provider): a client
// secret full of characters that form-encoding changes gets a token through the collections'
// token script (in Newman), `npm run token` and scripts/get-token.sh, with both client
// authentication methods. Cognito's secrets are alphanumeric, so there encoding changes nothing.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanEnv, runCli, shellEnv } from './helpers/cli.js';
import { runAgainst } from './helpers/newman-run.js';
import { startOidcProvider, type OidcClient, type OidcServer } from './helpers/oidc.js';
import { serve, type Running } from './helpers/servers.js';

// Every printable ASCII character that form-encoding changes (oidc-provider takes ASCII secrets only).
const SPECIAL = 'p+/=&%:"\\ !\'()*~-end';
const CLIENTS: OidcClient[] = [
  { clientId: 'rfc-basic', clientSecret: SPECIAL, method: 'client_secret_basic' },
  { clientId: 'rfc-post', clientSecret: SPECIAL, method: 'client_secret_post' },
];

let oidc: OidcServer;
let api: Running;
beforeAll(async () => {
  oidc = await startOidcProvider(CLIENTS);
  // The API side is not under test here: anything with a token gets an empty list.
  api = await serve((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' });
    res.end('{"data":[],"links":{"self":"http://127.0.0.1/events"},"meta":{"page":{"size":10,"totalElements":0,"totalPages":0,"number":0}}}');
  });
});
afterAll(async () => {
  await oidc.close();
  await api.close();
});

describe('a certified OAuth 2.0 server accepts what this project sends (RFC 6749 2.3.1)', () => {
  it("first, the server does refuse a secret sent raw in Basic, as the seed's recipe sends it", async () => {
    const raw = Buffer.from(`rfc-basic:${SPECIAL}`).toString('base64');
    const res = await fetch(oidc.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${raw}` },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(5_000),
    });
    expect(res.status).not.toBe(200);
    // A raw % makes the credential undecodable (invalid_request); other raw characters mismatch.
    expect(['invalid_client', 'invalid_request']).toContain(((await res.json()) as { error: string }).error);
  });

  for (const client of CLIENTS) {
    it(`the collections' token script (Newman), ${client.method}`, async () => {
      const outcome = await runAgainst({
        env: 'dev',
        standin: { tokenUrl: oidc.tokenUrl, baseUrl: api.url },
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        method: client.method,
        folders: (f) => f.name === 'Acquirer: events',
      });
      const tokenRequests = outcome.executions.flatMap((e) => e.scriptRequests);
      expect(tokenRequests.map((r) => r.status)).toEqual([200]);
      expect(outcome.executions.flatMap((e) => e.assertions).filter((a) => /^GDX token:/.test(a.name))).toEqual([]);
    });

    it(`npm run token, ${client.method}`, async () => {
      const res = await runCli(['token', '--env', 'dev', '--method', client.method, '--token-url', oidc.tokenUrl], {
        env: cleanEnv({ GDX_DEV_CLIENT_ID: client.clientId, GDX_DEV_CLIENT_SECRET: client.clientSecret }),
      });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout.trim().length).toBeGreaterThan(20);
    });

    it(`scripts/get-token.sh, ${client.method}`, async () => {
      const { stdout } = await promisify(execFile)('bash', [join(PROJECT_ROOT, 'scripts', 'get-token.sh'), '--method', client.method], {
        env: shellEnv({ OAUTH_URL: oidc.tokenUrl, CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret }),
        timeout: 30_000,
      });
      expect(stdout.trim().length).toBeGreaterThan(20);
    });
  }
});
