// The stand-in in the foreground, as `npm run standin` runs it: extra clients from a file, the
// start (a port in use said in words), the banner, the CA certificate written out, and Ctrl-C.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOCAL_CLIENTS } from '../config/environments.js';
import { EXIT, UserError } from '../errors.js';
import { ClientsFileError, readClientsFile, type ClientConfig } from './clients.js';
import { startStandin, type Standin, type StandinOptions } from './server.js';

export interface ForegroundOptions extends Omit<StandinOptions, 'clients' | 'log' | 'notice'> {
  port: number;
  quiet: boolean;
  /** A JSON file of extra clients (src/schemas/standin-clients.json). */
  clientsFile?: string;
  /** Where the private CA's certificate goes, with privateCa. */
  caOut: string;
  /** Prints one line for the person at the terminal: the command hands in its Output's (every
   * line escaped and redacted as the runner's are, since a logged request comes from the network). */
  print: (line: string) => void;
}

function extraClients(file: string | undefined): ClientConfig[] {
  if (!file) return [];
  try {
    return readClientsFile(file);
  } catch (e) {
    if (e instanceof ClientsFileError) throw new UserError(e.message);
    throw e;
  }
}

async function start(options: StandinOptions, port: number): Promise<Standin> {
  try {
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

/** Runs the stand-in until SIGINT or SIGTERM. */
export async function runInForeground(options: ForegroundOptions): Promise<void> {
  const { quiet, clientsFile, caOut, print: say, ...standinOptions } = options;
  const clients = extraClients(clientsFile);
  const print = (line: string): void => say(`${new Date().toISOString()} ${line}`);
  const standin = await start(
    {
      ...standinOptions,
      clients,
      // --quiet drops the line per request, never what the platform would do after a 201.
      ...(quiet ? {} : { log: print }),
      notice: print,
    },
    options.port,
  );
  if (standin.caCert) {
    // A certificate, not a secret: a client needs it to trust the stand-in.
    writeFileSync(resolve(caOut), standin.caCert);
    say(`private CA certificate written to ${resolve(caOut)}: trust it with --ca-file ${caOut} (or GDX_CA_FILE)`);
  }
  say(banner(standin, clients.length, clientsFile));
  await new Promise<void>((resolve) => {
    const stop = (): void => void standin.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say('GDX stand-in stopped.');
  process.exitCode = EXIT.ok;
}
