// What the runner checks beyond the collection's own tests: every JSON answer against the schema
// files (ajv 8, the same files the collections embed for ajv 6), and every access token for real.
import type { ErrorObject } from 'ajv';
import type { JWTVerifyGetKey } from 'jose';
import { foldersFor, type Check } from '../catalogue.js';
import type { EnvironmentSpec, Role } from '../config/environments.js';
import { validator, type SchemaName } from '../schema-registry.js';
import { send } from '../transport/http.js';
import type { SchemaFailure, TokenCheck } from '../report/model.js';
import type { ExecutionRecord, ScriptRequestRecord } from './records.js';
import { jwksUrl, type IssuerRule } from '../config/issuer.js';
import { beyondTolerance, CLOCK_TOLERANCE_S, describeSkew } from '../transport/clock.js';
import type { Trust } from '../transport/trust.js';

function expectedSchema(check: Check, status: number | undefined): SchemaName | undefined {
  if (check.kind === 'token-response') return status === 200 ? 'token-response' : undefined;
  if (check.kind === 'oauth-error') return 'oauth-error';
  return status === check.expect.status ? check.expect.schema : undefined;
}

/** The value at a JSON pointer of `data`, as a short JSON text (cut: an excerpt, redacted on output). */
function receivedAt(data: unknown, pointer: string, redact: Redact): string {
  let node: unknown = data;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  const text = node === undefined ? 'nothing' : JSON.stringify(node);
  // Redacted whole before it is cut: a cut token is no longer one the redactor knows.
  const shown = redact(text);
  return shown.length > RECEIVED_MAX ? `${shown.slice(0, RECEIVED_MAX)}...` : shown;
}

/** The run's redactor, as a function of text. */
type Redact = (text: string) => string;

const RECEIVED_MAX = 80;

/** What one of ajv's errors says, in words a tester can act on: where, what was expected, and what
 * came instead. */
function explained(e: ErrorObject, data: unknown, name: SchemaName, redact: Redact): Omit<SchemaFailure, 'request' | 'status'> {
  const pointer = e.instancePath || '/';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        pointer,
        expected: `the property "${String(params['missingProperty'])}"`,
        received: 'none',
        message: `has no "${String(params['missingProperty'])}", which the ${name} schema requires`,
      };
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      const received = receivedAt(data, e.instancePath, redact);
      return { pointer, expected: `one of ${allowed}`, received, message: `is ${received}; the ${name} schema allows one of ${allowed}` };
    }
    case 'const': {
      const want = JSON.stringify(params['allowedValue']);
      const received = receivedAt(data, e.instancePath, redact);
      return { pointer, expected: want, received, message: `is ${received}; the ${name} schema allows only ${want}` };
    }
    case 'type': {
      const received = receivedAt(data, e.instancePath, redact);
      return {
        pointer,
        expected: `a value of type ${String(params['type'])}`,
        received,
        message: `is ${received}; the ${name} schema expects ${String(params['type'])}`,
      };
    }
    case 'additionalProperties':
      return {
        pointer,
        expected: 'no other properties',
        received: `"${String(params['additionalProperty'])}"`,
        message: `has "${String(params['additionalProperty'])}", which the ${name} schema does not allow`,
      };
    default: {
      const received = receivedAt(data, e.instancePath, redact);
      return { pointer, expected: e.message ?? 'a valid value', received, message: `is ${received}; the ${name} schema says it ${e.message ?? 'is invalid'}` };
    }
  }
}

