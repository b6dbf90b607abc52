import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { SigningKeys } from './keys.js';

export type BearerResult =
  | { ok: true; clientId: string; scopes: string[] }
  | { ok: false; reason: 'missing' | 'invalid' | 'insufficient_scope'; clientId?: string; description?: string };

/** How a resource server in front of one API reads and checks a token. */
export interface BearerProfile {
  /** Take a bare JWT as well as "Bearer <jwt>". */
  allowRawToken: boolean;
  /** Seconds of clock skew allowed on exp. */
  clockToleranceSec: number;
  /** Refuse a token whose token_use is not "access". */
  checkTokenUse: boolean;
}

/** V1-BEARER (config/ResourceServerConfiguration.kt, Spring Security's resource server): the scheme
 * in any case, 60 s of skew (JwtTimestampValidator's default), issuer checked, token_use not. */
export const SPRING_RESOURCE_SERVER: BearerProfile = { allowRawToken: false, clockToleranceSec: 60, checkTokenUse: false };
/** V2-AUTH-401, V2-RAW-TOKEN: API Gateway's Cognito authoriser; the platform's own publisher
 * (GroPublishRecord.java) sends the JWT without "Bearer ". */
export const API_GATEWAY_COGNITO: BearerProfile = { allowRawToken: true, clockToleranceSec: 0, checkTokenUse: true };

export interface BearerVerifier {
  /** Authenticates, then checks the scope when one is named (`undefined`: any valid token). */
  verify(req: IncomingMessage, requiredScope: string | undefined, profile: BearerProfile): Promise<BearerResult>;
}

const TOKEN = '([A-Za-z0-9._~+/-]+=*)';

/** Spring's wording for a token it cannot use, as its WWW-Authenticate error_description gives it. */
function describe(e: unknown): string {
  const prefix = 'An error occurred while attempting to decode the Jwt: ';
  if (e instanceof errors.JWTExpired) return `${prefix}Jwt expired at ${new Date(Number(e.payload.exp) * 1000).toISOString()}`;
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey) return `${prefix}Signed JWT rejected: Invalid signature`;
  if (e instanceof errors.JWTClaimValidationFailed) return `${prefix}The ${e.claim} claim is not valid`;
  return `${prefix}Malformed token`;
}

/** What a Cognito resource server checks: signature, exp, iss, (token_use), client id, scope. */
export function createBearerVerifier(keys: SigningKeys, issuer: string): BearerVerifier {
  const keySet = createLocalJWKSet(keys.jwks);
  return {
    async verify(req, requiredScope, profile) {
      const pattern = profile.allowRawToken ? new RegExp(`^(?:Bearer )?${TOKEN}$`) : new RegExp(`^Bearer ${TOKEN}$`, 'i');
      const match = pattern.exec(req.headers.authorization ?? '');
      if (!match) return { ok: false, reason: 'missing' };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(match[1]!, keySet, { issuer, algorithms: ['RS256'], clockTolerance: profile.clockToleranceSec }));
      } catch (e) {
        return { ok: false, reason: 'invalid', description: describe(e) };
      }
      const clientId = payload['client_id'];
      if ((profile.checkTokenUse && payload['token_use'] !== 'access') || typeof clientId !== 'string' || payload.sub !== clientId) {
        return { ok: false, reason: 'invalid', description: 'An error occurred while attempting to decode the Jwt: not an access token of a client' };
      }
      const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
      if (requiredScope !== undefined && !scopes.includes(requiredScope)) return { ok: false, reason: 'insufficient_scope', clientId };
      return { ok: true, clientId, scopes };
    },
  };
}
