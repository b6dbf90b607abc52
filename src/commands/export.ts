// `export`: write the collection and environment files this version ships into a folder, for
// import into Postman or Bruno. The options as data, their checks, then one call into export/.
import { resolve } from 'node:path';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../config/environments.js';
import { PROJECT_ROOT } from '../config/paths.js';
import { PACKAGE_NAME, VERSION } from '../config/version.js';
import { UserError } from '../errors.js';
import { EXPORT_FORMATS } from '../export/export-files.js';
import { Output } from '../report/output.js';
import { processRedactor } from '../report/redact.js';
import { defineCommand } from './command.js';
import { environment, list } from './options.js';

const files = (n: number): string => `${n} ${n === 1 ? 'file' : 'files'}`;

export const exportCommand = defineCommand({
  name: 'export',
  describe: 'Write the collection and environment files into a folder, for import into Postman or Bruno',
  options: {
    env: { type: 'string', default: 'all', describe: `Environment: ${ENVIRONMENT_NAMES.join(', ')}, a comma-separated list of them, or all` },
    format: { choices: EXPORT_FORMATS, default: 'both' as const, describe: 'v2.1 (one JSON file each), v3 (Postman 12 YAML folders), or both' },
    out: { type: 'string', default: 'gdx-data-share-files', describe: 'Folder to write into (collections/, environments/ and postman/ under it)' },
    force: { type: 'boolean', default: false, describe: 'Overwrite a file there that differs from the one this version ships' },
  },
  examples: [
    ['$0 export', "Every environment's files, both formats, into ./gdx-data-share-files"],
    ['$0 export --env demo --format v2.1 --out .', "demo's v2.1 collection and environment file, into this folder"],
  ],
  epilogue: 'Exit codes: 0 written (or already the same), 2 a file there differs (use --force) or cannot be written.',
  async run(argv) {
    const environments = argv.env === 'all' ? ENVIRONMENTS : list(argv.env).map(environment);
    if (environments.length === 0) throw new UserError(`--env is empty: use one of ${ENVIRONMENT_NAMES.join(', ')}, a comma-separated list, or all`);
    const out = resolve(argv.out);
    const { exportFiles } = await import('../export/export-files.js');
    const { written, unchanged } = exportFiles({ source: PROJECT_ROOT, out, environments, format: argv.format, force: argv.force });
    const lines = [
      `${PACKAGE_NAME} ${VERSION}: ${files(written.length)} written to ${out}${unchanged.length ? `, ${files(unchanged.length)} there already the same` : ''}`,
      ...written.map((path) => `  ${path}`),
    ];
    new Output(processRedactor).line(lines.join('\n'));
  },
});
