// docs/reference/cli.md, written by `generate` from the command definitions themselves (their
// options, examples and epilogues as data), so that the reference cannot leave an option out or
// say another default than --help. Pure: the generate command hands the file to the writer.
import type { GeneratedFile } from '../generate/generated-file.js';
import type { AnyCommand, OptionSpec } from './command.js';

export const CLI_REFERENCE = 'docs/reference/cli.md';
const PROGRAM = 'gdx-data-share';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(option: OptionSpec): string {
  if (option.choices) return `one of ${(option.choices as readonly unknown[]).map((c) => `\`${String(c)}\``).join(', ')}`;
  const type = option.type ?? 'string';
  return option.array ? `${type}, repeatable` : type;
}

function defaultOf(name: string, option: OptionSpec): string {
  if (option.default === undefined) return '';
  if (option.type === 'boolean') return option.default ? `on (\`--no-${name}\` turns it off)` : 'off';
  return `\`${String(option.default)}\``;
}

function section(command: AnyCommand): string[] {
  const rows = Object.entries(command.options).map(
    ([name, option]) =>
      `| \`--${name}\` | ${cell(typeOf(option))} | ${cell(defaultOf(name, option))} | ${option.variable ? `\`${option.variable}\`` : ''} | ${cell(option.describe ?? '')} |`,
  );
  return [
    `## ${command.name}`,
    '',
    `\`${PROGRAM} ${command.name} [options]\` (in a clone: \`npm run ${command.name} -- [options]\`): ${command.describe}.`,
    '',
    '| option | value | default | variable | what it does |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Examples:',
    '',
    ...command.examples.map(([line, meaning]) => `- \`${line.replace(/\$0/g, PROGRAM)}\`: ${meaning}`),
    // Variable names in code, so that GDX_<ENV>_... reads as written and not as an HTML tag.
    ...(command.epilogue ? ['', ...command.epilogue.split('\n').map((line) => line.replace(/\b(GDX_[A-Z_<>]+)/g, '`$1`'))] : []),
    '',
  ];
}

export function cliReference(commands: readonly AnyCommand[]): GeneratedFile {
  const lines = [
    '# Command-line reference',
    '',
    `Written by \`npm run generate\` from the command definitions in \`src/commands/\`: edit those, not this page. Every command also takes \`--help\` and \`--version\`. Credentials are never options: \`GDX_<ENV>_CLIENT_ID\` and \`GDX_<ENV>_CLIENT_SECRET\` (or \`GDX_CLIENT_ID\` and \`GDX_CLIENT_SECRET\`), or a pair per role, \`GDX_<ENV>_SUPPLIER_CLIENT_ID\` and \`GDX_<ENV>_ACQUIRER_CLIENT_ID\` with their \`_SECRET\`s, from the environment or \`.env\` in the folder a command runs in. A value that reads as a CI reference left unexpanded (\`$(NAME)\`, \`\${NAME}\`) is refused, with exit 2.`,
    '',
    ...commands.map((c) => `- [${c.name}](#${c.name}): ${c.describe}`),
    '',
    ...commands.flatMap(section),
  ];
  return { path: CLI_REFERENCE, content: `${lines.join('\n').trimEnd()}\n` };
}
