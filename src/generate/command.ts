import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT, UserError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import type { GeneratedFile } from './build.js';

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The generated files whose committed text differs (or is missing). */
export function staleFiles(files: readonly GeneratedFile[], read: (path: string) => string | null): string[] {
  return files.filter((f) => read(f.path) !== f.content).map((f) => f.path);
}

export function generateCommand(yargs: Argv): Argv {
  return yargs.command(
    'generate',
    'Write the Postman collections and environment files (collections/, environments/)',
    (y) =>
      y
        .option('dir', { type: 'string', describe: 'Project folder to write into or check (default: this project)' })
        .option('check', { type: 'boolean', default: false, describe: 'Compare with the committed files instead of writing; exit 1 when stale' })
        .example('$0 generate', 'Regenerate every file')
        .example('$0 generate --check', 'Fail when a committed file differs from what the generator writes'),
    async (argv) => {
      const root = argv.dir ?? PROJECT_ROOT;
      const [{ generate }, { readInputs }] = await Promise.all([import('./build.js'), import('./inputs.js')]);
      const files = generate(readInputs());
      if (argv.check) {
        const stale = staleFiles(files, (path) => readOrNull(join(root, path)));
        if (stale.length > 0) {
          throw new UserError(`stale generated files: ${stale.join(', ')}; run npm run generate and commit the result`, EXIT.failed);
        }
        console.log(`${files.length} generated files are up to date.`);
        return;
      }
      let changed = 0;
      for (const f of files) {
        const path = join(root, f.path);
        if (readOrNull(path) === f.content) continue;
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
        changed++;
      }
      console.log(`${files.length} files generated, ${changed} changed.`);
    },
  );
}
