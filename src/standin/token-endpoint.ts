import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CompactSign } from 'jose';
import type { ClientConfig } from './clients.js';
import { BodyTooLarge, mediaType, readBody, sendEmpty, sendJson } from './http.js';
import type { SigningKeys } from './keys.js';

export type OAuthError = 'invalid_request' | 'invalid_client' | 'unauthorized_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

const encoder = new TextEncoder();
const TOKEN_BODY_LIMIT = 16 * 1024;
// Grant types Cognito knows: any other is unsupported_grant_type; these two are known but not
// something a client-credentials app client may use, so they are unauthorized_client.
const OTHER_KNOWN_GRANTS = new Set(['authorization_code', 'refresh_token']);

export interface TokenContext {
  clients: ReadonlyMap<string, ClientConfig>;
  keys: SigningKeys;
  issuer: string;
  defaultValiditySeconds: number;
  /** Called with the client id a request names (even when it fails), for counters and the log. */
  onClient: (clientId: string, issued: boolean) => void;
  onTokenIssued?: (accessToken: string) => void;
}

type Decision = { ok: true; client: ClientConfig; scopes: string[] } | { ok: false; error: OAuthError; clientId?: string };

interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/** Parses `Authorization: Basic ...`; undefined when absent, 'malformed' when it cannot be read. */
export function parseBasic(header: string | undefined): BasicCredentials | undefined | 'malformed' {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return /^Basic\b/i.test(header) ? 'malformed' : undefined;
  const b64 = match[1]!;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 === 1) return 'malformed';
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b64, 'base64'));
  } catch {
    return 'malformed';
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

function secretMatches(client: ClientConfig, secret: string, fromBasic: boolean): boolean {
  if (client.secrets.includes(secret)) return true;
  if (!fromBasic) return false;
  // RFC 6749 2.3.1 form-encodes id and secret before Base64; curl and Postman do not. Accept both.
  try {
    return client.secrets.includes(decodeURIComponent(secret.replace(/\+/g, ' ')));
  } catch {
    return false;
  }
}

/** The token endpoint's rules, in the order Cognito applies them; no I/O. */
export function decide(form: URLSearchParams, authorization: string | undefined, clients: ReadonlyMap<string, ClientConfig>): Decision {
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) return { ok: false, error: 'invalid_request' };
  }
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') return { ok: false, error: 'invalid_request' };
  if (grantType !== 'client_credentials' && !OTHER_KNOWN_GRANTS.has(grantType)) {
    return { ok: false, error: 'unsupported_grant_type' };
  }

  const basic = parseBasic(authorization);
  if (basic === 'malformed') return { ok: false, error: 'invalid_client' };
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  let clientId: string;
  let secret: string;
  if (basic) {
    // client_secret_basic: body credentials are optional, but when present they must agree.
    if (bodyId !== null && bodyId !== basic.clientId) return { ok: false, error: 'invalid_client', clientId: basic.clientId };
    if (bodySecret !== null && bodySecret !== basic.clientSecret) return { ok: false, error: 'invalid_client', clientId: basic.clientId };
    clientId = basic.clientId;
    secret = basic.clientSecret;
  } else {
    if (!bodyId || bodySecret === null || bodySecret === '') {
      return bodyId ? { ok: false, error: 'invalid_client', clientId: bodyId } : { ok: false, error: 'invalid_client' };
    }
    clientId = bodyId;
    secret = bodySecret;
  }
  const client = clients.get(clientId);
  if (!client || !secretMatches(client, secret, basic !== undefined)) return { ok: false, error: 'invalid_client', clientId };

  if (client.oauthFlowsEnabled === false) return { ok: false, error: 'invalid_grant', clientId };
  const flows = client.allowedOAuthFlows ?? ['client_credentials'];
  if (grantType !== 'client_credentials' || !flows.includes('client_credentials')) {
    return { ok: false, error: 'unauthorized_client', clientId };
  }

  const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
  if (requested.some((s) => !client.scopes.includes(s))) return { ok: false, error: 'invalid_scope', clientId };
  const scopes = requested.length > 0 ? [...new Set(requested)] : [...client.scopes];
  return { ok: true, client, scopes };
}

const SUCCESS_HEADERS = {
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: '0',
};

export async function handleToken(req: IncomingMessage, res: ServerResponse, ctx: TokenContext): Promise<void> {
  if (req.method !== 'POST') return sendEmpty(res, 405, { Allow: 'POST' });
  if (mediaType(req) !== 'application/x-www-form-urlencoded') return sendEmpty(res, 405);
  let body: string;
  try {
    body = (await readBody(req, TOKEN_BODY_LIMIT)).toString('utf8');
  } catch (e) {
    if (e instanceof BodyTooLarge) return sendEmpty(res, 413, { Connection: 'close' });
    throw e;
  }
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return sendJson(res, 400, { error: 'invalid_request' });

  const decision = decide(new URLSearchParams(body), req.headers.authorization, ctx.clients);
  if (!decision.ok) {
    if (decision.clientId !== undefined) ctx.onClient(decision.clientId, false);
    return sendJson(res, 400, { error: decision.error });
  }
  ctx.onClient(decision.client.clientId, true);
  const validity = decision.client.tokenValiditySeconds ?? ctx.defaultValiditySeconds;
  const now = Math.floor(Date.now() / 1000);
  // Claims in Cognito's order. CompactSign over ready-made bytes rather than SignJWT: the
  // claims are built here already, and the builder's checks cost a fifth of the endpoint's CPU.
  const claims = {
    sub: decision.client.clientId,
    token_use: 'access',
    scope: decision.scopes.join(' '),
    auth_time: now,
    iss: ctx.issuer,
    exp: now + validity,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: decision.client.clientId,
  };
  const accessToken = await new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ kid: ctx.keys.kid, alg: 'RS256' })
    .sign(ctx.keys.privateKey);
  ctx.onTokenIssued?.(accessToken);
  sendJson(res, 200, { access_token: accessToken, expires_in: validity, token_type: 'Bearer' }, SUCCESS_HEADERS, 'application/json;charset=UTF-8');
}
