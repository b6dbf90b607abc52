import type { Argv } from 'yargs';
import { LOCAL_CLIENTS, LOCAL_PORT } from '../environments.js';
import { EXIT, UserError } from '../errors.js';

export function standinCommand(yargs: Argv): Argv {
  return yargs.command(
    'standin',
    'Run the local stand-in for Cognito and the GDX API on 127.0.0.1, in the foreground',
    (y) =>
      y
        .option('port', { type: 'number', default: LOCAL_PORT, describe: 'Port on 127.0.0.1 (0 picks a free one)' })
        .option('clients', { type: 'string', describe: 'JSON file of extra clients (see src/schemas/standin-clients.json)' })
        .option('token-validity', { type: 'number', default: 3600, describe: 'Access-token validity in seconds' })
        .option('quiet', { type: 'boolean', default: false, describe: 'No log line per request' })
        .option('publish-delay', {
          type: 'number',
          default: 0,
          describe: 'Milliseconds before a published event reaches acquirers (the real fan-out is asynchronous)',
        })
        .option('realistic-queue', {
          type: 'number',
          default: 0,
          describe:
            "Start with this many events in a queue like dev's (mock feeds, nulls, empty strings, events whose data is gone) instead of the five seeded ones",
        })
        .option('feed-interval', {
          type: 'number',
          default: 60_000,
          describe: "With --realistic-queue: milliseconds between the mock feeds' publications (0: none)",
        })
        .example('$0 standin', `Listen on ${LOCAL_PORT}`)
        .example('$0 standin --realistic-queue 2000', 'A queue of 2,000 events, fed as dev is')
        .example('$0 standin --port 0 --token-validity 5', 'A free port, tokens that expire after 5 s'),
    async (argv) => {
      if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) {
        throw new UserError(`--port must be an integer from 0 to 65535, not ${argv.port}`);
      }
      if (!Number.isInteger(argv.tokenValidity) || argv.tokenValidity < 1 || argv.tokenValidity > 86400) {
        throw new UserError(`--token-validity must be a whole number of seconds from 1 to 86400`);
      }
      if (!Number.isInteger(argv.publishDelay) || argv.publishDelay < 0 || argv.publishDelay > 600_000) {
        throw new UserError('--publish-delay must be a whole number of milliseconds from 0 to 600000');
      }
      if (!Number.isInteger(argv.realisticQueue) || argv.realisticQueue < 0 || argv.realisticQueue > 1_000_000) {
        throw new UserError('--realistic-queue must be a whole number of events from 0 to 1000000');
      }
      if (!Number.isInteger(argv.feedInterval) || argv.feedInterval < 0 || argv.feedInterval > 3_600_000) {
        throw new UserError('--feed-interval must be a whole number of milliseconds from 0 to 3600000');
      }
      const { ClientsFileError, readClientsFile } = await import('./clients.js');
      let clients;
      try {
        clients = argv.clients ? readClientsFile(argv.clients) : [];
      } catch (e) {
        if (e instanceof ClientsFileError) throw new UserError(e.message);
        throw e;
      }
      const print = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
      // --quiet drops the line per request, never what the platform would do after a 201.
      const log = argv.quiet ? undefined : print;
      let standin;
      try {
        const { startStandin } = await import('./server.js');
        standin = await startStandin({
          port: argv.port,
          clients,
          tokenValiditySeconds: argv.tokenValidity,
          log,
          notice: print,
          publishDelayMs: argv.publishDelay,
          ...(argv.realisticQueue ? { realisticQueue: { size: argv.realisticQueue, feedIntervalMs: argv.feedInterval } } : {}),
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UserError(`port ${argv.port} on 127.0.0.1 is in use: stop what uses it, or pass --port 0 for a free one`);
        throw e;
      }
      console.log(
        [
          `GDX stand-in listening on ${standin.baseUrl}`,
          `  token URL    ${standin.tokenUrl}`,
          `  JWKS         ${standin.jwksUrl}`,
          `  counters     ${standin.countersUrl}`,
          `  acquirer     client id ${LOCAL_CLIENTS.acquirer.clientId}, secret ${LOCAL_CLIENTS.acquirer.clientSecret} (scope events/consume)`,
          `  supplier     client id ${LOCAL_CLIENTS.supplier.clientId}, secret ${LOCAL_CLIENTS.supplier.clientSecret} (scopes events/publish EventType/DeathNotification)`,
          `  both         client id ${LOCAL_CLIENTS.publisherConsumer.clientId}, secret ${LOCAL_CLIENTS.publisherConsumer.clientSecret} (scopes events/publish events/consume)`,
          ...(clients.length ? [`  + ${clients.length} client(s) from ${argv.clients}`] : []),
          'Ctrl-C stops it.',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void standin.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      console.log('GDX stand-in stopped.');
      process.exitCode = EXIT.ok;
    },
  );
}
