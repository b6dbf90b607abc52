import yargs, { type Argv } from 'yargs';
import { COMMANDS } from './commands/index.js';
import { VERSION } from './config/version.js';
import { EXIT, UserError } from './errors.js';
import { Output } from './report/output.js';
import { processRedactor } from './report/redact.js';
import { printable } from './transport/printable.js';
import { proxyCredentials } from './transport/proxy.js';

/** Where the last-resort error line goes: stderr, unless a test gives it somewhere else. */
export type ErrorSink = (text: string) => void;

// The one entry point: npm scripts call its subcommands. Errors end here, as one line each.
async function main(args: readonly string[]): Promise<void> {
  // A proxy password is a secret like a client's: known to the redactor before anything can print it.
  for (const { user, password } of proxyCredentials()) processRedactor.addClient(user, password);
  let cli: Argv = yargs([...args])
    .scriptName('gdx-data-share')
    // Named here: yargs would look for a package.json from the folder it runs in, not this package's.
    .version(VERSION)
    .strict()
    .demandCommand(
      1,
      `Name a command: ${COMMANDS.map((c) => c.name)
        .join(', ')
        .replace(/, (?=[^,]*$)/, ' or ')}`,
    )
    .help()
    .fail((msg: string | undefined, err: Error | undefined) => {
      throw err ?? new UserError(`${msg ?? 'bad arguments'}; see --help`);
    });
  for (const command of COMMANDS) {
    cli = cli.command(
      command.name,
      command.describe,
      (y: Argv) => {
        let built = y.options(command.options);
        for (const [line, meaning] of command.examples) built = built.example(line, meaning);
        return command.epilogue ? built.epilogue(command.epilogue) : built;
      },
      (argv) => command.run(argv as never, { commands: COMMANDS }),
    );
  }
  await cli.parseAsync();
}

/** Runs the command line `args` (process.argv without node and the script); an error ends as one
 * line on `err` (redacted) and its exit code, which is returned: else a command's own, or 0. */
export async function runCommandLine(args: readonly string[], err: ErrorSink = (t) => process.stderr.write(t)): Promise<number> {
  try {
    await main(args);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e: unknown) {
    // Through the redactor: a message may quote what a server answered.
    const output = new Output(processRedactor, { out: err, err });
    if (e instanceof UserError) {
      output.warn(`error: ${printable(e.message)}`);
      return e.exitCode;
    }
    const text = e instanceof Error ? e.message : String(e);
    output.warn(`internal error: ${printable(text)}; please report it with the command you ran`);
    return EXIT.internal;
  }
}
