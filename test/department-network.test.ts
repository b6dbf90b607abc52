// A department's network, tried as a tester meets it: https only, a TLS-inspecting proxy whose
// root CA the machine does not know, an authenticating proxy, a token endpoint that redirects, and
// a laptop whose clock is an hour out. Everything over loopback, against the real stand-in.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, getTokenScript, runCli, startCli, type CliResult } from './helpers/cli.js';
import { apiOnly, runAgainst } from './helpers/newman-run.js';
import { forwardProxy, passTokenRequestOn, serve } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const FOLDERS = ['--folder', 'Get an access token', '--folder', 'Acquirer: events'];
const FAKETIME = ['/usr/bin/faketime', '/usr/local/bin/faketime'].find((f) => existsSync(f));
/** Said in the name of a test that skips without libfaketime (CI installs it, and runs them). */
const NO_FAKETIME = !FAKETIME && process.env['CI'] !== 'true' ? ' (skipped: faketime is not installed: apt-get install faketime)' : '';
const CA_NAME = 'CN=GDX stand-in private CA, O=GDX Data Share toolkit (test only)';

let tls: Standin;
let dir: string;
let caFile: string;
beforeAll(async () => {
  tls = await startStandin({ privateCa: true });
  dir = mkdtempSync(join(tmpdir(), 'gdx-network-'));
  caFile = join(dir, 'department-ca.pem');
  writeFileSync(caFile, tls.caCert!);
});
afterAll(() => tls.stop());

const at = (s: Pick<Standin, 'tokenUrl' | 'baseUrl'>): string[] => ['--token-url', s.tokenUrl, '--base-url', s.baseUrl];

interface Run extends CliResult {
  reports: string;
}

async function smoke(args: string[], vars: Record<string, string>, options: { dotenv?: string; wrapper?: string[] } = {}): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'gdx-network-run-'));
  if (options.dotenv) writeFileSync(join(cwd, '.env'), options.dotenv);
  const res = await runCli(['smoke', '--out', join(cwd, 'reports'), ...args], {
    cwd,
    env: cleanEnv(vars),
    timeoutMs: 90_000,
    ...(options.wrapper ? { wrapper: options.wrapper } : {}),
  });
  const out = join(cwd, 'reports');
  const reports = existsSync(out) ? readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')) : [];
  return { ...res, reports: reports.join('\n') };
}

