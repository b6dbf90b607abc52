// The findings of a security review, each reproduced here against servers on this machine and each
// held by a test: credentials never in clear (an https:// proxy, this machine's own URLs, a
// get-token.sh URL that only looks local), every encoding of a secret redacted, tokens trusted
// only from the issuer the run expects, and output that a server cannot forge.
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { makePrivateCa } from '../src/standin/private-ca.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, getTokenScript, runCli } from './helpers/cli.js';
import { forwardProxy, rawListener, serve, type Running } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const PASSWORD = 'Pr0xyPassw0rdThatMustNotLeak';
const BASIC = Buffer.from(`alice:${PASSWORD}`).toString('base64');

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});
const keep = <T extends { close(): Promise<void> }>(x: T): T => (open.push(x), x);
const standinKept = async (...args: Parameters<typeof startStandin>): Promise<Standin> => {
  const s = await startStandin(...args);
  open.push({ close: () => s.stop() });
  return s;
};

describe('1. an https:// proxy is reached over TLS, never in clear', () => {
  it('a plain listener given as HTTPS_PROXY=https://user:pass@127.0.0.1:Q receives no Proxy-Authorization in clear from doctor, token or smoke', async () => {
    const listener = keep(await rawListener());
    const proxy = `https://alice:${PASSWORD}@127.0.0.1:${listener.port}`;
    const at = ['--token-url', 'https://auth.gdx.invalid/oauth2/token', '--base-url', 'https://api.gdx.invalid'];
    const env = cleanEnv({ ...creds('dev', ACQ), HTTPS_PROXY: proxy });
    const runs = [
      await runCli(['doctor', '--env', 'dev', ...at], { env, timeoutMs: 60_000 }),
      await runCli(['token', '--env', 'dev', ...at], { env, timeoutMs: 60_000 }),
      await runCli(['smoke', '--env', 'dev', ...at, '--out', join(mkdtempSync(join(tmpdir(), 'gdx-clear-')), 'r')], { env, timeoutMs: 60_000 }),
    ];
    for (const r of runs) expect(r.code, r.stdout + r.stderr).not.toBe(0);
    // Something reached the listener (so the check means something), and all of it was TLS.
    expect(listener.received.length).toBeGreaterThanOrEqual(3);
    for (const bytes of listener.received) {
      expect(bytes.charCodeAt(0), JSON.stringify(bytes.slice(0, 40))).toBe(0x16); // a TLS handshake record
      expect(bytes).not.toContain('CONNECT');
      expect(bytes).not.toContain(BASIC);
      expect(bytes).not.toContain(PASSWORD);
    }
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  }, 120_000);
});

describe('2. this machine is never reached through a proxy', () => {
  it('with HTTP_PROXY and HTTPS_PROXY set: token, smoke (local) and get-token.sh reach the stand-in on localhost, and the proxy receives nothing', async () => {
    const listener = keep(await rawListener());
    const standin = await standinKept();
    const local = `http://localhost:${standin.port}`;
    const proxies = { HTTP_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${listener.port}`, HTTPS_PROXY: `http://alice:${PASSWORD}@127.0.0.1:${listener.port}` };
    const token = await runCli(['token', '--env', 'dev', '--token-url', `${local}/oauth2/token`], { env: cleanEnv({ ...creds('dev', ACQ), ...proxies }) });
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^eyJ/);
    const smoke = await runCli(['smoke', '--out', join(mkdtempSync(join(tmpdir(), 'gdx-loop-')), 'r')], { env: cleanEnv(proxies), timeoutMs: 90_000 });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    const script = await getTokenScript({
      OAUTH_URL: `${local}/oauth2/token`,
      CLIENT_ID: ACQ.clientId,
      CLIENT_SECRET: ACQ.clientSecret,
      ...proxies,
      http_proxy: proxies.HTTP_PROXY,
    });
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout).toMatch(/^eyJ/);
    expect(listener.received).toEqual([]);
  }, 120_000);
});

