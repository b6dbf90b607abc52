import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { validator } from '../src/schema-registry.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { basic, call, form, FORM } from './helpers/http.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const ROTATING = { clientId: 'rotating-client', secrets: ['old-secret', 'new-secret'], scopes: ['events/consume'] };
const SWITCHED_OFF = { clientId: 'flows-off', secrets: ['s'], scopes: ['events/consume'], oauthFlowsEnabled: false };
const CODE_ONLY = { clientId: 'code-only', secrets: ['s'], scopes: ['events/consume'], allowedOAuthFlows: ['code'] };
const SHORT = { clientId: 'short-lived', secrets: ['s'], scopes: ['events/consume'], tokenValiditySeconds: 300 };

let standin: Standin;
const logLines: string[] = [];

beforeAll(async () => {
  standin = await startStandin({ clients: [ROTATING, SWITCHED_OFF, CODE_ONLY, SHORT], log: (l) => logLines.push(l) });
});
afterAll(() => standin.stop());

function post(body: string, headers: Record<string, string> = {}) {
  return call(standin.tokenUrl, { method: 'POST', headers: { 'Content-Type': FORM, ...headers }, body });
}

async function expectError(answer: Promise<Awaited<ReturnType<typeof call>>>, error: string): Promise<void> {
  const res = await answer;
  expect(res.status).toBe(400);
  expect(res.json()).toEqual({ error });
  expect(res.headers.get('www-authenticate')).toBeNull();
  expect(validator('oauth-error')(res.json())).toBe(true);
}

