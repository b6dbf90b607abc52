// One HTTP exchange for everything the runner, `token` and `doctor` send themselves: a hard
// timeout over connect, answer and body alike (nothing hangs), the trust and the proxy chosen in
// this folder, and never a redirect followed (a token request's secret would go with it).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { proxyFor, ProxyRefused, type ProxyInUse } from './proxy.js';
import { inspectTls, TunnelRefused, type TlsFacts } from './tls-inspect.js';
import { caOption, tlsOptions, type Trust } from './trust.js';

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The Retry-After header, when the server sent one (429, 503). */
  retryAfter?: string;
  /** The Date header: the clock check reads it. */
  date?: string;
  /** Where a 3xx pointed; never followed. */
  location?: string;
  /** When the request went and the answer came (this machine's clock), for the clock check. */
  sentAt: number;
  receivedAt: number;
}

export interface HttpOptions {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  trust: Trust;
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_OSSL)/;
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export const CA_FILE_ADVICE =
  'a department proxy that inspects TLS is the usual cause: get its root CA certificate (PEM) from your IT team and pass --ca-file PATH (or set GDX_CA_FILE); --insecure is for private test deployments only, since it shows your secret to whoever is in the path';

/** Why a host could not be reached, in words that say what to do. */
export function describeNetworkError(code: string | undefined, timeoutMs: number): string {
  if (!code) return 'network error';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): is the host up and the port right?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code}): check the host name and your DNS or proxy`;
  if (code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms (ETIMEDOUT): check your network, proxy or firewall, or raise --timeout`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection was reset (${code}): a proxy or firewall may be in the way`;
  if (TLS_CODES.test(code)) return `TLS error (${code}): the certificate is not trusted; ${CA_FILE_ADVICE}`;
  return `network error (${code})`;
}

/** The certificate named, for a TLS failure: whose it is, who signed it, and what to do. */
export function describeUntrusted(facts: TlsFacts, code: string): string {
  const signer = facts.root !== facts.issuer && facts.root !== facts.subject ? `, whose chain ends at "${facts.root}"` : '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return `TLS error (${code}): the certificate is for "${facts.subject}", issued by "${facts.issuer}", not for this host; ${CA_FILE_ADVICE}`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `TLS error (${code}): the certificate "${facts.subject}" (issued by "${facts.issuer}") is valid until ${facts.validTo.toISOString()}; check this machine's clock, or tell the host's owners`;
  }
  return `TLS error (${code}): the certificate is not trusted: "${facts.subject}", issued by "${facts.issuer}"${signer}; ${CA_FILE_ADVICE}`;
}

/** A token endpoint that redirects: named, with where it points, and never followed. */
export function redirectRefusal(tokenUrl: string, status: number, location: string | undefined): string {
  let target = 'no Location';
  try {
    if (location) target = new URL(location, tokenUrl).host;
  } catch {
    target = 'an unreadable Location';
  }
  return `the token endpoint ${new URL(tokenUrl).host} answered ${status}, redirecting to ${target}: not followed, since the client secret would go with it; set the token URL to the endpoint itself (https://.../oauth2/token)`;
}

export class NetworkError extends Error {
  constructor(
    readonly host: string,
    readonly code: string | undefined,
    timeoutMs: number,
    detail?: string,
  ) {
    super(`cannot reach ${host}: ${detail ?? describeNetworkError(code, timeoutMs)}`);
    this.name = 'NetworkError';
  }
}

/** The most telling code in a network error and its causes (errors.ts codeOf reads one error's own);
 * every kind of timeout becomes ETIMEDOUT. */
function networkCodeOf(err: unknown): string | undefined {
  for (let e = err as { name?: string; code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'ETIMEDOUT';
    if (e.code && TIMEOUT_CODES.has(e.code)) return 'ETIMEDOUT';
    if (e.code && !e.code.startsWith('UND_ERR') && e.code !== 'ERR_ASSERTION') return e.code;
    if (!e.cause) return e.code;
  }
  return undefined;
}

/** The status of a refused tunnel in an error from undici or from our own CONNECT. */
function tunnelStatus(err: unknown): number | undefined {
  if (err instanceof TunnelRefused) return err.status;
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    const m = /Proxy response \((\d{3})\)|Proxy Authentication Required \((\d{3})\)/.exec(e.message ?? '');
    if (m) return Number(m[1] ?? m[2]);
  }
  return undefined;
}

/** The error to throw for a failed exchange: a refusing proxy, a certificate named, or the cause. */
async function failure(url: string, err: unknown, options: HttpOptions, proxy: ProxyInUse | undefined): Promise<Error> {
  const status = proxy ? tunnelStatus(err) : undefined;
  if (proxy && status) return new ProxyRefused(proxy, status);
  const host = new URL(url).host;
  const code = networkCodeOf(err);
  if (code && TLS_CODES.test(code)) {
    const facts = await inspectTls(url, options.trust, options.timeoutMs).catch(() => undefined);
    if (facts) return new NetworkError(host, code, options.timeoutMs, describeUntrusted(facts, code));
  }
  return new NetworkError(host, code, options.timeoutMs);
}

/** Sends one request; throws NetworkError, or ProxyRefused when a proxy would not carry it. */
export async function send(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const proxy = proxyFor(url);
  const sentAt = Date.now();
  try {
    const answer = await (proxy ? sendThroughProxy(url, options, proxy) : sendDirect(url, options));
    // An http:// request through a proxy gets the proxy's own 407, not a tunnel error.
    if (proxy && answer.status === 407) throw new ProxyRefused(proxy, 407);
    return { ...answer, sentAt, receivedAt: Date.now() };
  } catch (e) {
    if (e instanceof ProxyRefused) throw e;
    throw await failure(url, e, options, proxy);
  }
}

type Answer = Omit<HttpAnswer, 'sentAt' | 'receivedAt'>;

/** The answer as the runner uses it, from either client's status, headers and body. */
function answer(status: number, headers: Record<string, string | string[] | undefined>, body: string): Answer {
  const one = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const [retryAfter, date, location] = [one('retry-after'), one('date'), one('location')];
  return {
    status,
    contentType: one('content-type') ?? '',
    body,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(date !== undefined ? { date } : {}),
    ...(location !== undefined ? { location } : {}),
  };
}

function sendDirect(url: string, options: HttpOptions): Promise<Answer> {
  const parsed = new URL(url);
  return new Promise((resolve, reject) => {
    const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      parsed,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.headers ?? {}), ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}) },
        ...tlsOptions(options.trust),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve(answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function sendThroughProxy(url: string, options: HttpOptions, proxy: ProxyInUse): Promise<Answer> {
  // undici loads only when a proxy is in use: a tenth of a second saved on every other run. It is
  // CommonJS: from the bundle's chunk its exports come as the default export alone.
  const undici = (await import('undici')) as typeof import('undici') & { default?: typeof import('undici') };
  const { ProxyAgent, request } = undici.default ?? undici;
  const dispatcher = new ProxyAgent({
    uri: proxy.url.href,
    requestTls: { ...tlsOptions(options.trust), timeout: options.timeoutMs },
    // An https:// proxy is reached over TLS and its certificate verified, --insecure or not.
    proxyTls: { ...(caOption(options.trust) ? { ca: caOption(options.trust) } : {}), rejectUnauthorized: true, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  try {
    const res = await request(url, {
      method: options.method ?? 'GET',
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return answer(res.statusCode, res.headers, await res.body.text());
  } finally {
    void dispatcher.destroy().catch(() => undefined);
  }
}
