import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  insecure?: boolean;
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** Why a host could not be reached, in words that say what to do. */
export function describeNetworkError(code: string | undefined, timeoutMs: number): string {
  if (!code) return 'network error';
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED): is the host up and the port right?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code}): check the host name and your DNS or proxy`;
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'TIMEOUT') {
    return `no answer within ${timeoutMs} ms (${code}): check your network, proxy or firewall, or raise --timeout`;
  }
  if (code === 'ECONNRESET') return 'the connection was reset (ECONNRESET): a proxy or firewall may be in the way';
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

/** One HTTP exchange with a hard timeout (connect and answer alike); never hangs. */
export function send(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: string | undefined): void => {
      if (settled) return;
      settled = true;
      reject(new NetworkError(target.host, code, options.timeoutMs));
    };
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        rejectUnauthorized: !options.insecure,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', () => fail('ECONNRESET'));
      },
    );
    const timer = setTimeout(() => {
      fail('ETIMEDOUT');
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(err.code);
    });
    req.end(options.body);
  });
}
