import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { shellEnv } from './helpers/cli.js';
import { seedScripts } from './helpers/seed.js';

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(() => standin.stop());

describe("the GDX guide's curl commands, run verbatim against the stand-in", () => {
  const scripts = seedScripts();

  it('finds both ways of asking, as a script and as an example', () => {
    expect(scripts.map((s) => s.heading)).toEqual(['Form encoded credentials', 'Form encoded credentials', 'Basic Authorization', 'Basic Authorization']);
    expect(scripts[0]!.command).toContain('client_secret=$CLIENT_SECRET');
    expect(scripts[3]!.command).toContain('base64 -w 0');
  });

  for (const [i, script] of seedScripts().entries()) {
    for (const client of [LOCAL_CLIENTS.acquirer, LOCAL_CLIENTS.supplier]) {
      it(`#${i + 1} (${script.heading}) gets ${client.clientId} a token that verifies with Cognito claims`, async () => {
        // Asynchronous: the stand-in answers from this very process.
        const { stdout } = await promisify(execFile)('bash', ['-c', `set -euo pipefail\n${script.command}`], {
          env: shellEnv({ OAUTH_URL: standin.tokenUrl, CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret }),
          encoding: 'utf8',
          timeout: 10_000,
        });
        const out = stdout.trim();
        expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        const { payload, protectedHeader } = await jwtVerify(out, createRemoteJWKSet(new URL(standin.jwksUrl)), { issuer: standin.issuer });
        expect(protectedHeader.alg).toBe('RS256');
        expect(payload).toMatchObject({ sub: client.clientId, client_id: client.clientId, token_use: 'access', version: 2 });
        for (const claim of ['scope', 'auth_time', 'iat', 'exp', 'iss', 'jti']) expect(payload).toHaveProperty(claim);
      });
    }
  }
});
