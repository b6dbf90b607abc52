// A TLS handshake and nothing else: no HTTP request, so nothing is sent that a server could log
// or act on. It reads the certificate the host (or a proxy inspecting TLS) presents, to name it
// when the runner cannot trust it, and for doctor's checklist.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { printable } from './printable.js';
import { bareHostname, decodedPart, defaultPort, proxyFor, type ProxyInUse } from './proxy.js';
import { caOption, type Trust } from './trust.js';

export interface TlsFacts {
  /** TLSv1.3, TLSv1.2, ... */
  protocol: string;
  subject: string;
  issuer: string;
  /** The top of the chain the host sent: the CA a client must trust. */
  root: string;
  validTo: Date;
  /** Verified against the trust in use, host name included. */
  trusted: boolean;
  /** Why not, as Node's code (SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID, ...). */
  problem?: string;
  proxy?: ProxyInUse;
}

export class TunnelRefused extends Error {
  constructor(readonly status: number) {
    super(`the proxy answered ${status} to CONNECT`);
  }
}

function dn(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return 'unknown';
  // The names are the certificate's own words, from the network: printed escaped, never raw.
  const parts = Object.entries(name).map(([k, v]) => `${printable(k)}=${printable(Array.isArray(v) ? v.join('+') : String(v))}`);
  return parts.length ? parts.join(', ') : 'an empty name';
}

function topOf(cert: PeerCertificate & { issuerCertificate?: PeerCertificate }): PeerCertificate {
  let top = cert;
  for (let i = 0; i < 10 && top.issuerCertificate && top.issuerCertificate !== top; i++) top = top.issuerCertificate;
  return top;
}

/** A TCP socket to host:port, through the proxy's CONNECT tunnel when there is one: over TLS to an
 * https:// proxy (its certificate verified with `trust`'s CA beside the system's, whatever
 * --insecure says), so that its credentials never cross the network in clear. */
export function openSocket(host: string, port: number, proxy: ProxyInUse | undefined, timeoutMs: number, trust: Trust): Promise<Socket> {
  if (!proxy) {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port, timeout: timeoutMs });
      socket.once('connect', () => resolve(socket.setTimeout(0)));
      socket.once('timeout', () => socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })));
      socket.once('error', reject);
    });
  }
  return new Promise((resolve, reject) => {
    const auth = proxy.url.username
      ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodedPart(proxy.url.username)}:${decodedPart(proxy.url.password)}`).toString('base64')}` }
      : undefined;
    const overTls = proxy.url.protocol === 'https:';
    const ca = caOption(trust);
    const request = overTls ? httpsRequest : httpRequest;
    const req = request({
      host: bareHostname(proxy.url),
      port: Number(proxy.url.port || defaultPort(proxy.url.protocol)),
      method: 'CONNECT',
      path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      headers: { Host: `${host}:${port}`, ...auth },
      timeout: timeoutMs,
      ...(overTls
        ? { rejectUnauthorized: true, ...(ca ? { ca } : {}), ...(isIP(bareHostname(proxy.url)) ? {} : { servername: bareHostname(proxy.url) }) }
        : {}),
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new TunnelRefused(res.statusCode ?? 0));
      }
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('proxy timeout'), { code: 'ETIMEDOUT' })));
    req.once('error', reject);
    req.end();
  });
}

/** The certificate `url`'s host presents, checked against `trust`. */
export async function inspectTls(url: string, trust: Trust, timeoutMs: number): Promise<TlsFacts> {
  const target = new URL(url);
  const host = bareHostname(target);
  const port = Number(target.port || 443);
  const proxy = proxyFor(target);
  const socket = await openSocket(host, port, proxy, timeoutMs, trust);
  const ca = caOption(trust);
  return new Promise((resolve, reject) => {
    // No SNI for an IP address (RFC 6066 forbids it); the host name check still runs.
    const servername = isIP(host) ? {} : { servername: host };
    const tls: TLSSocket = tlsConnect({ socket, host, ...servername, rejectUnauthorized: false, ...(ca ? { ca } : {}) });
    const timer = setTimeout(() => tls.destroy(Object.assign(new Error('TLS handshake timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = tls.getPeerCertificate(true);
      const error = tls.authorizationError as (Error & { code?: string }) | string | null;
      const problem = !error ? undefined : typeof error === 'string' ? error : (error.code ?? error.message);
      resolve({
        protocol: tls.getProtocol() ?? 'unknown',
        subject: dn(cert.subject),
        issuer: dn(cert.issuer),
        root: dn(topOf(cert).subject),
        validTo: new Date(cert.valid_to),
        trusted: tls.authorized,
        ...(problem ? { problem } : {}),
        ...(proxy ? { proxy } : {}),
      });
      tls.end();
    });
    tls.once('error', (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
