import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  url: string;
  close: () => Promise<void>;
}

/** A plain HTTP server on a free loopback port, for answers the stand-in would never give. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Running> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** What went through a recording proxy, one entry a request, and what came back. */
export interface Seen {
  method: string;
  path: string;
  status: number;
  token: boolean;
  /** The Authorization header as it arrived ('' without one). */
  authorization: string;
  body: string;
}
export type RecordingProxy = Running & { seen: Seen[] };

/** A reverse proxy in front of `target` (a stand-in's base URL) that records what reached it:
 * the measure of what a client actually sent, whatever its scripts say. */
export async function recordingProxyTo(target: string): Promise<RecordingProxy> {
  const seen: Seen[] = [];
  const proxy = await serve((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const upstream = httpRequest(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (up) => {
      seen.push({
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]!,
        status: up.statusCode ?? 0,
        token: Boolean(req.headers.authorization),
        authorization: req.headers.authorization ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return { ...proxy, seen };
}

/** A proxy in front of `target` that hands each answer's body to `rewrite` (the request's method
 * and URL beside it) and sends on what it returns: an API that breaks its contract, on purpose. */
export async function rewritingProxyTo(target: string, rewrite: (method: string, url: string, status: number, body: string) => string): Promise<Running> {
  return serve((req, res) => {
    const upstream = httpRequest(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = rewrite(req.method ?? '', req.url ?? '/', up.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(Buffer.byteLength(body)) }).end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
}

/** A plain TCP listener that records the first bytes of every connection and closes it: what an
 * https:// proxy setting pointed at something that is not TLS would receive. */
export async function rawListener(): Promise<Running & { port: number; received: string[] }> {
  const received: string[] = [];
  const sockets: Socket[] = [];
  const server: NetServer = createNetServer((s) => {
    sockets.push(s);
    s.once('data', (d: Buffer) => {
      received.push(d.toString('latin1'));
      s.destroy();
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Accepts connections and never answers: what a black-holed host looks like to a client. */
export async function blackHole(): Promise<Running> {
  const sockets: Socket[] = [];
  const server: NetServer = createNetServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<string> {
  const s = await serve(() => undefined);
  await s.close();
  return s.url;
}

/** A throwaway self-signed certificate for 127.0.0.1, made with openssl. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gdx-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

/** A forward proxy on loopback (CONNECT tunnels and absolute-form requests), counting what it
 * carried. With `credentials` ("user:password") it is a department's authenticating proxy: a
 * request without them gets 407, as Squid answers. */
/** `names`: host:port a client asks for, and where the proxy really connects (a name only it
 * resolves, as a department proxy resolves the outside world for machines that cannot).
 * `guard`: hosts it may carry at all; anything else gets 403 and is handed to `refused`. */
export interface ProxyGuard {
  allow: (host: string) => boolean;
  refused: (authority: string) => void;
}

export async function forwardProxy(
  credentials?: string,
  names: Record<string, string> = {},
  guard?: ProxyGuard,
): Promise<Running & { seen: string[]; refused: number }> {
  const seen: string[] = [];
  const { request } = await import('node:http');
  const { connect } = await import('node:net');
  const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;
  const allowed = (req: IncomingMessage): boolean => !expected || req.headers['proxy-authorization'] === expected;
  const counts = { refused: 0 };
  const server: Server = createServer((req, res) => {
    if (!allowed(req)) {
      counts.refused++;
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="department"', 'Content-Type': 'text/html' });
      return void res.end('<html><body>Proxy Authentication Required</body></html>');
    }
    delete req.headers['proxy-authorization'];
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400);
      return void res.end();
    }
    if (guard && !guard.allow(target.hostname)) {
      guard.refused(`${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`);
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      return void res.end(`network guard: ${target.host} is not loopback\n`);
    }
    seen.push(`${req.method} ${req.url}`);
    const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!allowed(req)) {
      counts.refused++;
      return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="department"\r\nContent-Length: 0\r\n\r\n');
    }
    const authority = req.url ?? '';
    if (guard && !guard.allow(authority.slice(0, authority.lastIndexOf(':')).replace(/^\[|\]$/g, ''))) {
      guard.refused(authority);
      return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    }
    seen.push(`CONNECT ${authority}`);
    const [host, port] = (names[authority] ?? authority).split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    seen,
    get refused() {
      return counts.refused;
    },
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Hands a token request on to a stand-in's token endpoint, and its answer back. */
export function passTokenRequestOn(req: IncomingMessage, res: ServerResponse, tokenUrl: string): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': String(req.headers['content-type']), Authorization: req.headers.authorization ?? '' },
      body: Buffer.concat(chunks),
    }).then(async (r) => {
      res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
      res.end(await r.text());
    });
  });
}
