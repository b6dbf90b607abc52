// What every command module exports: its options, examples and epilogue as data, and one handler.
// cli.ts registers them with yargs; being data, the same definitions can be read without yargs.
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';

export type OptionTable = Record<string, Options>;

export interface CommandSpec<O extends OptionTable = OptionTable> {
  readonly name: string;
  readonly describe: string;
  readonly options: O;
  /** [command line, what it does]; `$0` is the program's name. */
  readonly examples: readonly (readonly [string, string])[];
  readonly epilogue?: string;
  readonly run: (argv: ArgumentsCamelCase<InferredOptionTypes<O>>) => Promise<void>;
}

/** Keeps each option's literal type, so that the handler's argv is typed from the table. */
export function defineCommand<const O extends OptionTable>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** Any command, whatever its option table: what cli.ts registers and a reader of the definitions reads. */
export type AnyCommand = Omit<CommandSpec, 'run'> & { readonly run: (argv: never) => Promise<void> };
