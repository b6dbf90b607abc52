import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The Retry-After header, when the server sent one (429, 503). */
  retryAfter?: string;
}

export interface HttpOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  insecure?: boolean;
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_OSSL)/;
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Why a host could not be reached, in words that say what to do. */
export function describeNetworkError(code: string | undefined, timeoutMs: number): string {
  if (!code) return 'network error';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): is the host up and the port right?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code}): check the host name and your DNS or proxy`;
  if (code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms (ETIMEDOUT): check your network, proxy or firewall, or raise --timeout`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection was reset (${code}): a proxy or firewall may be in the way`;
  if (TLS_CODES.test(code)) return `TLS error (${code}): the certificate is not trusted; fix it, or for a private test deployment only pass --insecure`;
  return `network error (${code})`;
}

export class NetworkError extends Error {
  constructor(
    readonly host: string,
    readonly code: string | undefined,
    timeoutMs: number,
  ) {
    super(`cannot reach ${host}: ${describeNetworkError(code, timeoutMs)}`);
    this.name = 'NetworkError';
  }
}

/** The most telling code in an error and its causes; every kind of timeout becomes ETIMEDOUT. */
function codeOf(err: unknown): string | undefined {
  for (let e = err as { name?: string; code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'ETIMEDOUT';
    if (e.code && TIMEOUT_CODES.has(e.code)) return 'ETIMEDOUT';
    if (e.code && !e.code.startsWith('UND_ERR') && e.code !== 'ERR_ASSERTION') return e.code;
    if (!e.cause) return e.code;
  }
  return undefined;
}

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'];

/**
 * One HTTP exchange with a hard timeout over connect, answer and body alike, so nothing hangs.
 * It goes through HTTP_PROXY, HTTPS_PROXY and NO_PROXY as Newman does: departments' networks
 * often have a proxy, and a check that ignored it would fail where the run would not. Without a
 * proxy it uses node:http, which saves loading undici (a tenth of a second a run).
 */
export async function send(url: string, options: HttpOptions): Promise<HttpAnswer> {
  return PROXY_VARIABLES.some((v) => process.env[v]) ? sendThroughProxy(url, options) : sendDirect(url, options);
}

/** The answer as the runner uses it, from either client's status, headers and body. */
function answer(status: number, headers: Record<string, string | string[] | undefined>, body: string): HttpAnswer {
  const type = headers['content-type'];
  const retryAfter = headers['retry-after'];
  return {
    status,
    contentType: Array.isArray(type) ? type.join(', ') : (type ?? ''),
    body,
    ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
  };
}

function sendDirect(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const parsed = new URL(url);
  const host = parsed.host;
  return new Promise((resolve, reject) => {
    const fail = (e: unknown): void => reject(new NetworkError(host, codeOf(e), options.timeoutMs));
    const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      parsed,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.headers ?? {}), ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}) },
        rejectUnauthorized: !options.insecure,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => resolve(answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

async function sendThroughProxy(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const { EnvHttpProxyAgent, request } = await import('undici');
  const host = new URL(url).host;
  const dispatcher = new EnvHttpProxyAgent({
    connect: { rejectUnauthorized: !options.insecure, timeout: options.timeoutMs },
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
  } catch (e) {
    throw new NetworkError(host, codeOf(e), options.timeoutMs);
  } finally {
    void dispatcher.destroy().catch(() => undefined);
  }
}
