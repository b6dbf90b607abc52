// `token`: the GDX guide's bash recipe as a command. The options as data, their checks, then
// one call into token/fetch-token.ts; the token alone goes to stdout.
import { ENVIRONMENT_NAMES } from '../config/environments.js';
import { variables } from '../config/variables.js';
import { Output } from '../report/output.js';
import { processRedactor } from '../report/redact.js';
import { defineCommand } from './command.js';
import { CA_FILE, DEFAULT_METHOD, environment, INSECURE, METHODS, positiveInt, TOKEN_URL, trustOf } from './options.js';

export const tokenCommand = defineCommand({
  name: 'token',
  describe: 'Print an access token for an environment on stdout, and nothing else there',
  options: {
    env: { type: 'string', default: 'local', describe: `Environment: ${ENVIRONMENT_NAMES.join(', ')}` },
    method: { choices: METHODS, default: DEFAULT_METHOD, describe: 'Client authentication' },
    role: { choices: ['acquirer', 'supplier'] as const, describe: 'Which client, where the environment has one per role (or local, two)' },
    scope: { type: 'string', describe: 'Ask for these scopes only (space-separated)' },
    'token-url': TOKEN_URL,
    timeout: { type: 'number', default: 10_000, describe: 'In milliseconds' },
    'ca-file': CA_FILE,
    insecure: INSECURE,
  },
  examples: [
    ['JWT_TOKEN=$(npm run -s token -- --env dev)', "The GDX guide's recipe in one line"],
    ['$0 token --env local --method client_secret_post', 'From a running stand-in (npm run standin)'],
  ],
  async run(argv) {
    const output = new Output(processRedactor);
    const vars = variables();
    const trust = trustOf(argv, vars);
    if (argv.insecure) output.warn('WARNING: --insecure is on: TLS certificates are NOT verified. Never use it against dev, demo or integration.');
    const { fetchToken } = await import('../token/fetch-token.js');
    const token = await fetchToken(
      {
        env: environment(argv.env),
        vars,
        method: argv.method,
        ...(argv.role ? { role: argv.role } : {}),
        ...(argv.scope ? { scope: argv.scope } : {}),
        ...(argv.tokenUrl ? { tokenUrl: argv.tokenUrl } : {}),
        timeoutMs: positiveInt('--timeout', argv.timeout, 600_000),
        trust,
      },
      output,
    );
    // The one place a token is printed on purpose: stdout, for $(...) capture.
    // The one thing printed past Output: the token is what this command is for, and the redactor
    // would hide it.
    process.stdout.write(`${token}\n`);
  },
});