function validate(request: string, status: number | undefined, body: string | undefined, name: SchemaName, redact: Redact): SchemaFailure[] {
  let data: unknown;
  try {
    data = JSON.parse(body ?? '');
  } catch {
    return [{ request, ...(status ? { status } : {}), pointer: '', message: `body is not JSON, but the ${name} schema expects JSON` }];
  }
  const fn = validator(name);
  if (fn(data)) return [];
  // Each problem once: ajv may say the same thing of one place twice (through anyOf, say).
  const seen = new Set<string>();
  return (fn.errors ?? []).flatMap((e) => {
    const failure = explained(e, data, name, redact);
    const key = `${failure.pointer}\u0000${failure.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ request, ...(status ? { status } : {}), ...failure }];
  });
}

// Built once per environment: the check runs for every request of a long run.
const checksByEnvironment = new Map<string, Map<string, Check>>();

export function checkFor(env: EnvironmentSpec, folder: string, request: string): Check | undefined {
  let checks = checksByEnvironment.get(env.name);
  if (!checks) {
    checks = new Map(foldersFor(env).flatMap((f) => f.requests.map((r) => [`${f.name}\u0000${r.name}`, r.check] as const)));
    checksByEnvironment.set(env.name, checks);
  }
  return checks.get(`${folder}\u0000${request}`);
}

/** Schema checks of one executed request and of the token requests its scripts sent. */
/** The token script's token requests among a request's script requests: a token endpoint takes
 * POST alone (RFC 6749 3.2), and the guard's one other request, its question before a DELETE, is a GET. */
function tokenScriptRequests(execution: ExecutionRecord): ScriptRequestRecord[] {
  return execution.scriptRequests.filter((r) => r.method.toUpperCase() === 'POST');
}

export function schemaFailures(env: EnvironmentSpec, execution: ExecutionRecord, redact: Redact = (t) => t): SchemaFailure[] {
  const failures: SchemaFailure[] = [];
  const check = checkFor(env, execution.folder, execution.name);
  const label = `${execution.folder} / ${execution.name}`;
  if (check && !execution.skipped && !execution.requestError) {
    const name = expectedSchema(check, execution.status);
    if (name) failures.push(...validate(label, execution.status, execution.responseBody, name, redact));
  }
  for (const sr of tokenScriptRequests(execution)) {
    if (sr.requestError || sr.status === undefined) continue;
    const json = (sr.contentType ?? '').startsWith('application/json');
    if (sr.status === 200) failures.push(...validate(`${label} (token script)`, sr.status, sr.responseBody, 'token-response', redact));
    else if (sr.status === 400 && json) failures.push(...validate(`${label} (token script)`, sr.status, sr.responseBody, 'oauth-error', redact));
  }
  return failures;
}

export interface TokenSeen {
  accessToken: string;
  /** The answer's expires_in; absent when the caller has only the token (doctor). */
  expiresIn?: number;
  /** The request whose answer carried it. */
  request: string;
}

/** Access tokens in a request's answers: its own (the seed requests) and its script's. */
export function tokensIn(execution: ExecutionRecord): TokenSeen[] {
  const label = `${execution.folder} / ${execution.name}`;
  const answers = [
    ...(execution.status === 200 ? [{ body: execution.responseBody, request: label }] : []),
    ...tokenScriptRequests(execution)
      .filter((r) => r.status === 200)
      .map((r) => ({ body: r.responseBody, request: `${label} (token script)` })),
  ];
  const seen: TokenSeen[] = [];
  for (const a of answers) {
    try {
      const json = JSON.parse(a.body ?? '') as { access_token?: unknown; expires_in?: unknown };
      if (typeof json.access_token === 'string') seen.push({ accessToken: json.access_token, expiresIn: Number(json.expires_in), request: a.request });
    } catch {
      /* not a token answer */
    }
  }
  return seen;
}

export interface TokenCheckOptions {
  clientId: string;
  /** Scopes the token must carry: the role's when the role is known; otherwise every role's
   * scope set of the environment, of which the token must cover one. */
  requiredScopes: readonly (readonly string[])[];
  timeoutMs: number;
  trust: Trust;
  /** This machine's clock minus the token endpoint's: a time claim that fails because of it is
   * said as the clock's fault, in words. */
  clockSkewMs?: number;
  /** One remote key set per issuer for the run: jose refetches on an unknown key (after a
   * cool-down) and keeps no failed fetch, so one bad answer does not fail every later check. */
  jwksCache: Map<string, Promise<JWTVerifyGetKey>>;
  /** Which issuers' keys are trusted (src/config/issuer.ts). */
  issuer: IssuerRule;
}

/** The issuer's keys through the runner's own HTTP (its timeout, proxy and TLS settings). Cached
 * at once, as a promise: the seed requests' two tokens, checked together, share one key set. */
function remoteKeySet(url: string, options: TokenCheckOptions): Promise<JWTVerifyGetKey> {
  const cached = options.jwksCache.get(url);
  if (cached) return cached;
  const fetchVia = async (resource: string): Promise<Response> => {
    const answer = await send(resource, { timeoutMs: options.timeoutMs, trust: options.trust });
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });
  };
  const keys = jose().then(({ createRemoteJWKSet, customFetch }) =>
    createRemoteJWKSet(new URL(url), { timeoutDuration: options.timeoutMs, cooldownDuration: 1_000, [customFetch]: fetchVia }),
  );
  options.jwksCache.set(url, keys);
  return keys;
}

// Loaded when the first token is checked, while Newman runs, not before the run starts.
const jose = (): Promise<typeof import('jose')> => import('jose');

/** A time claim that failed because this machine's clock is wrong, said as such. */
function clockProblem(code: string | undefined, skewMs: number | undefined): string | undefined {
  if (!beyondTolerance(skewMs) || (code !== 'ERR_JWT_EXPIRED' && code !== 'ERR_JWT_CLAIM_VALIDATION_FAILED')) return undefined;
  const looks = code === 'ERR_JWT_EXPIRED' ? 'expired' : 'not yet valid';
  return `${describeSkew(skewMs)} (its Date header), so the token looks ${looks} here although the GDX services, on their own clocks, accept it: set this machine's clock and time zone right (automatic time), then run again`;
}

/** Verifies a token as a Cognito resource server would, against the keys its issuer publishes. */
export async function checkToken(token: TokenSeen, options: TokenCheckOptions): Promise<TokenCheck> {
  const problems: string[] = [];
  let claims: Record<string, unknown>;
  try {
    claims = (await jose()).decodeJwt(token.accessToken);
  } catch {
    return { request: token.request, problems: ['the access token is not a JWT'], scopes: [] };
  }
  const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
  const iss = typeof claims['iss'] === 'string' ? claims['iss'] : '';
  const keysAt = iss ? jwksUrl(iss, options.issuer) : undefined;
  if (!keysAt) {
    problems.push('the token has no usable iss claim, so its signing keys cannot be found');
  } else if ('problem' in keysAt) {
    problems.push(keysAt.problem);
  } else {
    try {
      const keys = await remoteKeySet(keysAt.url, options);
      const { jwtVerify } = await jose();
      await jwtVerify(token.accessToken, keys, { issuer: iss, algorithms: ['RS256'], clockTolerance: CLOCK_TOLERANCE_S });
    } catch (e) {
      const code = (e as { code?: string }).code;
      problems.push(clockProblem(code, options.clockSkewMs) ?? `signature or expiry check failed against ${keysAt.url}: ${code ?? (e as Error).message}`);
    }
  }
  if (claims['token_use'] !== 'access') problems.push(`token_use is ${JSON.stringify(claims['token_use'])}, not "access"`);
  if (claims['client_id'] !== options.clientId) problems.push(`client_id is ${JSON.stringify(claims['client_id'])}, not the client id of this run`);
  const iat = Number(claims['iat']);
  const exp = Number(claims['exp']);
  if (token.expiresIn !== undefined && !(exp - iat === token.expiresIn)) problems.push(`exp - iat is ${exp - iat} s but expires_in said ${token.expiresIn} s`);
  const covers = (set: readonly string[]): boolean => set.every((s) => scopes.includes(s));
  if (options.requiredScopes.length === 1) {
    for (const s of options.requiredScopes[0]!) if (!scopes.includes(s)) problems.push(`the token lacks the scope ${s}`);
  } else if (options.requiredScopes.length > 1 && !options.requiredScopes.some(covers)) {
    problems.push(`the token carries none of the scope sets of this environment's roles (${options.requiredScopes.map((s) => s.join(' ')).join('; ')})`);
  }
  return { request: token.request, problems, scopes };
}

export function roleScopes(env: EnvironmentSpec, role: Role | undefined): readonly (readonly string[])[] {
  if (role) return [env.roles[role] ?? []];
  return Object.values(env.roles);
}
