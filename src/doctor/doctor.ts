// `npm run doctor -- --env NAME`: what a tester runs first when something is wrong, and pastes to
// the GDX team. The checks of connection-checks.ts in the order a connection is made, each step only when
// the one before it got through, then the exit code.
import { arch, platform } from 'node:os';
import { startsStandin, urlsFor } from '../config/credentials.js';
import { issuerRule, jwksUrl } from '../config/issuer.js';
import { EXIT } from '../errors.js';
import type { Output } from '../report/output.js';
import { apiLine, clockLine, credentialsLines, hostLines, labelFor, skip, tokenLine, type DoctorOptions, type Line } from './connection-checks.js';

function render(lines: readonly Line[]): string[] {
  const width = Math.max(...lines.map((l) => l.check.length));
  return lines.map((l) => `  ${l.mark.padEnd(4)}  ${l.check.padEnd(width)}  ${l.detail}`);
}

/** 2 (configuration) before 3 (unreachable) before 1 (a check), as the runner decides them. */
function exitOf(lines: readonly Line[]): number {
  const codes = new Set(lines.flatMap((l) => (l.exit !== undefined ? [l.exit] : [])));
  for (const code of [EXIT.usage, EXIT.unreachable, EXIT.failed]) if (codes.has(code)) return code;
  return EXIT.ok;
}

async function checksOf(options: DoctorOptions, output: Output, urls: { tokenUrl: string; baseUrl: string }): Promise<Line[]> {
  const lines: Line[] = [skip('versions', `gdx-data-share-postman ${options.version}, Node ${process.version} on ${platform()} ${arch()}`)];
  const { lines: credentials, clients } = credentialsLines(options);
  lines.push(...credentials);
  for (const client of clients) output.redactor.addClient(client.clientId, client.clientSecret);
  const tokenHost = await hostLines(urls.tokenUrl, 'token endpoint', options, lines);
  const apiHost = new URL(urls.baseUrl).host === new URL(urls.tokenUrl).host || (await hostLines(urls.baseUrl, 'API', options, lines));
  if (!tokenHost) return [...lines, skip('clock', 'not asked: the token endpoint cannot be reached'), skip('token', 'not asked'), skip('API', 'not called')];
  const clock = await clockLine(urls.tokenUrl, options);
  lines.push(clock.line);
  if (clients.length === 0) return [...lines, skip('token', 'not asked: no credentials'), skip('API', 'not called: no token')];
  const rule = issuerRule(options.env, urls.tokenUrl);
  let keysChecked = false;
  // One token a client (each billed), then one read-only GET with it.
  for (const client of clients) {
    const token = await tokenLine(client, labelFor('token', client, clients), options, output, clock.skewMs, rule);
    // Cognito's keys live on another host (cognito-idp.<region>.amazonaws.com) that a firewall may
    // block while the token endpoint passes: checked like the others, after the token names it.
    // Only an issuer the rule trusts: doctor never reaches out to a host an untrusted token names.
    const keysHost = token.issuer && 'url' in jwksUrl(token.issuer, rule) ? new URL(token.issuer).host : undefined;
    if (!keysChecked && keysHost && ![new URL(urls.tokenUrl).host, new URL(urls.baseUrl).host].includes(keysHost)) {
      keysChecked = true;
      await hostLines(`${token.issuer!.replace(/\/$/, '')}/.well-known/jwks.json`, 'signing keys', options, lines);
    }
    lines.push(token.line);
    const api = labelFor('API', client, clients);
    if (!token.token || !apiHost) lines.push(skip(api, token.token ? 'not called: the API host cannot be reached' : 'not called: no token'));
    else lines.push(await apiLine(urls.baseUrl, token.token, token.scopes ?? [], options, api));
  }
  return lines;
}

export async function doctor(options: DoctorOptions, output: Output): Promise<number> {
  const urls = urlsFor(options.env, options.vars, {
    ...(options.tokenUrl ? { tokenUrl: options.tokenUrl } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  // local without other URLs: the stand-in a smoke run would start, started for the check.
  const standin = startsStandin(options.env, urls) ? await (await import('../standin/server.js')).startStandin() : undefined;
  const target = standin ? { tokenUrl: standin.tokenUrl, baseUrl: standin.baseUrl } : urls;
  try {
    output.line(`GDX doctor: ${options.env.name}, ${new Date().toISOString()} (safe to paste to the GDX team: it holds no secret)`);
    output.line(`  token endpoint ${target.tokenUrl}, API ${target.baseUrl}`);
    const lines = await checksOf({ ...options, ...(standin ? { tokenUrl: standin.tokenUrl } : {}) }, output, target);
    for (const l of render(lines)) output.line(l);
    const exit = exitOf(lines);
    output.line(
      exit === EXIT.ok ? 'All is well.' : `Not well: see the FAIL line${lines.filter((l) => l.mark === 'FAIL').length > 1 ? 's' : ''} (exit ${exit}).`,
    );
    return exit;
  } finally {
    await standin?.stop();
  }
}
