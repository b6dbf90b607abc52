// The big clients (Postman CLI, Bruno) live in .ci/clients, installed by .ci/run at pinned
// versions and not by npm install: tests that need them skip with a reason when they are absent,
// and fail when CI=true, where .ci/run has installed them.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths.js';

export const CLIENTS_DIR = process.env.GDX_CLIENTS_DIR ?? join(PROJECT_ROOT, '.ci', 'clients');
const BIN = join(CLIENTS_DIR, 'node_modules', '.bin');
export const POSTMAN = join(BIN, 'postman');
export const BRU = join(BIN, 'bru');
/** The newest Postman CLI binary (the postman-cli wrapper on npm is still 1.34.0): .ci/clients
 * installs its package under an npm alias beside the wrapper's. */
export const POSTMAN_NEWEST = join(CLIENTS_DIR, 'node_modules', 'postman-cli-1.62', 'bin', 'postman');

export function missingClients(): string {
  const absent = [POSTMAN, POSTMAN_NEWEST, BRU].filter((p) => !existsSync(p));
  return absent.length ? `not installed: ${absent.join(', ')} (run npm install --prefix .ci/clients --no-save, as .ci/run does)` : '';
}

export interface ToolRun {
  code: number;
  output: string;
}

/** The network guard for a client binary (global-setup.ts): HTTP(S)_PROXY is the guard proxy,
 * which carries loopback and refuses the rest; loopback goes direct where the client honours
 * NO_PROXY. The Postman CLI's telemetry has no switch that stops it: the proxy is what does. */
export function withGuardProxy(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const proxy = process.env['GDX_TEST_GUARD_PROXY'];
  if (!proxy) return env;
  const guarded = { ...env };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) guarded[name] = proxy;
  for (const name of ['NO_PROXY', 'no_proxy']) guarded[name] = '127.0.0.1,localhost,::1';
  // The Postman CLI checks for a newer version of itself once a cooldown has passed; 1.62.0 skips
  // that with this variable (1.34.0 has no switch: the guard proxy refuses and counts it).
  guarded['POSTMAN_CLI_SKIP_UPDATE_CHECK'] = 'true';
  return guarded;
}

/** Runs a client with a hard timeout; nothing it prints is trusted to be quiet. */
export function runTool(file: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: withGuardProxy({ ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }) },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The counts of the Postman CLI's own summary table (its cli reporter, the one v3 runs allow). */
export function postmanCounts(output: string): { requests: number; assertions: number; failed: number } {
  const row = (name: string): [number, number] => {
    const m = new RegExp(`\\|\\s+${name}\\s+\\|\\s+(\\d+)\\s+\\|\\s+(\\d+)\\s+\\|`).exec(output);
    if (!m) throw new Error(`no "${name}" row in the Postman CLI output:\n${output.slice(-2000)}`);
    return [Number(m[1]), Number(m[2])];
  };
  const [requests, failedRequests] = row('requests');
  const [assertions, failedAssertions] = row('assertions');
  return { requests, assertions, failed: failedRequests + failedAssertions };
}

/** Converts a v2.1 collection and environment as Bruno's app imports them, into a Bruno folder. */
export async function brunoImport(collectionFile: string, environmentFile: string, dir: string): Promise<void> {
  const require = createRequire(join(CLIENTS_DIR, 'package.json'));
  const { postmanToBruno, postmanToBrunoEnvironment } = require('@usebruno/converters');
  const { createCollectionFromBrunoObject } = require('@usebruno/cli/src/utils/collection');
  const converted = await postmanToBruno(JSON.parse(readFileSync(collectionFile, 'utf8')));
  const collection = converted.collection ?? converted;
  collection.environments = [postmanToBrunoEnvironment(JSON.parse(readFileSync(environmentFile, 'utf8')))];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await createCollectionFromBrunoObject(collection, dir);
}

/** Bruno's summary: requests that went out (skipped ones do not) and every test it recorded. */
export function brunoCounts(reportFile: string): { requests: number; assertions: number; failed: number } {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const s = (Array.isArray(report) ? report[0] : report).summary;
  return {
    requests: s.passedRequests + s.failedRequests + s.errorRequests,
    assertions: s.totalTests + s.totalAssertions + s.totalPreRequestTests + s.totalPostResponseTests,
    failed: s.failedRequests + s.errorRequests + s.failedTests + s.failedAssertions + s.failedPostResponseTests + s.failedPreRequestTests,
  };
}
