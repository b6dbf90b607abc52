// The runner verifies every token against the keys its issuer publishes, through jose's remote
// key set: a JWKS answer that fails once is not remembered as failed, and many tokens cost one
// fetch of the keys.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkToken } from '../src/run/answer-checks.js';
import { serve, type Running } from './helpers/servers.js';

let issuer: Running;
let privateKey: CryptoKey;
let jwks: unknown;
let failNext = 0;
let fetches = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  issuer = await serve((req, res) => {
    fetches++;
    if (failNext > 0) {
      failNext--;
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      return void res.end('busy');
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
});
afterAll(() => issuer.close());

async function aToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: 'c', token_use: 'access', scope: 'events/consume' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('c')
    .setIssuer(`${issuer.url}/pool`)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
}

const check = async (jwksCache: Map<string, never>) =>
  checkToken(
    { accessToken: await aToken(), expiresIn: 3600, request: 'r' },
    {
      clientId: 'c',
      requiredScopes: [['events/consume']],
      timeoutMs: 5_000,
      trust: { insecure: false },
      jwksCache,
      issuer: { host: '127.0.0.1', said: 'test' },
    },
  );

describe("token checks against the issuer's keys", () => {
  it('a JWKS that fails once fails that check only: the next check fetches again and passes', async () => {
    const cache = new Map<string, never>();
    failNext = 1;
    fetches = 0;
    const first = await check(cache);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(/^signature or expiry check failed against http:\/\/127\.0\.0\.1:\d+\/pool\/\.well-known\/jwks\.json/);
    const second = await check(cache);
    expect(second.problems).toEqual([]);
    expect(fetches).toBe(2);
  });

  it('many tokens of one issuer cost one fetch of its keys', async () => {
    const cache = new Map<string, never>();
    fetches = 0;
    const results = [await check(cache), await check(cache), await check(cache)];
    expect(results.map((r) => r.problems)).toEqual([[], [], []]);
    expect(fetches).toBe(1);
  });
});
