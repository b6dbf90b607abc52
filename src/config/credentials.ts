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
  /** Known for the stand-in's built-in clients and the role pairs; otherwise read from the token's scopes. */
  role?: Role;
  /** One of the stand-in's documented clients, whose shape is not Cognito's. */
  builtIn?: true;
}

export type Lookup = { ok: true; clients: Client[] } | { ok: false; reason: string };

interface Pair {
  id: string;
  secret: string;
  /** The role a role pair is for (GDX_<ENV>_SUPPLIER_CLIENT_ID and its kin). */
  role?: Role;
}

const ROLE_PAIR_ORDER: readonly Role[] = ['supplier', 'acquirer'];

function pairOf(prefix: string, role?: Role): Pair {
  const infix = role ? `${role.toUpperCase()}_` : '';
  return { id: `${prefix}${infix}CLIENT_ID`, secret: `${prefix}${infix}CLIENT_SECRET`, ...(role ? { role } : {}) };
}

/** The GDX guide issues a department that both supplies and acquires one client per role: the role
 * pairs name each. */
export function rolePairs(env: EnvironmentSpec): Pair[] {
  return ROLE_PAIR_ORDER.map((role) => pairOf(`GDX_${env.name.toUpperCase()}_`, role));
}

function plainPairs(env: EnvironmentSpec): Pair[] {
  return [pairOf(`GDX_${env.name.toUpperCase()}_`), pairOf('GDX_')];
}

// How a CI system shows a variable it did not expand: Azure Pipelines leaves $(NAME) as it is when
// NAME is undefined; GitLab and shells leave $NAME and ${NAME} in some quoting; Windows' cmd leaves
// %NAME%; Postman and Bruno, {{NAME}}. The bracketed forms are refused anywhere in a value, the
// bare ones only as the whole value, since a private deployment's secret may hold a $ or a %.
const UNEXPANDED = [/\$\(\s*([A-Za-z_][\w.]*)\s*\)/, /\$\{([A-Za-z_]\w*)\}/, /\{\{\s*([\w.-]+)\s*\}\}/, /^\$([A-Za-z_]\w*)$/, /^%([A-Za-z_]\w*)%$/];

/** Refuses (exit 2, before any request) a value that reads as a reference CI left unexpanded. The
 * message names the variable and the reference, never a value that could be a secret. */
export function refuseUnexpanded(name: string, value: string | undefined): void {
  if (!value) return;
  for (const pattern of UNEXPANDED) {
    const m = pattern.exec(value);
    if (m) {
      const reference = m[0].trim();
      throw new UserError(
        `${name} holds ${reference}, a reference your CI left unexpanded: ${m[1]} is not defined where this step runs (a secret not mapped into the step, or a variable group not linked); define it, or leave ${name} unset`,
      );
    }
  }
}

/** A pair's two values, refused when half set or left unexpanded; undefined when neither is set. */
function read(pair: Pair, vars: Record<string, string | undefined>): Client | { reason: string } | undefined {
  const clientId = vars[pair.id];
  const clientSecret = vars[pair.secret];
  refuseUnexpanded(pair.id, clientId);
  refuseUnexpanded(pair.secret, clientSecret);
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) return { reason: `${clientId ? pair.secret : pair.id} is empty while ${clientId ? pair.id : pair.secret} is set: set both` };
  return { clientId, clientSecret, source: `${pair.id}/${pair.secret}`, ...(pair.role ? { role: pair.role } : {}) };
}

/** The role pairs that are set, each checked against what the environment offers its role. */
function roleClients(env: EnvironmentSpec, vars: Record<string, string | undefined>, role: Role | undefined): Lookup | undefined {
  const found: Client[] = [];
  for (const pair of rolePairs(env)) {
    const client = read(pair, vars);
    if (!client) continue;
    if ('reason' in client) return { ok: false, reason: client.reason };
    if (!env.roles[pair.role!]) {
      return { ok: false, reason: `${pair.id}: ${env.name} has nothing for the ${pair.role!} role (it has ${Object.keys(env.roles).join(' and ')}); unset it` };
    }
    found.push(client);
  }
  if (found.length === 0) return undefined;
  const plain = pairOf(`GDX_${env.name.toUpperCase()}_`);
  if (vars[plain.id] || vars[plain.secret]) {
    return {
      ok: false,
      reason: `both ${plain.id} and ${found.map((c) => c.source.split('/')[0]).join(' and ')} are set: use the role pairs or the one pair, not both`,
    };
  }
  const wanted = role ? found.filter((c) => c.role === role) : found;
  if (wanted.length === 0) {
    const pair = rolePairs(env).find((p) => p.role === role)!;
    return {
      ok: false,
      reason: `--role ${role!}: ${pair.id} and ${pair.secret} are not set (only ${found.map((c) => c.source).join(', ')}): set them, or drop --role`,
    };
  }
  return { ok: true, clients: wanted };
}

/**
 * The clients a run of `env` uses. Credentials come from variables only, never from flags (which
 * end up in shell history and process lists): the role pairs, GDX_<ENV>_SUPPLIER_CLIENT_ID and
 * GDX_<ENV>_ACQUIRER_CLIENT_ID with their secrets, for a department the GDX guide gave one client
 * per role; else GDX_<ENV>_CLIENT_ID; else (not for --env all: credentials are issued per
 * environment, and one pair cannot fit three) GDX_CLIENT_ID.
 */
export function clientsFor(env: EnvironmentSpec, vars: Record<string, string | undefined>, options: { role?: Role; allowGeneric: boolean }): Lookup {
  const byRole = roleClients(env, vars, options.role);
  if (byRole) return byRole;
  const candidates = options.allowGeneric ? plainPairs(env) : plainPairs(env).slice(0, 1);
  for (const pair of candidates) {
    const client = read(pair, vars);
    if (!client) continue;
    if ('reason' in client) return { ok: false, reason: client.reason };
    return { ok: true, clients: [client] };
  }
  if (env.name === 'local') {
    const builtIn = (['acquirer', 'supplier'] as const)
      .filter((role) => !options.role || options.role === role)
      .map((role) => ({ ...LOCAL_CLIENTS[role], source: "the stand-in's documented local clients", role, builtIn: true as const }));
    return { ok: true, clients: builtIn };
  }
  const [specific, generic] = plainPairs(env);
  const [supplier, acquirer] = rolePairs(env);
  return {
    ok: false,
    reason:
      `no credentials for ${env.name}: set ${specific!.id} and ${specific!.secret}` +
      (options.allowGeneric ? ` (or ${generic!.id} and ${generic!.secret})` : '') +
      (env.roles.acquirer && env.roles.supplier ? `, or one pair per role (${supplier!.id}, ${acquirer!.id} and their secrets)` : '') +
      ', in the environment or in a .env file',
  };
}

/** Whether a command starts its own stand-in: the local environment, with no URL pointing it
 * elsewhere (smoke and doctor start one; token asks the user to). */
export function startsStandin(env: EnvironmentSpec, urls: { overridden: boolean }): boolean {
  return env.name === 'local' && !urls.overridden;
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
  refuseUnexpanded(tokenUrlFrom, tokenUrl);
  refuseUnexpanded(baseUrlFrom, baseUrl);
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