describe('3. get-token.sh reads the URL as curl does', () => {
  for (const url of [
    'http://127.0.0.1.attacker.example.invalid/oauth2/token',
    'http://127.0.0.1@attacker.example.invalid/oauth2/token',
    'http://localhost:443@attacker.example.invalid/oauth2/token',
  ]) {
    it(`${url}: exit 2, and nothing is sent`, async () => {
      const listener = keep(await rawListener());
      const proxy = `http://127.0.0.1:${listener.port}`;
      const res = await getTokenScript({ OAUTH_URL: url, CLIENT_ID: 'id', CLIENT_SECRET: 'secret', HTTP_PROXY: proxy, http_proxy: proxy });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('a host that is not this machine: https is required, or the client secret would travel in clear');
      expect(res.stderr).toContain('attacker.example.invalid');
      expect(listener.received).toEqual([]);
    });
  }
});

/** A TLS-inspecting proxy that answers every request it decrypts with the headers it saw, the
 * CONNECT's Proxy-Authorization among them: the worst a department proxy could do to a report. */
async function echoingInspector(ca: ReturnType<typeof makePrivateCa>): Promise<Running> {
  // One client at a time in these tests: the last CONNECT is the one this request came through.
  let connect: IncomingMessage['headers'] = {};
  const inner = createHttpsServer({ key: ca.key, cert: ca.cert }, (req, res) => {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_client', quoted: { ...connect, ...req.headers } }));
  });
  const { createServer } = await import('node:http');
  const server = createServer();
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    connect = req.headers;
    inner.emit('connection', client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('4 and 5. the redactor knows the proxy password however it is written, and every report is 0600', () => {
  it('a scheme-less HTTPS_PROXY=alice:PASSWORD@127.0.0.1:Q and a proxy that quotes the headers: no output holds the password or its Base64', async () => {
    const ca = makePrivateCa(['auth.gdx.invalid']);
    const dir = mkdtempSync(join(tmpdir(), 'gdx-echo-proxy-'));
    writeFileSync(join(dir, 'ca.pem'), ca.caCert);
    const inspector = keep(await echoingInspector(ca));
    const env = cleanEnv({ ...creds('dev', ACQ), HTTPS_PROXY: `alice:${PASSWORD}@${new URL(inspector.url).host}` });
    const args = [
      '--env',
      'dev',
      '--token-url',
      'https://auth.gdx.invalid/oauth2/token',
      '--base-url',
      'https://auth.gdx.invalid',
      '--ca-file',
      join(dir, 'ca.pem'),
    ];
    const smoke = await runCli(['smoke', ...args, '--folder', 'Get an access token', '--reporters', 'cli,junit,json,html', '--out', join(dir, 'r')], {
      env,
      cwd: dir,
      timeoutMs: 60_000,
    });
    const token = await runCli(['token', ...args], { env, cwd: dir });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(3);
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const reports = readdirSync(join(dir, 'r')).map((f) => join(dir, 'r', f));
    const summary = readFileSync(join(dir, 'r', 'summary.json'), 'utf8');
    // The quoted headers reached the report (so the check means something), redacted.
    expect(summary, summary.slice(0, 3000)).toContain('proxy-authorization');
    for (const [where, text] of [
      ['smoke', smoke.stdout + smoke.stderr],
      ['token', token.stdout + token.stderr],
      ...reports.map((f) => [f, readFileSync(f, 'utf8')]),
    ] as [string, string][]) {
      expect(text.includes(PASSWORD), `${where} holds the password`).toBe(false);
      expect(text.includes(BASIC), `${where} holds its Base64`).toBe(false);
    }
    for (const f of reports) expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
  }, 120_000);
});

describe('6. tokens are trusted only from their issuer', () => {
  it('a fake identity provider on 127.0.0.2, signing with its own keys: doctor fails the token line, exit 1, naming the issuer', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'fake', alg: 'RS256', use: 'sig' };
    const keys = await import('node:http').then(
      ({ createServer }) =>
        new Promise<{ port: number; close(): Promise<void> }>((resolve) => {
          const s = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
          s.listen(0, '127.0.0.2', () => resolve({ port: (s.address() as { port: number }).port, close: () => new Promise((r) => s.close(() => r())) }));
        }),
    );
    keep(keys);
    const iss = `http://127.0.0.2:${keys.port}/eu-west-2_fake`;
    const api = await standinKept();
    const idp = keep(
      await serve((req, res) => {
        void (async () => {
          const now = Math.floor(Date.now() / 1000);
          const token = await new SignJWT({ client_id: ACQ.clientId, token_use: 'access', scope: 'events/consume' })
            .setProtectedHeader({ alg: 'RS256', kid: 'fake' })
            .setIssuer(iss)
            .setIssuedAt(now)
            .setExpirationTime(now + 3600)
            .sign(privateKey);
          res.writeHead(200, { 'Content-Type': 'application/json', Date: new Date().toUTCString() });
          res.end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }));
        })();
        req.resume();
      }),
    );
    const res = await runCli(['doctor', '--env', 'dev', '--token-url', `${idp.url}/oauth2/token`, '--base-url', api.baseUrl], {
      env: cleanEnv(creds('dev', ACQ)),
      timeoutMs: 60_000,
    });
    expect(res.code, res.stdout).toBe(1);
    expect(res.stdout).toMatch(
      new RegExp(
        `FAIL\\s+token\\s+.*the token's issuer "${iss.replace(/[.]/g, '\\.')}" is not an issuer on 127\\.0\\.0\\.1 \\(the token URL's host\\), so its signing keys are not trusted`,
      ),
    );
    expect(res.stdout).not.toContain('signature, issuer, client_id and expiry verified');
  }, 60_000);

  it('a stand-in reached through an authenticating proxy under a name only the proxy resolves (--public-url): green, its issuer on that name', async () => {
    const standin = await standinKept({ privateCa: true, publicUrl: 'https://standin.gdx.invalid' });
    const dir = mkdtempSync(join(tmpdir(), 'gdx-public-'));
    writeFileSync(join(dir, 'ca.pem'), standin.caCert!);
    const proxy = keep(await forwardProxy(`alice:${PASSWORD}`, { 'standin.gdx.invalid:443': `127.0.0.1:${standin.port}` }));
    expect(standin.issuer).toMatch(/^https:\/\/standin\.gdx\.invalid\//);
    const env = cleanEnv({ ...creds('dev', ACQ), HTTPS_PROXY: `http://alice:${PASSWORD}@${new URL(proxy.url).host}` });
    const at = [
      '--env',
      'dev',
      '--token-url',
      'https://standin.gdx.invalid/oauth2/token',
      '--base-url',
      'https://standin.gdx.invalid',
      '--ca-file',
      join(dir, 'ca.pem'),
    ];
    const smoke = await runCli(['smoke', ...at, '--folder', 'Get an access token', '--folder', 'Acquirer: events', '--out', join(dir, 'r')], {
      env,
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    const doctor = await runCli(['doctor', ...at], { env, cwd: dir, timeoutMs: 60_000 });
    expect(doctor.stdout).toContain("(the issuer must be an issuer on standin.gdx.invalid (the token URL's host))");
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(proxy.seen.every((s) => s === 'CONNECT standin.gdx.invalid:443')).toBe(true);
    expect(smoke.stdout + smoke.stderr + doctor.stdout).not.toContain(PASSWORD);
  }, 120_000);
});

describe('7. output that cannot be forged', () => {
  it("a certificate whose issuer's name holds a newline and an escape sequence: doctor prints one line, with no ESC byte and no forged ok line", async () => {
    const evil = 'Evil CA\n  ok    TLS   all fine, trusted\x1b[2K';
    const standin = await standinKept({ tls: makePrivateCa(['127.0.0.1'], evil) });
    const res = await runCli(['doctor', '--env', 'dev', '--token-url', standin.tokenUrl, '--base-url', standin.baseUrl], {
      env: cleanEnv(creds('dev', ACQ)),
      timeoutMs: 60_000,
    });
    expect(res.code).toBe(3);
    const out = res.stdout + res.stderr;
    expect(out).not.toContain('\x1b');
    expect(out).not.toMatch(/^\s*ok\s+TLS\s+all fine/m);
    // The name is there, escaped, on the FAIL line itself.
    expect(out).toMatch(/FAIL\s+TLS\s+.*CN=Evil CA\\n {2}ok {4}TLS {3}all fine, trusted\\x1b\[2K/);
  }, 60_000);
});
