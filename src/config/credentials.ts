import { LOCAL_CLIENTS, type EnvironmentSpec, type Role } from './environments.js';
import { UserError } from '../errors.js';
import { isLoopback } from '../transport/proxy.js';

/** RFC 6749 2.3.1's two ways for a client to authenticate at the token endpoint. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface Client {
  clientId: string;
  clientSecret: string;
  /** Where the credentials came from, for messages (never the values). */
  source: string;
  /** Known for the stand-in's built-in clients; otherwise read from the token's scopes. */
  role?: Role;
}

export type Lookup = { ok: true; clients: Client[] } | { ok: false; reason: string };

function names(env: EnvironmentSpec): { id: string; secret: string }[] {
  const prefix = `GDX_${env.name.toUpperCase()}_`;
  return [
    { id: `${prefix}CLIENT_ID`, secret: `${prefix}CLIENT_SECRET` },
    { id: 'GDX_CLIENT_ID', secret: 'GDX_CLIENT_SECRET' },
  ];
}

/**
 * The clients a run of `env` uses. Credentials come from variables only, never from flags (which
 * end up in shell history and process lists). The generic GDX_CLIENT_ID pair is not used by
 * --env all: credentials are issued per environment, and one pair cannot fit three.
 */
export function clientsFor(env: EnvironmentSpec, vars: Record<string, string | undefined>, options: { role?: Role; allowGeneric: boolean }): Lookup {
  const candidates = options.allowGeneric ? names(env) : names(env).slice(0, 1);
  for (const n of candidates) {
    const clientId = vars[n.id];
    const clientSecret = vars[n.secret];
    if (!clientId && !clientSecret) continue;
    if (!clientId || !clientSecret) {
      return { ok: false, reason: `${clientId ? n.secret : n.id} is empty while ${clientId ? n.id : n.secret} is set: set both` };
    }
    return { ok: true, clients: [{ clientId, clientSecret, source: `${n.id}/${n.secret}` }] };
  }
  if (env.name === 'local') {
    const builtIn = (['acquirer', 'supplier'] as const)
      .filter((role) => !options.role || options.role === role)
      .map((role) => ({ ...LOCAL_CLIENTS[role], source: "the stand-in's documented local clients", role }));
    return { ok: true, clients: builtIn };
  }
  const [specific, generic] = names(env);
  return {
    ok: false,
    reason:
      `no credentials for ${env.name}: set ${specific!.id} and ${specific!.secret}` +
      (options.allowGeneric ? ` (or ${generic!.id} and ${generic!.secret})` : '') +
      ', in the environment or in a .env file',
  };
}

/**
 * The URLs a run uses: --token-url/--base-url, else GDX_<ENV>_TOKEN_URL/GDX_<ENV>_BASE_URL (handy
 * in CI and for --env all, which takes no URL flags), else the table's.
 */
export function urlsFor(
  env: EnvironmentSpec,
  vars: Record<string, string | undefined>,
  flags: { tokenUrl?: string; baseUrl?: string },
): { tokenUrl: string; baseUrl: string; overridden: boolean; tokenUrlFrom?: string; baseUrlFrom?: string } {
  const prefix = `GDX_${env.name.toUpperCase()}_`;
  const tokenUrl = flags.tokenUrl ?? vars[`${prefix}TOKEN_URL`];
  const baseUrl = flags.baseUrl ?? vars[`${prefix}BASE_URL`];
  const tokenUrlFrom = flags.tokenUrl ? '--token-url' : `${prefix}TOKEN_URL`;
  const baseUrlFrom = flags.baseUrl ? '--base-url' : `${prefix}BASE_URL`;
  return {
    tokenUrl: httpUrl(tokenUrlFrom, tokenUrl) ?? env.tokenUrl,
    baseUrl: httpUrl(baseUrlFrom, baseUrl) ?? env.baseUrl,
    overridden: Boolean(tokenUrl || baseUrl),
    // Where a URL other than the table's came from: a report must show that it did not test the real host.
    ...(tokenUrl ? { tokenUrlFrom } : {}),
    ...(baseUrl ? { baseUrlFrom } : {}),
  };
}

/**
 * An http(s) URL without its trailing slash, or undefined when empty. The message does not echo
 * the value: a URL can carry credentials (https://id:secret@host).
 */
export function httpUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const example = /token/i.test(name) ? 'https://host/oauth2/token' : 'https://host';
    throw new UserError(`${name} must be an http(s) URL, such as ${example}`);
  }
  // Plain http only to this machine (a local stand-in): anywhere else the client secret and the
  // tokens would cross the network in clear.
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    throw new UserError(`${name} is http:// to a host that is not this machine: https is required, or the client secret and tokens would travel in clear`);
  }
  return value.replace(/\/$/, '');
}
