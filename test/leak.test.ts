// Plants a distinctive secret and hunts for it, the Basic credential and every token the run saw,
// in every byte the runner prints and writes, in every encoding they could take.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedForms } from '../src/run/redact.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { serve, type Running } from './helpers/servers.js';

// URL-encoding, HTML-escaping and JSON-escaping all change it; Base64 of it has no padding luck.
const SECRET = 'Lk9"Zq&<Plant>+ed/s3cr=t%2F \'wx';
const CLIENT = 'leak-test-client';

let standin: Standin;
let echo: Running;
const issued: string[] = [];

beforeAll(async () => {
  standin = await startStandin({
    clients: [{ clientId: CLIENT, secrets: [SECRET], scopes: ['events/consume'] }],
    onTokenIssued: (t) => issued.push(t),
  });
  // An API that echoes the Authorization header it got into a failing answer: the worst case.
  echo = await serve((req, res) => {
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 500, userMessage: `you sent ${req.headers.authorization}` }));
  });
});
afterAll(async () => {
  await standin.stop();
  await echo.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function forbidden(): string[] {
  const basic = Buffer.from(`${CLIENT}:${SECRET}`).toString('base64');
  const values = [SECRET, `${CLIENT}:${SECRET}`, ...issued];
  return [...new Set([...values.flatMap(encodedForms), basic, ...issued.map((t) => t.slice(0, 40))])];
}

function hunt(where: string, text: string): void {
  for (const f of forbidden()) expect(text.includes(f), `${where} contains a form of a secret: ${JSON.stringify(f.slice(0, 12))}...`).toBe(false);
}

describe('no secret, Basic credential or token reaches any output', () => {
  const runs: [string, string[]][] = [
    ['a passing run, both methods', ['--env', 'dev', '--folder', 'Get an access token', '--folder', 'Acquirer: events', '--iterations', '2']],
    ['a failing run against an API that echoes the token', ['--env', 'dev', '--folder', 'Acquirer: events', '--base-url', 'ECHO']],
    ['a run with a wrong-secret check and refusals', ['--env', 'dev', '--folder', 'Token endpoint refusals', '--method', 'client_secret_post']],
  ];
  for (const [title, args] of runs) {
    it(title, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gdx-leak-'));
      const before = issued.length;
      const finalArgs = args.map((a) => (a === 'ECHO' ? echo.url : a));
      const res = await runCli(
        ['smoke', '--token-url', standin.tokenUrl, ...(finalArgs.includes('--base-url') ? [] : ['--base-url', standin.baseUrl]), ...finalArgs, '--reporters', 'cli,junit,json,html', '--out', dir],
        { env: cleanEnv({ GDX_DEV_CLIENT_ID: CLIENT, GDX_DEV_CLIENT_SECRET: SECRET }), cwd: dir },
      );
      expect([0, 1]).toContain(res.code);
      // The hunt means something only if the run saw tokens and wrote reports.
      if (!title.includes('refusals')) expect(issued.length).toBeGreaterThan(before);
      const files = filesUnder(dir);
      expect(files.map((f) => f.split('/').pop()).sort()).toEqual(['junit.xml', 'report.html', 'summary.json']);
      hunt('stdout', res.stdout);
      hunt('stderr', res.stderr);
      for (const f of files) hunt(f, readFileSync(f, 'utf8'));
      if (title.includes('echo')) {
        expect(res.code).toBe(1);
        expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toContain('you sent Bearer [REDACTED');
      }
    });
  }

  it('npm run token puts the token on stdout only, and nothing secret on stderr', async () => {
    const res = await runCli(['token', '--env', 'dev', '--method', 'client_secret_post', '--token-url', standin.tokenUrl], {
      env: cleanEnv({ GDX_DEV_CLIENT_ID: CLIENT, GDX_DEV_CLIENT_SECRET: SECRET }),
    });
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(issued.at(-1));
    hunt('stderr', res.stderr);
    const wrong = await runCli(['token', '--env', 'dev', '--token-url', standin.tokenUrl], {
      env: cleanEnv({ GDX_DEV_CLIENT_ID: CLIENT, GDX_DEV_CLIENT_SECRET: `${SECRET}x` }),
    });
    expect(wrong.code).toBe(3);
    hunt('stdout', wrong.stdout);
    hunt('stderr', wrong.stderr);
    expect(wrong.stderr).not.toContain(`${SECRET}x`);
  });

  it('the hunt finds what it looks for (the check itself can fail)', () => {
    expect(() => hunt('probe', `x ${encodeURIComponent(SECRET)} y`)).toThrow();
    expect(() => hunt('probe', Buffer.from(`${CLIENT}:${SECRET}`).toString('base64'))).toThrow();
    expect(() => hunt('probe', SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'))).toThrow();
  });
});
