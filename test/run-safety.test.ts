// What a run does when things go wrong on a real environment: filters that leave nothing to run,
// token failures, a rate-limited or silent token endpoint, an API host that goes away, and a run
// interrupted by Ctrl-C or SIGTERM. Each against real servers on 127.0.0.1.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACKNOWLEDGE_FOLDER } from '../src/catalogue.js';
import { findEnvironment, LOCAL_CLIENTS, type EnvironmentName, type Role } from '../src/config/environments.js';
import { UserError } from '../src/errors.js';
import { Output } from '../src/report/output.js';
import { Redactor } from '../src/report/redact.js';
import type { SmokeOptions } from '../src/run/options.js';
import { listenersFor } from '../src/report/registry.js';
import { smoke } from '../src/run/smoke.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, runCli } from './helpers/cli.js';
import { apiOnly, runAgainst, sent } from './helpers/newman-run.js';
import { blackHole, passTokenRequestOn, serve } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;

let standin: Standin;
const dirs: string[] = [];
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gdx-safety-'));
  dirs.push(d);
  return d;
}

describe('a filter that empties a plan sends nothing', () => {
  // Combinations of --role, one --folder and --no-acknowledge that leave some client of dev (one
  // client of unknown role) or of local (the stand-in's acquirer and supplier) nothing to run,
  // each with the clients that must send nothing (all of them: a usage error, exit 2).
  const ALL = 'every client';
  const cases: { env: EnvironmentName; role?: Role; folder?: string; acknowledge: boolean; silent: string }[] = [
    { env: 'dev', folder: ACKNOWLEDGE_FOLDER, acknowledge: false, silent: ALL },
    { env: 'dev', role: 'supplier', folder: 'Acquirer: events', acknowledge: true, silent: ALL },
    { env: 'dev', role: 'acquirer', folder: 'Supplier: publish a test event', acknowledge: true, silent: ALL },
    { env: 'local', folder: 'Acquirer: events', acknowledge: true, silent: 'local-supplier' },
    { env: 'local', folder: 'Supplier: publish a test event', acknowledge: true, silent: 'local-acquirer' },
    { env: 'local', folder: 'Supplier: publish a death notification (opt-in)', acknowledge: true, silent: ALL },
    { env: 'local', folder: ACKNOWLEDGE_FOLDER, acknowledge: false, silent: ALL },
    { env: 'local', role: 'supplier', folder: 'Acquirer: events', acknowledge: true, silent: ALL },
  ];

  it('for each, a client with nothing planned sends no request at all, and a run with nothing planned is a usage error', async () => {
    for (const c of cases) {
      standin.resetCounters();
      const lines: string[] = [];
      const output = new Output(new Redactor(), { out: (s) => lines.push(s), err: (s) => lines.push(s) });
      const options: SmokeOptions = {
        environments: [findEnvironment(c.env)!],
        all: false,
        vars: c.env === 'dev' ? creds('dev', ACQ) : {},
        ...(c.role ? { role: c.role } : {}),
        ...(c.folder ? { folders: [c.folder] } : {}),
        iterations: 1,
        timeoutMs: 5_000,
        bail: false,
        acknowledge: c.acknowledge,
        tokenUrl: standin.tokenUrl,
        baseUrl: standin.baseUrl,
        trust: { insecure: false },
        method: 'client_secret_basic',
        filesDir: PROJECT_ROOT,
      };
      const outDir = tempDir();
      const label = JSON.stringify(c);
      let code: number | undefined;
      try {
        code = await smoke(options, output, listenersFor(['json'], { output, outDir }));
      } catch (e) {
        expect(c.silent, label).toBe(ALL);
        expect(e, label).toBeInstanceOf(UserError);
        expect((e as Error).message, label).toMatch(/^nothing to run: every folder is left out \(.*\); change --folder, --role or --no-acknowledge$/);
        expect(standin.counters().tokenRequestsTotal + standin.counters().apiRequestsTotal, label).toBe(0);
        continue;
      }
      // Some client had something to run: the ones with an empty plan sent nothing.
      expect(code, `${label}\n${lines.join('')}`).toBe(0);
      const clientsRun = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')).environments.filter(
        (r: { totals: { requests: number } }) => r.totals.requests > 0,
      ).length;
      // One preflight (two GETs, no client named) for each client that had something to run.
      expect(standin.counters().tokenRequestsTotal - Object.values(standin.counters().tokenRequests).reduce((a, b) => a + b, 0), label).toBe(clientsRun);
      const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as {
        environments: { clientId: string; role?: Role; totals: { requests: number } }[];
      };
      expect(c.silent, label).not.toBe(ALL);
      const silent = summary.environments.find((r) => r.clientId === c.silent)!;
      expect(silent.totals.requests, label).toBe(0);
      expect(standin.counters().tokenRequests[c.silent], label).toBeUndefined();
      expect(standin.counters().apiRequests[c.silent], label).toBeUndefined();
      expect(
        summary.environments.filter((r) => r.totals.requests > 0),
        label,
      ).toHaveLength(1);
    }
  }, 120_000);

  it('the reported case: dev, --no-acknowledge --folder "<acknowledge folder>" deletes nothing and exits 2', async () => {
    standin.resetCounters();
    const acknowledged = { ...standin.store.tally.acknowledged };
    const res = await runCli(
      [
        'smoke',
        '--env',
        'dev',
        '--no-acknowledge',
        '--folder',
        ACKNOWLEDGE_FOLDER,
        '--token-url',
        standin.tokenUrl,
        '--base-url',
        standin.baseUrl,
        '--out',
        join(tempDir(), 'r'),
      ],
      {
        env: cleanEnv(creds('dev', ACQ)),
      },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`error: nothing to run: every folder is left out (`);
    expect(res.stderr).toContain(`"${ACKNOWLEDGE_FOLDER}": left out by --no-acknowledge`);
    expect(standin.counters().apiRequestsTotal).toBe(0);
    expect(standin.store.tally.acknowledged).toEqual(acknowledged);
  });
});

