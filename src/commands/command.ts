// What every command module exports: its options, examples and epilogue as data, and one handler.
// cli.ts registers them with yargs; being data, the same definitions can be read without yargs.
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';

/** A yargs option, and the variable that stands in for it when it is not given (for the CLI
 * reference, docs/reference/cli.md). */
export type OptionSpec = Options & { readonly variable?: string };
export type OptionTable = Record<string, OptionSpec>;

/** What a command's run is given besides its arguments: the program's own command table (the
 * generator writes the CLI reference from it). */
export interface RunContext {
  readonly commands: readonly AnyCommand[];
}

export interface CommandSpec<O extends OptionTable = OptionTable> {
  readonly name: string;
  readonly describe: string;
  readonly options: O;
  /** [command line, what it does]; `$0` is the program's name. */
  readonly examples: readonly (readonly [string, string])[];
  readonly epilogue?: string;
  readonly run: (argv: ArgumentsCamelCase<InferredOptionTypes<O>>, context: RunContext) => Promise<void>;
}

/** Keeps each option's literal type, so that the handler's argv is typed from the table. */
export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Any command, whatever its option table: what cli.ts registers and a reader of the definitions reads. */
export type AnyCommand = Omit<CommandSpec, 'run'> & { readonly run: (argv: never, context: RunContext) => Promise<void> };