describe('https through a TLS-inspecting proxy: a CA this machine does not know', () => {
  it('3: names the certificate, its issuer, the usual cause and --ca-file first; sends nothing', async () => {
    tls.resetCounters();
    const res = await smoke(['--env', 'dev', ...FOLDERS, ...at(tls)], creds('dev', ACQ));
    expect(res.code, res.stdout + res.stderr).toBe(3);
    expect(res.stdout).toContain(`TLS error (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the certificate is not trusted: "CN=localhost", issued by "${CA_NAME}"`);
    expect(res.stdout).toContain('a department proxy that inspects TLS is the usual cause');
    const advice = res.stdout.slice(res.stdout.indexOf('usual cause'));
    expect(advice.indexOf('--ca-file')).toBeLessThan(advice.indexOf('--insecure'));
    expect(tls.counters().tokenRequestsTotal + tls.counters().apiRequestsTotal).toBe(0);
  });

  it('the token script in Newman names the usual cause too, where no preflight ran first', async () => {
    const outcome = await runAgainst({ env: 'dev', standin: tls, clientId: ACQ.clientId, clientSecret: ACQ.clientSecret, folders: apiOnly('acquirer') });
    const failure = outcome.executions.flatMap((e) => e.outcomes).find((o) => o.kind === 'token-failure');
    expect(failure).toEqual({
      kind: 'token-failure',
      cause: 'unreachable',
      message: `GDX token: could not reach ${new URL(tls.tokenUrl).host} (UNABLE_TO_VERIFY_LEAF_SIGNATURE): a department proxy that inspects TLS is the usual cause; trust its root CA (the handbook's section 7, Inside a department network)`,
    });
  });

  it('--ca-file, GDX_CA_FILE (also from .env) and NODE_EXTRA_CA_CERTS each make the run green: Newman, the preflight and the JWKS', async () => {
    const ways: [string, string[], Record<string, string>, string | undefined][] = [
      ['--ca-file', ['--ca-file', caFile], {}, undefined],
      ['GDX_CA_FILE', [], { GDX_CA_FILE: caFile }, undefined],
      ['GDX_CA_FILE in .env', [], {}, `GDX_CA_FILE=${caFile}\n`],
      ['NODE_EXTRA_CA_CERTS', [], { NODE_EXTRA_CA_CERTS: caFile }, undefined],
    ];
    for (const [way, args, vars, dotenv] of ways) {
      tls.resetCounters();
      const res = await smoke(['--env', 'dev', ...FOLDERS, ...args, ...at(tls)], { ...creds('dev', ACQ), ...vars }, dotenv ? { dotenv } : {});
      expect(res.code, `${way}\n${res.stdout}${res.stderr}`).toBe(0);
      // The seed requests' two tokens (the token script reuses one), each verified against the JWKS over https.
      expect(res.stdout, way).toMatch(/2 \(2 issued\)/);
      expect(res.stdout, way).toMatch(/dev \(local-acquirer\)\s+5\s+19\s+0\s/);
      expect(tls.counters().tokensIssued, way).toEqual({ [ACQ.clientId]: 2 });
    }
  });

  it('a CA file that is no certificate is exit 2 in one line that says what to give', async () => {
    const notPem = join(dir, 'not-a-cert.cer');
    writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const res = await smoke(['--env', 'dev', '--ca-file', notPem, ...at(tls)], creds('dev', ACQ));
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `error: --ca-file: ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----): if it is DER (.cer), convert it with certutil -encode FILE FILE.pem (Windows) or openssl x509 -inform der -in FILE -out FILE.pem\n`,
    );
  });

  it('npm run token gets a token with the CA file, and names the issuer without it', async () => {
    const untrusted = await runCli(['token', '--env', 'dev', '--token-url', tls.tokenUrl], { env: cleanEnv(creds('dev', SUP)) });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain(`issued by "${CA_NAME}"`);
    for (const trust of [['--ca-file', caFile], []]) {
      const res = await runCli(['token', '--env', 'dev', '--token-url', tls.tokenUrl, ...trust], {
        env: cleanEnv({ ...creds('dev', SUP), ...(trust.length ? {} : { GDX_CA_FILE: caFile }) }),
      });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    }
  });

  it('get-token.sh gets a token with --ca-file or GDX_CA_FILE, and suggests them without', async () => {
    const vars = { OAUTH_URL: tls.tokenUrl, CLIENT_ID: SUP.clientId, CLIENT_SECRET: SUP.clientSecret };
    const untrusted = await getTokenScript(vars);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain('a department proxy that inspects TLS is the usual cause; pass --ca-file PATH (or set GDX_CA_FILE)');
    for (const [extra, args] of [
      [{}, ['--ca-file', caFile]],
      [{ GDX_CA_FILE: caFile }, ['--method', 'client_secret_post']],
    ] as const) {
      const res = await getTokenScript({ ...vars, ...extra }, [...args], dir);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    }
  });

  it('npm run standin -- --https makes the CA, writes its certificate, and serves https with it', async () => {
    const out = join(dir, 'standin-ca.pem');
    const { child, match } = await startCli(['standin', '--https', '--port', '0', '--quiet', '--ca-out', out], /listening on (https:\/\/127\.0\.0\.1:\d+)/);
    try {
      expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const res = await runCli(['token', '--env', 'local', '--token-url', `${match[1]!}/oauth2/token`, '--ca-file', out], { env: cleanEnv() });
      expect(res.code, res.stderr).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('npm run doctor', () => {
  const doctor = (args: string[], vars: Record<string, string>, wrapper?: string[]): Promise<CliResult> =>
    runCli(['doctor', ...args], { env: cleanEnv(vars), cwd: dir, timeoutMs: 60_000, ...(wrapper ? { wrapper } : {}) });

  it('passes on a healthy https stand-in: a line per check, one token, one GET, nothing in a queue changed', async () => {
    tls.resetCounters();
    const before = structuredClone(tls.store.tally);
    const res = await doctor(['--env', 'dev', '--ca-file', caFile, ...at(tls)], creds('dev', ACQ));
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const lines = res.stdout.split('\n');
    const line = (check: string): string => lines.find((l) => new RegExp(`^  \\S+\\s+${check}\\s`).test(l)) ?? `no ${check} line`;
    expect(line('credentials')).toMatch(
      /^ {2}warn {2}credentials {2}from GDX_DEV_CLIENT_ID\/GDX_DEV_CLIENT_SECRET: the client id is 14 characters; the GDX guide's are 26 lowercase letters and digits/,
    );
    expect(line('proxy')).toMatch(/^ {2}ok {4}proxy +token endpoint 127\.0\.0\.1:\d+: none, direct$/);
    expect(line('TCP')).toMatch(/^ {2}ok {4}TCP +127\.0\.0\.1:\d+ connected in \d+ ms$/);
    expect(line('TLS')).toMatch(
      new RegExp(
        `^  ok    TLS +TLSv1\\.[23], "CN=localhost" issued by "${CA_NAME.replace(/[()]/g, '\\$&')}", valid until \\d{4}-\\d\\d-\\d\\d \\(\\d+ days\\); trusting ${caFile}`,
      ),
    );
    expect(line('clock')).toMatch(/^ {2}ok {4}clock +your clock is \d+ seconds? (ahead of|behind) the token endpoint \(its Date header\): within the minute/);
    expect(line('token')).toBe(
      "  ok    token        issued with client_secret_basic, scopes events/consume; signature, issuer, client_id and expiry verified (the issuer must be an issuer on 127.0.0.1 (the token URL's host))",
    );
    expect(line('API')).toBe('  ok    API          GET /events answered 200, a valid event list (nothing acknowledged)');
    expect(lines).toContain('All is well.');
    // One billed token request; the clock's GET is answered 405 and mints nothing.
    expect(tls.counters().tokensIssued).toEqual({ [ACQ.clientId]: 1 });
    expect(tls.store.tally).toEqual(before);
    expect(res.stdout + res.stderr).not.toContain(ACQ.clientSecret);
  });

  it("checks the signing keys' host too when the token names another (Cognito's cognito-idp host)", async () => {
    const keys = await startStandin();
    // A token endpoint and an API on one host, whose tokens' issuer (and JWKS) is another.
    const front = await serve((req, res) => {
      if (req.method === 'POST') return passTokenRequestOn(req, res, keys.tokenUrl);
      if (!req.url?.startsWith('/events')) return void res.writeHead(405).end();
      void fetch(`${keys.baseUrl}${req.url}`, { headers: { Authorization: req.headers.authorization ?? '', Accept: String(req.headers.accept) } }).then(
        async (r) => {
          res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? '' });
          res.end(await r.text());
        },
      );
    });
    try {
      const res = await doctor(['--env', 'dev', '--token-url', `${front.url}/oauth2/token`, '--base-url', front.url], creds('dev', ACQ));
      expect(res.code, res.stdout).toBe(0);
      expect(res.stdout).toContain(`  ok    proxy        signing keys ${new URL(keys.baseUrl).host}: none, direct`);
      expect(res.stdout).toMatch(new RegExp(`  ok    TCP          ${new URL(keys.baseUrl).host.replace(/\./g, '\\.')} connected`));
    } finally {
      await front.close();
      await keys.stop();
    }
  });

  it('3: names the issuer on an unknown CA, and asks for no token', async () => {
    tls.resetCounters();
    const res = await doctor(['--env', 'dev', ...at(tls)], creds('dev', ACQ));
    expect(res.code).toBe(3);
    expect(res.stdout).toContain(
      `  FAIL  TLS          TLS error (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the certificate is not trusted: "CN=localhost", issued by "${CA_NAME}"`,
    );
    expect(res.stdout).toContain('  --    token        not asked');
    expect(tls.counters().tokenRequestsTotal).toBe(0);
  });

  it('2: without credentials it still checks the network, and says what to set', async () => {
    const res = await doctor(['--env', 'dev', '--ca-file', caFile, ...at(tls)], {});
    expect(res.code).toBe(2);
    expect(res.stdout).toContain('  FAIL  credentials  no credentials for dev: set GDX_DEV_CLIENT_ID and GDX_DEV_CLIENT_SECRET');
    expect(res.stdout).toMatch(/ {2}ok {4}TLS {10}TLSv1/);
    expect(res.stdout).toContain('  --    token        not asked: no credentials');
  });

  it.skipIf(!!NO_FAKETIME)(`1: a clock 70 minutes fast is a FAIL line in words${NO_FAKETIME}`, async () => {
    const res = await doctor(['--env', 'dev', '--ca-file', caFile, ...at(tls)], creds('dev', ACQ), [FAKETIME ?? 'faketime', '-f', '+70m']);
    expect(res.code, res.stdout).toBe(1);
    expect(res.stdout).toContain('  FAIL  clock        your clock is 70 minutes ahead of the token endpoint (its Date header): tokens will look expired');
  });
});

describe('an authenticating proxy (CONNECT, Basic credentials in HTTPS_PROXY)', () => {
  const user = 'dept-user';
  const password = 'Pr0xy p@ss:w/rd!';
  const url = (p: { url: string }, pass: string): string => p.url.replace('http://', `http://${user}:${encodeURIComponent(pass)}@`);
  const forms = [password, encodeURIComponent(password), Buffer.from(`${user}:${password}`).toString('base64')];
  // This machine is never reached through a proxy: the stand-in goes by a name only the proxy
  // resolves, as the outside world does for a department machine.
  const NAME = 'standin.gdx.invalid';
  let named: Standin;
  let namedCa: string;
  beforeAll(async () => {
    named = await startStandin({ privateCa: true, publicUrl: `https://${NAME}` });
    namedCa = join(dir, 'named-ca.pem');
    writeFileSync(namedCa, named.caCert!);
  });
  afterAll(() => named.stop());
  const through = (credentials: string) => forwardProxy(credentials, { [`${NAME}:443`]: `127.0.0.1:${named.port}` });

  it('carries every request of the run, and its password appears nowhere', async () => {
    const proxy = await through(`${user}:${password}`);
    try {
      const vars = { ...creds('dev', ACQ), HTTPS_PROXY: url(proxy, password), NO_PROXY: '' };
      const res = await smoke(['--env', 'dev', ...FOLDERS, '--ca-file', namedCa, '--reporters', 'cli,junit,json,html', ...at(named)], vars);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(proxy.refused).toBe(0);
      // The preflight's two, the JWKS, and Newman's: every one through the tunnel (the name
      // resolves nowhere else).
      const tunnels = proxy.seen.filter((s) => s === `CONNECT ${NAME}:443`);
      expect(tunnels.length).toBeGreaterThanOrEqual(4);
      expect(tunnels).toEqual(proxy.seen);
      for (const form of forms) expect(res.stdout + res.stderr + res.reports).not.toContain(form);
      // doctor names the proxy in use by user and host, and gets its token through it.
      const doc = await runCli(['doctor', '--env', 'dev', '--ca-file', namedCa, ...at(named)], { env: cleanEnv(vars), timeoutMs: 60_000 });
      expect(doc.code, doc.stdout).toBe(0);
      expect(doc.stdout).toContain(`  ok    proxy        token endpoint ${NAME} through ${user}@${new URL(proxy.url).host} (from HTTPS_PROXY)`);
      expect(doc.stdout).toMatch(/ {2}warn {2}DNS|-- {4}DNS/);
      for (const form of forms) expect(doc.stdout + doc.stderr).not.toContain(form);
    } finally {
      await proxy.close();
    }
  });

  it('plain http never goes through a proxy: to this machine it goes direct, to another it is refused before anything is sent', async () => {
    const plain = await startStandin();
    const proxy = await through(`${user}:${password}`);
    try {
      const vars = { ...creds('dev', ACQ), HTTP_PROXY: url(proxy, password), HTTPS_PROXY: url(proxy, password), NO_PROXY: '' };
      const res = await smoke(['--env', 'dev', ...FOLDERS, ...at(plain)], vars);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      const far = await smoke(['--env', 'dev', ...FOLDERS, '--token-url', `http://${NAME}/oauth2/token`, '--base-url', `http://${NAME}`], vars);
      expect(far.code).toBe(2);
      expect(far.stdout + far.stderr).toContain('https is required');
      expect(proxy.seen).toEqual([]);
      for (const form of forms) expect(res.stdout + res.stderr + res.reports + far.stdout + far.stderr).not.toContain(form);
    } finally {
      await proxy.close();
      await plain.stop();
    }
  });

  it('3: a proxy that refuses (407) is named with its status, and the password is not', async () => {
    const proxy = await through(`${user}:${password}`);
    try {
      const wrong = 'not-the-proxy-password';
      const res = await smoke(['--env', 'dev', ...FOLDERS, '--ca-file', namedCa, ...at(named)], {
        ...creds('dev', ACQ),
        HTTPS_PROXY: url(proxy, wrong),
        NO_PROXY: '',
      });
      expect(res.code).toBe(3);
      const host = new URL(proxy.url).host;
      expect(res.stdout).toContain(
        `the proxy ${user}@${host} (from HTTPS_PROXY) refused the connection: it wants credentials (407 Proxy Authentication Required)`,
      );
      for (const form of [wrong, ...forms]) expect(res.stdout + res.stderr + res.reports).not.toContain(form);
      const token = await runCli(['token', '--env', 'dev', '--token-url', named.tokenUrl, '--ca-file', namedCa], {
        env: cleanEnv({ ...creds('dev', SUP), HTTPS_PROXY: url(proxy, wrong) }),
      });
      expect([token.code, token.stderr]).toEqual([3, expect.stringContaining(`the proxy ${user}@${host} (from HTTPS_PROXY) refused the connection`)]);
    } finally {
      await proxy.close();
    }
  });
});

describe('a token endpoint that redirects (307) to another host', () => {
  let plain: Standin;
  beforeAll(async () => {
    plain = await startStandin();
  });
  afterAll(() => plain.stop());

  /** Where the redirect points: it must receive nothing at all. */
  async function redirecting(): Promise<{ tokenUrl: string; catcherHost: string; caught: IncomingMessage[]; close: () => Promise<void> }> {
    const caught: IncomingMessage[] = [];
    const catcher = await serve((req, res) => {
      caught.push(req);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"access_token":"eyJhbGciOiJub25lIn0.e30.","expires_in":3600,"token_type":"Bearer"}');
    });
    // Cognito answers a GET 405: the preflight passes, and only the token requests meet the redirect.
    const redirector = await serve((req, res) => {
      if (req.method === 'POST') res.writeHead(307, { Location: `${catcher.url}/oauth2/token` }).end();
      else res.writeHead(405).end();
    });
    return {
      tokenUrl: `${redirector.url}/oauth2/token`,
      catcherHost: new URL(catcher.url).host,
      caught,
      close: async () => {
        await redirector.close();
        await catcher.close();
      },
    };
  }

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`the run sends the secret nowhere with ${method}, and names the redirect and its target`, async () => {
      const r = await redirecting();
      try {
        const res = await smoke(['--env', 'dev', ...FOLDERS, '--method', method, '--token-url', r.tokenUrl, '--base-url', plain.baseUrl], creds('dev', ACQ));
        expect(res.code).toBe(3);
        expect(r.caught).toEqual([]);
        expect(res.stdout).toContain(`answered 307, redirecting to ${r.catcherHost}: not followed, since the client secret would go with it`);
      } finally {
        await r.close();
      }
    });
  }

  it('3: a token URL that redirects every request is named by the preflight, before any token request', async () => {
    const caught: string[] = [];
    const catcher = await serve((req, res) => void (caught.push(req.method ?? ''), res.writeHead(200).end()));
    const redirector = await serve((req, res) => void res.writeHead(301, { Location: `${catcher.url}/oauth2/token` }).end());
    try {
      const res = await smoke(['--env', 'dev', ...FOLDERS, '--token-url', `${redirector.url}/oauth2/token`, '--base-url', plain.baseUrl], creds('dev', ACQ));
      expect(res.code).toBe(3);
      expect(res.stdout).toContain(
        `the token endpoint ${new URL(redirector.url).host} answered 301, redirecting to ${new URL(catcher.url).host}: not followed, since the client secret would go with it; set the token URL to the endpoint itself`,
      );
      expect(caught).toEqual([]);
    } finally {
      await redirector.close();
      await catcher.close();
    }
  });

  it('npm run token and get-token.sh do not follow it either, and say where it pointed', async () => {
    const r = await redirecting();
    try {
      const token = await runCli(['token', '--env', 'dev', '--token-url', r.tokenUrl], { env: cleanEnv(creds('dev', SUP)) });
      expect(token.code).toBe(3);
      expect(token.stderr).toContain(`answered 307, redirecting to ${r.catcherHost}: not followed`);
      for (const method of ['client_secret_basic', 'client_secret_post']) {
        const script = await getTokenScript({ OAUTH_URL: r.tokenUrl, CLIENT_ID: SUP.clientId, CLIENT_SECRET: SUP.clientSecret }, ['--method', method]);
        expect(script.code).toBe(3);
        expect(script.stderr).toContain(`answered 307, redirecting to ${r.catcherHost}: not followed`);
      }
      expect(r.caught).toEqual([]);
    } finally {
      await r.close();
    }
  });
});

