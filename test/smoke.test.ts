import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, runCli, runCliInProcess, type CliResult } from './helpers/cli.js';
import { blackHole, closedPort, forwardProxy, selfSignedCert, serve } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(() => standin.stop());

interface SmokeResult extends CliResult {
  dir: string;
  reports: Record<string, string>;
}

/** Both URLs of every real environment, pointed at reserved names that resolve nowhere unless a
 * test points them at a stand-in: credentials for dev alone can never reach the real dev hosts. */
const OFFLINE = Object.fromEntries(
  ['dev', 'demo', 'integration'].flatMap((name) => [
    [`GDX_${name.toUpperCase()}_TOKEN_URL`, `https://token.${name}.gdx.invalid/oauth2/token`],
    [`GDX_${name.toUpperCase()}_BASE_URL`, `https://api.${name}.gdx.invalid`],
  ]),
);

async function smoke(args: string[], vars: Record<string, string> = {}, options: { dotenv?: string; timeoutMs?: number } = {}): Promise<SmokeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gdx-smoke-'));
  if (options.dotenv !== undefined) writeFileSync(join(dir, '.env'), options.dotenv);
  const res = await runCli(['smoke', '--out', join(dir, 'reports'), ...args], {
    cwd: dir,
    env: cleanEnv({ ...OFFLINE, ...vars }),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  const reports: Record<string, string> = {};
  try {
    for (const f of readdirSync(join(dir, 'reports'))) reports[f] = readFileSync(join(dir, 'reports', f), 'utf8');
  } catch {
    /* no report folder */
  }
  return { ...res, dir, reports };
}

const at = (s: Pick<Standin, 'tokenUrl' | 'baseUrl'>) => ['--token-url', s.tokenUrl, '--base-url', s.baseUrl];

describe('npm run smoke, end to end through Newman', () => {
  it('with no arguments runs every folder against an in-process stand-in and passes', async () => {
    const res = await smoke([]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/local \(local-acquirer, acquirer\)\s+14\s+\d+\s+0\s/);
    expect(res.stdout).toMatch(/local \(local-supplier, supplier\)\s+10\s+\d+\s+0\s/);
    const summary = JSON.parse(res.reports['summary.json']!) as { exitCode: number; environments: { totals: { failures: number } }[] };
    expect(summary.exitCode).toBe(0);
    expect(summary.environments).toHaveLength(2);
    expect(res.reports['junit.xml']).toMatch(/<testsuites name="GDX smoke" tests="\d+" failures="0"/);
  });

  for (const env of ['dev', 'demo'] as const) {
    it(`runs the ${env} collection against the stand-in for an acquirer and a supplier`, async () => {
      const acq = await smoke(['--env', env, ...at(standin)], creds(env, ACQ));
      expect(acq.code, acq.stdout + acq.stderr).toBe(0);
      // Nobody told the runner the role: the token's scopes decided, and it says so.
      expect(acq.stdout).toContain(
        `skipped in ${env} (${ACQ.clientId}): "Supplier: publish a test event": needs the scope events/publish, which this client's token does not carry`,
      );
      const sup = await smoke(['--env', env, '--role', 'supplier', ...at(standin)], creds(env, SUP));
      expect(sup.code, sup.stdout + sup.stderr).toBe(0);
      expect(sup.stdout).toContain('Supplier: publish a test event / Publish a test event  201');
    });
  }

  it('runs the integration collection against the stand-in for a supplier', async () => {
    const res = await smoke(['--env', 'integration', ...at(standin)], creds('integration', SUP));
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('Supplier: death notification / Token, scope and route are accepted (record refused on purpose)  400');
    expect(res.stdout).toContain('"Supplier: publish a death notification (opt-in)": left out without --publish-death-notification');
  });

  it('sends one CorrelationID a run to the death-notification API, and every report shows it', async () => {
    const before = standin.store.deathNotifications.length;
    const res = await smoke(
      ['--env', 'integration', '--publish-death-notification', '--reporters', 'cli,junit,json,html', ...at(standin)],
      creds('integration', SUP),
    );
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const received = standin.store.deathNotifications.slice(before).map((d) => d.correlationId);
    expect(received).toHaveLength(1);
    const id = received[0]!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.stdout).toContain(`CorrelationID (quote it to the GDX team to trace this run): ${id}`);
    expect((JSON.parse(res.reports['summary.json']!) as { environments: { correlationId: string }[] }).environments[0]!.correlationId).toBe(id);
    expect(res.reports['junit.xml']).toContain(`<property name="CorrelationID" value="${id}"/>`);
    expect(res.reports['report.html']).toContain(`CorrelationID <code>${id}</code>`);
  });

  it('--no-acknowledge leaves the destructive folder out and says why', async () => {
    const res = await smoke(['--env', 'local', '--role', 'acquirer', '--no-acknowledge']);
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain('Acknowledge the test event');
    expect(res.stdout).toContain('"Acquirer: acknowledge a test event (removes it from your queue)": left out by --no-acknowledge');
  });

  it('--env all runs what has credentials and names what it skipped and why', async () => {
    const res = await smoke(['--env', 'all', '--reporters', 'cli']);
    expect(res.code, res.stderr).toBe(0);
    for (const env of ['dev', 'demo']) {
      const name = env.toUpperCase();
      expect(res.stdout).toContain(
        `skipped environment ${env}: no credentials for ${env}: set GDX_${name}_CLIENT_ID and GDX_${name}_CLIENT_SECRET, or one pair per role (GDX_${name}_SUPPLIER_CLIENT_ID, GDX_${name}_ACQUIRER_CLIENT_ID and their secrets), in the environment or in a .env file`,
      );
    }
    // Integration has the supplier role alone: one pair.
    expect(res.stdout).toContain(
      'skipped environment integration: no credentials for integration: set GDX_INTEGRATION_CLIENT_ID and GDX_INTEGRATION_CLIENT_SECRET, in the environment or in a .env file',
    );
  });

  it('--env dev,demo runs both, and fails with exit 2 naming the variable when one has no credentials', async () => {
    const both = await smoke(['--env', 'dev,demo', '--role', 'acquirer', '--no-acknowledge', '--reporters', 'cli'], {
      ...creds('dev', ACQ),
      ...creds('demo', ACQ),
      GDX_DEV_TOKEN_URL: standin.tokenUrl,
      GDX_DEV_BASE_URL: standin.baseUrl,
      GDX_DEMO_TOKEN_URL: standin.tokenUrl,
      GDX_DEMO_BASE_URL: standin.baseUrl,
    });
    expect(both.code, both.stdout + both.stderr).toBe(0);
    expect(both.stdout).toMatch(/dev \(local-acquirer, acquirer\)/);
    expect(both.stdout).toMatch(/demo \(local-acquirer, acquirer\)/);
    // The overrides are visible: a report must never pass for a run against the real hosts.
    expect(both.stdout).toContain(
      `tested in demo (local-acquirer, acquirer): token endpoint ${standin.tokenUrl} (from GDX_DEMO_TOKEN_URL), API ${standin.baseUrl} (from GDX_DEMO_BASE_URL)`,
    );
    const misnamed = await smoke(['--env', 'dev,demo'], { ...creds('dev', ACQ), GDX_DEMO_CLIENTID: 'x', GDX_DEMO_CLIENT_SECRET: 'y' });
    expect(misnamed.code).toBe(2);
    expect(misnamed.stderr).toBe('error: GDX_DEMO_CLIENT_ID is empty while GDX_DEMO_CLIENT_SECRET is set: set both\n');
  });

  it('--reporters html alone shows progress and where the report is', async () => {
    const res = await smoke(['--env', 'local', '--role', 'acquirer', '--reporters', 'html']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^local \(local-acquirer, acquirer\): passed, 12 requests, \d+ assertions, 0 failed requests \(0 schema errors\)$/m);
    expect(res.stdout).toMatch(/^reports: .*report\.html$/m);
    expect(Object.keys(res.reports)).toEqual(['report.html']);
  });

  it('--env all --role acquirer skips an environment without that role, saying so', async () => {
    const res = await smoke(['--env', 'all', '--role', 'acquirer', '--reporters', 'cli'], creds('integration', SUP));
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('skipped environment integration: integration has nothing for the acquirer role; drop --role or use supplier');
    expect(res.stdout).toMatch(/local \(local-acquirer, acquirer\)\s+12\s/);
  });

  it('reads credentials from ./.env, with real variables winning', async () => {
    const dotenv = `# demo\nGDX_DEMO_CLIENT_ID=${ACQ.clientId}\nGDX_DEMO_CLIENT_SECRET="${ACQ.clientSecret}"\n`;
    const res = await smoke(['--env', 'demo', '--folder', 'Acquirer: events', ...at(standin)], {}, { dotenv });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const overridden = await smoke(['--env', 'demo', '--folder', 'Acquirer: events', ...at(standin)], { GDX_DEMO_CLIENT_SECRET: 'not-it' }, { dotenv });
    expect(overridden.code).toBe(3);
  });
});

