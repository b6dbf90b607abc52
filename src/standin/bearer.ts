import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { SigningKeys } from './keys.js';

export type BearerResult =
  | { ok: true; clientId: string; scopes: string[] }
  | { ok: false; reason: 'missing' | 'invalid' | 'insufficient_scope'; clientId?: string };

export interface BearerVerifier {
  /** allowRawToken: take a bare JWT as well as "Bearer <jwt>" (API Gateway's Cognito authoriser). */
  verify(req: IncomingMessage, requiredScope: string, options?: { allowRawToken?: boolean }): Promise<BearerResult>;
}

/** What a Cognito resource server checks: signature, exp, iss, token_use, client id, scope. */
export function createBearerVerifier(keys: SigningKeys, issuer: string): BearerVerifier {
  const keySet = createLocalJWKSet(keys.jwks);
  return {
    async verify(req, requiredScope, options = {}) {
      const pattern = options.allowRawToken ? /^(?:Bearer )?([A-Za-z0-9._~+/-]+=*)$/ : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;
      const match = pattern.exec(req.headers.authorization ?? '');
      if (!match) return { ok: false, reason: 'missing' };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(match[1]!, keySet, { issuer, algorithms: ['RS256'], clockTolerance: 0 }));
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      const clientId = payload['client_id'];
      if (payload['token_use'] !== 'access' || typeof clientId !== 'string' || payload.sub !== clientId) {
        return { ok: false, reason: 'invalid' };
      }
      const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
      if (!scopes.includes(requiredScope)) return { ok: false, reason: 'insufficient_scope', clientId };
      return { ok: true, clientId, scopes };
    },
  };
}
