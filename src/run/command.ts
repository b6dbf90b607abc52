// The runner's commands at the edge: options as data, then one handler each that turns the
// arguments into SmokeOptions (or the token command's) and hands them on.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, findEnvironment, type EnvironmentSpec } from '../environments.js';
import { UserError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { trustFrom } from '../transport/trust.js';
import { readDotEnv } from './dotenv.js';
import { Output } from './output.js';
import { processRedactor } from './redact.js';
import { REPORTER_NAMES, type ReporterName } from './reporter-registry.js';
import type { ClientAuthMethod } from './smoke.js';

// Newman, ajv and jose load only when a command needs them (dynamic imports below): --help and
// token start in a fraction of the time.
const METHODS = ['client_secret_basic', 'client_secret_post'] as const;
// Typed, so that yargs infers the option as the union and not as string.
const DEFAULT_METHOD: ClientAuthMethod = 'client_secret_basic';
const INSECURE = { type: 'boolean', default: false, describe: 'Do not verify TLS certificates (private test deployments only)' } as const;
const CA_FILE = {
  type: 'string',
  describe: "Trust this CA certificate (PEM) beside the system's: your department proxy's root CA (default: GDX_CA_FILE)",
} as const;
const TOKEN_URL = { type: 'string', describe: "Use this token URL instead of the environment's" } as const;

const SMOKE_OPTIONS = {
  env: {
    type: 'string',
    default: 'local',
    describe: `Environment: ${ENVIRONMENT_NAMES.join(', ')}, a comma-separated list of them (each must have credentials), or all (those that have them)`,
  },
  role: { choices: ['acquirer', 'supplier'] as const, describe: "Run only this role's folders (default: whatever the token allows)" },
  folder: { type: 'string', array: true, describe: 'Run only this folder (repeatable)' },
  iterations: { type: 'number', default: 1, describe: 'Run the requests this many times (one token throughout)' },
  timeout: { type: 'number', default: 10_000, describe: 'Per request, in milliseconds' },
  bail: { type: 'boolean', default: false, describe: 'Stop at the first failure' },
  acknowledge: { type: 'boolean', default: true, describe: 'Run the acknowledge folder (--no-acknowledge keeps your queue as it is)' },
  'publish-death-notification': {
    type: 'boolean',
    default: false,
    describe:
      'integration, local: send one synthetic death notification the whole pipeline carries (once per run); on integration DWP and the other departments receive it',
  },
  reporters: { type: 'string', default: 'cli,junit,json', describe: `Comma-separated: ${REPORTER_NAMES.join(', ')}` },
  out: { type: 'string', default: 'reports', describe: 'Folder for report files' },
  'token-url': TOKEN_URL,
  'base-url': { type: 'string', describe: "Use this API base URL instead of the environment's" },
  method: { choices: METHODS, default: DEFAULT_METHOD, describe: 'How the token script authenticates' },
  'ca-file': CA_FILE,
  insecure: INSECURE,
  dir: { type: 'string', describe: 'Read collections/ and environments/ from this folder (default: this project)' },
} as const;

const TOKEN_OPTIONS = {
  env: { type: 'string', default: 'local', describe: `Environment: ${ENVIRONMENT_NAMES.join(', ')}` },
  method: { choices: METHODS, default: DEFAULT_METHOD, describe: 'Client authentication' },
  scope: { type: 'string', describe: 'Ask for these scopes only (space-separated)' },
  'token-url': TOKEN_URL,
  timeout: { type: 'number', default: 10_000, describe: 'In milliseconds' },
  'ca-file': CA_FILE,
  insecure: INSECURE,
} as const;

const DOCTOR_OPTIONS = {
  env: { type: 'string', default: 'local', describe: `Environment: ${ENVIRONMENT_NAMES.join(', ')}` },
  method: { choices: METHODS, default: DEFAULT_METHOD, describe: 'Client authentication for the one token request' },
  'token-url': TOKEN_URL,
  'base-url': { type: 'string', describe: "Use this API base URL instead of the environment's" },
  timeout: { type: 'number', default: 10_000, describe: 'Per check, in milliseconds' },
  'ca-file': CA_FILE,
  insecure: INSECURE,
} as const;

const SMOKE_EPILOGUE =
  'Credentials: GDX_<ENV>_CLIENT_ID and GDX_<ENV>_CLIENT_SECRET (or GDX_CLIENT_ID and GDX_CLIENT_SECRET), from the environment or .env.\n' +
  'Exit codes: 0 passed, 1 a check failed, 2 usage or configuration, 3 no token or a host unreachable, 130/143 interrupted (partial reports).';

const smokeBuilder = (y: Argv) =>
  y
    .options(SMOKE_OPTIONS)
    .example('$0 smoke', 'Everything against the local stand-in (started for the run)')
    .example('GDX_DEMO_CLIENT_ID=... GDX_DEMO_CLIENT_SECRET=... $0 smoke --env demo --no-acknowledge', 'demo, leaving your queue alone')
    .example(
      '$0 smoke --env dev --token-url http://127.0.0.1:4010/oauth2/token --base-url http://127.0.0.1:4010',
      'The dev collection against a running stand-in',
    )
    .example('$0 smoke --env all --reporters junit,json --out reports', 'Every environment that has credentials, for CI')
    .epilogue(SMOKE_EPILOGUE);

const tokenBuilder = (y: Argv) =>
  y
    .options(TOKEN_OPTIONS)
    .example('JWT_TOKEN=$(npm run -s token -- --env dev)', "The seed document's recipe in one line")
    .example('$0 token --env local --method client_secret_post', 'From a running stand-in (npm run standin)');

const doctorBuilder = (y: Argv) =>
  y
    .options(DOCTOR_OPTIONS)
    .example('$0 doctor --env demo', 'Credentials, proxy, DNS, TCP, TLS, clock, one token and one read-only call, a line each')
    .example('$0 doctor --env dev --ca-file department-root-ca.pem', "The same, trusting your department proxy's root CA")
    .epilogue('Exit codes: 0 all is well, 1 a check failed (the clock, a token check, the API answer), 2 configuration, 3 a host unreachable or no token.');

type DoctorArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof doctorBuilder>['argv']>>;
type SmokeArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof smokeBuilder>['argv']>>;
type TokenArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof tokenBuilder>['argv']>>;

/** The process environment over ./.env (git-ignored in this project): real variables win. */
export function variables(): Record<string, string | undefined> {
  return { ...readDotEnv(resolve('.env')), ...process.env };
}

function environment(name: string): EnvironmentSpec {
  const env = findEnvironment(name);
  if (!env) throw new UserError(`unknown environment "${name}": use one of ${ENVIRONMENT_NAMES.join(', ')}, or all`);
  return env;
}

function positiveInt(option: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserError(`${option} must be a whole number from 1 to ${max}`);
  return value;
}

const list = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

function reportersOf(text: string): ReporterName[] {
  const names = list(text);
  const unknown = names.find((r) => !(REPORTER_NAMES as readonly string[]).includes(r));
  if (unknown !== undefined) throw new UserError(`unknown reporter "${unknown}": use ${REPORTER_NAMES.join(', ')}`);
  return names as ReporterName[];
}

function environmentsOf(argv: SmokeArgs): readonly EnvironmentSpec[] {
  const environments = argv.env === 'all' ? ENVIRONMENTS : list(argv.env).map(environment);
  if (environments.length === 0) throw new UserError(`--env is empty: use one of ${ENVIRONMENT_NAMES.join(', ')}, a comma-separated list, or all`);
  if (environments.length > 1 && (argv.tokenUrl || argv.baseUrl)) {
    throw new UserError('--token-url and --base-url point one environment elsewhere: use them with a single --env');
  }
  return environments;
}

/** Runs `body` with Ctrl-C and a CI runner's SIGTERM turned into an abort: the run stops at the
 * next request and still writes its reports, marked partial. The handlers go when it ends. */
async function withInterrupts(body: (interrupt: AbortSignal) => Promise<void>): Promise<void> {
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => interrupt.abort(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await body(interrupt.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // Newman may still hold a request that the interrupt did not wait for.
  if (interrupt.signal.aborted) process.exit();
}

async function runSmoke(argv: SmokeArgs): Promise<void> {
  const reporters = reportersOf(argv.reporters);
  const environments = environmentsOf(argv);
  const vars = variables();
  const trust = trustFrom({ ...(argv.caFile ? { caFile: argv.caFile } : {}), insecure: argv.insecure }, vars);
  const output = new Output(processRedactor);
  const { smoke } = await import('./smoke.js');
  await withInterrupts(async (interrupt) => {
    process.exitCode = await smoke(
      {
        environments,
        all: argv.env === 'all',
        vars,
        ...(argv.role ? { role: argv.role } : {}),
        ...(argv.folder ? { folders: argv.folder.map(String) } : {}),
        iterations: positiveInt('--iterations', argv.iterations, 100_000),
        timeoutMs: positiveInt('--timeout', argv.timeout, 600_000),
        bail: argv.bail,
        acknowledge: argv.acknowledge,
        publishDeathNotification: argv.publishDeathNotification,
        reporters,
        outDir: resolve(argv.out),
        ...(argv.tokenUrl ? { tokenUrl: argv.tokenUrl } : {}),
        ...(argv.baseUrl ? { baseUrl: argv.baseUrl } : {}),
        trust,
        method: argv.method,
        filesDir: argv.dir ? resolve(argv.dir) : PROJECT_ROOT,
        interrupt,
      },
      output,
    );
  });
}

async function runToken(argv: TokenArgs): Promise<void> {
  const output = new Output(processRedactor);
  const vars = variables();
  const trust = trustFrom({ ...(argv.caFile ? { caFile: argv.caFile } : {}), insecure: argv.insecure }, vars);
  if (argv.insecure) output.warn('WARNING: --insecure is on: TLS certificates are NOT verified. Never use it against dev, demo or integration.');
  const { fetchToken } = await import('./token-command.js');
  const token = await fetchToken(
    {
      env: environment(argv.env),
      vars,
      method: argv.method,
      ...(argv.scope ? { scope: argv.scope } : {}),
      ...(argv.tokenUrl ? { tokenUrl: argv.tokenUrl } : {}),
      timeoutMs: positiveInt('--timeout', argv.timeout, 600_000),
      trust,
    },
    output,
  );
  // The one place a token is printed on purpose: stdout, for $(...) capture.
  process.stdout.write(`${token}\n`);
}

async function runDoctor(argv: DoctorArgs): Promise<void> {
  const output = new Output(processRedactor);
  const vars = variables();
  const trust = trustFrom({ ...(argv.caFile ? { caFile: argv.caFile } : {}), insecure: argv.insecure }, vars);
  const { doctor } = await import('./doctor.js');
  const { version } = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  process.exitCode = await doctor(
    {
      env: environment(argv.env),
      vars,
      trust,
      method: argv.method,
      timeoutMs: positiveInt('--timeout', argv.timeout, 600_000),
      version,
      ...(argv.tokenUrl ? { tokenUrl: argv.tokenUrl } : {}),
      ...(argv.baseUrl ? { baseUrl: argv.baseUrl } : {}),
    },
    output,
  );
}

export function smokeCommand(yargs: Argv): Argv {
  return yargs
    .command('smoke', "Run an environment's collection headlessly, check every answer and token, and report", smokeBuilder, runSmoke)
    .command('token', 'Print an access token for an environment on stdout, and nothing else there', tokenBuilder, runToken)
    .command('doctor', 'Check the connection to an environment step by step, and print a checklist to paste to the GDX team', doctorBuilder, runDoctor);
}