describe('behind a proxy', () => {
  it('sends its own checks and the collection through HTTPS_PROXY, as Newman does, to a host only the proxy can reach', async () => {
    // This machine is never reached through a proxy, so the stand-in goes by a name that only
    // the proxy resolves: nothing can reach it but through the proxy.
    const named = await startStandin({ privateCa: true, publicUrl: 'https://standin.gdx.invalid' });
    const proxy = await forwardProxy(undefined, { 'standin.gdx.invalid:443': `127.0.0.1:${named.port}` });
    const dir = mkdtempSync(join(tmpdir(), 'gdx-proxied-'));
    writeFileSync(join(dir, 'ca.pem'), named.caCert!);
    try {
      const vars = { ...creds('dev', ACQ), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' };
      const at = ['--token-url', named.tokenUrl, '--base-url', named.baseUrl, '--ca-file', join(dir, 'ca.pem')];
      const res = await smoke(['--env', 'dev', '--folder', 'Get an access token', '--folder', 'Acquirer: events', ...at], vars);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      // Newman's requests, the runner's preflight and the JWKS: all through tunnels to that name.
      expect(named.counters().tokenRequestsTotal).toBeGreaterThanOrEqual(2);
      expect(proxy.seen.length).toBeGreaterThanOrEqual(3);
      expect(new Set(proxy.seen)).toEqual(new Set(['CONNECT standin.gdx.invalid:443']));
      const token = await runCli(['token', '--env', 'dev', '--token-url', named.tokenUrl, '--ca-file', join(dir, 'ca.pem')], { env: cleanEnv(vars) });
      expect(token.code, token.stderr).toBe(0);
    } finally {
      await proxy.close();
      await named.stop();
    }
  });
});

describe('token economy', () => {
  it('fetches one token per client for the API folders, however many iterations', async () => {
    standin.resetCounters();
    const res = await smoke(['--env', 'dev', '--iterations', '5', '--folder', 'Acquirer: events', ...at(standin)], creds('dev', ACQ));
    expect(res.code, res.stdout).toBe(0);
    expect(standin.counters().tokensIssued).toEqual({ [ACQ.clientId]: 1 });
    expect(standin.counters().apiRequests[ACQ.clientId]).toBe(15);
    expect(res.stdout).toMatch(/1 \(1 issued\)/);
  });

  it('with every folder, adds only the two seed requests, once, whatever the iterations', async () => {
    for (const iterations of ['1', '5']) {
      standin.resetCounters();
      const res = await smoke(['--env', 'dev', '--iterations', iterations, ...at(standin)], creds('dev', ACQ));
      expect(res.code, res.stdout).toBe(0);
      expect(standin.counters().tokensIssued, `iterations ${iterations}`).toEqual({ [ACQ.clientId]: 2 });
    }
  });
});

describe('exit codes from real causes', () => {
  it('2: an unknown environment, missing credentials, a malformed .env or environment file, a bad flag', async () => {
    const cases: [string[], Record<string, string>, string | undefined, RegExp][] = [
      [['--env', 'staging'], {}, undefined, /^error: unknown environment "staging": use one of dev, demo, integration, local, or all\n$/],
      [
        ['--env', 'dev'],
        {},
        undefined,
        /^error: no credentials for dev: set GDX_DEV_CLIENT_ID and GDX_DEV_CLIENT_SECRET \(or GDX_CLIENT_ID and GDX_CLIENT_SECRET\), or one pair per role \(GDX_DEV_SUPPLIER_CLIENT_ID, GDX_DEV_ACQUIRER_CLIENT_ID and their secrets\), in the environment or in a \.env file\n$/,
      ],
      [['--env', 'dev'], { GDX_DEV_CLIENT_ID: 'x' }, undefined, /^error: GDX_DEV_CLIENT_SECRET is empty while GDX_DEV_CLIENT_ID is set: set both\n$/],
      [
        ['--env', 'dev'],
        {},
        'GDX_DEV_CLIENT_ID=abc\nthis line is not a variable s3cret\n',
        /^error: .*\.env is malformed at line 2: expected KEY=value \(for example GDX_CLIENT_ID=\.\.\.\)\n$/,
      ],
      [['--env', 'local', '--folder', 'Nope'], {}, undefined, /^error: no folder "Nope" in the local collection; use one of: "Get an access token", /],
      [
        ['--env', 'integration', '--role', 'acquirer'],
        creds('integration', SUP),
        undefined,
        /^error: integration has nothing for the acquirer role; drop --role or use supplier\n$/,
      ],
      [['--reporters', 'xml'], {}, undefined, /^error: unknown reporter "xml": use cli, junit, json, html, github\n$/],
      [['--iterations', '0'], {}, undefined, /^error: --iterations must be a whole number from 1 to 100000\n$/],
      [
        ['--env', 'dev', '--token-url', 'http://auth.example.test/oauth2/token'],
        creds('dev', ACQ),
        undefined,
        /^error: --token-url is http:\/\/ to a host that is not this machine: https is required, or the client secret and tokens would travel in clear\n$/,
      ],
      [
        ['--env', 'dev'],
        { ...creds('dev', ACQ), GDX_DEV_BASE_URL: 'http://api.gdx.invalid:8080' },
        undefined,
        /^error: GDX_DEV_BASE_URL is http:\/\/ to a host that is not this machine: https is required/,
      ],
    ];
    // In this process: each fails before anything is sent, and a spawn a case would cost more than
    // the case. The first is run spawned too, as a department runs it.
    for (const [args, vars, dotenv, expected] of cases) {
      const dir = mkdtempSync(join(tmpdir(), 'gdx-usage-'));
      if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
      const res = await runCliInProcess(['smoke', '--out', join(dir, 'reports'), ...args], { cwd: dir, env: cleanEnv({ ...OFFLINE, ...vars }) });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(expected);
      expect(res.stderr).not.toContain('s3cret');
    }
    const spawned = await smoke(cases[0]![0]);
    expect([spawned.code, spawned.stderr]).toEqual([2, 'error: unknown environment "staging": use one of dev, demo, integration, local, or all\n']);
  });

  it('2: a malformed environment file, naming it and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-files-'));
    cpSync(join(PROJECT_ROOT, 'collections'), join(dir, 'collections'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'environments'), join(dir, 'environments'), { recursive: true });
    writeFileSync(join(dir, 'environments/gdx-data-share.local.postman_environment.json'), '{ "values": [');
    const res = await smoke(['--dir', dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error: environments/gdx-data-share.local.postman_environment.json is not valid JSON: run npm run generate (or git checkout environments/gdx-data-share.local.postman_environment.json)\n',
    );
  });

  it('2: a generated file that is a folder, or a report folder that cannot be written, before any request is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-files-'));
    cpSync(join(PROJECT_ROOT, 'collections'), join(dir, 'collections'), { recursive: true });
    cpSync(join(PROJECT_ROOT, 'environments'), join(dir, 'environments'), { recursive: true });
    rmSync(join(dir, 'collections/gdx-data-share.dev.postman_collection.json'));
    mkdirSync(join(dir, 'collections/gdx-data-share.dev.postman_collection.json'));
    standin.resetCounters();
    const folder = await smoke(['--env', 'dev', '--dir', dir, ...at(standin)], creds('dev', ACQ));
    expect([folder.code, folder.stderr]).toEqual([
      2,
      'error: collections/gdx-data-share.dev.postman_collection.json cannot be read (it is a folder, not a file): check the file and its permissions\n',
    ]);
    // --out is a file: nothing can be written there, so nothing is sent.
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const out = await runCli(['smoke', '--env', 'dev', '--out', join(file, 'reports'), ...at(standin)], { cwd: dir, env: cleanEnv(creds('dev', ACQ)) });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      `error: --out ${join(file, 'reports')} cannot be written (a part of the path is a file, not a folder): choose another folder with --out\n`,
    );
    // A report name taken by a folder there.
    mkdirSync(join(dir, 'reports', 'junit.xml'), { recursive: true });
    const taken = await runCli(['smoke', '--env', 'dev', '--out', join(dir, 'reports'), ...at(standin)], { cwd: dir, env: cleanEnv(creds('dev', ACQ)) });
    expect([taken.code, taken.stderr]).toEqual([
      2,
      `error: --out ${join(dir, 'reports')}: junit.xml there is a folder, where the run writes its report; remove it or choose another --out\n`,
    ]);
    expect(standin.counters().tokenRequestsTotal + standin.counters().apiRequestsTotal).toBe(0);
  });

  it('3: a closed port, naming the host and the cause', async () => {
    const url = await closedPort();
    const res = await smoke(['--env', 'dev', '--token-url', `${url}/oauth2/token`, '--base-url', standin.baseUrl], creds('dev', ACQ));
    expect(res.code).toBe(3);
    expect(res.stdout).toContain(`cannot reach ${new URL(url).host}: connection refused (ECONNREFUSED): is the host up and the port right?`);
  });

  it('3: a host that never answers ends within the timeout', async () => {
    const hole = await blackHole();
    try {
      const started = Date.now();
      const res = await smoke(['--env', 'demo', '--timeout', '1500', '--token-url', `${hole.url}/oauth2/token`, '--base-url', hole.url], creds('demo', ACQ));
      expect(res.code).toBe(3);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(res.stdout).toContain(`cannot reach ${new URL(hole.url).host}: no answer within 1500 ms (ETIMEDOUT)`);
    } finally {
      await hole.close();
    }
  });

  it('3: a token endpoint that answers 502 with HTML', async () => {
    const bad = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    });
    try {
      const res = await smoke(['--env', 'dev', '--token-url', `${bad.url}/oauth2/token`, '--base-url', standin.baseUrl], creds('dev', ACQ));
      expect(res.code).toBe(3);
      expect(res.stdout).toContain(
        `the token endpoint ${new URL(bad.url).host} answered 502 with text/html: the service may be down, or the token URL may be wrong; check --token-url`,
      );
    } finally {
      await bad.close();
    }
  });

  it('3: a wrong secret: no token, with a message that says what to check', async () => {
    const res = await smoke(['--env', 'dev', ...at(standin)], creds('dev', { clientId: ACQ.clientId, clientSecret: 'definitely-wrong' }));
    expect(res.code).toBe(3);
    expect(res.stdout).toContain(
      `GDX token: ${new URL(standin.tokenUrl).host} answered 400 invalid_client: the client id or secret is wrong for this environment; check clientId and clientSecret`,
    );
  });

  it('3: a TLS certificate that is not trusted, and --insecure runs with a loud warning', async () => {
    const tls = await startStandin({ tls: selfSignedCert() });
    try {
      const res = await smoke(['--env', 'dev', '--folder', 'Acquirer: events', ...at(tls)], creds('dev', ACQ));
      expect(res.code).toBe(3);
      expect(res.stdout).toMatch(
        /cannot reach 127\.0\.0\.1:\d+: TLS error \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/,
      );
      const insecure = await smoke(['--env', 'dev', '--folder', 'Acquirer: events', '--insecure', ...at(tls)], creds('dev', ACQ));
      expect(insecure.code, insecure.stdout).toBe(0);
      expect(insecure.stderr).toMatch(/^WARNING: --insecure is on: TLS certificates are NOT verified/);
    } finally {
      await tls.stop();
    }
  });

  it('1: an API that breaks its contract fails the schema checks, with request, pointer and message', async () => {
    const api = await serve((req, res) => {
      if (req.url?.startsWith('/events')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' });
        res.end(JSON.stringify({ data: [{ id: 'not-a-uuid', type: 'events' }], links: {} }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    try {
      const res = await smoke(['--env', 'dev', '--folder', 'Acquirer: events', '--token-url', standin.tokenUrl, '--base-url', api.url], creds('dev', ACQ));
      expect(res.code, res.stdout).toBe(1);
      // Each says where, what came, and what the schema wants.
      expect(res.stdout).toContain('schema: / has no "meta", which the event-list schema requires');
      expect(res.stdout).toContain('schema: /data/0/id is "not-a-uuid"; the event-list schema says it must match format "uuid"');
      const junit = res.reports['junit.xml']!;
      expect(junit).toMatch(/<testcase classname="dev.Acquirer: events" name="List events"[^>]*><failure /);
    } finally {
      await api.close();
    }
  });

  it('1: a token that carries none of the scopes of the environment roles', async () => {
    const admin = await startStandin({ clients: [{ clientId: 'admin-only', secrets: ['admin-secret'], scopes: ['events/admin'] }] });
    try {
      const res = await smoke(
        ['--env', 'dev', '--folder', 'Get an access token', '--folder', 'Acquirer: events', ...at(admin)],
        creds('dev', { clientId: 'admin-only', clientSecret: 'admin-secret' }),
      );
      expect(res.code, res.stdout).toBe(1);
      expect(res.stdout).toContain("the token carries none of the scope sets of this environment's roles (events/consume; events/publish)");
      expect(res.stdout).toContain('skipped in dev (admin-only): "Acquirer: events": needs the scope events/consume');
    } finally {
      await admin.stop();
    }
  });

  it('--bail stops at the first failure', async () => {
    const api = await serve((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"status":500}');
    });
    try {
      const args = ['--env', 'dev', '--folder', 'Acquirer: events', '--token-url', standin.tokenUrl, '--base-url', api.url];
      const all = await smoke(args, creds('dev', ACQ));
      const bailed = await smoke([...args, '--bail'], creds('dev', ACQ));
      expect(all.code).toBe(1);
      expect(bailed.code).toBe(1);
      const sent = (r: SmokeResult) =>
        (JSON.parse(r.reports['summary.json']!).environments[0].executions as { skipped: boolean }[]).filter((e) => !e.skipped).length;
      expect(sent(all)).toBe(2);
      expect(sent(bailed)).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('1: a token whose signature does not verify against its issuer keys', async () => {
    const signing = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256', { extractable: true });
    const fake = await serve((req, res) => {
      const base = `http://${req.headers.host}`;
      if (req.url === '/pool/.well-known/jwks.json') {
        void exportJWK(other.publicKey).then((jwk) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'k', alg: 'RS256', use: 'sig' }] }));
        });
        return;
      }
      if (req.method === 'POST') {
        const now = Math.floor(Date.now() / 1000);
        void new SignJWT({ client_id: ACQ.clientId, token_use: 'access', scope: 'events/consume' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k' })
          .setSubject(ACQ.clientId)
          .setIssuer(`${base}/pool`)
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(signing.privateKey)
          .then((jwt) => {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ access_token: jwt, expires_in: 3600, token_type: 'Bearer' }));
          });
        return;
      }
      res.writeHead(405);
      res.end();
    });
    try {
      const res = await smoke(
        ['--env', 'dev', '--folder', 'Get an access token', '--token-url', `${fake.url}/oauth2/token`, '--base-url', standin.baseUrl],
        creds('dev', ACQ),
      );
      expect(res.code, res.stdout).toBe(1);
      expect(res.stdout).toContain(
        'token check failed in dev (local-acquirer) (Get an access token / Form encoded credentials): signature or expiry check failed against',
      );
      expect(res.stdout).toContain('exp - iat is 60 s but expires_in said 3600 s');
      const checks = JSON.parse(res.reports['summary.json']!).environments[0].tokenChecks as { problems: string[] }[];
      expect(checks).toHaveLength(2);
      for (const c of checks) expect(c.problems[0]).toMatch(/signature or expiry check failed .*: ERR_JWS_SIGNATURE_VERIFICATION_FAILED$/);
    } finally {
      await fake.close();
    }
  });
});

