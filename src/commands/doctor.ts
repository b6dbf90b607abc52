// `doctor`: the connection checked step by step. The options as data, their checks, then one
// call into doctor/doctor.ts.
import { ENVIRONMENT_NAMES } from '../config/environments.js';
import { variables } from '../config/variables.js';
import { VERSION } from '../config/version.js';
import { Output } from '../report/output.js';
import { processRedactor } from '../report/redact.js';
import { defineCommand } from './command.js';
import { BASE_URL, CA_FILE, DEFAULT_METHOD, environment, INSECURE, METHODS, positiveInt, TOKEN_URL, trustOf } from './options.js';

export const doctorCommand = defineCommand({
  name: 'doctor',
  describe: 'Check the connection to an environment step by step, and print a checklist to paste to the GDX team',
  options: {
    env: { type: 'string', default: 'local', describe: `Environment: ${ENVIRONMENT_NAMES.join(', ')}` },
    method: { choices: METHODS, default: DEFAULT_METHOD, describe: 'Client authentication for the one token request' },
    'token-url': TOKEN_URL,
    'base-url': BASE_URL,
    timeout: { type: 'number', default: 10_000, describe: 'Per check, in milliseconds' },
    'ca-file': CA_FILE,
    insecure: INSECURE,
  },
  examples: [
    ['$0 doctor --env demo', 'Credentials, proxy, DNS, TCP, TLS, clock, one token and one read-only call, a line each'],
    ['$0 doctor --env dev --ca-file department-root-ca.pem', "The same, trusting your department proxy's root CA"],
  ],
  epilogue: 'Exit codes: 0 all is well, 1 a check failed (the clock, a token check, the API answer), 2 configuration, 3 a host unreachable or no token.',
  async run(argv) {
    const output = new Output(processRedactor);
    const vars = variables();
    const trust = trustOf(argv, vars);
    const { doctor } = await import('../doctor/doctor.js');
    process.exitCode = await doctor(
      {
        env: environment(argv.env),
        vars,
        trust,
        method: argv.method,
        timeoutMs: positiveInt('--timeout', argv.timeout, 600_000),
        version: VERSION,
        ...(argv.tokenUrl ? { tokenUrl: argv.tokenUrl } : {}),
        ...(argv.baseUrl ? { baseUrl: argv.baseUrl } : {}),
      },
      output,
    );
  },
});
