// Which proxy a request goes through, chosen once here for every request the runner, `token` and
// `doctor` make, by the rules undici and curl share: the lower-case variable first, NO_PROXY by
// host suffix. The proxy's password is a secret like the client's: it is only ever shown masked.
import { EXIT, UserError } from '../errors.js';

export interface ProxyInUse {
  /** The proxy URL, credentials included: for the agent only. */
  url: URL;
  /** The variable it came from (HTTPS_PROXY, http_proxy, ...). */
  variable: string;
  /** host:port, and the user name if any; never the password. */
  display: string;
}

/** In the order they are read for an https target; an http one reads the last two. */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;
const FOR_HTTP = PROXY_VARIABLES.slice(2);

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** A URL's host name without the brackets of an IPv6 address, as sockets and DNS take it. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** True when NO_PROXY (or no_proxy) exempts this host and port. */
function exempt(target: URL, env: NodeJS.ProcessEnv): boolean {
  const list = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').split(/[\s,]+/).filter(Boolean);
  const host = bareHostname(target).toLowerCase();
  const port = target.port || defaultPort(target.protocol);
  return list.some((entry) => {
    if (entry === '*') return true;
    const [name = '', entryPort] = entry
      .toLowerCase()
      .replace(/^\*?\./, '.')
      .split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) return false;
    const bare = name.replace(/^\./, '');
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The proxy for `target`, or undefined for a direct connection. */
export function proxyFor(target: string | URL, env: NodeJS.ProcessEnv = process.env): ProxyInUse | undefined {
  const url = new URL(target);
  const variable = (url.protocol === 'https:' ? PROXY_VARIABLES : FOR_HTTP).find((v) => env[v]);
  if (!variable || exempt(url, env)) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(env[variable]!.includes('://') ? env[variable]! : `http://${env[variable]!}`);
  } catch {
    throw new UserError(`${variable} is not a URL: set it like http://proxy.example.gov.uk:8080 (or http://user:password@host:port)`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new UserError(`${variable} must be an http:// or https:// proxy URL, not ${proxy.protocol}//`);
  }
  const user = proxy.username ? `${decodeURIComponent(proxy.username)}@` : '';
  return { url: proxy, variable, display: `${user}${proxy.hostname}:${proxy.port || defaultPort(proxy.protocol)}` };
}

/** The proxy user and password of every proxy variable, for the redactor to know. */
export function proxyCredentials(env: NodeJS.ProcessEnv = process.env): { user: string; password: string }[] {
  const found: { user: string; password: string }[] = [];
  for (const v of PROXY_VARIABLES) {
    try {
      const url = new URL(env[v] ?? '');
      if (url.password) found.push({ user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    } catch {
      /* not a URL: proxyFor says so when it is used */
    }
  }
  return found;
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
