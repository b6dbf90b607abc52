import type { EnvironmentSpec } from '../config/environments.js';
import { EXIT, UserError } from '../errors.js';
import { TOKEN_POLICY } from '../token-policy.js';
import { sandboxFunctions } from '../generate/sandbox-functions.js';
import { basicCredentials } from '../transport/basic-auth.js';
import { clientsFor, startsStandin, urlsFor } from '../config/credentials.js';
import { NetworkError, redirectRefusal, send } from '../transport/http.js';
import type { Trust } from '../transport/trust.js';
import type { Output } from '../report/output.js';
import type { Client, ClientAuthMethod } from '../config/credentials.js';
import type { Role } from '../config/environments.js';

export interface TokenOptions {
  env: EnvironmentSpec;
  vars: Record<string, string | undefined>;
  /** The client to ask for; else the first the variables give (the supplier, of a pair per role). */
  client?: Client;
  /** --role: which of a pair per role (or of the stand-in's two clients) to ask for. */
  role?: Role;
  method: ClientAuthMethod;
  scope?: string;
  tokenUrl?: string;
  timeoutMs: number;
  trust: Trust;
}

/** The GDX guide's bash recipe as a command: the access token alone, on stdout. */
export async function fetchToken(options: TokenOptions, output: Output): Promise<string> {
  const lookup = clientsFor(options.env, options.vars, { allowGeneric: true, ...(options.role ? { role: options.role } : {}) });
  if (!lookup.ok) throw new UserError(lookup.reason);
  // The stand-in has two built-in clients; the acquirer's comes first, as in its documentation.
  const client = options.client ?? lookup.clients[0]!;
  output.redactor.addClient(client.clientId, client.clientSecret);
  const { tokenUrl, overridden } = urlsFor(options.env, options.vars, options.tokenUrl ? { tokenUrl: options.tokenUrl } : {});
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scope) form.set('scope', options.scope);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (options.method === 'client_secret_post') {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  } else {
    headers['Authorization'] = `Basic ${basicCredentials(client.clientId, client.clientSecret)}`;
  }
  const host = new URL(tokenUrl).host;
  let answer;
  // A 429 is waited out and retried as the collections' token script does (TOKEN_POLICY).
  for (let attempt = 0; ; attempt++) {
    try {
      answer = await send(tokenUrl, { method: 'POST', headers, body: form.toString(), timeoutMs: options.timeoutMs, trust: options.trust });
    } catch (e) {
      if (e instanceof NetworkError) {
        const hint = startsStandin(options.env, { overridden }) ? '; start the stand-in first with gdx-data-share standin' : '';
        throw new UserError(`${e.message}${hint}`, EXIT.unreachable);
      }
      throw e;
    }
    if (answer.status >= 300 && answer.status < 400) throw new UserError(redirectRefusal(tokenUrl, answer.status, answer.location), EXIT.unreachable);
    if (answer.status !== 429) break;
    const waitMs = sandboxFunctions().gdxRetryAfterMs(answer.retryAfter, Date.now());
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    if (waitMs > TOKEN_POLICY.retryWaitMaxMs || attempt >= TOKEN_POLICY.retryBudget) {
      throw new UserError(`${host} answered 429: rate limited; try again in ${seconds} s`, EXIT.unreachable);
    }
    output.warn(`${host} answered 429 (rate limited); asking again in ${seconds} s`);
    await new Promise((r) => setTimeout(r, waitMs));
  }
  let body: { access_token?: unknown; error?: unknown } | undefined;
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    body = undefined;
  }
  if (answer.status === 200 && typeof body?.access_token === 'string') {
    output.redactor.add(body.access_token);
    return body.access_token;
  }
  if (typeof body?.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)) {
    const hints: Record<string, string> = {
      invalid_client: `the client id or secret is wrong for ${options.env.name}; check the credentials you set (${client.source})`,
      invalid_scope: 'the client may not have that scope; drop --scope or correct it',
    };
    throw new UserError(`${host} answered ${answer.status} ${body.error}: ${hints[body.error] ?? 'see the GDX guide'}`, EXIT.unreachable);
  }
  const type = answer.contentType.split(';')[0] || 'no content type';
  throw new UserError(
    `${host} answered ${answer.status} with ${type}, not a token: check the token URL, or try later if the service is down`,
    EXIT.unreachable,
  );
}
