// The doctor's checks, one line each: credentials (their shape, never their values), DNS, TCP,
// TLS, the clock, one token request, one read-only API call. Nothing they send changes a queue:
// the API call is a GET. doctor.ts puts them in order.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { decodeJwt, type JWTVerifyGetKey } from 'jose';
import { SCOPES, type EnvironmentSpec } from '../config/environments.js';
import { EXIT, UserError } from '../errors.js';
import { validator } from '../schema-registry.js';
import { beyondTolerance, clockSkewMs, describeSkew } from '../transport/clock.js';
import { describeUntrusted, NetworkError, send, type HttpAnswer } from '../transport/http.js';
import { bareHostname, proxyFor, ProxyRefused, type ProxyInUse } from '../transport/proxy.js';
import { inspectTls, openSocket, TunnelRefused } from '../transport/tls-inspect.js';
import type { Trust } from '../transport/trust.js';
import { checkToken, roleScopes } from '../run/answer-checks.js';
import { clientsFor, type Client } from '../config/credentials.js';
import type { IssuerRule } from '../config/issuer.js';
import type { Output } from '../report/output.js';
import type { ClientAuthMethod } from '../config/credentials.js';
import { fetchToken } from '../token/fetch-token.js';

export interface DoctorOptions {
  env: EnvironmentSpec;
  vars: Record<string, string | undefined>;
  trust: Trust;
  timeoutMs: number;
  method: ClientAuthMethod;
  tokenUrl?: string;
  baseUrl?: string;
  /** The tool's version, for the first line. */
  version: string;
}

export type Mark = 'ok' | 'warn' | 'FAIL' | '--';

export interface Line {
  mark: Mark;
  check: string;
  detail: string;
  /** The exit code a FAIL line asks for: 1 (a check), 2 (configuration) or 3 (unreachable). */
  exit?: number;
}

const ok = (check: string, detail: string): Line => ({ mark: 'ok', check, detail });
const warn = (check: string, detail: string): Line => ({ mark: 'warn', check, detail });
export const skip = (check: string, detail: string): Line => ({ mark: '--', check, detail });
const fail = (check: string, detail: string, exit: number = EXIT.failed): Line => ({ mark: 'FAIL', check, detail, exit });

/** What an app client's id and secret look like in the GDX guide: 26 and 52 lowercase letters and
 * digits (its examples, aaaa... and xxxx...). Cognito has issued secrets of 51 too: no warning for those. */
const SHAPES = { 'client id': [26], 'client secret': [52, 51] } as const;

function shapeOf(label: keyof typeof SHAPES, value: string): string | undefined {
  const lengths: readonly number[] = SHAPES[label];
  if (value !== value.trim()) return `the ${label} starts or ends with a space or line break: copy it again`;
  if (!/^[a-z0-9]+$/.test(value) || !lengths.includes(value.length)) {
    return `the ${label} is ${value.length} characters${/[A-Z]/.test(value) ? ' with capitals' : ''}; the GDX guide's are ${lengths[0]} lowercase letters and digits`;
  }
  return undefined;
}

/** A check's name, with the client's role when the environment has a client per role. */
export function labelFor(check: string, client: Client, clients: readonly Client[]): string {
  return clients.length > 1 && client.role ? `${check} (${client.role})` : check;
}