describe('token endpoint: success', () => {
  it('client_secret_post answers exactly the three fields, with Cognito headers', async () => {
    const res = await post(form({ grant_type: 'client_credentials', client_id: ACQ.clientId, client_secret: ACQ.clientSecret }));
    expect(res.status).toBe(200);
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body['expires_in']).toBe(3600);
    expect(body['token_type']).toBe('Bearer');
    expect(validator('token-response')(body)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store, max-age=0, must-revalidate');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('expires')).toBe('0');
    expect(res.headers.get('x-amz-cognito-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('client_secret_basic works with and without a matching client_id in the body', async () => {
    const auth = { Authorization: basic(SUP.clientId, SUP.clientSecret) };
    expect((await post(form({ grant_type: 'client_credentials' }), auth)).status).toBe(200);
    expect((await post(form({ grant_type: 'client_credentials', client_id: SUP.clientId }), auth)).status).toBe(200);
  });

  it('accepts a charset parameter on the form content type', async () => {
    const res = await call(standin.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8', Authorization: basic(ACQ.clientId, ACQ.clientSecret) },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
  });

  it('accepts either of two secrets during a rotation', async () => {
    for (const secret of ROTATING.secrets) {
      expect((await post('grant_type=client_credentials', { Authorization: basic(ROTATING.clientId, secret) })).status).toBe(200);
    }
  });

  it('issues an RS256 JWT with Cognito claims that verifies against the served JWKS', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await post('grant_type=client_credentials', { Authorization: basic(SUP.clientId, SUP.clientSecret) });
    const { access_token: jwt } = res.json() as { access_token: string };
    const header = decodeProtectedHeader(jwt);
    expect(header).toEqual({ kid: expect.any(String), alg: 'RS256' });
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(standin.jwksUrl)), { issuer: standin.issuer });
    expect(payload).toMatchObject({
      sub: SUP.clientId,
      client_id: SUP.clientId,
      token_use: 'access',
      scope: 'events/publish EventType/DeathNotification',
      version: 2,
    });
    expect(payload.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload['auth_time']).toBe(payload.iat);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.aud).toBeUndefined();
    expect(payload['username']).toBeUndefined();
    expect(standin.jwksUrl).toBe(`${payload.iss}/.well-known/jwks.json`);
  });

  it('serves JWKS keys with kid, use sig and RS256', async () => {
    const jwks = (await call(standin.jwksUrl)).json() as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('narrows the scope to what was asked, and grants all allowed scopes when scope is empty', async () => {
    const auth = { Authorization: basic(SUP.clientId, SUP.clientSecret) };
    const scoped = await post(form({ grant_type: 'client_credentials', scope: 'EventType/DeathNotification' }), auth);
    const claims = (r: typeof scoped) => JSON.parse(Buffer.from((r.json() as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString());
    expect(claims(scoped).scope).toBe('EventType/DeathNotification');
    const empty = await post(form({ grant_type: 'client_credentials', scope: '' }), auth);
    expect(claims(empty).scope).toBe('events/publish EventType/DeathNotification');
  });

  it('uses the client validity for expires_in and exp', async () => {
    const res = await post('grant_type=client_credentials', { Authorization: basic(SHORT.clientId, 's') });
    const body = res.json() as { expires_in: number; access_token: string };
    expect(body.expires_in).toBe(300);
    const { iat, exp } = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(exp - iat).toBe(300);
  });
});

describe('token endpoint: refusals', () => {
  it('answers 405 with an empty body to other methods and content types', async () => {
    const get = await call(standin.tokenUrl);
    expect([get.status, get.text]).toEqual([405, '']);
    const json = await call(standin.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
    expect([json.status, json.text]).toEqual([405, '']);
    const none = await call(standin.tokenUrl, { method: 'POST', body: new Uint8Array(Buffer.from('grant_type=client_credentials')) });
    expect(none.status).toBe(405);
  });

  it('answers invalid_request to JSON under the form content type', async () => {
    await expectError(post('{"grant_type":"client_credentials"}'), 'invalid_request');
  });

  it('answers invalid_request to a missing or duplicated grant_type', async () => {
    const auth = { Authorization: basic(ACQ.clientId, ACQ.clientSecret) };
    await expectError(post(form({ client_id: ACQ.clientId, client_secret: ACQ.clientSecret })), 'invalid_request');
    await expectError(post('grant_type=client_credentials&grant_type=client_credentials', auth), 'invalid_request');
    await expectError(post(`grant_type=client_credentials&client_id=${ACQ.clientId}&client_id=${ACQ.clientId}`, auth), 'invalid_request');
  });

  it('answers unsupported_grant_type to an unknown grant, unauthorized_client to a known one the client may not use', async () => {
    const auth = { Authorization: basic(ACQ.clientId, ACQ.clientSecret) };
    await expectError(post('grant_type=password', auth), 'unsupported_grant_type');
    await expectError(post('grant_type=authorization_code', auth), 'unauthorized_client');
    await expectError(post('grant_type=client_credentials', { Authorization: basic(CODE_ONLY.clientId, 's') }), 'unauthorized_client');
  });

  it('answers invalid_grant when the client has its OAuth flows switched off', async () => {
    await expectError(post('grant_type=client_credentials', { Authorization: basic(SWITCHED_OFF.clientId, 's') }), 'invalid_grant');
  });

  it('answers 400 invalid_client, never 401, to a wrong secret, an unknown client or no credentials', async () => {
    await expectError(post(form({ grant_type: 'client_credentials', client_id: ACQ.clientId, client_secret: 'wrong' })), 'invalid_client');
    await expectError(post('grant_type=client_credentials', { Authorization: basic(ACQ.clientId, 'wrong') }), 'invalid_client');
    await expectError(post('grant_type=client_credentials', { Authorization: basic('nobody', 'x') }), 'invalid_client');
    await expectError(post('grant_type=client_credentials'), 'invalid_client');
    await expectError(post(form({ grant_type: 'client_credentials', client_id: ACQ.clientId })), 'invalid_client');
  });

  it('answers invalid_client when Basic and body credentials disagree', async () => {
    const auth = { Authorization: basic(ACQ.clientId, ACQ.clientSecret) };
    await expectError(post(form({ grant_type: 'client_credentials', client_id: SUP.clientId }), auth), 'invalid_client');
    await expectError(post(form({ grant_type: 'client_credentials', client_secret: 'other' }), auth), 'invalid_client');
  });

  it('answers invalid_client to malformed Basic headers', async () => {
    const bad = [
      'Basic !!!notbase64',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      `Basic ${Buffer.from([0x6c, 0x3a, 0xff, 0xfe]).toString('base64')}`,
      'Basic ',
    ];
    for (const Authorization of bad) await expectError(post('grant_type=client_credentials', { Authorization }), 'invalid_client');
  });

  it('answers invalid_scope to a scope the client may not have', async () => {
    const auth = { Authorization: basic(ACQ.clientId, ACQ.clientSecret) };
    await expectError(post(form({ grant_type: 'client_credentials', scope: 'events/admin' }), auth), 'invalid_scope');
    await expectError(post(form({ grant_type: 'client_credentials', scope: 'events/consume events/publish' }), auth), 'invalid_scope');
  });

  it('answers 413 to a body over the limit and keeps serving', async () => {
    const res = await post(`grant_type=client_credentials&pad=${'x'.repeat(20_000)}`);
    expect(res.status).toBe(413);
    expect((await post('grant_type=client_credentials', { Authorization: basic(ACQ.clientId, ACQ.clientSecret) })).status).toBe(200);
  });

  it('answers other paths of the host as API Gateway does (403 Missing Authentication Token), issuing nothing', async () => {
    standin.resetCounters();
    const res = await call(`${standin.baseUrl}/oauth2/authorize`);
    expect(res.status).toBe(403);
    expect(standin.counters().tokenRequestsTotal).toBe(0);
  });
});

describe('token endpoint: counters and log', () => {
  it('counts token requests per client, issued or not', async () => {
    standin.resetCounters();
    await post('grant_type=client_credentials', { Authorization: basic(ACQ.clientId, ACQ.clientSecret) });
    await post('grant_type=client_credentials', { Authorization: basic(ACQ.clientId, 'wrong') });
    await post('grant_type=client_credentials');
    const counters = (await call(standin.countersUrl)).json();
    expect(counters).toMatchObject({ tokenRequests: { [ACQ.clientId]: 2 }, tokensIssued: { [ACQ.clientId]: 1 }, tokenRequestsTotal: 3 });
    expect((await call(standin.countersUrl, { method: 'DELETE' })).status).toBe(204);
    expect(standin.counters().tokenRequestsTotal).toBe(0);
  });

  it('logs method, path, status and client id, and never a secret or token', async () => {
    logLines.length = 0;
    const secret = 'pl@nted-s3cret+%2F';
    const res = await post(form({ grant_type: 'client_credentials', client_id: ROTATING.clientId, client_secret: secret }) + `&x=${ACQ.clientSecret}`);
    expect(res.status).toBe(400);
    const ok = await post('grant_type=client_credentials', { Authorization: basic(ACQ.clientId, ACQ.clientSecret) });
    const jwt = (ok.json() as { access_token: string }).access_token;
    await call(`${standin.baseUrl}/events?client_secret=${ACQ.clientSecret}`, { headers: { Authorization: `Bearer ${jwt}` } });
    expect(logLines).toEqual([
      `POST /oauth2/token 400 client=${ROTATING.clientId}`,
      `POST /oauth2/token 200 client=${ACQ.clientId}`,
      `GET /events 200 client=${ACQ.clientId}`,
    ]);
    const all = logLines.join('\n');
    for (const s of [secret, ACQ.clientSecret, jwt, basic(ACQ.clientId, ACQ.clientSecret).slice(6)]) expect(all).not.toContain(s);
  });
});
