import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENT_TELEMETRY, startGuardProxy } from './guard/guard-proxy.js';
import { cleanCheckout, pack, PACKED_ENV } from './helpers/package-install.js';

// Tests that spawn the CLI run the bundled dist/ as users do; build it once, before any of them.
// The package, CI-template and release tests install the packed tarball, as shipped: packed once
// here, from a clean checkout, for all of them (PACKED_ENV names it).
// Every temporary folder a test (or a CLI it starts) makes goes under one folder of this run,
// removed when the run ends, pass or fail: nothing is left behind in the system's temp folder.
// GDX_STANDIN_DEAD_LETTER_FILE: where every stand-in of the run logs what it dead-letters; each
// test file must leave it empty (setup-dead-letters.ts).
// The network guard: every Node process a test starts loads guard/network-guard.mjs first, and
// the clients that are binaries get the guard proxy as HTTP(S)_PROXY (helpers/clients.ts); what
// either refuses goes to GDX_TEST_NETWORK_LOG, which each test file must leave empty
// (setup-network-guard.ts), but for the clients' own telemetry, which it counts. npm's update notifier is off: it would ask the registry.
export default async function setup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const runDir = mkdtempSync(join(tmpdir(), 'gdx-test-run-'));
  process.env['TMPDIR'] = runDir;
  process.env['GDX_STANDIN_DEAD_LETTER_FILE'] = join(runDir, 'dead-letters.log');
  const log = join(runDir, 'network-guard.log');
  writeFileSync(log, '');
  process.env['GDX_TEST_NETWORK_LOG'] = log;
  const guard = pathToFileURL(join(import.meta.dirname, 'guard', 'network-guard.mjs')).href;
  process.env['NODE_OPTIONS'] = [process.env['NODE_OPTIONS'], `--import=${guard}`].filter(Boolean).join(' ');
  const proxy = await startGuardProxy(log);
  process.env['GDX_TEST_GUARD_PROXY'] = proxy.url;
  const checkout = join(runDir, 'checkout');
  await cleanCheckout(checkout);
  const packed = await pack(checkout, runDir);
  const packedJson = join(runDir, 'packed.json');
  writeFileSync(packedJson, JSON.stringify(packed));
  process.env[PACKED_ENV] = packedJson;
  process.env['npm_config_update_notifier'] = 'false';
  process.env['NO_UPDATE_NOTIFIER'] = '1';
  return async () => {
    const telemetry = proxy.telemetryRefused();
    if (telemetry) console.log(`the guard proxy refused ${telemetry} tunnels to the clients' own telemetry (${CLIENT_TELEMETRY.join(', ')})`);
    await proxy.close();
    rmSync(runDir, { recursive: true, force: true });
  };
}