/** A line for each client the environment's variables give (both, for a client per role). */
export function credentialsLines(options: DoctorOptions): { lines: Line[]; clients: Client[] } {
  const lookup = clientsFor(options.env, options.vars, { allowGeneric: true });
  if (!lookup.ok) return { lines: [fail('credentials', lookup.reason, EXIT.usage)], clients: [] };
  const lines = lookup.clients.map((client) => {
    const check = labelFor('credentials', client, lookup.clients);
    if (client.builtIn) return ok(check, `${client.source} (${client.clientId})`);
    const problems = [shapeOf('client id', client.clientId), shapeOf('client secret', client.clientSecret)].filter((p) => p !== undefined);
    const from = `from ${client.source}`;
    if (problems.length) return warn(check, `${from}: ${problems.join('; ')} (fine for a private deployment)`);
    return ok(check, `${from}: a client id of 26 and a secret of ${client.clientSecret.length} lowercase letters and digits, the shapes the GDX guide shows`);
  });
  return { lines, clients: lookup.clients };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function dnsLine(host: string, proxy: ProxyInUse | undefined, options: DoctorOptions): Promise<Line> {
  if (isIP(host)) return skip('DNS', `${host} is an address: nothing to look up`);
  try {
    const found = await withTimeout(lookup(host, { all: true }), options.timeoutMs, 'DNS lookup');
    return ok('DNS', `${host}: ${found.map((a) => a.address).join(', ')}`);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    // Behind a proxy, the proxy resolves the name; many department networks resolve nothing else.
    if (proxy) return warn('DNS', `${host} does not resolve here (${code}); the proxy resolves it for you`);
    return fail('DNS', `${host} does not resolve (${code}): check the host name, your DNS or whether you need HTTPS_PROXY`, EXIT.unreachable);
  }
}

async function tcpLine(host: string, port: number, proxy: ProxyInUse | undefined, options: DoctorOptions): Promise<Line> {
  const started = Date.now();
  try {
    const socket = await openSocket(host, port, proxy, options.timeoutMs, options.trust);
    socket.destroy();
    return ok('TCP', `${host}:${port} connected in ${Date.now() - started} ms${proxy ? ' (a tunnel through the proxy)' : ''}`);
  } catch (e) {
    if (proxy && e instanceof TunnelRefused) return fail('TCP', new ProxyRefused(proxy, e.status).message, EXIT.unreachable);
    return fail('TCP', new NetworkError(`${host}:${port}`, (e as { code?: string }).code, options.timeoutMs).message, EXIT.unreachable);
  }
}

const DAY_MS = 86_400_000;

async function tlsLine(url: string, options: DoctorOptions): Promise<Line> {
  try {
    const facts = await inspectTls(url, options.trust, options.timeoutMs);
    const days = Math.floor((facts.validTo.getTime() - Date.now()) / DAY_MS);
    const about = `${facts.protocol}, "${facts.subject}" issued by "${facts.issuer}", valid until ${facts.validTo.toISOString().slice(0, 10)} (${days} days)`;
    const ca = options.trust.ca ? `; trusting ${options.trust.ca.path} (from ${options.trust.ca.from})` : '';
    if (!facts.trusted && options.trust.insecure) return warn('TLS', `${about}: NOT verified (--insecure)`);
    if (!facts.trusted) return fail('TLS', describeUntrusted(facts, facts.problem ?? 'untrusted'), EXIT.unreachable);
    return days < 14 ? warn('TLS', `${about}: expires soon${ca}`) : ok('TLS', `${about}${ca}`);
  } catch (e) {
    return fail('TLS', new NetworkError(new URL(url).host, (e as { code?: string }).code, options.timeoutMs).message, EXIT.unreachable);
  }
}

/** Proxy, DNS, TCP and TLS for one host, stopping at the first FAIL; true when a request can reach it. */
export async function hostLines(url: string, role: string, options: DoctorOptions, lines: Line[]): Promise<boolean> {
  const target = new URL(url);
  const host = bareHostname(target);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const proxy = proxyFor(target);
  lines.push(
    proxy ? ok('proxy', `${role} ${target.host} through ${proxy.display} (from ${proxy.variable})`) : ok('proxy', `${role} ${target.host}: none, direct`),
  );
  const steps = [
    () => dnsLine(host, proxy, options),
    () => tcpLine(host, port, proxy, options),
    () => (target.protocol === 'https:' ? tlsLine(url, options) : Promise.resolve(skip('TLS', `plain http to this machine (${target.host})`))),
  ];
  for (const step of steps) {
    const line = await step();
    lines.push(line);
    if (line.mark === 'FAIL') return false;
  }
  return true;
}

export async function clockLine(tokenUrl: string, options: DoctorOptions): Promise<{ line: Line; skewMs?: number }> {
  let answer: HttpAnswer;
  try {
    // A GET costs no token: Cognito answers it 405, with its Date.
    answer = await send(tokenUrl, { timeoutMs: options.timeoutMs, trust: options.trust });
  } catch (e) {
    return { line: fail('clock', `cannot ask the token endpoint the time: ${(e as Error).message}`, EXIT.unreachable) };
  }
  const skewMs = clockSkewMs(answer.date, answer.sentAt, answer.receivedAt);
  if (skewMs === undefined) return { line: warn('clock', 'the token endpoint sent no Date header to compare with') };
  const said = `${describeSkew(skewMs)} (its Date header)`;
  if (beyondTolerance(skewMs))
    return { line: fail('clock', `${said}: tokens will look expired or not yet valid here; set the clock and time zone right`), skewMs };
  return { line: ok('clock', `${said}: within the minute the token checks allow`), skewMs };
}

export async function tokenLine(
  client: Client,
  label: string,
  options: DoctorOptions,
  output: Output,
  skewMs: number | undefined,
  rule: IssuerRule,
): Promise<{ line: Line; token?: string; scopes?: string[]; issuer?: string }> {
  let token: string;
  try {
    token = await fetchToken(
      {
        env: options.env,
        vars: options.vars,
        client,
        method: options.method,
        timeoutMs: options.timeoutMs,
        trust: options.trust,
        ...(options.tokenUrl ? { tokenUrl: options.tokenUrl } : {}),
      },
      output,
    );
  } catch (e) {
    if (e instanceof UserError) return { line: fail(label, e.message, e.exitCode) };
    throw e;
  }
  const check = await checkToken(
    // expires_in is not at hand (fetchToken returns the token alone): that one check is not doctor's.
    { accessToken: token, request: 'doctor' },
    {
      clientId: client.clientId,
      requiredScopes: roleScopes(options.env, client.role),
      timeoutMs: options.timeoutMs,
      trust: options.trust,
      jwksCache: new Map<string, Promise<JWTVerifyGetKey>>(),
      issuer: rule,
      ...(skewMs !== undefined ? { clockSkewMs: skewMs } : {}),
    },
  );
  const issuer = issuerOf(token);
  const { problems } = check;
  const about = `issued with ${options.method}, scopes ${check.scopes.join(' ') || '(none)'}`;
  const seen = { token, scopes: check.scopes, ...(issuer ? { issuer } : {}) };
  const trusted = `the issuer must be ${rule.said}`;
  if (problems.length) return { line: fail(label, `${about}, but ${problems.join('; ')} (${trusted})`), ...seen };
  return { line: ok(label, `${about}; signature, issuer, client_id and expiry verified (${trusted})`), ...seen };
}

/** The iss claim, read without verifying (checkToken verifies); undefined unless an http(s) URL. */
function issuerOf(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return typeof iss === 'string' && /^https?:\/\//.test(iss) ? iss : undefined;
  } catch {
    return undefined;
  }
}