describe('token failures cost one token request', () => {
  const WRONG = { clientId: ACQ.clientId, clientSecret: 'not-the-secret' };

  it('the runner: a wrong secret with --iterations 50 makes one token request and ends at once with exit 3, the cause printed once', async () => {
    standin.resetCounters();
    const started = Date.now();
    const res = await runCli(
      [
        'smoke',
        '--env',
        'dev',
        '--iterations',
        '50',
        '--folder',
        'Acquirer: events',
        '--token-url',
        standin.tokenUrl,
        '--base-url',
        standin.baseUrl,
        '--out',
        join(tempDir(), 'r'),
      ],
      {
        env: cleanEnv(creds('dev', WRONG)),
      },
    );
    expect(res.code, res.stdout + res.stderr).toBe(3);
    expect(standin.counters().tokenRequests[ACQ.clientId]).toBe(1);
    expect(standin.counters().apiRequestsTotal).toBe(0);
    const cause = `GDX token: ${new URL(standin.tokenUrl).host} answered 400 invalid_client: the client id or secret is wrong for this environment; check clientId and clientSecret`;
    expect(res.stdout.split(cause).length - 1).toBe(1);
    expect(res.stdout).not.toContain('schema:');
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('the runner with --bail: exit 3 and the token cause, not schema noise', async () => {
    standin.resetCounters();
    const res = await runCli(
      ['smoke', '--env', 'dev', '--bail', '--iterations', '5', '--token-url', standin.tokenUrl, '--base-url', standin.baseUrl, '--out', join(tempDir(), 'r')],
      {
        env: cleanEnv(creds('dev', WRONG)),
      },
    );
    expect(res.code, res.stdout + res.stderr).toBe(3);
    expect(res.stdout).toContain('answered 400 invalid_client');
    expect(res.stdout).not.toContain('schema:');
    // The seed requests are token requests of their own; the token script adds one, not one per request.
    expect(standin.counters().tokenRequests[ACQ.clientId]).toBeLessThanOrEqual(3);
  });

  it("the collection alone (as in Postman's Collection Runner): 50 iterations with a wrong secret make one token request", async () => {
    standin.resetCounters();
    const outcome = await runAgainst({ env: 'dev', standin, ...WRONG, folders: apiOnly('acquirer'), extra: { iterations: 50 } });
    expect(standin.counters().tokenRequests[ACQ.clientId]).toBe(1);
    expect(sent(outcome)).toEqual([]);
    const failures = outcome.executions.flatMap((e) => e.assertions.filter((a) => a.error).map((a) => a.name));
    expect(failures.length).toBeGreaterThan(50);
    expect(failures[1]).toMatch(/answered 400 invalid_client: .* \(not asked again until \d\d:\d\d:\d\d UTC\)$/);
  });

  it('a 429 says "rate limited", honours Retry-After and is retried at most twice in the run', async () => {
    let calls = 0;
    const limited = await serve((req, res) => {
      calls++;
      req.resume();
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end('{"message":"Rate exceeded"}');
    });
    try {
      const started = Date.now();
      const res = await runCli(
        [
          'smoke',
          '--env',
          'dev',
          '--iterations',
          '10',
          '--folder',
          'Acquirer: events',
          '--token-url',
          `${limited.url}/oauth2/token`,
          '--base-url',
          standin.baseUrl,
          '--out',
          join(tempDir(), 'r'),
        ],
        {
          env: cleanEnv(creds('dev', ACQ)),
        },
      );
      expect(res.code, res.stdout + res.stderr).toBe(3);
      // The runner's preflight is a GET; the token script's POSTs are the first and two retries.
      expect(calls).toBe(1 + 3);
      expect(res.stdout).toContain('answered 429: rate limited; try again in 1 s');
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    } finally {
      await limited.close();
    }
  });

  it('a 429 followed by a token: the retry after Retry-After gets it and the run passes', async () => {
    let posts = 0;
    const flaky = await serve((req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(405);
        return void res.end();
      }
      posts++;
      if (posts === 1) {
        req.resume();
        res.writeHead(429, { 'Retry-After': '0' });
        return void res.end();
      }
      // Hand the request on to the stand-in's token endpoint.
      passTokenRequestOn(req, res, standin.tokenUrl);
    });
    try {
      const outcome = await runAgainst({
        env: 'dev',
        standin: { tokenUrl: `${flaky.url}/oauth2/token`, baseUrl: standin.baseUrl },
        ...ACQ,
        folders: apiOnly('acquirer'),
      });
      expect(posts).toBe(2);
      expect(sent(outcome).map((e) => e.name)).toContain('List events');
      expect(outcome.console).toContain(`GDX token: ${new URL(flaky.url).host} answered 429 (rate limited); asking again in 0 s`);
    } finally {
      await flaky.close();
    }
  });

  it('a token request that never answers ends the run within --timeout and a few seconds', async () => {
    const hole = await blackHole();
    try {
      // The preflight GET would already time out; a stand-in answers it, the POST goes to the hole.
      const split = await serve((req, res) => {
        if (req.method === 'GET') {
          res.writeHead(405);
          return void res.end();
        }
        req.resume(); // and never answer
      });
      const started = Date.now();
      const res = await runCli(
        [
          'smoke',
          '--env',
          'dev',
          '--iterations',
          '3',
          '--timeout',
          '2000',
          '--folder',
          'Acquirer: events',
          '--token-url',
          `${split.url}/oauth2/token`,
          '--base-url',
          standin.baseUrl,
          '--out',
          join(tempDir(), 'r'),
        ],
        {
          env: cleanEnv(creds('dev', ACQ)),
          timeoutMs: 30_000,
        },
      );
      const elapsed = Date.now() - started;
      await split.close();
      expect(res.code, res.stdout + res.stderr).toBe(3);
      expect(res.stdout).toMatch(/GDX token: could not reach 127\.0\.0\.1:\d+ \((ETIMEDOUT|ESOCKETTIMEDOUT)\)/);
      // The timeout, and room for a loaded two-core machine to start and end the run.
      expect(elapsed).toBeLessThan(2_000 + 12_000);
    } finally {
      await hole.close();
    }
  });
});

describe('an API host that goes away mid-run', () => {
  it('ends with exit 3 within seconds, names the host and the cause, and writes reports of sane size', async () => {
    // The host goes away once the run is well under way: after its eighth request, not after a guess at how long start-up takes.
    let killedAt = 0;
    let served = 0;
    let goAway = (): void => undefined;
    const doomed = await startStandin({
      log: () => {
        if (++served === 8) goAway();
      },
    });
    goAway = () => {
      killedAt = Date.now();
      void doomed.stop();
    };
    const out = join(tempDir(), 'r');
    const res = await runCli(
      [
        'smoke',
        '--env',
        'dev',
        '--iterations',
        '3000',
        '--folder',
        'Acquirer: events',
        '--reporters',
        'junit,json,html',
        '--token-url',
        doomed.tokenUrl,
        '--base-url',
        doomed.baseUrl,
        '--out',
        out,
      ],
      {
        env: cleanEnv(creds('dev', ACQ)),
        timeoutMs: 60_000,
      },
    );
    const after = Date.now() - killedAt;
    expect(res.code, res.stdout + res.stderr).toBe(3);
    expect(after).toBeLessThan(10_000);
    const host = new URL(doomed.baseUrl).host;
    expect(res.stdout + res.stderr).toContain(
      `${host} stopped answering: connection refused (ECONNREFUSED): is the host up and the port right? (3 requests in a row failed, so the run stopped)`,
    );
    for (const f of ['junit.xml', 'summary.json', 'report.html']) expect(statSync(join(out, f)).size, f).toBeLessThan(2_000_000);
    expect(readFileSync(join(out, 'summary.json'), 'utf8').split('ECONNREFUSED').length - 1).toBeLessThan(20);
  });
});

describe('interrupted runs', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: stops promptly, clears the last run's reports, writes partial ones marked interrupted, exits ${code}`, async () => {
      const out = join(tempDir(), 'r');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'summary.json'), '{"exitCode":0,"stale":true}');
      writeFileSync(join(out, 'report.html'), '<h1>passed</h1>');
      let sentAt = 0;
      const res = await runCli(
        [
          'smoke',
          '--env',
          'dev',
          '--iterations',
          '3000',
          '--folder',
          'Acquirer: events',
          '--reporters',
          'cli,json',
          '--token-url',
          standin.tokenUrl,
          '--base-url',
          standin.baseUrl,
          '--out',
          out,
        ],
        {
          env: cleanEnv(creds('dev', ACQ)),
          // The signal comes once the second iteration is under way (its first progress line), as a
          // tester presses Ctrl-C on a run that has shown it works.
          onChild: (child) => {
            let seen = '';
            child.stdout?.on('data', (d: Buffer) => {
              seen += d.toString();
              if (sentAt === 0 && seen.includes('[iteration 2]')) {
                sentAt = Date.now();
                child.kill(signal);
              }
            });
          },
        },
      );
      expect(res.code, res.stdout + res.stderr).toBe(code);
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(existsSync(join(out, 'report.html'))).toBe(false);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
        exitCode: number;
        stale?: boolean;
        environments: { interrupted?: string; totals: { requests: number } }[];
      };
      expect(summary.stale).toBeUndefined();
      expect(summary.exitCode).toBe(code);
      expect(summary.environments[0]!.interrupted).toBe(signal);
      expect(summary.environments[0]!.totals.requests).toBeGreaterThan(0);
      expect(res.stderr).toContain(`interrupted by ${signal}: the reports are partial and say so`);
    });
  }
});