describe.skipIf(!!NO_FAKETIME)(`a clock that is wrong (libfaketime moves the runner, not the stand-in)${NO_FAKETIME}`, () => {
  let standin: { child: import('node:child_process').ChildProcess; url: string };
  beforeAll(async () => {
    // Its own process, on the real clock, as the token endpoint is.
    const { child, match } = await startCli(['standin', '--port', '0', '--quiet'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    standin = { child, url: match[1]! };
  });
  afterAll(() => void standin.child.kill('SIGTERM'));

  const run = (offset: string): Promise<Run> =>
    smoke(['--env', 'dev', ...FOLDERS, '--token-url', `${standin.url}/oauth2/token`, '--base-url', standin.url], creds('dev', ACQ), {
      wrapper: [FAKETIME ?? 'faketime', '-f', offset],
    });

  it('70 minutes fast: said in words, with size and direction, not as a JWT error code', async () => {
    const res = await run('+70m');
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain('clock: your clock is 70 minutes ahead of the token endpoint (its Date header)');
    expect(res.stdout).toContain(
      'your clock is 70 minutes ahead of the token endpoint (its Date header), so the token looks expired here although the GDX services, on their own clocks, accept it',
    );
    expect(res.stdout).not.toContain('ERR_JWT_EXPIRED');
  });

  it('2 minutes fast stays green', async () => {
    const res = await run('+2m');
    expect(res.code, res.stdout + res.stderr).toBe(0);
  });
});
