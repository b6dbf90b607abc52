import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths.js';

export const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a user would, with a hard timeout so no test can hang. */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; onChild?: (child: ChildProcess) => void; wrapper?: string[] } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // A wrapper (faketime -f +70m) runs the CLI in a changed world, as a tester's machine is.
    const [file, ...pre] = [...(options.wrapper ?? []), process.execPath];
    const child = spawn(file, [...pre, CLI, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: options.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    options.onChild?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gdx ${args.join(' ')} did not end within ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The parent's environment without GDX_ credentials a developer may have exported, and without
 * proxy settings, which would send the tests' loopback traffic to a proxy (the proxy test sets its own).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The suite's dead-letter file and the network guard's log stay: a CLI must report into them too.
  for (const [k, v] of Object.entries(process.env))
    if ((!k.startsWith('GDX_') || k === 'GDX_STANDIN_DEAD_LETTER_FILE' || k.startsWith('GDX_TEST_')) && !/^(https?|no|all)_proxy$/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Starts a long-running CLI command and resolves once its stdout matches `ready`. */
export function startCli(
  args: string[],
  ready: RegExp,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env: cleanEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready: ${out}`));
    }, 15_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
  });
}

/** The variables that give the runner an environment's credentials. */
export function creds(env: string, client: { clientId: string; clientSecret: string }): Record<string, string> {
  return {
    [`GDX_${env.toUpperCase()}_CLIENT_ID`]: client.clientId,
    [`GDX_${env.toUpperCase()}_CLIENT_SECRET`]: client.clientSecret,
  };
}

/** PATH and `vars` alone, as a tester's shell has them, under the network guard: curl goes to
 * loopback direct and through the guard proxy anywhere else (global-setup.ts). */
export function shellEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const proxy = process.env['GDX_TEST_GUARD_PROXY'];
  const guard = proxy ? { http_proxy: proxy, https_proxy: proxy, HTTPS_PROXY: proxy, no_proxy: '127.0.0.1,localhost,::1' } : {};
  return { PATH: process.env['PATH'], ...guard, ...vars };
}

/** scripts/get-token.sh under bash with only PATH and `vars`, as a tester without Node runs it. */
export async function getTokenScript(
  vars: Record<string, string>,
  args: string[] = [],
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [join(PROJECT_ROOT, 'scripts', 'get-token.sh'), ...args], {
      env: shellEnv(vars),
      ...(cwd ? { cwd } : {}),
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** `smoke --env dev --folder "Acquirer: events"` with these reporters, against a token endpoint and
 * an API of the test's own (a proxy that breaks the API's contract, say), reports into `out`. */
export function smokeAcquirerEvents(at: { tokenUrl: string; baseUrl: string }, reporters: string, out: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const args = ['smoke', '--env', 'dev', '--folder', 'Acquirer: events', '--reporters', reporters, '--out', out];
  return runCli([...args, '--token-url', at.tokenUrl, '--base-url', at.baseUrl], { env });
}

/** The command line run in this test process, not spawned: for what fails before anything is
 * sent (usage and configuration, exit 2), where a spawn would cost more than the case. It runs
 * with `env` as the whole environment and `cwd` as the folder (where .env is read), both put
 * back after; what it prints on stderr is returned with its exit code. One spawned run per exit
 * code (runCli) shows the installed command ends the same way. */
export async function runCliInProcess(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number; stderr: string }> {
  const { runCommandLine } = await import('../../src/cli.js');
  const saved = { env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode };
  let stderr = '';
  try {
    for (const k of Object.keys(process.env)) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, options.env);
    process.chdir(options.cwd);
    process.exitCode = undefined;
    const code = await runCommandLine(args, (t) => void (stderr += t));
    return { code, stderr };
  } finally {
    for (const k of Object.keys(process.env)) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, saved.env);
    process.chdir(saved.cwd);
    process.exitCode = saved.exitCode;
  }
}
