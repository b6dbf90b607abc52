// `standin`: the local stand-in in the foreground. The options as data, checked in one place,
// then one call into standin/foreground.ts.
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, InferredOptionTypes } from 'yargs';
import { LOCAL_PORT } from '../config/environments.js';
import { UserError } from '../errors.js';
import type { StandinOptions } from '../standin/server.js';
import { Output } from '../report/output.js';
import { processRedactor } from '../report/redact.js';
import { defineCommand } from './command.js';

const STANDIN_OPTIONS = {
  port: { type: 'number', default: LOCAL_PORT, describe: 'Port on 127.0.0.1 (0 picks a free one)' },
  clients: { type: 'string', describe: 'JSON file of extra clients (see src/schemas/standin-clients.json)' },
  'token-validity': { type: 'number', default: 3600, describe: 'Access-token validity in seconds' },
  quiet: { type: 'boolean', default: false, describe: 'No log line per request' },
  'publish-delay': { type: 'number', default: 0, describe: 'Milliseconds before a published event reaches acquirers (the real fan-out is asynchronous)' },
  'realistic-queue': {
    type: 'number',
    default: 0,
    describe: "Start with this many events in a queue like dev's (mock feeds, nulls, empty strings, events whose data is gone) instead of the five seeded ones",
  },
  https: {
    type: 'boolean',
    default: false,
    describe: 'Serve https with a certificate from a private CA made at start, as a TLS-inspecting proxy would; its certificate goes to --ca-out',
  },
  'ca-out': { type: 'string', default: 'standin-ca.pem', describe: "With --https: where to write the private CA's certificate (PEM), for --ca-file" },
  'tls-cert': { type: 'string', describe: 'Serve https with this certificate (PEM; with --tls-key), e.g. one your own CA signed' },
  'tls-key': { type: 'string', describe: 'The private key (PEM) of --tls-cert' },
  'public-url': {
    type: 'string',
    describe: "The base URL clients reach it by (behind a TLS terminator or a proxy, under another name): its tokens' issuer and the links it writes use it",
  },
  'feed-interval': { type: 'number', default: 60_000, describe: "With --realistic-queue: milliseconds between the mock feeds' publications (0: none)" },
} as const;

type StandinArgs = ArgumentsCamelCase<InferredOptionTypes<typeof STANDIN_OPTIONS>>;

/** Each number option's range: [name, value, min, max, unit]. */
function checkRanges(argv: StandinArgs): void {
  const ranges: [string, number, number, number, string][] = [
    ['--port', argv.port, 0, 65535, 'port'],
    ['--token-validity', argv.tokenValidity, 1, 86400, 'seconds'],
    ['--publish-delay', argv.publishDelay, 0, 600_000, 'milliseconds'],
    ['--realistic-queue', argv.realisticQueue, 0, 1_000_000, 'events'],
    ['--feed-interval', argv.feedInterval, 0, 3_600_000, 'milliseconds'],
  ];
  for (const [name, value, min, max, unit] of ranges) {
    if (!Number.isInteger(value) || value < min || value > max) throw new UserError(`${name} must be a whole number of ${unit} from ${min} to ${max}`);
  }
}

/** The https settings: a given certificate and key, or a private CA made at start. */
function tlsOf(argv: StandinArgs): Pick<StandinOptions, 'tls' | 'privateCa'> {
  if (Boolean(argv.tlsCert) !== Boolean(argv.tlsKey)) throw new UserError('--tls-cert and --tls-key go together: give both, or use --https for a private CA');
  if (argv.tlsCert && argv.tlsKey) {
    const read = (flag: string, file: string): string => {
      try {
        return readFileSync(file, 'utf8');
      } catch (e) {
        throw new UserError(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}): give a PEM file`);
      }
    };
    return { tls: { cert: read('--tls-cert', argv.tlsCert), key: read('--tls-key', argv.tlsKey) } };
  }
  return argv.https ? { privateCa: true } : {};
}

function publicUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--public-url is not a URL: give the base URL clients reach the stand-in by, like https://standin.example.gov.uk`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.username) {
    throw new UserError('--public-url must be a plain http(s) base URL with no path, query or credentials, like https://standin.example.gov.uk');
  }
  return url.origin;
}

export const standinCommand = defineCommand({
  name: 'standin',
  describe: 'Run the local stand-in for Cognito and the GDX API on 127.0.0.1, in the foreground',
  options: STANDIN_OPTIONS,
  examples: [
    ['$0 standin', `Listen on ${LOCAL_PORT}`],
    ['$0 standin --realistic-queue 2000', 'A queue of 2,000 events, fed as dev is'],
    ['$0 standin --port 0 --token-validity 5', 'A free port, tokens that expire after 5 s'],
  ],
  async run(argv) {
    checkRanges(argv);
    const tls = tlsOf(argv);
    const publicUrl = argv.publicUrl ? publicUrlOf(argv.publicUrl) : undefined;
    const { runInForeground } = await import('../standin/foreground.js');
    const output = new Output(processRedactor);
    await runInForeground({
      print: (line) => output.line(line),
      port: argv.port,
      quiet: argv.quiet,
      caOut: argv.caOut,
      ...(argv.clients ? { clientsFile: argv.clients } : {}),
      tokenValiditySeconds: argv.tokenValidity,
      publishDelayMs: argv.publishDelay,
      ...tls,
      ...(publicUrl ? { publicUrl } : {}),
      ...(argv.realisticQueue ? { realisticQueue: { size: argv.realisticQueue, feedIntervalMs: argv.feedInterval } } : {}),
    });
  },
});
