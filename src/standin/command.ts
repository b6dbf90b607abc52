// `npm run standin`: the local stand-in in the foreground, options as data, checked in one place.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, ArgumentsCamelCase } from 'yargs';
import { LOCAL_CLIENTS, LOCAL_PORT } from '../environments.js';
import { EXIT, UserError } from '../errors.js';
import type { ClientConfig } from './clients.js';
import type { Standin, StandinOptions } from './server.js';

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

const builder = (y: Argv) =>
  y
    .options(STANDIN_OPTIONS)
    .example('$0 standin', `Listen on ${LOCAL_PORT}`)
    .example('$0 standin --realistic-queue 2000', 'A queue of 2,000 events, fed as dev is')
    .example('$0 standin --port 0 --token-validity 5', 'A free port, tokens that expire after 5 s');

type StandinArgs = ArgumentsCamelCase<Awaited<ReturnType<typeof builder>['argv']>>;

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

async function extraClients(file: string | undefined): Promise<ClientConfig[]> {
  if (!file) return [];
  const { ClientsFileError, readClientsFile } = await import('./clients.js');
  try {
    return readClientsFile(file);
  } catch (e) {
    if (e instanceof ClientsFileError) throw new UserError(e.message);
    throw e;
  }
}

async function start(options: StandinOptions, port: number): Promise<Standin> {
  try {
    const { startStandin } = await import('./server.js');
    return await startStandin(options);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(`port ${port} on 127.0.0.1 is in use: stop what uses it, or pass --port 0 for a free one`);
    throw e;
  }
}

function banner(standin: Standin, extra: number, file: string | undefined): string {
  return [
    `GDX stand-in listening on ${standin.localUrl}${standin.localUrl === standin.baseUrl ? '' : `, reached as ${standin.baseUrl}`}`,
    `  token URL    ${standin.tokenUrl}`,
    `  JWKS         ${standin.jwksUrl}`,
    `  counters     ${standin.countersUrl}`,
    `  acquirer     client id ${LOCAL_CLIENTS.acquirer.clientId}, secret ${LOCAL_CLIENTS.acquirer.clientSecret} (scope events/consume)`,
    `  supplier     client id ${LOCAL_CLIENTS.supplier.clientId}, secret ${LOCAL_CLIENTS.supplier.clientSecret} (scopes events/publish EventType/DeathNotification)`,
    `  both         client id ${LOCAL_CLIENTS.publisherConsumer.clientId}, secret ${LOCAL_CLIENTS.publisherConsumer.clientSecret} (scopes events/publish events/consume)`,
    ...(extra ? [`  + ${extra} client(s) from ${file ?? ''}`] : []),
    'Ctrl-C stops it.',
  ].join('\n');
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

async function runStandin(argv: StandinArgs): Promise<void> {
  checkRanges(argv);
  const tls = tlsOf(argv);
  const clients = await extraClients(argv.clients);
  const print = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
  const standin = await start(
    {
      port: argv.port,
      clients,
      tokenValiditySeconds: argv.tokenValidity,
      // --quiet drops the line per request, never what the platform would do after a 201.
      ...(argv.quiet ? {} : { log: print }),
      notice: print,
      publishDelayMs: argv.publishDelay,
      ...tls,
      ...(argv.publicUrl ? { publicUrl: publicUrlOf(argv.publicUrl) } : {}),
      ...(argv.realisticQueue ? { realisticQueue: { size: argv.realisticQueue, feedIntervalMs: argv.feedInterval } } : {}),
    },
    argv.port,
  );
  if (standin.caCert) {
    // A certificate, not a secret: a client needs it to trust the stand-in.
    writeFileSync(resolve(argv.caOut), standin.caCert);
    console.log(`private CA certificate written to ${resolve(argv.caOut)}: trust it with --ca-file ${argv.caOut} (or GDX_CA_FILE)`);
  }
  console.log(banner(standin, clients.length, argv.clients));
  await new Promise<void>((resolve) => {
    const stop = (): void => void standin.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('GDX stand-in stopped.');
  process.exitCode = EXIT.ok;
}

export function standinCommand(yargs: Argv): Argv {
  return yargs.command('standin', 'Run the local stand-in for Cognito and the GDX API on 127.0.0.1, in the foreground', builder, runStandin);
}
