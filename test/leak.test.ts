// Plants a distinctive secret and hunts for it, the Basic credential and every token the run saw,
// in every byte the runner prints and writes, in every encoding they could take.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedForms } from '../src/report/redact.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { serve, type Running } from './helpers/servers.js';

// A secret with what strict form-encoding and double JSON-escaping change: " \ !'()* and spaces.
const REFLECTED = 'Rf"l\\ct !\'(x)* ed s3cret';
/** The two forms the redactor once missed, written out by hand rather than by the redactor. */
function reflectedForms(): string[] {
  const strict = encodeURIComponent(REFLECTED).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const twice = JSON.stringify(JSON.stringify(REFLECTED).slice(1, -1)).slice(1, -1);
  return [strict, twice];
}

// URL-encoding, HTML-escaping and JSON-escaping all change it; Base64 of it has no padding luck.
const SECRET = 'Lk9"Zq&<Plant>+ed/s3cr=t%2F \'wx';
const CLIENT = 'leak-test-client';

let standin: Standin;
let echo: Running;
const issued: string[] = [];

beforeAll(async () => {
  standin = await startStandin({
    clients: [{ clientId: CLIENT, secrets: [SECRET, REFLECTED], scopes: ['events/consume'] }],
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
  // Each run's exit code is written out: a passing run that failed would hunt through the wrong output.
  const runs: [string, string[], number][] = [
    ['a passing run, both methods', ['--env', 'dev', '--folder', 'Get an access token', '--folder', 'Acquirer: events', '--iterations', '2'], 0],
    ['a failing run against an API that echoes the token', ['--env', 'dev', '--folder', 'Acquirer: events', '--base-url', 'ECHO'], 1],
    ['a run with a wrong-secret check and refusals', ['--env', 'dev', '--folder', 'Token endpoint refusals', '--method', 'client_secret_post'], 0],
  ];
  for (const [title, args, exitCode] of runs) {
    it(title, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gdx-leak-'));
      const before = issued.length;
      const finalArgs = args.map((a) => (a === 'ECHO' ? echo.url : a));
      const res = await runCli(
        [
          'smoke',
          '--token-url',
          standin.tokenUrl,
          ...(finalArgs.includes('--base-url') ? [] : ['--base-url', standin.baseUrl]),
          ...finalArgs,
          '--reporters',
          'cli,junit,json,html',
          '--out',
          dir,
        ],
        { env: cleanEnv({ GDX_DEV_CLIENT_ID: CLIENT, GDX_DEV_CLIENT_SECRET: SECRET }), cwd: dir },
      );
      expect(res.code, res.stdout + res.stderr).toBe(exitCode);
      // The hunt means something only if the run saw tokens and wrote reports.
      if (!title.includes('refusals')) expect(issued.length).toBeGreaterThan(before);
      const files = filesUnder(dir);
      expect(files.map((f) => f.split('/').pop()).sort()).toEqual(['junit.xml', 'report.html', 'summary.json']);
      hunt('stdout', res.stdout);
      hunt('stderr', res.stderr);
      for (const f of files) hunt(f, readFileSync(f, 'utf8'));
      if (title.includes('echo')) {
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

  it('a token endpoint that reflects the credentials, strictly form-encoded and JSON-escaped twice', async () => {
    // Postman encodes form bodies strictly (!'()* percent-encoded, space as %20); this server sends
    // that body back raw, and the decoded secret inside a JSON string inside JSON.
    const reflector = await serve((req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(405);
        return void res.end();
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const detail = JSON.stringify({ client_secret: form.get('client_secret'), authorization: req.headers.authorization ?? null });
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_client', received: body, detail }));
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'gdx-leak-'));
    try {
      const res = await runCli(
        [
          'smoke',
          '--env',
          'dev',
          '--folder',
          'Get an access token',
          '--folder',
          'Token endpoint refusals',
          '--token-url',
          `${reflector.url}/oauth2/token`,
          '--base-url',
          standin.baseUrl,
          '--reporters',
          'cli,junit,json,html',
          '--out',
          dir,
        ],
        { env: cleanEnv({ GDX_DEV_CLIENT_ID: CLIENT, GDX_DEV_CLIENT_SECRET: REFLECTED }), cwd: dir },
      );
      expect(res.code, res.stdout + res.stderr).toBe(3);
      const summary = readFileSync(join(dir, 'summary.json'), 'utf8');
      // The reflection reached the report (so the hunt below means something), redacted.
      expect(summary).toContain('responseExcerpt');
      expect(summary).toContain('[REDACTED]');
      for (const [where, text] of [['stdout', res.stdout], ['stderr', res.stderr], ...filesUnder(dir).map((f) => [f, readFileSync(f, 'utf8')])] as [
        string,
        string,
      ][]) {
        for (const form of [...reflectedForms(), ...encodedForms(REFLECTED)]) {
          expect(text.includes(form), `${where} holds ${JSON.stringify(form.slice(0, 14))}...`).toBe(false);
        }
      }
    } finally {
      await reflector.close();
    }
  });

  it('a secret echoed across the excerpt cut (from character 1,988) leaves no part of 8 characters or more in any report, and reports are 0600', async () => {
    // Alphanumeric, as Cognito's secrets are: nothing about it but its place hides it.
    const secret = 'Zq8wLk2vPt7rNc4xJh6mBd3sGf9y';
    const client = 'cut-test-client';
    const s = await startStandin({ clients: [{ clientId: client, secrets: [secret], scopes: ['events/consume'] }] });
    const echoer = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const sent =
          new URLSearchParams(body).get('client_secret') ??
          Buffer.from((req.headers.authorization ?? '').slice(6), 'base64')
            .toString()
            .split(':')[1] ??
          '';
        res.writeHead(400, { 'Content-Type': 'application/json' });
        // {"error":"invalid_client","pad":"xxx...": the secret starts at character 1,988 of the body.
        const head = '{"error":"invalid_client","pad":"';
        res.end(`${head}${'x'.repeat(1988 - head.length)}${sent} and more after it"}`);
      });
    });
    const dir = mkdtempSync(join(tmpdir(), 'gdx-leak-cut-'));
    try {
      const res = await runCli(
        [
          'smoke',
          '--env',
          'dev',
          '--folder',
          'Get an access token',
          '--token-url',
          `${echoer.url}/oauth2/token`,
          '--base-url',
          s.baseUrl,
          '--reporters',
          'cli,junit,json,html',
          '--out',
          dir,
        ],
        { env: cleanEnv({ GDX_DEV_CLIENT_ID: client, GDX_DEV_CLIENT_SECRET: secret }), cwd: dir },
      );
      expect(res.code, res.stdout + res.stderr).toBe(3);
      const files = filesUnder(dir);
      expect(files.map((f) => f.split('/').pop()).sort()).toEqual(['junit.xml', 'report.html', 'summary.json']);
      expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toContain('"responseExcerpt": "{\\"error\\":\\"invalid_client\\",\\"pad\\":\\"xxx');
      const pieces = Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));
      for (const [where, text] of [['stdout', res.stdout], ['stderr', res.stderr], ...files.map((f) => [f, readFileSync(f, 'utf8')])] as [string, string][]) {
        for (const piece of pieces) expect(text.includes(piece), `${where} holds ${piece}`).toBe(false);
      }
      for (const f of files) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    } finally {
      await echoer.close();
      await s.stop();
    }
  });

  it('the hunt finds what it looks for (the check itself can fail)', () => {
    for (const form of reflectedForms()) expect(encodedForms(REFLECTED)).toContain(form);
    expect(() => hunt('probe', `x ${encodeURIComponent(SECRET)} y`)).toThrow();
    expect(() => hunt('probe', Buffer.from(`${CLIENT}:${SECRET}`).toString('base64'))).toThrow();
    expect(() =>
      hunt('probe', SECRET.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')),
    ).toThrow();
  });
});
