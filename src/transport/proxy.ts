// Which proxy a request goes through, chosen once here for every request the runner, `token` and
// `doctor` make, and handed to Newman so that its requests go the same way. The variables are read
// as Newman (postman-request) reads them: upper case first, an empty value as unset. NO_PROXY
// matches host suffixes, IP addresses (IPv6 with or without brackets) and CIDR ranges, and this
// machine (127.0.0.0/8, localhost, [::1]) is always reached directly, as Go's standard library
// does: a proxy elsewhere would resolve "localhost" on its own machine. The proxy's password is a
// secret like the client's: it is only ever shown masked.
import { BlockList, isIP } from 'node:net';
import { EXIT, UserError } from '../errors.js';

export interface ProxyInUse {
  /** The proxy URL, credentials included: for the agent only. */
  url: URL;
  /** The variable it came from (HTTPS_PROXY, http_proxy, ...). */
  variable: string;
  /** host:port, and the user name if any; never the password. */
  display: string;
}

/** Newman's order (postman-request's getProxyFromURI): for an https target all four, for an http
 * one the last two. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;
const FOR_HTTP = PROXY_VARIABLES.slice(2);
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy'] as const;

/** Default ports follow the scheme: a proxy's as a target's. */
export function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** A URL's host name without the brackets of an IPv6 address, as sockets and DNS take it. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** This machine, written out: 127.0.0.0/8, localhost and ::1 (no name that merely ends so: the
 * sandbox scripts and get-token.sh read it the same way). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  return family === 4 ? LOOPBACK.check(bare, 'ipv4') : family === 6 ? LOOPBACK.check(bare, 'ipv6') : false;
}

/** The first set, non-empty one of `names` (an empty value reads as unset, as in Newman). */
function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): [string, string] | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

/** One NO_PROXY entry matched against a host and port. */
function matches(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  const cidr = /^\[?([0-9a-f.:]+)\]?\/(\d{1,3})$/i.exec(entry);
  if (cidr) {
    const family = isIP(cidr[1]!);
    if (!family || isIP(host) !== family) return false;
    const list = new BlockList();
    try {
      list.addSubnet(cidr[1]!, Number(cidr[2]), family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  // [v6]:port, [v6], a bare v6 address, or name[:port].
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const [name, entryPort] = bracketed ? [bracketed[1]!, bracketed[2]] : isIP(entry) === 6 ? [entry, undefined] : entry.split(/:(?=\d+$)/);
  if (entryPort && entryPort !== port) return false;
  const bare = name.replace(/^\*?\./, '');
  return host === bare || (!isIP(host) && host.endsWith(`.${bare}`));
}

/** The NO_PROXY entries in force (NO_PROXY, else no_proxy), lower case. */
export function noProxyEntries(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = firstSet(env, NO_PROXY_VARIABLES)?.[1] ?? '';
  return value
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** True when `target` is reached directly: this machine, or a host NO_PROXY names. */
export function isDirect(target: URL, env: NodeJS.ProcessEnv = process.env): boolean {
  const host = bareHostname(target).toLowerCase();
  if (isLoopback(host)) return true;
  const port = target.port || defaultPort(target.protocol);
  return noProxyEntries(env).some((entry) => matches(entry, host, port));
}

/** A proxy variable's value as a URL: a scheme-less value is http://, as Newman and curl read it. */
export function parseProxy(variable: string, value: string): URL {
  let proxy: URL;
  try {
    proxy = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw new UserError(`${variable} is not a URL: set it like http://proxy.example.gov.uk:8080 (or http://user:password@host:port)`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new UserError(`${variable} must be an http:// or https:// proxy URL, not ${proxy.protocol}//`);
  }
  return proxy;
}

/** A user name or password as the proxy gets it: percent-decoded where it decodes, else as written. */
export function decodedPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The proxy for `target`, or undefined for a direct connection. */
export function proxyFor(target: string | URL, env: NodeJS.ProcessEnv = process.env): ProxyInUse | undefined {
  const url = new URL(target);
  const found = firstSet(env, url.protocol === 'https:' ? PROXY_VARIABLES : FOR_HTTP);
  if (!found || isDirect(url, env)) return undefined;
  const [variable, value] = found;
  const proxy = parseProxy(variable, value);
  const user = proxy.username ? `${decodedPart(proxy.username)}@` : '';
  return { url: proxy, variable, display: `${user}${proxy.hostname}:${proxy.port || defaultPort(proxy.protocol)}` };
}

/** The proxy user and password of every proxy variable, read as proxyFor reads them, for the
 * redactor to know: a scheme-less value and one whose percent-encoding does not decode included. */
export function proxyCredentials(env: NodeJS.ProcessEnv = process.env): { user: string; password: string }[] {
  const found: { user: string; password: string }[] = [];
  for (const variable of PROXY_VARIABLES) {
    const value = env[variable]?.trim();
    if (!value) continue;
    let url: URL;
    try {
      url = parseProxy(variable, value);
    } catch {
      continue;
    }
    // Both forms: what the URL holds (percent-encoded) and what the proxy is sent (decoded).
    for (const [user, password] of [
      [url.username, url.password],
      [decodedPart(url.username), decodedPart(url.password)],
    ] as const) {
      if (password) found.push({ user, password });
    }
  }
  return found;
}

/** The NO_PROXY Newman is to see, so that it chooses for each of `targets` what proxyFor chooses:
 * Newman matches NO_PROXY by name suffix only (no CIDR, no IPv6, no loopback rule), so every
 * target reached directly is added to it by its exact host. Empty when no proxy variable is set.
 * Newman cannot be kept off a proxy for an IPv6 address: such a target is refused. */
export function newmanNoProxy(targets: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (!firstSet(env, PROXY_VARIABLES)) return {};
  const entries = noProxyEntries(env);
  if (entries.includes('*')) return { NO_PROXY: '*', no_proxy: '*' };
  const direct = targets.map((t) => new URL(t)).filter((u) => !proxyFor(u, env));
  const v6 = direct.find((u) => isIP(bareHostname(u)) === 6);
  if (v6) {
    throw new UserError(
      `${v6.origin} is an IPv6 address, and with a proxy variable set Newman would send it to the proxy: use http://127.0.0.1 instead, or unset the proxy variables for this run`,
    );
  }
  const merged = [...new Set([...entries, ...direct.map((u) => bareHostname(u).toLowerCase())])].join(',');
  return merged ? { NO_PROXY: merged, no_proxy: merged } : {};
}

/** A proxy that would not carry the request: the run cannot go on through it. */
export class ProxyRefused extends UserError {
  constructor(proxy: ProxyInUse, status: number) {
    const why =
      status === 407
        ? 'it wants credentials (407 Proxy Authentication Required): put them in the URL, http://user:password@host:port, URL-encoding any @ : / in them'
        : `it answered ${status} to the tunnel request: ask your IT team whether the proxy lets this host through`;
    super(`the proxy ${proxy.display} (from ${proxy.variable}) refused the connection: ${why}`, EXIT.unreachable);
    this.name = 'ProxyRefused';
  }
}