const JSON_API = 'application/vnd.api+json';

/** One GET that changes nothing: the events list for a consumer, else a route the API refuses. */
export async function apiLine(baseUrl: string, token: string, scopes: readonly string[], options: DoctorOptions, check = 'API'): Promise<Line> {
  const v1 = options.env.apis.includes('events-v1');
  const url = v1 ? `${baseUrl}/events?page%5Bsize%5D=1` : `${baseUrl}/events/deathNotification`;
  let answer: HttpAnswer;
  try {
    answer = await send(url, { timeoutMs: options.timeoutMs, trust: options.trust, headers: { Authorization: `Bearer ${token}`, Accept: JSON_API } });
  } catch (e) {
    return fail(check, (e as Error).message, EXIT.unreachable);
  }
  const got = `GET ${new URL(url).pathname} answered ${answer.status}`;
  if (!v1) {
    return answer.status === 403 && answer.body.includes('Missing Authentication Token')
      ? ok(
          check,
          `${got} Missing Authentication Token, as API Gateway answers any GET: reachable; only a POST checks the token (npm run smoke sends one refused on purpose)`,
        )
      : fail(check, `${got}, not API Gateway's 403 for a GET: check the base URL`);
  }
  if (scopes.includes(SCOPES.consume)) {
    if (answer.status !== 200)
      return fail(check, `${got}, not 200: ${answer.status === 401 ? 'the API refused the token' : 'see the status in the GDX guide'}`);
    let list: unknown;
    try {
      list = JSON.parse(answer.body);
    } catch {
      return fail(check, `${got} with a body that is not JSON`);
    }
    return validator('event-list')(list)
      ? ok(check, `${got}, a valid event list (nothing acknowledged)`)
      : fail(check, `${got}, but the body is not an event list`);
  }
  if (answer.status === 403) return ok(check, `${got}: the token was accepted and listing refused, as for a client without ${SCOPES.consume}`);
  return fail(check, `${got}, not 403: ${answer.status === 401 ? 'the API refused the token' : 'check the base URL'}`);
}
