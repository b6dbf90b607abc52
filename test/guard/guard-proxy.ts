// The network guard for the clients that are not plain Node processes (the Postman CLI is one
// binary): an HTTP proxy on loopback that their HTTP(S)_PROXY names. It carries what goes to
// loopback, as the direct route would, and refuses anything else with 403, writing it to the same
// log as the in-process guard.
import { appendFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { mayTry as allowed } from './network-guard.mjs';

function refuse(log: string, what: string): void {
  appendFileSync(log, `${what} (through the guard proxy)\n`);
}

export async function startGuardProxy(log: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400);
      return void res.end();
    }
    if (!allowed(target.hostname)) {
      refuse(log, `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`);
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      return void res.end(`network guard: ${target.host} is not loopback\n`);
    }
    const upstream = request(target, { method: req.method, headers: req.headers, timeout: 60_000 }, (up) => {
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
    const authority = req.url ?? '';
    const at = authority.lastIndexOf(':');
    const host = authority.slice(0, at).replace(/^\[|\]$/g, '');
    const port = Number(authority.slice(at + 1));
    if (!allowed(host)) {
      refuse(log, authority);
      return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    }
    const upstream = connect(port, host, () => {
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
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
