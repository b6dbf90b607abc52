#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { COMMANDS } from './commands/index.js';
import { VERSION } from './config/version.js';
import { EXIT, UserError } from './errors.js';
import { Output } from './report/output.js';
import { processRedactor } from './report/redact.js';
import { printable } from './transport/printable.js';
import { proxyCredentials } from './transport/proxy.js';

// The one entry point: npm scripts call its subcommands. Errors end here, as one line each.
async function main(): Promise<void> {
  // A proxy password is a secret like a client's: known to the redactor before anything can print it.
  for (const { user, password } of proxyCredentials()) processRedactor.addClient(user, password);
  let cli: Argv = yargs(hideBin(process.argv))
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

main().catch((err: unknown) => {
  // Through the redactor: a message may quote what a server answered.
  const output = new Output(processRedactor);
  if (err instanceof UserError) {
    output.warn(`error: ${printable(err.message)}`);
    process.exitCode = err.exitCode;
  } else {
    const text = err instanceof Error ? err.message : String(err);
    output.warn(`internal error: ${printable(text)}; please report it with the command you ran`);
    process.exitCode = EXIT.internal;
  }
});
