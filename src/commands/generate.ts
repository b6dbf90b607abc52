// `generate`: write the collections and environment files, or check them. The options as data,
// then one call into generate/write-files.ts.
import { PROJECT_ROOT } from '../config/paths.js';
import { defineCommand } from './command.js';

export const generateCommand = defineCommand({
  name: 'generate',
  describe: 'Write the Postman collections and environment files (collections/, environments/)',
  options: {
    dir: { type: 'string', describe: 'Project folder to write into or check (default: this project)' },
    check: { type: 'boolean', default: false, describe: 'Compare with the committed files instead of writing; exit 1 when stale' },
  },
  examples: [
    ['$0 generate', 'Regenerate every file'],
    ['$0 generate --check', 'Fail when a committed file differs from what the generator writes'],
  ],
  async run(argv) {
    const { writeGenerated } = await import('../generate/write-files.js');
    console.log(writeGenerated(argv.dir ?? PROJECT_ROOT, argv.check));
  },
});
