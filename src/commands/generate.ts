// `generate`: write the collections and environment files, or check them. The options as data,
// then one call into generate/write-files.ts.
import { existsSync } from 'node:fs';
import { PROJECT_ROOT, SANDBOX_DIR } from '../config/paths.js';
import { UserError } from '../errors.js';
import { Output } from '../report/output.js';
import { processRedactor } from '../report/redact.js';
import { defineCommand } from './command.js';
import { cliReference } from './reference.js';

export const generateCommand = defineCommand({
  name: 'generate',
  describe: 'Write the Postman collections and environment files (collections/, environments/, postman/) and docs/reference/cli.md',
  options: {
    dir: { type: 'string', describe: 'Project folder to write into or check (default: this project)' },
    check: { type: 'boolean', default: false, describe: 'Compare with the committed files instead of writing; exit 1 when stale' },
  },
  examples: [
    ['$0 generate', 'Regenerate every file'],
    ['$0 generate --check', 'Fail when a committed file differs from what the generator writes'],
  ],
  async run(argv, { commands }) {
    // The installed package ships the generated files, not their sources, and may be read-only.
    if (!existsSync(SANDBOX_DIR)) {
      throw new UserError('generate rebuilds the files from their sources, in a clone of the repository; this installed package ships them built: use export');
    }
    const { writeGenerated } = await import('../generate/write-files.js');
    new Output(processRedactor).line(writeGenerated(argv.dir ?? PROJECT_ROOT, argv.check, [cliReference(commands)]));
  },
});
