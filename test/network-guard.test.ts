// The suite's network guard bites: in this process, in a CLI the test starts, and at the guard
// proxy the client binaries go through. Each probe is an address or name that cannot be a real
// service (192.0.2.0/24 is TEST-NET-1, RFC 5737; example.net is reserved by RFC 2606), so that
// even a broken guard would send nothing anyone receives. What the probes put in the guard's log
// is checked here and then removed, so that setup-network-guard.ts does not fail this file for it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin } from '../src/standin/server.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanEnv, runCli } from './helpers/cli.js';

const LOG = process.env['GDX_TEST_NETWORK_LOG']!;
const logged = (): string[] => readFileSync(LOG, 'utf8').trim().split('\n').filter(Boolean);
afterEach(() => writeFileSync(LOG, ''));

function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve('connected');
    });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve('timed out');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`${e.code ?? ''} ${e.message}`));
  });
}

describe('the network guard', () => {
  it('refuses, in this process, an address off loopback and a name that is not reserved, naming each', async () => {
    expect(await tryConnect('192.0.2.1', 443)).toBe(
      'ECONNREFUSED network guard: 192.0.2.1:443 is not loopback; tests reach only 127.0.0.1, ::1 and names that resolve there',
    );
    expect(await tryConnect('gdx-guard-probe.example.net', 443)).toMatch(/^ECONNREFUSED network guard: gdx-guard-probe\.example\.net:443 is not loopback/);
    expect(logged().map((l) => l.split(' ')[0])).toEqual(['192.0.2.1:443', 'gdx-guard-probe.example.net:443']);
  });

  it('lets loopback through, and a reserved name as far as its lookup (which finds nothing)', async () => {
    const standin = await startStandin();
    try {
      expect(await tryConnect('127.0.0.1', standin.port)).toBe('connected');
      expect(await tryConnect('localhost', standin.port)).toBe('connected');
      expect(await tryConnect('api.gdx.invalid', 443)).toMatch(/^ENOTFOUND /);
    } finally {
      await standin.stop();
    }
    expect(logged()).toEqual([]);
  });

  it('refuses in a CLI the test starts (NODE_OPTIONS), which says it cannot reach the host', async () => {
    const { clientId, clientSecret } = LOCAL_CLIENTS.acquirer;
    const res = await runCli(['token', '--env', 'dev', '--token-url', 'https://192.0.2.1/oauth2/token', '--timeout', '5000'], {
      env: cleanEnv({ GDX_DEV_CLIENT_ID: clientId, GDX_DEV_CLIENT_SECRET: clientSecret }),
    });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('192.0.2.1');
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatch(/^192\.0\.2\.1:443 \(process \d+: .*dist\/cli\.js token\)$/);
  });

  it("refuses at the guard proxy, as a client binary meets it, logging all but the clients' telemetry, and carries loopback", async () => {
    const proxy = new URL(process.env['GDX_TEST_GUARD_PROXY']!);
    const tunnel = (authority: string): Promise<number | undefined> =>
      new Promise((resolve) => {
        const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority, timeout: 5_000 });
        req.on('connect', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode);
        });
        req.on('error', () => resolve(undefined));
        req.end();
      });
    const standin = await startStandin();
    try {
      expect(await tunnel('192.0.2.1:443')).toBe(403);
      expect(await tunnel('gdx-guard-probe.example.net:443')).toBe(403);
      expect(await tunnel(`127.0.0.1:${standin.port}`)).toBe(200);
      // The Postman CLI's telemetry is refused too, and only counted: no test can switch it off.
      expect(await tunnel('events.getpostman.com:443')).toBe(403);
    } finally {
      await standin.stop();
    }
    expect(logged()).toEqual(['192.0.2.1:443 (through the guard proxy)', 'gdx-guard-probe.example.net:443 (through the guard proxy)']);
  });

  it('fails the test file whose test tried, even when the test itself passes, naming the host', () => {
    // A vitest run of its own, with this suite's guard set-up file and a log of its own.
    const dir = mkdtempSync(join(tmpdir(), 'gdx-guard-probe-'));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(
      join(dir, 'probe.test.mjs'),
      [
        "import { connect } from 'node:net';",
        "import { it } from 'vitest';",
        "it('swallows the error', async () => {",
        "  await new Promise((resolve) => connect(443, '192.0.2.1').on('error', resolve));",
        '});',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['probe.test.mjs'], setupFiles: [${JSON.stringify(join(PROJECT_ROOT, 'test', 'setup-network-guard.ts'))}] } };\n`,
    );
    const probeLog = join(dir, 'network-guard.log');
    writeFileSync(probeLog, '');
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...cleanEnv({ GDX_TEST_NETWORK_LOG: probeLog }), NODE_OPTIONS: '' },
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toContain('✓ swallows the error');
    expect(output).toContain('this file tried to reach past loopback, and the network guard refused:');
    expect(output).toMatch(/192\.0\.2\.1:443 \(process \d+/);
  }, 60_000);
});
