// `smoke`: run an environment's committed collection headlessly. The options as data, their
// checks, then one call into the run engine (run/smoke.ts).
import { resolve } from 'node:path';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, type EnvironmentSpec } from '../config/environments.js';
import { PROJECT_ROOT } from '../config/paths.js';
import { variables } from '../config/variables.js';
import { UserError } from '../errors.js';
import { Output } from '../report/output.js';
import { processRedactor } from '../report/redact.js';
import { checkReportFolder } from '../report/files.js';
import { listenersFor, REPORTER_NAMES, REPORTER_REGISTRY, type ReporterName } from '../report/registry.js';
import { defineCommand } from './command.js';
import { BASE_URL, CA_FILE, DEFAULT_METHOD, environment, INSECURE, list, METHODS, positiveInt, TOKEN_URL, trustOf } from './options.js';

const OPTIONS = {
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
  'base-url': BASE_URL,
  method: { choices: METHODS, default: DEFAULT_METHOD, describe: 'How the token script authenticates' },
  'ca-file': CA_FILE,
  insecure: INSECURE,
  dir: { type: 'string', describe: 'Read collections/ and environments/ from this folder (default: this project)' },
} as const;

function reportersOf(text: string): ReporterName[] {
  const names = list(text);
  const unknown = names.find((r) => !(REPORTER_NAMES as readonly string[]).includes(r));
  if (unknown !== undefined) throw new UserError(`unknown reporter "${unknown}": use ${REPORTER_NAMES.join(', ')}`);
  return names as ReporterName[];
}

function environmentsOf(argv: { env: string; tokenUrl?: string | undefined; baseUrl?: string | undefined }): readonly EnvironmentSpec[] {
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

export const smokeCommand = defineCommand({
  name: 'smoke',
  describe: "Run an environment's collection headlessly, check every answer and token, and report",
  options: OPTIONS,
  examples: [
    ['$0 smoke', 'Everything against the local stand-in (started for the run)'],
    ['GDX_DEMO_CLIENT_ID=... GDX_DEMO_CLIENT_SECRET=... $0 smoke --env demo --no-acknowledge', 'demo, leaving your queue alone'],
    ['$0 smoke --env dev --token-url http://127.0.0.1:4010/oauth2/token --base-url http://127.0.0.1:4010', 'The dev collection against a running stand-in'],
    ['$0 smoke --env all --reporters junit,json --out reports', 'Every environment that has credentials, for CI'],
  ],
  epilogue:
    'Credentials: GDX_<ENV>_CLIENT_ID and GDX_<ENV>_CLIENT_SECRET (or GDX_CLIENT_ID and GDX_CLIENT_SECRET), from the environment or .env;\n' +
    'or a client per role, GDX_<ENV>_SUPPLIER_CLIENT_ID and GDX_<ENV>_ACQUIRER_CLIENT_ID with their _SECRETs: one run tests both.\n' +
    'Exit codes: 0 passed, 1 a check failed, 2 usage or configuration, 3 no token or a host unreachable, 130/143 interrupted (partial reports).',
  async run(argv) {
    const reporters = reportersOf(argv.reporters);
    const environments = environmentsOf(argv);
    const vars = variables();
    const trust = trustOf(argv, vars);
    const output = new Output(processRedactor);
    const outDir = resolve(argv.out);
    checkReportFolder(
      outDir,
      reporters.flatMap((r) => REPORTER_REGISTRY[r].file ?? []),
    );
    const stepSummary = process.env['GITHUB_STEP_SUMMARY'];
    const listeners = listenersFor(reporters, { output, outDir, ...(stepSummary ? { stepSummary } : {}) });
    // Newman, ajv and jose load only when a run needs them: --help and token start in a fraction of the time.
    const { smoke } = await import('../run/smoke.js');
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
          ...(argv.tokenUrl ? { tokenUrl: argv.tokenUrl } : {}),
          ...(argv.baseUrl ? { baseUrl: argv.baseUrl } : {}),
          trust,
          method: argv.method,
          filesDir: argv.dir ? resolve(argv.dir) : PROJECT_ROOT,
          interrupt,
        },
        output,
        listeners,
      );
    });
  },
});