describe('npm run token', () => {
  it('prints the token alone on stdout, for both methods, and it verifies', async () => {
    for (const method of ['client_secret_basic', 'client_secret_post']) {
      const res = await runCli(['token', '--env', 'local', '--method', method, '--token-url', standin.tokenUrl], { env: cleanEnv() });
      expect(res.code).toBe(0);
      expect(res.stderr).toBe('');
      expect(res.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const jwks = await (await fetch(standin.jwksUrl)).json();
      const { payload } = await jwtVerify(res.stdout.trim(), createLocalJWKSet(jwks as never), { issuer: standin.issuer });
      expect(payload['client_id']).toBe(ACQ.clientId);
    }
  });

  it('narrows the scope with --scope, and fails with exit 3 and no secret on a wrong one', async () => {
    const ok = await runCli(['token', '--env', 'dev', '--scope', 'EventType/DeathNotification', '--token-url', standin.tokenUrl], {
      env: cleanEnv(creds('dev', SUP)),
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(Buffer.from(ok.stdout.split('.')[1]!, 'base64url').toString()).scope).toBe('EventType/DeathNotification');
    const bad = await runCli(['token', '--env', 'dev', '--token-url', standin.tokenUrl], {
      env: cleanEnv(creds('dev', { clientId: SUP.clientId, clientSecret: 'Wrong-Secret-42' })),
    });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      `error: ${new URL(standin.tokenUrl).host} answered 400 invalid_client: the client id or secret is wrong for dev; check the credentials you set (GDX_DEV_CLIENT_ID/GDX_DEV_CLIENT_SECRET)\n`,
    );
  });

  it('tells you to start the stand-in when local is not running', async () => {
    const url = await closedPort();
    const res = await runCli(['token', '--env', 'local', '--token-url', `${url}/oauth2/token`], { env: cleanEnv() });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^error: cannot reach 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/);
  });
});
